"""``--dry-run`` is the run: every step's listed argv is what a real build runs.

A wrapper ffmpeg (``SCREENKIT_FFMPEG``) logs the argv of every run, then execs the real
ffmpeg. For each step kind, its cache entry is removed (the steps it reads stay cached), the
dry-run lists the commands its kind's ``commands()`` gives, and the rebuild that follows must
run exactly those. Over a usb-player and a laptop bundle, each with an outro card; a cached
step's listing (from the cache's record) is checked the same way.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import tempfile
from pathlib import Path

import pysubs2
import pytest
from bundle_helpers import SPEED, kit_with_film, run_cli

from screenkit.dvd import missing_tools
from screenkit.media.binaries import find_ffmpeg

BUNDLES = {
    # name: (preset, lang); add a bundle here to cover another preset
    "usb-outro": ("usb-player", "en"),
    "laptop-outro": ("laptop", "uk"),
    "dvd-outro": ("dvd-pal", "uk"),
}
KINDS_WITH_COMMANDS = (
    "loudness", "film", "card", "join", "mux", "clip", "stills", "legacycard", "subpictures"
)  # fmt: skip
WRAPPER = """#!/bin/sh
# one file per run: two ffmpeg started at once must not interleave their lines in one log
mkdir -p {log}
printf '%s\\037' "$0" "$@" > "$(mktemp -p {log} run.XXXXXXXX)"
exec {real} "$@"
"""


def _normal(argv: list[str]) -> tuple[str, ...]:
    """Random parts of the folders a run makes, as the dry-run writes them (X's)."""
    tmp = re.escape(tempfile.gettempdir())
    swaps = [
        (
            re.compile(rf"({tmp}/screenkit-)[0-9]+-[0-9]+-[a-z0-9_]{{8}}(/[a-z_]+-)[a-z0-9_]{{8}}"),
            r"\1PID-START-XXXXXXXX\2XXXXXXXX",
        ),
        (re.compile(r"(/tmp/[0-9a-f]{64}\.)[0-9a-f]{8}"), r"\1XXXXXXXX"),
    ]
    out = []
    for word in argv:
        for pattern, repl in swaps:
            word = pattern.sub(repl, word)
        out.append(word)
    return tuple(out)


def _logged(log: Path) -> list[tuple[str, ...]]:
    """The argv of every ffmpeg run the wrapper saw (a folder of one file per run)."""
    if not log.is_dir():
        return []
    runs = [f.read_text().split("\x1f")[:-1] for f in sorted(log.glob("run.*"))]
    return sorted(_normal(r) for r in runs if "-version" not in r)


@pytest.fixture()
def wrapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_kit_film: Path
) -> tuple[Path, Path]:
    real = find_ffmpeg()
    log = tmp_path / "argv"
    wrapper = tmp_path / "bin" / "ffmpeg"
    wrapper.parent.mkdir()
    wrapper.write_text(WRAPPER.format(log=log, real=real.path))
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    if real.ffprobe is not None:
        (wrapper.parent / "ffprobe").symlink_to(real.ffprobe)
    monkeypatch.setenv("SCREENKIT_FFMPEG", str(wrapper))
    kit = kit_with_film(tmp_path / "kit", sample_kit_film)
    # the laptop bundle's screening track talks only late: its test clip is a stretch (cut,
    # joined to the card, tracks muxed in), not the head of the finished file
    late = pysubs2.load(str(kit / "subtitles" / "uk.srt"))
    late.shift(s=30)
    late.events = [e for e in late.events if e.end < 58_000]
    late.save(str(kit / "subtitles" / "uk.srt"))
    with (kit / "screenkit.toml").open("a") as fh:
        for name, (preset, lang) in BUNDLES.items():
            fh.write(f'\n[bundles.{name}]\npreset = "{preset}"\nlang = "{lang}"\noutro = true\n')
    return kit, log


def _dry_run(kit: Path, name: str) -> dict[str, dict[str, object]]:
    code, out, err = run_cli(
        "build", "--kit", str(kit), name, "--speed", SPEED, "--dry-run", "--json"
    )
    assert code == 0, err
    return {s["id"]: s for s in json.loads(out)["steps"]}


def _build(kit: Path, name: str) -> None:
    code, _, err = run_cli("build", "--kit", str(kit), name, "--speed", SPEED, "--quiet")
    assert code == 0, err


def _listed(steps: list[dict[str, object]]) -> list[tuple[str, ...]]:
    return sorted(_normal(list(c)) for s in steps for c in s["commands"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(BUNDLES))
def test_dry_run_lists_exactly_what_the_build_runs(name: str, wrapped: tuple[Path, Path]) -> None:
    kit, log = wrapped
    preset = BUNDLES[name][0]
    dvd = preset.startswith("dvd")
    if dvd and missing_tools():
        pytest.skip(f"DVD tools missing: {', '.join(missing_tools())}")
    _build(kit, name)
    steps = _dry_run(kit, name)
    assert all(s["state"] != "to run" for s in steps.values())
    # a cached step shows the argv its record says it ran: the ones the wrapper saw
    assert _listed(list(steps.values())) == _logged(log)
    kinds = {s["kind"] for s in steps.values()}
    card_kind = "legacycard" if dvd else "card"
    own = {"subpictures", "dvdauthor", "dvdiso"} if dvd else {"join", "clip"}
    assert {"loudness", "film", card_kind, "stills", *own} <= kinds
    cards = [s for s in steps.values() if s["kind"] == card_kind]
    assert len(cards) == 2  # intro and outro
    document = json.loads(run_cli("build", "--kit", str(kit), name, "--dry-run", "--json")[1])
    cache, folder = Path(document["cache"]), Path(document["bundles"][0]["folder"])
    if not dvd:
        (clip,) = [s for s in steps.values() if s["kind"] == "clip"]
        assert len(clip["commands"]) == (3 if preset == "laptop" else 1)  # type: ignore[arg-type]
    for kind in KINDS_WITH_COMMANDS:
        chosen = [s for s in steps.values() if s["kind"] == kind]
        if not chosen:
            continue
        for s in chosen:
            shutil.rmtree(cache / "objects" / str(s["key"])[:2] / str(s["key"]))
        shutil.rmtree(cache / "loudness", ignore_errors=True)
        shutil.rmtree(folder)  # the bundle is built again, from the cache but for ``kind``
        listing = _dry_run(kit, name)
        planned = [listing[str(s["id"])] for s in chosen]
        assert all(p["state"] == "to run" for p in planned), kind
        assert all(p["commands"] for p in planned), (kind, [p["note"] for p in planned])
        shutil.rmtree(log, ignore_errors=True)
        _build(kit, name)
        assert _logged(log) == _listed(planned), kind
