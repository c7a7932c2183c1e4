"""The DVD pieces one by one: spans, four colours, libass drawing Cyrillic with no system
font, the spumux and dvdauthor files, chapters, disc sizes, the tools check."""

from __future__ import annotations

import pickle
from fractions import Fraction
from pathlib import Path

import numpy as np
import pysubs2
import pytest
from dvd_helpers import NEEDS_TOOLS

from screenkit.doctor import diagnose
from screenkit.dvd.author import TitleLayout, author_xml, chapter_marks
from screenkit.dvd.errors import INSTALL_LINE, DiscTooLarge, DvdToolFailed, DvdToolsMissing
from screenkit.dvd.iso import DVD5_BYTES, DVD9_BYTES, disc_fit, dvd_order, volume_label
from screenkit.dvd.pngio import read_rgba
from screenkit.dvd.subpictures import (
    PALETTE,
    Spu,
    SubpictureTrack,
    quantise,
    render_subpictures,
    segments,
    spumux_xml,
)
from screenkit.dvd.tools import require_dvd_tools
from screenkit.encode import EncodeOptions, SubtitleInput
from screenkit.encode.legacy import legacy_format
from screenkit.media.probe import probe
from screenkit.presets import load_preset

PAL = load_preset("dvd-pal")


def _subs(*events: tuple[int, int, str]) -> pysubs2.SSAFile:
    subs = pysubs2.SSAFile()
    for start, end, text in events:
        subs.append(pysubs2.SSAEvent(start=start, end=end, text=text))
    return subs


def test_overlapping_events_become_spans_showing_both() -> None:
    spans = segments(_subs((0, 2000, "a"), (1000, 3000, "b"), (5000, 6000, "c"), (7000, 8000, " ")))
    assert [(s, e, [x.text for x in ev]) for s, e, ev in spans] == [
        (0, 1000, ["a"]),
        (1000, 2000, ["a", "b"]),
        (2000, 3000, ["b"]),
        (5000, 6000, ["c"]),
    ]


def test_quantise_keeps_four_colours_cropped_on_even_lines() -> None:
    image = np.zeros((100, 120, 4), dtype=np.uint8)
    image[41:60, 31:70] = (255, 255, 255, 255)
    image[41:60, 70:75] = (10, 10, 10, 200)
    image[41:60, 75:77] = (120, 120, 120, 255)
    image[10, 10] = (255, 255, 255, 40)  # faint: transparent
    picture, (x, y) = quantise(image)  # type: ignore[misc]
    assert (x, y) == (30, 40)
    assert picture.shape[0] % 2 == 0 and picture.shape[1] % 2 == 0
    colours = {tuple(c) for c in picture.reshape(-1, 4)}
    assert colours <= set(PALETTE) and len(colours) == 4
    assert quantise(np.zeros((8, 8, 4), dtype=np.uint8)) is None


@NEEDS_TOOLS
def test_cyrillic_subpictures_are_drawn_with_no_system_font(
    tiny_film: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libass with an empty fontconfig draws nothing unless the shipped font is staged."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'fc'}</cachedir></fontconfig>\n"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    track = tmp_path / "uk.srt"
    track.write_text(
        "1\n00:00:00,500 --> 00:00:02,000\nДякуємо, що прийшли!\n\n"
        "2\n00:00:02,500 --> 00:00:04,000\nЇжак і ґанок\n",
        encoding="utf-8",
    )
    fmt = legacy_format(probe(tiny_film), PAL, EncodeOptions())
    drawn = render_subpictures(SubtitleInput(track, "uk"), PAL, tmp_path / "spu", fmt=fmt)
    assert [(s.start_ms, s.end_ms) for s in drawn.spus] == [(500, 2000), (2500, 4000)]
    for spu in drawn.spus:
        image = read_rgba(drawn.folder / spu.image)
        fill = (image == PALETTE[1]).all(axis=2).sum()
        assert fill > 200, "no glyph pixels: the font did not reach libass"
        assert spu.y > 576 * 0.6  # at the bottom, inside the safe area
        assert spu.y + image.shape[0] <= 576 - round(576 * PAL.safe_area) + 2
        assert spu.x > 0 and spu.x + image.shape[1] < 720
    assert not list(drawn.folder.glob("frame*.png"))  # the raw renders are cleaned up


def test_spumux_xml_times_in_hundredths_and_plain_names(tmp_path: Path) -> None:
    track = SubpictureTrack(
        lang="uk",
        folder=tmp_path,
        spus=(Spu(start_ms=3_723_450, end_ms=3_725_000, image="spu00000.png", x=100, y=480),),
    )
    xml = spumux_xml(track, PAL)
    assert '<subpictures format="PAL">' in xml
    assert 'start="01:02:03.45" end="01:02:05.00" image="spu00000.png"' in xml
    assert 'xoffset="100" yoffset="480"' in xml


def test_author_xml_declares_streams_in_order_and_shows_the_first(tmp_path: Path) -> None:
    layout = TitleLayout(
        card=tmp_path / "a & <b>.mpg",
        film=tmp_path / "film.mpg",
        outro=tmp_path / "outro.mpg",
        film_seconds=70 * 60,
        subtitle_langs=("uk", "en", "pt-BR"),
        audio_lang="en",
    )
    names = {"card": "card.mpg", "film": "film.mpg", "outro": "outro.mpg"}
    xml = author_xml(layout, PAL, names)
    assert '<video format="pal" aspect="16:9" widescreen="nopanscan" />' in xml
    spu = [xml.index(f'<subpicture lang="{code}" />') for code in ("uk", "en", "pt")]
    assert spu == sorted(spu) and '<audio format="ac3" lang="en" />' in xml
    assert "<pre>subtitle=64;</pre>" in xml
    assert xml.index('file="card.mpg"') < xml.index('file="film.mpg"') < xml.index("outro.mpg")
    assert "a &" not in xml and str(tmp_path) not in xml  # no user path in the XML
    assert 'chapters="0,5:00,10:00' in xml and "1:05:00" in xml


def test_chapters_every_five_minutes_none_at_the_very_end() -> None:
    assert chapter_marks(4 * 60, 5) == "0"
    assert chapter_marks(10 * 60 + 10, 5) == "0,5:00"
    assert chapter_marks(70 * 60, 5).split(",")[-1] == "1:05:00"
    assert len(chapter_marks(70 * 60, 5).split(",")) == 14


def test_disc_sizes() -> None:
    assert disc_fit(4_000_000_000, PAL).disc == "DVD-5"
    nine = disc_fit(DVD5_BYTES, PAL)
    assert nine.disc == "DVD-9" and nine.warning and "video.bitrate_kbps (5000)" in nine.warning
    with pytest.raises(DiscTooLarge) as info:
        disc_fit(DVD9_BYTES, PAL)
    assert info.value.key == "video.bitrate_kbps" and info.value.value == 5000
    assert "dvd-pal" in (info.value.hint or "")


def test_volume_label_is_iso9660_safe() -> None:
    assert volume_label("Перша частина (uk, dvd-pal)") == "UK_DVD_PAL"
    assert volume_label("Città aperta: parte 1") == "CITTA_APERTA_PARTE_1"
    assert volume_label("ДДД") == "SCREENING"
    assert len(volume_label("x" * 80)) == 32


def test_dvd_order_puts_each_ifo_before_its_vobs(tmp_path: Path) -> None:
    folder = tmp_path / "VIDEO_TS"
    folder.mkdir()
    names = ["VIDEO_TS.BUP", "VIDEO_TS.IFO", "VTS_01_0.BUP", "VTS_01_0.IFO", "VTS_01_1.VOB",
             "VTS_01_2.VOB", "VTS_01_0.VOB"]  # fmt: skip
    for name in names:
        (folder / name).write_bytes(b"")
    assert dvd_order(tmp_path) == [
        "VIDEO_TS.IFO", "VIDEO_TS.BUP", "VTS_01_0.IFO", "VTS_01_0.VOB", "VTS_01_1.VOB",
        "VTS_01_2.VOB", "VTS_01_0.BUP",
    ]  # fmt: skip


def test_missing_tools_name_the_install_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DvdToolsMissing) as info:
        require_dvd_tools()
    assert info.value.missing == ["dvdauthor", "spumux", "xorriso", "lsdvd"]
    assert INSTALL_LINE in (info.value.hint or "")
    again = pickle.loads(pickle.dumps(info.value))
    assert again.missing == info.value.missing and again.hint == info.value.hint
    failed = pickle.loads(pickle.dumps(DvdToolFailed("x", argv=["a"], stderr_tail="t")))
    assert (failed.argv, failed.stderr_tail) == (["a"], "t")


def test_doctor_lists_the_dvd_tools_as_optional(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screenkit.media.binaries import find_ffmpeg

    find_ffmpeg()  # resolved before PATH is emptied (the suite pins its ffmpeg by path)
    monkeypatch.setenv("PATH", str(tmp_path))
    report = diagnose()
    dvd = {c.name: c for c in report.checks if c.name in ("dvdauthor", "xorriso", "lsdvd")}
    assert all(not c.ok and c.optional and c.fix == INSTALL_LINE for c in dvd.values())
    assert report.ok or not all(c.ok or c.optional for c in report.checks)


def test_subpicture_times_follow_the_pal_speed_up(tiny_film: Path, tmp_path: Path) -> None:
    from fractions import Fraction

    track = tmp_path / "en.srt"
    track.write_text("1\n00:00:25,000 --> 00:00:50,000\nFaster\n", encoding="utf-8")
    fmt = legacy_format(probe(tiny_film), PAL, EncodeOptions())
    drawn = render_subpictures(
        SubtitleInput(track, "en"), PAL, tmp_path / "spu", fmt=fmt, speed=Fraction(25, 24)
    )
    assert [(s.start_ms, s.end_ms) for s in drawn.spus] == [(24_000, 48_000)]


def test_a_title_that_is_a_path_cannot_name_the_image(tmp_path: Path) -> None:
    from screenkit.dvd.build import make_dvd
    from screenkit.encode.options import OutputFormat
    from screenkit.errors import InputError

    fmt = OutputFormat(720, 576, Fraction(25), "yuv420p", 48000, 2, False, 1.0)
    for title in ("../escape", "a/b", ".hidden", ""):
        with pytest.raises(InputError):
            make_dvd(
                film=tmp_path / "f.mpg", card=None, outro=None, tracks=[],
                screening_lang=None, preset=PAL, fmt=fmt, out_dir=tmp_path, title=title,
            )  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_a_pipeline_reads_once_writes_once_and_names_a_failing_stage(tmp_path: Path) -> None:
    from screenkit.dvd.errors import DvdToolFailed
    from screenkit.dvd.tools import Stage, run_pipeline
    from screenkit.progress import Progress

    src, out = tmp_path / "in.bin", tmp_path / "out.bin"
    src.write_bytes(b"abc" * 100_000)
    upper = Stage(("tr", "a-c", "A-C"), tmp_path, "shouting")
    run_pipeline([upper, Stage(("cat",), tmp_path, "copying"), upper], stdin=src, stdout=out)
    assert out.read_bytes() == b"ABC" * 100_000
    seen: list[Progress] = []
    src.write_bytes(b"abc" * 1_000_000)  # 3 MB: fed in 1 MiB pieces, each one reported
    run_pipeline([upper], stdin=src, stdout=out, progress=seen.append, step="mux")
    assert out.read_bytes() == b"ABC" * 1_000_000
    assert [e.done for e in seen] == [1 << 20, 2 << 20, 3_000_000]
    assert {(e.step, e.total, e.unit) for e in seen} == {("mux", 3_000_000, "B")}
    failing = Stage(("sh", "-c", "cat >/dev/null; echo 'no stream 1' >&2; exit 3"), tmp_path, "x")
    with pytest.raises(DvdToolFailed) as info:
        run_pipeline([upper, failing, upper], stdin=src, stdout=out)
    assert "sh failed while x (exit 3): no stream 1" in info.value.message


def test_a_film_no_dvd_holds_is_refused_at_planning(tiny_film: Path) -> None:
    from dataclasses import replace

    from screenkit.bundle.compose.plan_dvd import check_disc_size

    info = probe(tiny_film)
    check_disc_size(replace(info, duration=70 * 60.0), PAL, cards_seconds=12, burned=False)
    with pytest.raises(DiscTooLarge) as caught:  # 4 h at 5 Mbit/s: about 9.4 GB
        check_disc_size(replace(info, duration=4 * 3600.0), PAL, cards_seconds=12, burned=False)
    assert caught.value.key == "video.bitrate_kbps" and "5000" in (caught.value.hint or "")
