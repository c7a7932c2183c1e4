"""A portrait phone master (stored 1920x1080, shown 1080x1920): its bundle's card is made for it.

The card is rendered at the encoded film's own size and shape: the archive preset keeps
1080x1920, the usb-player preset fits it into its 1920x1080 box (608x1080). Either way the
text stacks above the QR code, and the card picture in the bundle scans.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from bundle_helpers import SPEED, kit_with_film, run_cli
from PIL import Image

from screenkit.kit import load_kit

pytestmark = pytest.mark.slow


def decode_qr(gray: np.ndarray) -> list[str]:
    import zxingcpp

    return [code.text for code in zxingcpp.read_barcodes(gray)]


@pytest.fixture(scope="module")
def portrait_kit(make_media: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    film = make_media("phone.mp4", width=1920, height=1080, rotation=90, duration=3.0)
    return kit_with_film(tmp_path_factory.mktemp("portrait") / "kit", film)


def _card(kit: Path, preset: str, lang: str) -> Image.Image:
    code, _, err = run_cli(
        "build", "--kit", str(kit), "--preset", preset, "--lang", lang, "--speed", SPEED, "--quiet"
    )
    assert code == 0, err
    folder = kit / "out" / f"sample-{lang}-{preset}"
    assert run_cli("verify", str(folder))[0] == 0
    return Image.open(folder / "images" / "card.png").convert("L")


def test_a_portrait_master_gets_a_card_that_scans_at_a_quarter(portrait_kit: Path) -> None:
    card = _card(portrait_kit, "archive", "uk")
    assert card.size == (1080, 1920)
    quarter = card.resize((270, 480), Image.Resampling.BOX)
    assert decode_qr(np.asarray(quarter)) == [load_kit(portrait_kit).appeal.link]


def test_a_portrait_master_in_a_landscape_box_stacks_text_above_the_qr(portrait_kit: Path) -> None:
    card = np.asarray(_card(portrait_kit, "usb-player", "it"))
    assert card.shape == (1080, 608)
    assert decode_qr(card) == [load_kit(portrait_kit).appeal.link]
    # the QR code sits in the lower half, centred, the code alone a quarter of the width or
    # more (with its quiet zone, the white square, over 30 %)
    import zxingcpp

    (found,) = zxingcpp.read_barcodes(card)
    corners = [found.position.top_left, found.position.bottom_right]
    left, right = corners[0].x, corners[1].x
    assert corners[0].y > card.shape[0] * 0.5
    assert right - left >= 0.3 * 608 * 29 / 37  # 29 modules of the 37 across the white square
    assert abs((left + right) / 2 - 304) < 10
