"""Joining cards and film by stream copy: clean decode, rising timestamps, sync at joins."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from slides_helpers import check_join, decode_log

from screenkit.media.probe import probe
from screenkit.slides import (
    CardSpec,
    CardTarget,
    JoinError,
    attach_cards,
    join_parts,
    render_card,
)
from screenkit.slides.bitstream import read_video_bitstream

USB_LIKE = (
    "libx264", "-preset", "veryfast", "-profile:v", "high", "-level", "4.1", "-crf", "23",
    "-maxrate", "2M", "-bufsize", "4M", "-pix_fmt", "yuv420p",
)  # fmt: skip
SDR709 = ("bt709", "bt709", "bt709", "tv")
TAGGED_709 = (
    "-movflags", "+faststart", "-color_primaries", "bt709", "-color_trc", "bt709",
    "-colorspace", "bt709", "-color_range", "tv",
)  # fmt: skip


def test_intro_film_outro_join_in_mp4_without_touching_the_film(
    mp4_film: Path, short_spec: CardSpec, tmp_path: Path
) -> None:
    outro = dataclasses.replace(short_spec, kind="outro", duration=1.5)
    work = tmp_path / "work"
    work.mkdir()
    result = attach_cards(
        mp4_film, tmp_path / "joined.mp4", intro=short_spec, outro=outro, workdir=work
    )
    assert not result.inband_parameter_sets and result.warnings == ()
    film_headers = read_video_bitstream(mp4_film).parameter_sets
    assert read_video_bitstream(result.parts[0]).parameter_sets == film_headers
    assert read_video_bitstream(result.out).parameter_sets == film_headers
    check_join(result.out, list(result.parts))
    film = probe(mp4_film)
    assert result.offsets[1] == pytest.approx(2.0, abs=0.25)
    assert result.info.duration == pytest.approx(
        result.offsets[2] + probe(result.parts[2]).duration, abs=0.05
    )
    assert result.info.video is not None and film.video is not None
    assert (result.info.video.profile, result.info.video.level) == ("High", 41)
    # faststart: the index comes before the media data
    head = result.out.read_bytes()[:65536]
    assert head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head


def test_mkv_join_keeps_the_films_subtitles_in_place(
    mkv_film: Path, short_spec: CardSpec, tmp_path: Path
) -> None:
    result = attach_cards(mkv_film, tmp_path / "joined.mkv", intro=short_spec, workdir=tmp_path)
    assert not result.inband_parameter_sets
    check_join(result.out, list(result.parts))
    subs = result.info.subtitles
    assert [(s.codec, s.language) for s in subs] == [("subrip", "ita")]
    import av

    with av.open(str(result.out)) as container:
        stream = container.streams.subtitles[0]
        first = next(p for p in container.demux(stream) if p.pts is not None)
        start = float(first.pts * first.time_base)
    assert start == pytest.approx(result.offsets[1] + 1.0, abs=0.05)


def test_a_film_from_another_encoder_joins_with_in_band_headers(
    mp4_film: Path, short_spec: CardSpec, tmp_path: Path
) -> None:
    plain = CardTarget.plain(320, 180)
    card = render_card(short_spec, plain, tmp_path / "card.mp4")
    result = join_parts([card, mp4_film], tmp_path / "joined.mp4")
    assert result.inband_parameter_sets and "in-band" in result.warnings[0]
    assert decode_log(result.out) == ""


def test_parts_that_differ_are_refused_naming_the_part(
    mp4_film: Path, short_spec: CardSpec, tmp_path: Path
) -> None:
    card = render_card(short_spec, CardTarget.plain(640, 360), tmp_path / "card.mp4")
    with pytest.raises(JoinError) as caught:
        join_parts([card, mp4_film], tmp_path / "joined.mp4")
    assert caught.value.path == mp4_film and caught.value.key == "frame size"
    assert caught.value.value == "320x180"
    assert not (tmp_path / "joined.mp4").exists()
    with pytest.raises(JoinError, match="one of the parts"):
        join_parts([card, mp4_film], mp4_film)


def test_odd_part_names_reach_ffmpeg_only_through_safe_links(
    mp4_film: Path, short_spec: CardSpec, tmp_path: Path
) -> None:
    odd = tmp_path / "it's a 100% card, file:x [1].mp4"
    target = CardTarget.from_media_info(probe(mp4_film))
    render_card(short_spec, target, odd)
    out = tmp_path / "out dir 'q'" / "joined %d.mkv"
    result = join_parts([odd, mp4_film], out)
    assert result.out == out and out.is_file()
    check_join(out, [odd, mp4_film])


def test_subtitles_that_cannot_cross_containers_are_left_out_with_a_warning(
    mkv_film: Path, short_spec: CardSpec, tmp_path: Path
) -> None:
    target = CardTarget.from_media_info(probe(mkv_film))
    card = render_card(short_spec, target, tmp_path / "card.mkv")
    result = join_parts([card, mkv_film], tmp_path / "joined.mp4")
    assert result.info.subtitles == ()
    assert any("subtitle tracks of" in w for w in result.warnings)
    check_join(result.out, [card, mkv_film])


def test_a_bt709_film_gets_a_bt709_card_with_the_films_headers(
    make_media: Callable[..., Path], short_spec: CardSpec, tmp_path: Path
) -> None:
    """A tone-mapped HDR film is tagged BT.709: its card must say so in its SPS too (else
    the headers differ and the join falls back to in-band headers some players refuse)."""
    tags = "color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"
    film = make_media(
        "film-bt709.mp4",
        duration=3.0,
        video_codec=USB_LIKE,
        picture=f"testsrc2=size=320x180:rate=25,setparams={tags}",
        extra=TAGGED_709,
    )
    film_info = probe(film)
    assert film_info.video is not None and film_info.video.colour.tags == SDR709
    work = tmp_path / "work"
    work.mkdir()
    result = attach_cards(film, tmp_path / "joined.mp4", intro=short_spec, workdir=work)
    assert not result.inband_parameter_sets and result.warnings == ()
    card = probe(result.parts[0]).video
    assert card is not None and card.colour.tags == SDR709
    assert (
        read_video_bitstream(result.out).parameter_sets == read_video_bitstream(film).parameter_sets
    )
