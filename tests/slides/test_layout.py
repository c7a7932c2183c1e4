"""Layout, timing and the pure builders of the card (no ffmpeg run)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

import fontpkg
import pytest

from screenkit.fonts import Font
from screenkit.kit import load_kit
from screenkit.slides import (
    AppealTooLong,
    AudioParams,
    CardError,
    CardSpec,
    CardTarget,
    MissingGlyphsError,
    card_spec_from_kit,
    card_timing,
    layout_card,
)
from screenkit.slides.bitstream import VideoBitstream, parse_x264_options, split_parameter_sets
from screenkit.slides.join import concat_list
from screenkit.slides.target import x264_params_for

ARABIC = "هذا الفيلم مجاني للعرض بشرط واحد: أن يجمع العرض تبرعات للمجموعة."


def spec(**changes: object) -> CardSpec:
    base = CardSpec(
        title="Preparing a Screening",
        appeal="This film is free to screen on one condition.",
        beneficiary="Solidarity Collective",
        link="https://example.org/donate/solidarity",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (3840, 2160), (640, 360)])
def test_every_sample_language_fits_inside_the_safe_area(
    sample_kit: Path, size: tuple[int, int]
) -> None:
    kit = load_kit(sample_kit)
    target = CardTarget.plain(*size, safe_area=0.05)
    mx, my = round(size[0] * 0.05), round(size[1] * 0.05)
    for lang in kit.languages:
        layout = layout_card(card_spec_from_kit(kit, lang, venue="Ex-Fabbrica"), target)
        qr = layout.qr
        assert mx <= qr.x and qr.x + qr.size <= size[0] - mx
        assert my <= qr.y and qr.y + qr.size <= size[1] - my
        for block in layout.blocks:
            top = block.y - (block.height if block.align in (1, 2, 3) else 0)
            assert my <= top and top + block.height <= size[1] - my + 1, (lang, block.name)
        assert layout.block("appeal").lines


def test_too_long_appeal_says_by_how_much() -> None:
    target = CardTarget.plain(1280, 720)
    text = " ".join(["Every donation goes straight to the activists."] * 30)
    with pytest.raises(AppealTooLong) as caught:
        layout_card(spec(appeal=text), target)
    err = caught.value
    assert err.lines_needed > err.lines_available > 0
    assert err.message == (
        f"the appeal needs {err.lines_needed} lines, the 1280x720 card holds "
        f"{err.lines_available}: shorten it by about {err.excess_chars} characters"
    )
    # shortening by that much is enough, and by much less is not
    layout_card(spec(appeal=text[: len(text) - err.excess_chars]), target)
    with pytest.raises(AppealTooLong):
        layout_card(spec(appeal=text[: len(text) - err.excess_chars // 2]), target)


def test_characters_no_font_draws_are_listed() -> None:
    with pytest.raises(MissingGlyphsError) as caught:
        layout_card(spec(appeal=ARABIC + " 中文"), CardTarget.plain(1280, 720))
    assert "ه" in caught.value.characters and "中" in caught.value.characters
    assert "a" not in caught.value.characters
    assert "U+0647" in caught.value.message and caught.value.hint


def test_a_kit_font_draws_arabic_and_mirrors_the_layout() -> None:
    pytest.importorskip("fontpkg_noto_sans_arabic")
    arabic = Font(Path(fontpkg.path("Noto Sans Arabic")), "Noto Sans Arabic")
    layout = layout_card(spec(appeal=ARABIC, fonts=(arabic,)), CardTarget.plain(1280, 720))
    assert layout.rtl
    assert layout.qr.x < 640 < layout.block("appeal").x
    assert layout.block("appeal").align == 9
    assert layout.block("appeal").font == arabic


def test_a_frame_too_small_for_a_readable_qr_code_is_refused() -> None:
    with pytest.raises(CardError, match="QR code"):
        layout_card(spec(appeal="Give."), CardTarget.plain(160, 90))


def test_card_spec_validates_timing() -> None:
    with pytest.raises(CardError) as caught:
        spec(duration=1.5, fade=1.0)
    assert caught.value.key == "fade"
    assert spec(kind="outro").seconds == 20.0
    assert spec().seconds == 12.0


@pytest.mark.parametrize(
    ("fps", "rate", "codec"),
    [
        (Fraction(25), 48000, "aac"),
        (Fraction(30000, 1001), 48000, "aac"),
        (Fraction(24), 44100, "aac"),
        (Fraction(25), 48000, "pcm_s16le"),
    ],
)
def test_card_timing_is_whole_frames_of_both_kinds(fps: Fraction, rate: int, codec: str) -> None:
    audio = AudioParams(codec=codec, sample_rate=rate, bit_rate=None)
    target = CardTarget(width=640, height=360, frame_rate=fps, audio=(audio,))
    timing = card_timing(12.0, target)
    assert timing.slot >= 12
    assert timing.frames / fps <= timing.slot < timing.frames / fps + 1 / fps
    assert timing.samples is not None
    if codec == "aac":
        assert (timing.samples + 1024) % 1024 == 0
        assert Fraction(timing.samples + 1024, rate) == timing.slot
    else:
        assert timing.samples == timing.slot * rate
    if fps == 25:
        assert timing.frames / fps == timing.slot


SEI = (
    b"\x05\xffx264 - core 165 - H.264/MPEG-4 AVC codec - Copyleft 2003-2025 - options: cabac=1 "
    b"ref=3 deblock=1:0:0 psy=1 psy_rd=1.00:0.00 8x8dct=1 cqm=0 chroma_qp_offset=-2 "
    b"interlaced=0 bframes=3 b_pyramid=2 weightb=1 weightp=2 keyint=250 rc=crf crf=21.5 "
    b"vbv_maxrate=10000 vbv_bufsize=20000 nal_hrd=none\x00\x80"
)


def test_x264_settings_are_read_and_the_header_shaping_ones_kept() -> None:
    options = parse_x264_options(SEI)
    assert options is not None and options["chroma_qp_offset"] == "-2"
    bits = VideoBitstream((), options, 0, 2, 2, 2, 2, Fraction(1, 12800))
    params = dict(x264_params_for(bits))
    assert params["chroma-qp-offset"] == "-2" and params["psy"] == "0"
    assert params["crf"] == "21.5" and params["b-pyramid"] == "2" and params["cqm"] == "flat"
    assert params["vbv-maxrate"] == "10000" and "deblock" not in params
    abr = dict(
        x264_params_for(dataclasses.replace(bits, x264_options={"rc": "abr", "bitrate": "4000"}))
    )
    assert abr["bitrate"] == "4000" and "crf" not in abr
    assert parse_x264_options(b"no settings here") is None


def test_parameter_sets_split_from_avcc() -> None:
    avcc = bytes.fromhex("01640029ffe100046764002901000468ef85f2")
    assert split_parameter_sets(avcc) == (bytes.fromhex("67640029"), bytes.fromhex("68ef85f2"))
    assert split_parameter_sets(b"\x00\x00\x00\x01\x67\x64\x00\x00\x00\x01\x68\xef") == (
        b"\x67\x64",
        b"\x68\xef",
    )


def test_concat_list_quotes_every_name() -> None:
    text = concat_list(["part0.mp4", "it's.mp4"], [12.16, None])
    assert text == (
        "ffconcat version 1.0\nfile 'part0.mp4'\nduration 12.160000\nfile 'it'\\''s.mp4'\n"
    )
