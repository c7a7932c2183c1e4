"""``subs po export | import``: a track as a gettext catalogue and back, merged, never lost.

Every catalogue written here is handed to GNU gettext's own ``msgfmt --check`` (Debian
``gettext``); those checks skip where msgfmt is not installed.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pysubs2
import pytest
from babel.messages.pofile import read_po, write_po

from screenkit.errors import SubtitleError
from screenkit.subtitles.po import parse_context, previous_ids
from screenkit.subtitles.po_export import export_po
from screenkit.subtitles.po_import import PoIncomplete, import_po
from support import copy_sample_kit

RunCli = Callable[..., tuple[int, str, str]]

MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(
    MSGFMT is None, reason="GNU gettext's msgfmt is not installed (apt-get install gettext)"
)
FINNISH = [
    "Tervetuloa. Tänään katsomme yhdessä elokuvan.",
    "Ennen kuin ovet avataan,\ntestaamme kaiken kerran.",
    "Ensin projektori:\nonko kuva terävä ja kirkas?",
    "Sitten ääni. Kuuleeko\ntakarivi jokaisen sanan?",
    "Tekstitysten on oltava\nluettavissa joka paikalta.",
    "Toistakaa testiklippi\nlaitteella, jota käytätte.",
    "USB-tikku, läppäri, selain:\nkokeilkaa ensin.",
    "Elokuvaa saa esittää vapaasti,\nyhdellä ehdolla.",
    "Jokainen näytös kerää\nlahjoituksia kollektiiville.",
    "Laittakaa lahjoituslinkki ja QR-koodi\nesille, niin että kaikki näkevät.",
    "Pyytäkää jotakuta toivottamaan\nihmiset tervetulleiksi ja kertomaan vetoomuksesta.",
    "Laskekaa tuolit. Avatkaa ikkuna.\nKeittäkää teetä.",
    "Elokuvan jälkeen\njättäkää aikaa keskustelulle.",
    "Kiitos, että järjestitte tämän illan.",
    "Solidaarisuus kantaa pidemmälle\nkuin yksikään elokuva.",
]


def msgfmt_check(path: Path) -> None:
    assert MSGFMT is not None
    done = subprocess.run(
        [MSGFMT, "--check", "--statistics", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr, done.stderr  # not even the header's defaults


def translate(po: Path, texts: list[str], *, keep_fuzzy: bool = False) -> None:
    """What a translator does in Poedit: fill each msgstr (and clear the fuzzy marks)."""
    with po.open("rb") as fh:
        catalog = read_po(fh)
    for message, text in zip([m for m in catalog if m.id], texts, strict=False):
        message.string = text
        if not keep_fuzzy:
            message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True)
    po.write_bytes(buffer.getvalue())


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    return copy_sample_kit(tmp_path / "kit")


@needs_msgfmt
def test_the_exported_catalogue_passes_msgfmt_check(kit: Path) -> None:
    result = export_po(kit / "subtitles" / "en.srt", "fi")
    assert result.output == kit / "subtitles" / "fi.po"
    assert (result.cues, result.untranslated, result.merged_from) == (15, 15, None)
    msgfmt_check(result.output)
    text = result.output.read_text(encoding="utf-8")
    assert '"Project-Id-Version: Preparing a Screening\\n"' in text  # the kit's title
    assert '"Language: fi\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in text
    assert '"X-Source-Language: en\\n"' in text
    assert 'msgctxt "2 00:00:06,400 --> 00:00:10,200"' in text
    assert "#. 2 · 00:00:06,400 --> 00:00:10,200" in text
    assert "2 lines of at most 42 characters; at 17 characters a second, 64 characters" in text


@needs_msgfmt
@pytest.mark.parametrize("lang", ["pt-BR", "uk", "pl", "ru", "cs", "tlh"])
def test_every_language_gets_its_plural_forms_and_passes(tmp_path: Path, lang: str) -> None:
    original = tmp_path / "original.srt"
    original.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello.\n", encoding="utf-8")
    result = export_po(original, lang)
    msgfmt_check(result.output)
    text = result.output.read_text(encoding="utf-8")
    assert '"Project-Id-Version: original.srt\\n"' in text  # no kit: the file's name
    assert "Plural-Forms: nplurals=" in text
    if lang == "uk":
        assert "nplurals=3" in text


def test_notes_are_in_the_translators_language(kit: Path) -> None:
    text = export_po(kit / "subtitles" / "en.srt", "uk").output.read_text(encoding="utf-8")
    assert "#. українська: рядків: до 2, знаків у рядку: до 42; при 17 знаках за секунду" in text


@needs_msgfmt
def test_cues_with_the_same_words_stay_apart(tmp_path: Path) -> None:
    original = tmp_path / "en.srt"
    original.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nNo.\n\n2\n00:00:03,000 --> 00:00:04,000\nNo.\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\n<i>No!</i>\n",
        encoding="utf-8",
    )
    po = export_po(original, "de").output
    msgfmt_check(po)
    translate(po, ["Nein.", "Nö.", "<i>Nein!</i>"])
    track = import_po(po).output
    assert [e.text for e in pysubs2.load(str(track))] == ["Nein.", "Nö.", r"{\i1}Nein!{\i0}"]
    assert "<i>Nein!</i>" in track.read_text(encoding="utf-8")


@needs_msgfmt
def test_a_filled_in_catalogue_imports_with_the_originals_timing(kit: Path) -> None:
    original = kit / "subtitles" / "en.srt"
    po = export_po(original, "fi").output
    translate(po, FINNISH)
    msgfmt_check(po)
    for timing in (None, original):
        out = kit / "subtitles" / ("fi.srt" if timing is None else "fi-timed.srt")
        result = import_po(po, out, timing=timing)
        assert result.complete and result.written == 15
        got = pysubs2.load(str(out))
        want = pysubs2.load(str(original))
        assert [(e.start, e.end) for e in got] == [(e.start, e.end) for e in want]
        assert got[13].text == "Kiitos, että järjestitte tämän illan."
    # the one long line left by the translator, 45 characters, came out in two
    assert result.rebroken[0].number == 1
    assert pysubs2.load(str(out))[0].text.count(r"\N") == 1


def test_untranslated_and_fuzzy_are_listed_and_strict_writes_nothing(kit: Path) -> None:
    po = export_po(kit / "subtitles" / "en.srt", "fi").output
    translate(po, FINNISH[:3])
    with po.open("rb") as fh:
        catalog = read_po(fh)
    message = [m for m in catalog if m.id][1]
    message.flags.add("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    po.write_bytes(buffer.getvalue())
    out = kit / "subtitles" / "fi.srt"
    with pytest.raises(PoIncomplete) as caught:
        import_po(po, strict=True)
    assert not out.exists()
    assert "12 untranslated (cues 4, 5, 6" in caught.value.message
    assert "1 fuzzy (cues 2)" in caught.value.message
    result = import_po(po)
    assert [n.number for n in result.untranslated] == list(range(4, 16))
    assert [n.number for n in result.fuzzy] == [2]
    assert result.written == 3 and len(pysubs2.load(str(out))) == 3


def test_an_existing_track_is_kept_and_the_inputs_are_never_written_over(kit: Path) -> None:
    original = kit / "subtitles" / "en.srt"
    po = export_po(original, "fi").output
    translate(po, FINNISH)
    out = kit / "subtitles" / "fi.srt"
    out.write_text("1\n00:00:01,000 --> 00:00:02,000\nmy own edit\n", encoding="utf-8")
    result = import_po(po)
    assert result.backup == kit / "subtitles" / "fi.srt.bak"
    assert "my own edit" in result.backup.read_text(encoding="utf-8")
    for target in (po, original):
        with pytest.raises(SubtitleError) as caught:
            import_po(po, target, timing=original)
        assert caught.value.path == target
    with pytest.raises(SubtitleError):
        export_po(original, "fi", original)


def test_a_catalogue_without_timing_needs_the_original(tmp_path: Path) -> None:
    po = tmp_path / "fi.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fi\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Welcome. Tonight we show a film together."\nmsgstr "Tervetuloa."\n',
        encoding="utf-8",
    )
    with pytest.raises(SubtitleError) as caught:
        import_po(po)
    assert "carries no cue timing" in caught.value.message and "--timing" in str(caught.value.hint)
    original = copy_sample_kit(tmp_path / "kit") / "subtitles" / "en.srt"
    result = import_po(po, tmp_path / "fi.srt", timing=original)
    assert result.written == 1 and len(result.untranslated) == 14
    assert pysubs2.load(str(tmp_path / "fi.srt"))[0].start == 2000


def test_a_broken_catalogue_is_an_error_naming_it(tmp_path: Path) -> None:
    po = tmp_path / "fi.po"
    po.write_text('msgid "x"\nthis is not gettext\n', encoding="utf-8")
    with pytest.raises(SubtitleError) as caught:
        import_po(po)
    assert caught.value.path == po


def _edit_original(path: Path) -> None:
    """The original's editor fixed a line, and added a cue before two others (renumbering)."""
    subs = pysubs2.load(str(path))
    subs[3].text = r"Then the sound.\NCan the last row hear every word?"  # changed
    subs.insert(5, pysubs2.SSAEvent(start=23_500, end=23_900, text="(applause)"))  # new
    subs.save(str(path))


@needs_msgfmt
def test_merging_keeps_unchanged_cues_and_marks_changed_ones_fuzzy(kit: Path) -> None:
    original = kit / "subtitles" / "en.srt"
    po = export_po(original, "fi").output
    translate(po, FINNISH)
    _edit_original(original)
    result = export_po(original, "fi")
    msgfmt_check(po)
    assert (result.cues, result.translated, result.fuzzy, result.untranslated) == (16, 14, 1, 1)
    assert result.merged_from == po and result.obsolete == 0
    with po.open("rb") as fh:
        messages = [m for m in read_po(fh) if m.id]
    by_number = {parse_context(m.context)[0]: m for m in messages}  # type: ignore[index]
    changed = by_number[4]
    assert changed.fuzzy and changed.string == FINNISH[3]
    previous = previous_ids(po)
    assert previous == {changed.context: "Then the sound.\nCan the back row hear every word?"}
    assert '#| msgid ""\n#| "Then the sound.\\n"\n#| "Can the back row hear every word?"\n' in (
        po.read_text(encoding="utf-8")
    )
    # exported again before the translator looked: still fuzzy, still saying what changed
    export_po(original, "fi")
    assert previous_ids(po) == previous
    assert by_number[6].id == "(applause)" and by_number[6].string == ""
    # cue 6 of old is cue 7 now: its translation followed it, not fuzzy
    assert by_number[7].string == FINNISH[5] and not by_number[7].fuzzy
    assert all(not m.fuzzy for n, m in by_number.items() if n not in (4, 6))


def test_a_translation_no_cue_takes_stays_in_the_file_as_obsolete(kit: Path) -> None:
    original = kit / "subtitles" / "en.srt"
    po = export_po(original, "fi").output
    translate(po, FINNISH)
    subs = pysubs2.load(str(original))
    del subs[11]  # "Count the chairs…" is cut from the film
    subs.save(str(original))
    result = export_po(original, "fi")
    assert (result.cues, result.translated, result.obsolete) == (14, 14, 1)
    text = po.read_text(encoding="utf-8")
    assert '#~ msgid ""\n#~ "Count the chairs. Open a window.\\n"' in text
    assert "#~ msgstr" in text and "Laskekaa tuolit." in text


@needs_msgfmt
def test_a_track_beside_the_original_starts_the_catalogue(kit: Path) -> None:
    result = export_po(kit / "subtitles" / "en.srt", "it")
    assert result.merged_from == kit / "subtitles" / "it.srt"
    assert (result.translated, result.fuzzy, result.untranslated) == (15, 0, 0)
    msgfmt_check(result.output)
    out = import_po(result.output, kit / "subtitles" / "it-again.srt").output
    again = pysubs2.load(str(out))
    before = pysubs2.load(str(kit / "subtitles" / "it.srt"))
    assert [(e.start, e.end, e.plaintext) for e in again] == [
        (e.start, e.end, e.plaintext) for e in before
    ]


def test_a_track_timed_otherwise_comes_in_fuzzy(kit: Path, tmp_path: Path) -> None:
    moved = tmp_path / "de.srt"
    subs = pysubs2.load(str(kit / "subtitles" / "de.srt"))
    subs[2].start += 300
    subs.save(str(moved))
    result = export_po(kit / "subtitles" / "en.srt", "de", merge_from=moved)
    assert (result.translated, result.fuzzy) == (14, 1)


def test_the_cli_exports_and_imports_as_a_new_user_would(kit: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli(
        "subs", "po", "export", str(kit / "subtitles" / "en.srt"), "--lang", "fi"
    )
    assert code == 0 and out == ""
    assert f"wrote {kit / 'subtitles' / 'fi.po'}: 15 cues; 0 translated" in err
    assert "42 characters a line, 2 lines, 17 characters a second" in err
    translate(kit / "subtitles" / "fi.po", FINNISH[:14])
    code, out, err = run_cli("subs", "po", "import", str(kit / "subtitles" / "fi.po"))
    assert code == 0 and "untranslated, left out: cues 15" in err
    assert f"wrote {kit / 'subtitles' / 'fi.srt'}: 14 of 15 cues" in err
    code, _, err = run_cli("subs", "po", "import", str(kit / "subtitles" / "fi.po"), "--strict")
    assert code == 1 and "Error:" in err and "1 untranslated (cues 15)" in err
    code, _, err = run_cli(
        "subs", "po", "export", str(kit / "subtitles" / "en.srt"), "--lang", "xx-!"
    )
    assert code == 2


def test_the_cli_speaks_the_translators_language(kit: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli(
        "subs", "po", "export", str(kit / "subtitles" / "en.srt"), "--lang", "pl"
    )
    assert code == 0 and "zapisano" in err


def test_doctor_names_msgfmt_as_optional(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from screenkit.doctor import msgfmt_check

    found = msgfmt_check()
    assert found.optional and found.ok == (MSGFMT is not None)
    monkeypatch.setenv("PATH", str(tmp_path))
    missing = msgfmt_check()
    assert not missing.ok and missing.optional and missing.fix == "apt-get install gettext"
