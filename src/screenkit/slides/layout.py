"""Where everything goes on the card, relative to the frame and its safe area.

::

    +----------------------- safe area ------------------------+
    |                       TITLE (bold)                        |
    |  appeal text, wrapped to the text column       +-------+  |
    |  …                                             |  QR   |  |
    |  beneficiary (bold)                            | code  |  |
    |  link (large, accent colour)                   +-------+  |
    |               venue  ·  date  ·  contact                  |
    +-----------------------------------------------------------+

Right-to-left appeals mirror the columns (QR on the left, text aligned right). On a portrait
(9:16) frame the text stacks above the QR code instead, and the QR code takes half the width.
Sizes follow the frame's short side, so a phone master's card reads like a landscape one.
The layout is computed here, in Python, so that an appeal too long to fit is an error that
says by how much, before any encode starts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import segno

from screenkit.fonts import Font, missing_glyphs, shipped_font
from screenkit.slides.errors import AppealTooLong, CardError, MissingGlyphsError
from screenkit.slides.spec import CardSpec
from screenkit.slides.target import CardTarget
from screenkit.slides.text import Measure, is_rtl, normalise, pick_font, wrap

# sizes as fractions of the layout unit (the safe area's height on a 16:9 frame)
TITLE_SIZE = 0.085
APPEAL_SIZE = 0.06
LINK_SIZE = 0.064
ORGANISER_SIZE = 0.05
TITLE_GAP = 0.06
BLOCK_GAP = 0.045
QR_SHARE = 0.34
"""At most this share of the safe width goes to the QR code."""
COLUMN_GAP = 0.05
LINE_PITCH = 1.03
"""Line advance per font size unit: libass sets lines a font size apart; a little slack."""
WIDTH_SAFETY = 0.95
"""Measured width may be this share of the column: shaping and hinting vary slightly."""
QR_BORDER = 4
MIN_MODULE_PX = 2
MAX_TITLE_LINES = 2
MAX_ORGANISER_LINES = 2


@dataclass(frozen=True)
class TextBlock:
    """Lines of one kind of text at one position; ``align`` is the ASS ``\\an`` number."""

    name: str
    lines: tuple[str, ...]
    font: Font
    size: float
    x: int
    y: int
    align: int
    bold: bool = False

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LINE_PITCH


@dataclass(frozen=True)
class QRPlacement:
    x: int
    y: int
    module: int
    """Pixels per module."""
    modules: int
    """Modules across, quiet zone included."""

    @property
    def size(self) -> int:
        return self.module * self.modules


@dataclass(frozen=True)
class CardLayout:
    width: int
    height: int
    rtl: bool
    blocks: tuple[TextBlock, ...]
    qr: QRPlacement
    fonts: tuple[Font, ...]
    """Every font the card may use, kit fonts first (what libass's fontsdir must hold)."""
    appeal_lines_available: int

    def block(self, name: str) -> TextBlock:
        return next(b for b in self.blocks if b.name == name)


def qr_code(link: str) -> segno.QRCode:
    """The QR code of ``link``: error correction M (a projector's glare), never a micro code."""
    return segno.make(link, error="m", micro=False, boost_error=False)


def card_fonts(spec: CardSpec) -> tuple[Font, ...]:
    fonts = (*spec.fonts, shipped_font())
    for font in fonts:
        if any(c in font.family for c in ",{}\\\n\r"):
            raise CardError(
                f"the font {font.path} has the family name '{font.family}', which an ASS style "
                "cannot name (it holds a comma, brace or backslash)",
                path=font.path,
            )
    return fonts


def check_glyphs(spec: CardSpec, fonts: tuple[Font, ...]) -> None:
    missing = missing_glyphs("".join(spec.texts()), fonts)
    if missing:
        listed = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:20])
        more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        raise MissingGlyphsError(
            f"the card's fonts cannot draw {len(missing)} character(s) of the "
            f"'{spec.lang}' card: {listed}{more}",
            characters=missing,
            hint='add a font that draws them to the kit: [kit] fonts = ["fonts/…"]',
        )


PORTRAIT_BELOW = 0.8
"""A safe area narrower than this (width / height) stacks the text above the QR code."""
WIDE_FROM = 1.5
"""From this width / height on, the classic 16:9 layout: sizes follow the height."""
SQUARE_UNIT = 0.75
SQUARE_QR_SHARE = 0.40
PORTRAIT_QR_SHARE = 0.5
"""On a portrait frame the QR code takes this share of the safe width."""
CAPTION_GAP = 0.02


def _unit(safe_w: int, safe_h: int) -> float:
    """The layout unit all sizes are fractions of: the frame's short side, shaped by aspect."""
    shape = safe_w / safe_h
    classic = min(safe_h, safe_w * 9 / 16)
    if shape < PORTRAIT_BELOW:
        return float(safe_w)
    if shape < WIDE_FROM:
        return max(classic, SQUARE_UNIT * min(safe_w, safe_h))
    return classic


def layout_card(spec: CardSpec, target: CardTarget) -> CardLayout:
    """Place the card's texts and QR code on ``target``'s frame.

    A landscape or square frame puts the text column beside the QR code; a portrait one
    (9:16) stacks the text above it, the QR code half the frame's width. Type sizes follow
    the frame's short side. Raises `MissingGlyphsError` for characters no font draws,
    `AppealTooLong` when the appeal needs more lines than the text column holds,
    `CardError` when the frame is too small for a readable QR code or the title/organiser
    line does not fit.
    """
    fonts = card_fonts(spec)
    check_glyphs(spec, fonts)
    width, height = target.width, target.height
    mx, my = round(width * target.safe_area), round(height * target.safe_area)
    safe_w, safe_h = width - 2 * mx, height - 2 * my
    unit = _unit(safe_w, safe_h)
    portrait = safe_w / safe_h < PORTRAIT_BELOW
    rtl = is_rtl(spec.appeal)

    def measure(text: str, size: float, bold: bool = False) -> Measure:
        font = pick_font(text, fonts)
        return Measure(font=font, fallbacks=fonts, size=size, bold=bold)

    title_m = measure(spec.title, unit * TITLE_SIZE, bold=True)
    title_lines = wrap(spec.title, title_m, safe_w * WIDTH_SAFETY)
    if len(title_lines) > MAX_TITLE_LINES:
        raise CardError(
            f"the title needs {len(title_lines)} lines on a {width}x{height} card "
            f"(at most {MAX_TITLE_LINES})",
            key="title",
            value=spec.title,
        )
    title = TextBlock(
        "title", tuple(title_lines), title_m.font, title_m.size, width // 2, my, 8, bold=True
    )
    top = my + title.height + unit * TITLE_GAP
    bottom = float(height - my)
    blocks = [title]
    if spec.organiser_line:
        org_m = measure(spec.organiser_line, unit * ORGANISER_SIZE)
        org_lines = wrap(spec.organiser_line, org_m, safe_w * WIDTH_SAFETY)
        if len(org_lines) > MAX_ORGANISER_LINES:
            raise CardError(
                f"the organiser's line (venue, date, contact) needs {len(org_lines)} lines on "
                f"a {width}x{height} card (at most {MAX_ORGANISER_LINES}): shorten it",
                key="venue",
                value=spec.organiser_line,
            )
        org = TextBlock(
            "organiser", tuple(org_lines), org_m.font, org_m.size, width // 2, height - my, 2
        )
        blocks.append(org)
        bottom -= org.height + unit * BLOCK_GAP
    middle_h = bottom - top

    caption_m = measure(spec.qr_caption or "x", unit * ORGANISER_SIZE)
    caption_h = caption_m.size * LINE_PITCH + unit * CAPTION_GAP if spec.qr_caption else 0.0
    code = qr_code(spec.link)
    modules = int(code.symbol_size(border=QR_BORDER)[0])
    shape = safe_w / safe_h
    share = PORTRAIT_QR_SHARE if portrait else SQUARE_QR_SHARE if shape < WIDE_FROM else QR_SHARE
    qr_room = min(middle_h - caption_h, safe_w * share)
    module = math.floor(qr_room / modules)
    if module < MIN_MODULE_PX:
        grow = modules * MIN_MODULE_PX / max(qr_room, 1.0)  # the room grows with the frame
        need_w, need_h = (2 * math.ceil(side * grow / 2) for side in (width, height))
        raise CardError(
            f"a {width}x{height} frame leaves {qr_room:.0f} px for the QR code, too little for "
            f"{modules} modules of {MIN_MODULE_PX} px: the card needs a frame of about "
            f"{need_w}x{need_h} or more",
            key="link",
            value=spec.link,
            hint=f"use a preset whose minimum frame is at least that (video.min_height = "
            f"{max(need_h, 480)}; usb-player enlarges small films to 720 lines), "
            "or a shorter link",
        )
    qr_px = module * modules
    group_h = qr_px + caption_h
    if portrait:  # the QR code (and its caption) at the foot, centred; the text above it
        text_w = safe_w
        qr_x = round((width - qr_px) / 2)
        qr_y = round(bottom - group_h)
        text_bottom = bottom - group_h - unit * BLOCK_GAP
    else:
        gap = round(safe_w * COLUMN_GAP)
        text_w = safe_w - qr_px - gap
        qr_x = int(mx if rtl else width - mx - qr_px)
        qr_y = round(top + (middle_h - group_h) / 2)
        text_bottom = bottom
    qr = QRPlacement(x=qr_x - qr_x % 2, y=qr_y - qr_y % 2, module=module, modules=modules)
    if spec.qr_caption:
        caption_lines = wrap(spec.qr_caption, caption_m, max(qr_px, text_w / 2) * WIDTH_SAFETY)
        blocks.append(
            TextBlock(
                "caption",
                tuple(caption_lines[:1]),
                caption_m.font,
                caption_m.size,
                qr.x + qr_px // 2,
                round(qr.y + qr_px + unit * CAPTION_GAP),
                8,
            )
        )
    text_h = text_bottom - top

    text_x = width - mx if rtl else mx
    align = 9 if rtl else 7
    body = unit * APPEAL_SIZE
    ben_m = measure(spec.beneficiary, body, bold=True)
    ben_lines = wrap(spec.beneficiary, ben_m, text_w * WIDTH_SAFETY)
    link_m = measure(spec.link, unit * LINK_SIZE, bold=True)
    link_lines = wrap(spec.link, link_m, text_w * WIDTH_SAFETY)
    tail_h = (len(ben_lines) * body + len(link_lines) * link_m.size) * LINE_PITCH
    appeal_room = text_h - tail_h - unit * BLOCK_GAP
    available = max(0, math.floor(appeal_room / (body * LINE_PITCH)))
    appeal_m = measure(spec.appeal, body)
    appeal_lines = wrap(spec.appeal, appeal_m, text_w * WIDTH_SAFETY)
    if len(appeal_lines) > available:
        excess = _excess_chars(spec.appeal, appeal_m, text_w * WIDTH_SAFETY, available)
        raise AppealTooLong(
            f"the appeal needs {len(appeal_lines)} lines, the {width}x{height} card holds "
            f"{available}: shorten it by about {excess} characters",
            lines_needed=len(appeal_lines),
            lines_available=available,
            excess_chars=excess,
            hint=f"edit appeal/{spec.lang}.txt",
        )
    stack_h = len(appeal_lines) * body * LINE_PITCH + unit * BLOCK_GAP + tail_h
    y = top + max(0.0, (text_h - stack_h) / 2)
    appeal = TextBlock("appeal", tuple(appeal_lines), appeal_m.font, body, text_x, round(y), align)
    y += appeal.height + unit * BLOCK_GAP
    ben = TextBlock(
        "beneficiary", tuple(ben_lines), ben_m.font, body, text_x, round(y), align, bold=True
    )
    y += ben.height
    link = TextBlock(
        "link", tuple(link_lines), link_m.font, link_m.size, text_x, round(y), align, bold=True
    )
    blocks += [appeal, ben, link]
    return CardLayout(
        width=width,
        height=height,
        rtl=rtl,
        blocks=tuple(blocks),
        qr=qr,
        fonts=fonts,
        appeal_lines_available=available,
    )


def _excess_chars(text: str, measure: Measure, max_width: float, lines: int) -> int:
    """How many characters must go for ``text`` to fit ``lines`` lines (rounded up to 5)."""
    flat = "\n".join(normalise(text))
    lo, hi = 0, len(flat)
    while lo < hi:  # longest prefix that fits
        mid = (lo + hi + 1) // 2
        if len(wrap(flat[:mid], measure, max_width)) <= lines:
            lo = mid
        else:
            hi = mid - 1
    excess = max(1, len(flat) - lo)
    return int(math.ceil(excess / 5) * 5)
