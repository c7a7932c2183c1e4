"""The QR/size error names what would hold the card (issue 15 item 3)."""

from __future__ import annotations

import pytest

from screenkit.encode import output_format
from screenkit.media.info import MediaInfo
from screenkit.presets import load_preset
from screenkit.slides import CardError, CardSpec, CardTarget, layout_card

SPEC = CardSpec(
    title="Preparing a Screening",
    appeal="Ten filmy jest darmowy pod jednym warunkiem: zbiórki na rzecz kolektywu.",
    beneficiary="Solidarity Collective",
    link="https://solidarity.example.net/donate/screening-2026",
)


def _qcif() -> MediaInfo:
    from fractions import Fraction
    from pathlib import Path

    from screenkit.media.info import VideoStream

    video = VideoStream(0, "h264", "High", 30, 176, 144, Fraction(128, 117),
                        Fraction(30000, 1001), None, False, "yuv420p", 0,
                        "progressive")  # fmt: skip
    return MediaInfo(Path("/nowhere/qcif.mp4"), "mov,mp4", 80.0, 1_000_000, None, video)


def test_the_qcif_frame_itself_cannot_hold_the_card_and_the_error_says_what_would() -> None:
    with pytest.raises(CardError) as err:
        layout_card(SPEC, CardTarget.plain(192, 144))
    need = err.value.message.rsplit("about ", 1)[1].split(" ")[0]
    need_w, need_h = (int(n) for n in need.split("x"))
    assert need_h > 144 and need_w > 192
    assert err.value.hint is not None
    assert "min_height" in err.value.hint and "usb-player" in err.value.hint
    # the size it names does hold the card
    layout_card(SPEC, CardTarget.plain(need_w, need_h))


@pytest.mark.parametrize("preset", ["usb-player", "usb-player-legacy", "laptop", "web"])
def test_every_enlarging_preset_gives_a_qcif_master_a_readable_card(preset: str) -> None:
    fmt = output_format(_qcif(), load_preset(preset))
    target = CardTarget.plain(fmt.width, fmt.height, safe_area=load_preset(preset).safe_area)
    layout = layout_card(SPEC, target)
    assert layout.qr.module >= 3
