"""``subs compare``: each planted problem of a test pair found, nothing in a clean pair."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pysubs2
import pytest

from screenkit.subtitles.compare import Comparison, compare_files
from screenkit.subtitles.compare_text import check_numbers, reads_as
from support import REPO

RunCli = Callable[..., tuple[int, str, str]]
DATA = Path(__file__).resolve().parent / "data"

PAIR = DATA / "compare"


def _rules(c: Comparison) -> dict[int, list[str]]:
    """Original cue number (or minus the translation's, for an extra) → its problems' rules."""
    found: dict[int, list[str]] = {}
    for pair in c.flagged:
        key = pair.original[0].number if pair.original else -pair.translation[0].number
        found[key] = [p.rule for p in pair.problems]
    return found


def test_every_planted_problem_is_found() -> None:
    c = compare_files(PAIR / "en.srt", PAIR / "planted.fi.srt")
    assert c.translation_lang == "fi" and c.profile.max_cps == 17
    assert _rules(c) == {
        1: ["number-changed"],  # 1989 → 1998
        4: ["untranslated"],  # left in English
        5: ["missing-cue"],  # dropped
        7: ["reading-speed"],  # 18.3 characters a second: over Finnish's 17
    }
    assert c.file_problems == () and not c.ok
    assert (c.count("error"), c.count("warning"), c.matched) == (3, 1, 7)
    changed = c.flagged[0].problems[0]
    assert changed.params == {"was": ["1989"], "now": ["1998"]}


def test_the_fast_cue_is_fine_for_english() -> None:
    c = compare_files(PAIR / "en.srt", PAIR / "planted.fi.srt", lang="en")
    assert c.profile.max_cps == 20
    assert all("reading-speed" not in rules for rules in _rules(c).values())


def test_a_clean_pair_has_nothing_to_report() -> None:
    c = compare_files(PAIR / "en.srt", PAIR / "clean.fi.srt")
    assert c.flagged == () and c.file_problems == () and c.ok
    assert c.matched == 8


def test_the_sample_kits_translations_against_the_original() -> None:
    """The note of issue 23 lists these: the kit's four translations have no finding."""
    for lang in ("it", "uk", "pl", "de"):
        c = compare_files(REPO / "subtitles" / "en.srt", REPO / "subtitles" / f"{lang}.srt")
        assert (lang, _rules(c), c.file_problems) == (lang, {}, ())
        assert c.matched == 15


def _pair(tmp_path: Path, edit: dict[int, tuple[int, int, str] | None]) -> Path:
    """planted.fi.srt's clean sibling with cues replaced (or removed: None)."""
    subs = pysubs2.load(str(PAIR / "clean.fi.srt"))
    for index, change in sorted(edit.items(), reverse=True):
        if change is None:
            del subs[index]
        else:
            start, end, text = change
            subs[index] = pysubs2.SSAEvent(start=start, end=end, text=text)
    path = tmp_path / "fi.srt"
    subs.save(str(path))
    return path


def test_extra_merged_split_and_moved_cues(tmp_path: Path) -> None:
    subs = pysubs2.load(str(PAIR / "clean.fi.srt"))
    # cues 4 and 5 as one; cue 2 in two halves; cue 8 half a second late; one cue after the end
    subs[3] = pysubs2.SSAEvent(
        start=11_500, end=18_000, text=r"Kukaan ei uskonut,\Nmutta jatkoimme."
    )
    del subs[4]
    subs.insert(2, pysubs2.SSAEvent(start=6_000, end=7_500, text="menetti työnsä."))
    subs[1] = pysubs2.SSAEvent(start=4_500, end=5_900, text="Kolmesataa työläistä")
    subs[7].start, subs[7].end = 26_500, 29_500
    subs.append(pysubs2.SSAEvent(start=40_000, end=42_000, text="Kiitos."))
    path = tmp_path / "fi.srt"
    subs.save(str(path))
    c = compare_files(PAIR / "en.srt", path)
    rules = _rules(c)
    assert rules[2] == ["split"] and rules[4] == ["merged"]
    assert rules[8] == ["timing-moved"] and rules[-9] == ["extra-cue"]
    moved = next(p for p in c.flagged if p.original and p.original[0].number == 8).problems[0]
    assert moved.params == {"start_delta_ms": 500, "end_delta_ms": 500}
    assert c.ok  # warnings and notes only


def test_a_translation_timed_for_another_cut_says_so(tmp_path: Path) -> None:
    subs = pysubs2.load(str(PAIR / "clean.fi.srt"))
    subs.shift(s=0.6)
    path = tmp_path / "fi.srt"
    subs.save(str(path))
    c = compare_files(PAIR / "en.srt", path)
    (off,) = c.file_problems
    assert off.rule == "timing-off" and off.params["offset_ms"] == 600


def test_glyphs_the_font_lacks_and_lines_too_long(tmp_path: Path) -> None:
    path = _pair(
        tmp_path,
        {
            1: (4_500, 7_500, "Kolmesataa työläistä menetti työnsä yhdessä yössä."),
            5: (18_500, 21_500, "Lakko kesti 47 päivää. 罢工"),
        },
    )
    c = compare_files(PAIR / "en.srt", path)
    rules = _rules(c)
    assert rules[2] == ["line-length"] and rules[6] == ["missing-glyphs"]
    glyphs = c.flagged[1].problems[0]
    assert glyphs.params["characters"] == ["罢", "工"]


def test_a_line_reading_as_the_original_language_is_a_warning(tmp_path: Path) -> None:
    path = _pair(tmp_path, {3: (11_500, 14_500, "Nobody believed that we could ever win.")})
    rules = _rules(compare_files(PAIR / "en.srt", path))
    assert rules[4] == ["original-language"]


def test_numbers_are_read_as_the_language_writes_them() -> None:
    assert check_numbers("It cost 1,000 euros.", "Se maksoi 1 000 euroa.").missing == ()
    assert check_numbers("We met at 8:30 pm.", "Tapasimme klo 20.30.") == check_numbers("", "")
    assert check_numbers("Three of us, 4 days.", "Meitä oli kolme, neljä päivää.").missing == ()
    changed = check_numbers("In 1989, 3.5 million.", "Vuonna 1998 3,5 miljoonaa.")
    assert (changed.changed_from, changed.changed_to) == (("1989",), ("1998",))
    assert check_numbers("The strike lasted 47 days.", "Lakko kesti kauan.").missing == ("47",)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Nobody believed that we could ever win.", True),
        ("Kukaan ei uskonut, että voisimme koskaan voittaa.", False),
        ("USB-tikku, läppäri, selain: kokeilkaa ensin.", False),
        ("OK.", False),  # too short to say
    ],
)
def test_reads_as_the_original(text: str, flagged: bool) -> None:
    assert (reads_as(text, "en", "fi") is not None) == flagged


def test_the_cli_exits_1_on_errors_and_speaks_the_translators_language(run_cli: RunCli) -> None:
    code, out, _ = run_cli("subs", "compare", str(PAIR / "en.srt"), str(PAIR / "planted.fi.srt"))
    assert code == 1 and "3 errors, 1 warning" in out
    assert "5/–       00:00:15,000  Missing cue: The translation has no cue here." in out
    code, out, _ = run_cli("subs", "compare", str(PAIR / "en.srt"), str(PAIR / "clean.fi.srt"))
    assert code == 0 and "Nothing to fix" in out
    code, out, _ = run_cli(
        "subs", "compare", str(PAIR / "en.srt"), str(PAIR / "planted.fi.srt"), "--ui-lang", "it"
    )
    assert code == 1 and "Sottotitolo mancante" in out and "3 errori, 1 avviso" in out


def test_the_json_document_holds_every_pair(run_cli: RunCli) -> None:
    code, out, err = run_cli(
        "subs", "compare", str(PAIR / "en.srt"), str(PAIR / "planted.fi.srt"), "--json"
    )
    assert code == 1 and err == ""
    doc = json.loads(out)
    assert (doc["ok"], doc["errors"], doc["cues"], doc["matched"]) == (False, 3, 8, 7)
    assert doc["limits"]["max_cps"] == 17 and doc["reading_norms"]["tag"] == "fi"
    assert len(doc["pairs"]) == 8
    (missing,) = [p for p in doc["pairs"] if not p["translation"]]
    assert missing["problems"][0]["rule"] == "missing-cue"
    assert missing["original"][0] == {
        "cue": 5,
        "start_ms": 15_000,
        "end_ms": 18_000,
        "text": "But we kept going, week after week.",
    }


def test_bad_input_is_a_clear_error(tmp_path: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli("subs", "compare", str(PAIR / "en.srt"), str(tmp_path / "nope.srt"))
    assert code == 1 and "Error:" in err and "no such file" in err and "Traceback" not in err
    code, _, err = run_cli(
        "subs", "compare", str(PAIR / "en.srt"), str(PAIR / "clean.fi.srt"), "--film", "x.mkv"
    )
    assert code == 2 and "--html" in err


def test_an_unfinished_translation_is_missing_cues_not_timed_for_another_cut(
    tmp_path: Path,
) -> None:
    subs = pysubs2.load(str(PAIR / "clean.fi.srt"))
    del subs[3:]
    path = tmp_path / "fi.srt"
    subs.save(str(path))
    c = compare_files(PAIR / "en.srt", path)
    assert c.file_problems == ()
    assert _rules(c) == {n: ["missing-cue"] for n in range(4, 9)}


def test_a_sparse_translation_pairs_each_cue_with_its_own_original(tmp_path: Path) -> None:
    """Two cues translated of fifteen, far apart (what a catalogue half done imports to):
    each finds the original cue it is timed as, across the gap; the rest are missing."""
    original = REPO / "subtitles" / "en.srt"
    subs = pysubs2.load(str(original))
    kept = pysubs2.SSAFile()
    for n in (1, 12):
        event = subs[n - 1].copy()
        event.text = f"käännös {n}"
        kept.append(event)
    path = tmp_path / "fi.srt"
    kept.save(str(path))
    c = compare_files(original, path)
    paired = [(p.original[0].number, p.translation[0].number) for p in c.pairs if p.translation]
    assert paired == [(1, 1), (12, 2)]
    assert _rules(c) == {n: ["missing-cue"] for n in range(1, 16) if n not in (1, 12)}
