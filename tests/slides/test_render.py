"""Rendering the card with the real ffmpeg/libass: QR codes decode, text shows, literally."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import fontpkg
import numpy as np
import pytest
from slides_helpers import LINK, decode_qr, frame_at, ink_box

from screenkit.fonts import Font
from screenkit.kit import load_kit
from screenkit.media.probe import probe
from screenkit.media.runner import run_ffmpeg
from screenkit.presets import list_presets, load_preset
from screenkit.slides import (
    AudioParams,
    CardSpec,
    CardTarget,
    VideoParams,
    card_spec_from_kit,
    layout_card,
    render_card,
    render_card_png,
)
from screenkit.slides.render import card_timing, stage_card, still_args
from screenkit.slides.text import Measure

FAST = VideoParams(x264_preset="ultrafast", x264=(("crf", "18"),))


def fast_target(width: int, height: int, **changes: object) -> CardTarget:
    return dataclasses.replace(CardTarget.plain(width, height), video=FAST, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (640, 360)])
def test_the_qr_code_in_the_middle_of_the_card_reads_the_exact_link(
    short_spec: CardSpec, tmp_path: Path, size: tuple[int, int]
) -> None:
    card = render_card(
        dataclasses.replace(short_spec, link=LINK), fast_target(*size), tmp_path / "card.mp4"
    )
    info = probe(card)
    assert info.video is not None and (info.video.width, info.video.height) == size
    assert decode_qr(frame_at(card, 0.5)) == [LINK]
    assert frame_at(card, 0.0).mean() < 3  # faded in from black


def test_every_standard_preset_frame_gets_a_readable_qr_code(
    short_spec: CardSpec, tmp_path: Path
) -> None:
    spec = dataclasses.replace(short_spec, link=LINK)
    names = [p.name for p in list_presets()]
    assert {"usb-player", "usb-player-legacy", "laptop", "web", "archive"} <= set(names)
    for name in names:
        preset = load_preset(name)
        target = CardTarget.plain(
            preset.video.max_width, preset.video.max_height, safe_area=preset.safe_area
        )
        png = render_card_png(spec, target, tmp_path / f"{name}.png")
        gray = frame_at(png)
        assert gray.shape == (preset.video.max_height, preset.video.max_width)
        assert decode_qr(gray) == [LINK], name


def test_cards_render_in_every_sample_language(sample_kit: Path, tmp_path: Path) -> None:
    kit = load_kit(sample_kit)
    assert "uk" in kit.languages
    target = CardTarget.plain(960, 540)
    for lang in kit.languages:
        spec = card_spec_from_kit(kit, lang, venue="Ex-Fabbrica", date="14.3., 20:30")
        layout = layout_card(spec, target)
        gray = frame_at(render_card_png(spec, target, tmp_path / f"{lang}.png"))
        appeal = layout.block("appeal")
        band = gray[appeal.y : appeal.y + round(appeal.height), :]
        box = ink_box(band[:, : layout.qr.x])
        assert box is not None, lang
        # the longest line reaches about as far as the layout measured it
        widest = max(Measure(appeal.font, layout.fonts, appeal.size).width(x) for x in appeal.lines)
        assert box[2] - box[0] == pytest.approx(widest, rel=0.1), lang


def test_text_renders_with_an_empty_fontconfig(
    short_spec: CardSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    monkeypatch.setenv("FONTCONFIG_PATH", str(tmp_path))
    target = CardTarget.plain(640, 360)
    layout = layout_card(short_spec, target)
    gray = frame_at(render_card_png(short_spec, target, tmp_path / "card.png"))
    title = layout.block("title")
    assert ink_box(gray[title.y : title.y + round(title.height), :]) is not None


def test_markup_in_texts_appears_literally(short_spec: CardSpec, tmp_path: Path) -> None:
    literal = "a{\\alpha&HFF&}bbb\\Nccc{\\fs200}\\h100%: \"q\" 'x'"
    spec = dataclasses.replace(short_spec, appeal=literal, venue="{\\i1}Caf\\N 50%")
    target = CardTarget.plain(1280, 720)
    layout = layout_card(spec, target)
    appeal = layout.block("appeal")
    assert appeal.lines == (literal,)
    gray = frame_at(render_card_png(spec, target, tmp_path / "card.png"))
    box = ink_box(gray[:, : layout.qr.x])
    assert box is not None
    band = gray[appeal.y - 5 : appeal.y + round(appeal.height) + 5, : layout.qr.x]
    line = ink_box(band)
    assert line is not None
    # one line (\N not a break, \fs200 not a size), as wide as the literal text, all visible
    assert line[3] - line[1] < appeal.size
    measured = Measure(appeal.font, layout.fonts, appeal.size).width(literal)
    assert line[2] - line[0] == pytest.approx(measured, rel=0.08)


def test_arabic_renders_right_to_left_with_a_kit_font(short_spec: CardSpec, tmp_path: Path) -> None:
    pytest.importorskip("fontpkg_noto_sans_arabic")
    arabic = Font(Path(fontpkg.path("Noto Sans Arabic")), "Noto Sans Arabic")
    long_word, short_word = "المتضامنين", "لا"

    def appeal_gap(text: str) -> float:
        """Where the widest gap between words lies, as a fraction of the line's ink width."""
        spec = dataclasses.replace(short_spec, appeal=text, lang="ar", fonts=(arabic,))
        target = CardTarget.plain(1280, 720)
        layout = layout_card(spec, target)
        staged = stage_card(layout, spec, 2.0, tmp_path / text[:2])
        out = tmp_path / f"{len(text)}.png"
        log = run_ffmpeg(
            still_args(layout, staged, target, card_timing(2.0, target), out), loglevel="info"
        ).log
        assert "not found" not in log and "fontselect: (Noto Sans Arabic" in log
        block = layout.block("appeal")
        band = frame_at(out)[
            block.y : block.y + round(block.height), layout.qr.x + layout.qr.size :
        ]
        columns = (band > 128).any(axis=0)
        xs = np.nonzero(columns)[0]
        left, right = int(xs.min()), int(xs.max())
        inner = ~columns[left:right]
        runs, best, start = [], (0, 0), None
        for x, empty in enumerate(inner):
            if empty and start is None:
                start = x
            if not empty and start is not None:
                runs.append((x - start, start))
                start = None
        best = max(runs)
        return (best[1] + best[0] / 2) / (right - left)

    # read right to left: the first (long) word stands at the right, the gap left of centre
    assert appeal_gap(f"{long_word} {short_word}") < 0.4
    assert appeal_gap(f"{short_word} {long_word}") > 0.6
    # the paragraph's base direction is right-to-left: trailing punctuation ends at the left
    assert appeal_gap(f"{long_word} !!!") < 0.4


def test_silent_audio_matches_the_film_layout(short_spec: CardSpec, tmp_path: Path) -> None:
    surround = AudioParams(codec="aac", channels=6, layout="5.1", bit_rate=256_000, language="ita")
    pcm = AudioParams(
        codec="pcm_s16le", sample_rate=44100, channels=1, layout="mono", bit_rate=None
    )
    aac_card = render_card(short_spec, fast_target(320, 180, audio=(surround,)), tmp_path / "a.mp4")
    info = probe(aac_card)
    assert [(a.codec, a.channels, a.layout, a.language) for a in info.audio] == [
        ("aac", 6, "5.1", "ita")
    ]
    pcm_card = render_card(
        short_spec, fast_target(320, 180, audio=(pcm,), container="mkv"), tmp_path / "p.mkv"
    )
    info = probe(pcm_card)
    assert [(a.codec, a.channels, a.sample_rate) for a in info.audio] == [("pcm_s16le", 1, 44100)]
    timing = card_timing(short_spec.seconds, fast_target(320, 180, audio=(pcm,)))
    assert info.duration == pytest.approx(float(timing.slot), abs=0.002)
