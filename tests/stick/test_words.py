"""describe_finding: every finding in the organiser's language, in the sheet's own words."""

from __future__ import annotations

import pytest

from screenkit.i18n import translator
from screenkit.stick import Finding, describe_finding

GiB = 1 << 30
EXAMPLES = [
    Finding("error", "bundle-missing", {"bundle": "out/x"}),
    Finding("error", "bundle-incomplete", {"bundle": "out/x"}),
    Finding("error", "bundle-damaged", {"bundle": "out/x"}),
    Finding("error", "bundle-changed", {"file": "test-clip.mp4"}),
    Finding("error", "dest-missing", {"dest": "/media/anna/STICK"}),
    Finding("error", "dest-not-folder", {"dest": "/media/anna/STICK"}),
    Finding("error", "dest-not-writable", {"dest": "/media/anna/STICK"}),
    Finding("error", "dest-inside-bundle", {"dest": "/media/anna/STICK"}),
    Finding("error", "dest-holds-bundle", {"dest": "/media/anna/STICK"}),
    Finding("error", "file-too-large", {"file": "film.mp4", "size": 4 * GiB, "fstype": "FAT32"}),
    Finding("error", "no-space", {"need": 812_400_000, "free": 12_500_000, "dest": "/m"}),
    Finding("error", "exists-other", {"folder": "/m/x", "created": "2026-05-12T20:30:00+0200"}),
    Finding("error", "exists-other", {"folder": "/m/x", "created": ""}),
    Finding("warning", "replaces", {"folder": "/m/x", "created": ""}),
    Finding("warning", "already", {"folder": "/m/x"}),
    Finding("warning", "filesystem", {"fstype": "NTFS", "largest": 900_000_000, "device": "usb"}),
    Finding("warning", "filesystem", {"fstype": "exFAT", "largest": 9_000, "device": "divx"}),
    Finding("warning", "top-folder", {"name": "Film (it, divx).avi", "srt": "Film (it, divx).srt"}),
]


@pytest.mark.parametrize("lang", ["it", "uk", "pl", "de"])
def test_every_finding_is_said_in_the_language(lang: str) -> None:
    tr, en = translator(lang), translator("en")
    for finding in EXAMPLES:
        english = describe_finding(finding, en)
        said = describe_finding(finding, tr)
        assert said != english and said != finding.code, (lang, finding.code)
        for key in ("bundle", "file", "dest", "folder", "name", "fstype"):
            if key in finding.params and finding.code != "no-space":  # the figures say it
                assert str(finding.params[key]) in said, (lang, finding.code, key)
        assert "{" not in said


def test_ukrainian_uses_the_sheets_words_for_the_stick() -> None:
    uk = translator("uk")
    small = describe_finding(EXAMPLES[15], uk)
    assert small.startswith("Флешку відформатовано у NTFS")
    assert "FAT32 або exFAT" in small  # the sheet's "FAT32 or exFAT"
    large = Finding(
        "warning", "filesystem", {"fstype": "NTFS", "largest": 5 * GiB, "device": "usb"}
    )
    assert "exFAT: фільм більший, ніж дозволяє FAT32" in describe_finding(large, uk)
    space = describe_finding(EXAMPLES[10], uk)
    assert "812,4 МБ" in space and "12,5 МБ" in space
    too_large = describe_finding(EXAMPLES[9], uk)
    assert "«film.mp4» має 4,3 ГБ" in too_large and "exFAT" in too_large and "NTFS" in too_large


def test_italian_quotes_the_sheet_for_an_old_player() -> None:
    it = translator("it")
    sheet = it.gettext(
        "Copy '{name}' and '{srt}' to the top folder of a USB stick (FAT32), not into a "
        "folder, and keep their names: the player finds the subtitles by the name."
    ).format(name="Film (it, divx).avi", srt="Film (it, divx).srt")
    said = describe_finding(EXAMPLES[-1], it)
    assert sheet in said and said.startswith("Il pacchetto viene copiato come cartella")
    assert "12 mag" not in describe_finding(EXAMPLES[11], it)  # the date as recorded
    assert "2026-05-12 20:30" in describe_finding(EXAMPLES[11], it)


def test_english_is_the_msgids() -> None:
    en = translator("en")
    assert describe_finding(EXAMPLES[10], en) == (
        "Not enough space on the stick: the bundle needs 812.4 MB, the stick has 12.5 MB "
        "free. Delete what is not needed from it, or use a larger stick."
    )


def test_a_code_from_a_newer_screenkit_is_shown_not_dropped() -> None:
    assert describe_finding(Finding("warning", "x-new", {}), translator("uk")) == "x-new"
