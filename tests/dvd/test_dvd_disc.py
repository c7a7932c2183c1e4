"""The authored disc as players see it: lsdvd's structure, the IFO's pre-command, the ISO,
mpv playing it with the Ukrainian subpictures, and a new card re-authored alone."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from dvd_helpers import NEEDS_MPV, NEEDS_TOOLS, mpv

from screenkit.dvd.author import TitleLayout, author_xml
from screenkit.dvd.build import DvdBuild, author_disc, stream_order, subtitled_film
from screenkit.dvd.pngio import read_rgba
from screenkit.dvd.readback import read_dvd
from screenkit.dvd.tools import require_dvd_tools
from screenkit.encode.options import OutputFormat, SubtitleInput
from screenkit.presets import load_preset

pytestmark = NEEDS_TOOLS
PAL = load_preset("dvd-pal")


def test_one_title_16_9_one_audio_five_tagged_subpicture_streams(disc: DvdBuild) -> None:
    (title,) = disc.report.titles
    assert (title.format, title.aspect, title.width, title.height) == ("PAL", "16/9", 720, 576)
    assert [(a.format, a.channels, a.frequency) for a in title.audio] == [("ac3", 2, 48000)]
    assert title.audio[0].lang == "en"
    assert title.subpictures == ("uk", "en", "it", "pl", "de")
    assert title.cells == 2  # the card, then the film
    assert 13.0 < title.length < 15.0
    assert disc.report.shown_subpicture == 0  # the screening language, switched on
    assert disc.fit.disc == "DVD-5" and not disc.warnings


def test_the_iso_lists_video_ts(disc: DvdBuild) -> None:
    assert disc.iso.name == "Sample (uk, dvd-pal).iso"
    assert {"/VIDEO_TS/VIDEO_TS.IFO", "/VIDEO_TS/VTS_01_0.IFO", "/VIDEO_TS/VTS_01_1.VOB"} <= set(
        disc.listing
    )
    vobs = sum(p.stat().st_size for p in disc.video_ts.iterdir())
    assert vobs <= disc.iso.stat().st_size < vobs + 4 * 2**20
    leftovers = [p.name for p in disc.iso.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


@NEEDS_MPV
def test_mpv_plays_10_s_with_the_ukrainian_stream_first_and_no_decode_errors(
    disc: DvdBuild,
) -> None:
    log = mpv(disc.video_ts, "--vo=null", "--length=10", "--sid=1")
    assert re.search(r"\(\+\) Subs\s+--sid=1 --slang=uk \(dvd_subtitle\)", log), log
    assert "--slang=de" in log and "--sid=5" in log
    bad = [
        line
        for line in log.splitlines()
        if re.search(r"error|corrupt|invalid data|illegal", line, re.I)
        and "css" not in line.lower()
    ]
    assert bad == []


@NEEDS_MPV
def test_the_subpicture_is_drawn_on_the_picture(disc: DvdBuild, tmp_path: Path) -> None:
    shots = {}
    for sid in ("1", "no"):
        folder = tmp_path / sid
        mpv(
            disc.video_ts, "--vo=image", "--vo-image-format=png", f"--vo-image-outdir={folder}",
            "--start=5", "--frames=1", f"--sid={sid}",
        )  # fmt: skip
        (shot,) = folder.glob("*.png")
        shots[sid] = _grey(shot)
    diff = np.abs(shots["1"] - shots["no"])
    h = diff.shape[0]
    assert (diff[int(h * 0.75) :] > 80).sum() > 200, "no subtitle pixels at the bottom"
    assert (diff[: h // 2] > 80).sum() < 20


def _grey(png: Path) -> np.ndarray:
    """mpv's screenshot as grey levels (mpv writes RGB PNGs: decode with ffmpeg)."""
    from screenkit.media.runner import input_arg, output_arg, run_ffmpeg

    rgba = png.with_suffix(".rgba.png")
    run_ffmpeg(["-i", input_arg(png), "-pix_fmt", "rgba", "-pred", "none", output_arg(rgba)])
    image = read_rgba(rgba)
    return image[:, :, :3].astype(np.int16).mean(axis=2)


def test_a_new_card_re_authors_without_the_film_changing(
    disc: DvdBuild,
    dvd_parts: tuple[Path, Path, OutputFormat],
    tmp_path: Path,
) -> None:
    """The subtitled film VOB is an input of authoring: a new card is a new cell, that's all."""
    from screenkit.dvd.card import encode_card_vob

    film, card, fmt = dvd_parts
    preset = load_preset("dvd-pal")
    tools = require_dvd_tools()
    longer = encode_card_vob(card.with_name("card.png"), 5.0, preset, fmt, tmp_path / "card5.mpg")
    out = tmp_path / "bundle"
    layout = TitleLayout(
        card=card, film=film, outro=None, film_seconds=fmt.duration, subtitle_langs=()
    )
    author_disc(layout, preset, out, tools=tools)
    first = read_dvd(out, tools).titles[0].length
    before = film.stat().st_mtime_ns
    author_disc(
        TitleLayout(
            card=longer, film=film, outro=None, film_seconds=fmt.duration, subtitle_langs=()
        ),
        preset,
        out,
        tools=tools,
    )
    again = read_dvd(out, tools).titles[0]
    assert again.length == pytest_approx(first + 3.0)
    assert film.stat().st_mtime_ns == before
    assert sorted(p.name for p in out.iterdir()) == ["VIDEO_TS"]  # the old one replaced whole


def pytest_approx(value: float) -> object:
    import pytest

    return pytest.approx(value, abs=0.1)


def test_stream_order_puts_the_screening_language_first() -> None:
    tracks = [SubtitleInput(Path(f"{lang}.srt"), lang) for lang in ("en", "it", "uk", "en")]
    assert [t.lang for t in stream_order(tracks, "uk")] == ["uk", "en", "it"]
    assert [t.lang for t in stream_order(tracks, None)] == ["en", "it", "uk"]


def test_an_ntsc_disc(tiny_film: Path, tmp_path: Path) -> None:
    from screenkit.dvd.build import make_dvd
    from screenkit.encode import EncodeOptions, encode
    from screenkit.encode.legacy import legacy_format
    from support import REPO

    preset = load_preset("dvd-ntsc")
    film = encode(tiny_film, preset, tmp_path / "film.mpg", EncodeOptions())
    fmt = legacy_format(film.source, preset, EncodeOptions())
    built = make_dvd(
        film=film.out, card=None, outro=None,
        tracks=[SubtitleInput(REPO / "subtitles" / "pl.srt", "pl")], screening_lang="pl",
        preset=preset, fmt=fmt, out_dir=tmp_path / "out", title="NTSC",
    )  # fmt: skip
    (title,) = built.report.titles
    assert (title.format, title.width, title.height, title.aspect) == ("NTSC", 720, 480, "16/9")
    assert title.subpictures == ("pl",) and title.cells == 1
    assert built.iso.name == "NTSC.iso"


def test_the_read_back_disc_has_no_problems(disc: DvdBuild) -> None:
    from screenkit.dvd.readback import disc_problems

    assert disc_problems(disc.report, ("uk", "en", "it", "pl", "de"), "16:9") == []
    wrong = disc_problems(disc.report, ("en", "uk", "it", "pl", "de"), "4:3-letterbox")
    assert len(wrong) == 2 and "aspect 16/9" in wrong[0]


def test_a_disc_whose_language_is_burned_in_leaves_the_subpictures_off(
    dvd_parts: tuple[Path, Path, OutputFormat], tracks: list[SubtitleInput], tmp_path: Path
) -> None:
    # a preset that burns the screening language and carries subpictures too (for players
    # that ignore them): switching stream 1 on would show the same words twice
    from screenkit.dvd.readback import disc_problems

    film, card, fmt = dvd_parts
    uk = [t for t in tracks if t.lang == "uk"]
    subbed = subtitled_film(film, uk, PAL, fmt, tmp_path / "subbed.mpg")
    layout = TitleLayout(
        card=card, film=subbed, outro=None, film_seconds=fmt.duration, subtitle_langs=("uk",),
        show_first=False,
    )  # fmt: skip
    assert "<pre>" not in author_xml(layout, PAL, {"card": "card.mpg", "film": "film.mpg"})
    author_disc(layout, PAL, tmp_path / "disc")
    report = read_dvd(tmp_path / "disc", require_dvd_tools())
    assert report.shown_subpicture is None
    assert disc_problems(report, ("uk",), "16:9", shown=False) == []
    assert disc_problems(report, ("uk",), "16:9") != []  # the default expects it switched on
