"""Bad input: every peer-corpus file, junk, huge files, hostile names — never a traceback or hang.

Each case runs ``subs check`` (and ``subs convert``) in-process through the real error path
and asserts the outcome is exit 0, or exit 1 with findings or exactly one ``Error:`` line,
and that the input file is byte for byte what it was.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

RunCli = Callable[..., tuple[int, str, str]]
REPO = Path(__file__).resolve().parents[2]


def corpus_files(corpus: Path) -> list[Path]:
    lines = (corpus / "INDEX.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [corpus / line.split("\t")[0] for line in lines if line.strip()]


def assert_clean_outcome(code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err
    assert code in (0, 1), (code, out, err)
    errors = [line for line in err.splitlines() if line.startswith("Error: ")]
    if code == 1 and not out:
        assert len(errors) == 1, err  # one clear line (a Hint: line may follow)
    if out:
        assert not errors


def test_check_every_corpus_file(
    run_cli: RunCli, corpus: Path, hash_of: Callable[[Path], str]
) -> None:
    files = corpus_files(corpus)
    assert len(files) > 200
    before = {p: hash_of(p) for p in files}
    outcomes: dict[str, int] = {}
    started = time.monotonic()
    for path in files:
        code, out, err = run_cli("subs", "check", str(path))
        assert_clean_outcome(code, out, err)
        kind = "error-line" if not out else ("findings" if code == 1 else "clean")
        outcomes[kind] = outcomes.get(kind, 0) + 1
        assert hash_of(path) == before[path], path
    assert time.monotonic() - started < 180  # no hang (generous: the machine is shared)
    # most of the corpus reads; the unreadable rest (LRC, SCC, binary STL, broken WebVTT…)
    # gets its one Error: line
    assert outcomes.get("error-line", 0) < 40 and outcomes.get("findings", 0) > 50


def test_convert_every_corpus_file(
    run_cli: RunCli, corpus: Path, tmp_path: Path, hash_of: Callable[[Path], str]
) -> None:
    for n, path in enumerate(corpus_files(corpus)):
        before = hash_of(path)
        out = tmp_path / f"{n}.srt"
        code, stdout, err = run_cli("subs", "convert", str(path), "-o", str(out))
        assert_clean_outcome(code, stdout, err)
        assert out.exists() == (code == 0)
        assert hash_of(path) == before


BAD: dict[str, bytes] = {
    "empty.srt": b"",
    "junk.srt": random.Random(3).randbytes(64 * 1024),
    "nul.srt": b"1\n00:00:01,000 --> 00:00:02,000\nA\x00B\n" + b"\x00" * 4000,
    "nul-text.srt": b"1\n00:00:01,000 --> 00:00:02,000\nA\x00B\n",
    "99.srt": b"1\n99:99:99,999 --> 99:99:99,999\nNever.\n",
    "ascii-junk.srt": b"\x1b[31m" * 500,
    "utf16-junk.srt": b"\xff\xfe" + random.Random(5).randbytes(1000),
    "half.srt": b"1\n00:00:01,000 --> 00:00:0",
    "only-numbers.srt": b"1\n2\n3\n",
    "huge-line.srt": b"1\n00:00:01,000 --> 00:00:02,000\n" + b"x" * 2_000_000 + b"\n",
}


def make_bad(folder: Path, name: str) -> Path:
    """One bad input; ``big.srt`` is 50 MB of real SRT events."""
    path = folder / name
    if name != "big.srt":
        path.write_bytes(BAD[name])
        return path
    block = b"1\n00:00:01,000 --> 00:00:02,000\nSome text.\n\n" * 20_000
    with path.open("wb") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(block)
    return path


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.srt", "the file is empty"),
        ("junk.srt", "binary"),
        ("nul.srt", "binary"),
        ("99.srt", "'99:99:99,999' is not a valid time"),
        ("ascii-junk.srt", "binary"),
        ("utf16-junk.srt", None),
        ("half.srt", None),
        ("only-numbers.srt", "no SRT timing line"),
        ("big.srt", "too big for a subtitle track"),
        ("nul-text.srt", None),
        ("huge-line.srt", None),
    ],
)
def test_bad_files_give_one_clear_outcome(
    run_cli: RunCli,
    tmp_path: Path,
    hash_of: Callable[[Path], str],
    name: str,
    words: str | None,
) -> None:
    path = make_bad(tmp_path, name)
    before = hash_of(path)
    started = time.monotonic()
    for command in (["check"], ["fix", "-o", str(tmp_path / "o.srt")]):
        code, out, err = run_cli("subs", command[0], str(path), *command[1:])
        assert_clean_outcome(code, out, err)
        if words is not None:
            assert code == 1 and err.startswith("Error: ") and words in err, err
    assert time.monotonic() - started < 60  # no hang (generous: the machine is shared)
    assert hash_of(path) == before


@pytest.mark.parametrize(
    "name",
    [
        "my track (final) v2.srt",
        'it\'s "quoted".srt',
        "a:b:c.srt",
        "Фільм — українською.uk.srt",
        "-starts-with-dash.srt",
        "emoji 🎬 日本.srt",
    ],
)
def test_hostile_file_names_work_everywhere(
    run_cli: RunCli, tmp_path: Path, hash_of: Callable[[Path], str], name: str
) -> None:
    path = tmp_path / name
    path.write_bytes((REPO / "subtitles" / "uk.srt").read_bytes())
    before = hash_of(path)
    code, out, err = run_cli("subs", "check", "--", str(path))
    assert code == 0 and str(path) in out, err
    out_dir = tmp_path / "out dir: 'x'"
    for args in (
        ["fix", str(path), "-o", str(out_dir / f"fixed {name}")],
        ["convert", str(path), "-o", str(out_dir / f"{name}.vtt")],
        ["shift", str(path), "--by", "-1s", "-o", str(out_dir / f"shifted {name}")],
        ["retime", str(path), "--fps", "25:24", "-o", str(out_dir / f"retimed {name}")],
    ):
        code, _, err = run_cli("subs", *args)
        assert code == 0, err
        assert Path(args[-1]).is_file()
    assert hash_of(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [name]
