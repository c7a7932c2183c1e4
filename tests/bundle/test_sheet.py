"""The organiser's sheet: in the bundle's language, with troubleshooting and exact lengths."""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.bundle.documents.sheet import SheetData, SheetFile, render_html, render_text
from screenkit.media.info import AudioStream, MediaInfo, VideoStream
from screenkit.presets import load_preset

HEADINGS = {
    "en": ("What is inside", "How to play it", "When something goes wrong", "The appeal"),
    "it": ("Che cosa contiene", "Come riprodurlo", "Se qualcosa va storto", "L'appello"),
    "uk": ("Що всередині", "Як відтворити", "Якщо щось пішло не так", "Заклик"),
    "pl": ("Co jest w środku", "Jak to odtworzyć", "Gdy coś pójdzie nie tak", "Apel"),
    "de": ("Was drin ist", "So spielt Ihr es ab", "Wenn etwas schiefgeht", "Der Spendenaufruf"),
}


def _info() -> MediaInfo:
    video = VideoStream(
        0, "h264", "High", 41, 1080, 1920, Fraction(1), Fraction(25), Fraction(25), False,
        "yuv420p", 0, "progressive",
    )  # fmt: skip
    audio = AudioStream(1, "aac", "LC", 2, "stereo", 48000, "ukr")
    return MediaInfo(Path("x.mp4"), "mov,mp4", 4260.0, 3_000_000_000, None, video, (audio,))


def sheet(lang: str, preset: str = "usb-player", **changes: object) -> SheetData:
    data = SheetData(
        kit_name="sample",
        title="Preparing a Screening",
        bundle=f"{lang}-{preset}",
        lang=lang,
        burned=lang if load_preset(preset).subtitles.burn else None,
        soft=(lang, "en"),
        preset=load_preset(preset),
        video_name=f"Preparing a Screening ({lang}, {preset}).mp4",
        clip_name="test-clip.mp4",
        appeal_text="Give.",
        beneficiary="Solidarity Collective",
        link="https://example.org/donate",
        venue="Club 44",
        video=_info(),
        files=(
            SheetFile("Preparing a Screening.mp4", "film"),
            SheetFile("test-clip.mp4", "clip"),
            SheetFile(f"subtitles/Film.{lang}.srt", "sidecar", lang, "utf-8"),
            SheetFile("subtitles/Film.uk.cp1251.srt", "sidecar", "uk", "cp1251"),
        ),
        card_image="images/card.png",
        frame_image="images/subtitled-frame.png",
        card_seconds=12.011,
        clip_seconds=60.032,
    )
    return replace(data, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", sorted(HEADINGS))
def test_the_sheet_is_in_the_bundle_language(lang: str) -> None:
    text, page = render_text(sheet(lang)), render_html(sheet(lang))
    for heading in HEADINGS[lang]:
        assert heading in text, (lang, heading)
        assert heading.replace("'", "&#x27;") in page, (lang, heading)
    assert f'<html lang="{lang}">' in page
    if lang != "en":
        for english in ("What is inside", "Before the doors open", "burned into the picture"):
            assert english not in text, (lang, english)


def test_the_uk_and_it_sheets_name_languages_in_their_own_words() -> None:
    uk = render_text(sheet("uk"))
    assert "Пакет для показу sample-uk-usb-player · українська · для usb-player" in uk
    assert "субтитри: українська (cp1251, для старіших плеєрів)" in uk
    it = render_text(sheet("it", "laptop"))
    assert "I sottotitoli (italiano) sono attivi in partenza" in it
    assert "4260" not in it and "3.000,0 MB" in it  # Babel's Italian number format
    assert "2 canali" in it


def test_a_language_without_a_catalogue_gets_the_english_sheet() -> None:
    text = render_text(sheet("fi"))
    assert "What is inside" in text and "When something goes wrong" in text


def test_a_kit_catalogue_translates_the_sheet(tmp_path: Path) -> None:
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "fi.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fi\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "What is inside"\nmsgstr "Mitä paketissa on"\n',
        encoding="utf-8",
    )
    text = render_text(sheet("fi", kit_root=str(tmp_path)))
    assert "Mitä paketissa on" in text and "How to play it" in text


@pytest.mark.parametrize("lang", sorted(HEADINGS))
def test_the_sheet_says_what_to_do_when_it_goes_wrong(lang: str) -> None:
    text = render_text(sheet("en" if lang == "en" else lang))
    trouble = text.split(HEADINGS[lang][2])[1]
    assert "FAT32" in trouble and "NTFS" in trouble  # not listed: the stick's format
    assert "Preparing a Screening (" in trouble  # ... or the name
    assert "PCM" in trouble  # no sound: another audio output
    assert "screenkit build --preset usb-player-legacy" in trouble  # stutters: legacy


def test_the_sheet_gives_the_exact_lengths_of_the_card_and_the_clip() -> None:
    en = render_text(sheet("en"))
    assert "The appeal card shows for 12.011 s before the film" in en
    assert "The test clip test-clip.mp4 lasts 60.032 s" in en
    uk = render_text(sheet("uk"))
    assert "12,011 с" in uk and "60,032 с" in uk


def test_an_outro_length_brings_the_collection_wording() -> None:
    assert "pause on it" not in render_text(sheet("en"))
    en = render_text(sheet("en", outro_seconds=20.0))
    assert "shows again after the film for 20 s; pause on it during the collection" in en
    it = render_text(sheet("it", outro_seconds=20.0))
    assert "mettete in pausa su di esso durante la raccolta" in it


def test_a_burned_sheet_warns_against_a_sidecar_beside_the_film() -> None:
    en = render_text(sheet("en"))
    assert "If the player offers subtitle files instead, copy one" not in en
    assert "Do not copy a subtitle file from subtitles/ beside the film" in en
    assert "two subtitles at once" in en
    laptop = render_text(sheet("en", "laptop"))
    assert "Do not copy a subtitle file" not in laptop


@pytest.mark.parametrize("lang", sorted(HEADINGS))
def test_no_nested_brackets_in_the_heading(lang: str) -> None:
    text = render_text(sheet(lang))
    heading = text.split("\n")[3]
    assert not re.search(r"\([^)]*\(", heading), heading
    for line in text.split("\n")[:5]:
        depth = 0
        for ch in line:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            assert depth <= 1, line


def test_the_pictures_stack_on_a_narrow_screen() -> None:
    page = render_html(sheet("uk"))
    assert '<div class="pictures">' in page
    style = page.split("<style>")[1].split("</style>")[0]
    assert ".pictures{display:flex;flex-wrap:wrap" in style
    assert "img{display:block;width:100%" in style
    assert "@media (max-width:30em)" in style
    assert 'name="viewport" content="width=device-width' in page


def test_the_stick_format_follows_the_measured_size() -> None:
    small = render_text(sheet("en", "laptop"))
    assert "use FAT32 or exFAT, not NTFS" in small
    big_info = replace(_info(), size_bytes=5 << 30)
    big = render_text(sheet("en", "laptop", video=big_info))
    assert "use exFAT: the film is larger than FAT32 allows, not NTFS" in big
    assert "FAT32 or exFAT" not in big


def test_soft_track_names_carry_no_invented_region() -> None:
    from screenkit.media.info import SubtitleStream

    subs = tuple(SubtitleStream(n + 2, "mov_text", code) for n, code in enumerate(["ukr", "eng"]))
    it = render_text(sheet("it", "laptop", video=replace(_info(), subtitles=subs)))
    assert "ucraino, inglese" in it and "Stati Uniti" not in it


def _master(fps: Fraction) -> MediaInfo:
    info = _info()
    assert info.video is not None
    return replace(info, video=replace(info.video, frame_rate=fps, avg_frame_rate=fps))


def test_the_dvd_sheet_says_how_the_masters_rate_was_conformed() -> None:
    from screenkit.bundle.compose.plan import conformed

    pal, ntsc = load_preset("dvd-pal"), load_preset("dvd-ntsc")
    assert conformed(_master(Fraction(25)), pal) is None  # 25 fps: untouched
    assert conformed(_master(Fraction(25)), load_preset("usb-player")) is None
    film = conformed(_master(Fraction(24000, 1001)), pal)
    assert film == (pytest.approx(23.976, abs=1e-3), 25.0, True)
    text = render_text(sheet("en", "dvd-pal", conformed=film))
    assert "the master's 23.976 fps sped up to 25.00, as PAL television does" in text
    assert "the film 4% shorter" in text
    repeated = conformed(_master(Fraction(24)), ntsc)
    assert repeated is not None and repeated[2] is False
    assert "із повторенням кадрів" in render_text(sheet("uk", "dvd-ntsc", conformed=repeated))
    dropped = conformed(_master(Fraction(50)), pal)
    assert dropped == (50.0, 25.0, False)
    assert "by leaving frames out" in render_text(sheet("en", "dvd-pal", conformed=dropped))


def test_a_burned_dvd_sheet_says_to_leave_the_subtitle_button_alone() -> None:
    plain = render_text(sheet("en", "dvd-pal", burned=None))
    burned = render_text(sheet("en", "dvd-pal", burned="en"))
    assert "switches to another language or turns the subtitles off" in plain
    assert "switches to another language" not in burned
    assert "English subtitles are burned into the picture: leave the remote's subtitle" in burned
