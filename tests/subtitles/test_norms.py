"""Reading norms per language: the table, its sources, and `subs check` holding a track to them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from screenkit.subtitles.checkrun import check_files
from screenkit.subtitles.norms import all_norms, for_language, norms_for
from screenkit.subtitles.profiles import load_profile

RunCli = Callable[..., tuple[int, str, str]]

COUNTRIES = ("it", "uk", "pl", "de", "fi", "nl", "da", "sv", "es", "pt", "fr", "en", "ru", "cs")


def test_the_table_covers_the_kit_languages_and_the_countries_the_film_is_shown_in() -> None:
    table = all_norms()
    assert set(COUNTRIES) | {"pt-PT", "pt-BR"} <= set(table)
    for norms in table.values():
        assert norms.url.startswith("https://"), norms.tag
        assert norms.chars_from.strip() and norms.cps_from.strip(), norms.tag
        assert 30 <= norms.max_chars_per_line <= 42 and 12 <= norms.max_cps <= 20
    # what the sources say, where they were read
    assert (table["ru"].max_chars_per_line, table["en"].max_cps, table["fi"].max_cps) == (
        39,
        20,
        17,
    )
    assert table["cs"].line_break == "bottom-heavy"
    # a figure that is ours is marked so
    assert table["uk"].chars_from.startswith("assumed")


def test_a_tag_finds_its_region_or_its_language() -> None:
    assert norms_for("pt-BR") is not None and norms_for("pt-BR").tag == "pt-BR"  # type: ignore[union-attr]
    assert norms_for("es-419").tag == "es"  # type: ignore[union-attr]
    assert norms_for("fr-CA").tag == "fr"  # type: ignore[union-attr]
    assert norms_for("ja") is None and norms_for(None) is None


def test_the_default_profile_takes_the_language_norms_and_the_chosen_ones_keep_theirs() -> None:
    netflix = load_profile()
    assert netflix.language_norms
    fi, en, ru = (for_language(netflix, lang) for lang in ("fi", "en", "ru"))
    assert (fi.max_cps, fi.max_chars_per_line, fi.lang) == (17, 42, "fi")
    assert (en.max_cps, ru.max_chars_per_line) == (20, 39)
    assert for_language(netflix, "ja") == netflix  # no norms known: the profile as it is
    for chosen in ("bbc", "relaxed"):
        profile = load_profile(chosen)
        assert not profile.language_norms and for_language(profile, "ru") == profile


def test_a_kit_profile_that_sets_its_figures_keeps_them(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "quiet.toml").write_text(
        'extends = "netflix"\n[severity]\ngap = "off"\n', encoding="utf-8"
    )
    (tmp_path / "profiles" / "slow.toml").write_text(
        'extends = "netflix"\nmax_cps = 14\n', encoding="utf-8"
    )
    (tmp_path / "profiles" / "both.toml").write_text(
        'extends = "netflix"\nmax_cps = 14\nlanguage_norms = true\n', encoding="utf-8"
    )
    assert for_language(load_profile("quiet", tmp_path), "en").max_cps == 20  # inherited: on
    assert for_language(load_profile("slow", tmp_path), "en").max_cps == 14  # chosen: kept
    assert for_language(load_profile("both", tmp_path), "en").max_cps == 20  # asked for


def _track(folder: Path, name: str, text: str) -> Path:
    """A one-cue track of four seconds."""
    path = folder / name
    path.write_text(f"1\n00:00:01,000 --> 00:00:05,000\n{text}\n", encoding="utf-8")
    return path


def test_check_holds_a_track_to_its_language_by_name_or_by_option(tmp_path: Path) -> None:
    line = "Это строка длиной ровно в сорок символов"  # 40 characters: over Russian's 39
    assert len(line) == 40
    ru = _track(tmp_path, "ru.srt", line)
    plain = _track(tmp_path, "track.srt", line)
    (report,) = (r.report for r in check_files([ru]).results)
    assert report is not None and [f.rule for f in report.findings] == ["line-length"]
    assert report.findings[0].params == {"line": 1, "length": 40, "limit": 39}
    (report,) = (r.report for r in check_files([plain]).results)
    assert report is not None and report.findings == ()  # no language: the profile's 42
    (report,) = (r.report for r in check_files([plain], lang="ru").results)
    assert report is not None and [f.rule for f in report.findings] == ["line-length"]
    (report,) = (r.report for r in check_files([ru], profile="relaxed").results)
    assert report is not None and report.findings == ()


def test_an_english_track_reads_at_twenty_characters_a_second(tmp_path: Path) -> None:
    text = "This line of seventy-one characters\nfills all its four seconds, no more."
    assert 17 * 4 < len(text) - 1 <= 20 * 4
    for lang, expected in (("en", []), ("fi", ["reading-speed"])):
        path = _track(tmp_path, f"{lang}.srt", text)
        (report,) = (r.report for r in check_files([path]).results)
        assert report is not None and [f.rule for f in report.findings] == expected


def test_the_check_says_which_norms_it_applied(tmp_path: Path, run_cli: RunCli) -> None:
    path = _track(tmp_path, "fi.srt", "Hyvää iltaa.")
    code, out, _ = run_cli("subs", "check", str(path))
    assert code == 0 and "profile netflix with fi reading norms (42 a line, 17/s)" in out
    code, out, _ = run_cli("subs", "check", str(path), "--json")
    norms = json.loads(out)["files"][0]["reading_norms"]
    assert norms == {"lang": "fi", "max_chars_per_line": 42, "max_cps": 17.0}


@pytest.mark.parametrize("lang", COUNTRIES)
def test_every_language_of_the_table_checks_a_track(tmp_path: Path, lang: str) -> None:
    path = _track(tmp_path, f"{lang}.srt", "Hola, 1989.")
    (result,) = check_files([path]).results
    assert result.report is not None and result.report.profile.lang == lang
