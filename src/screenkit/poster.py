"""The printable poster: an A4 portrait PDF in one language, for the venue's door.

Title, the film's line from the kit (``[kit] blurb``), when / where / contact when given,
the appeal, the beneficiary and the QR code of the donation link (drawn as vector squares,
so it prints sharp at any size), with the link spelt out beneath. fpdf2 embeds the shipped
Noto Sans (Latin, Cyrillic, Greek) and the kit's fonts as fallbacks; text is shaped with
HarfBuzz, so Arabic or Hebrew (from a kit font) joins and runs right to left.

`render_poster` takes a typed `PosterSpec` (`poster_spec_from_kit` makes one from a kit)
and writes the PDF by atomic rename.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from screenkit.errors import InputError, ScreenkitError
from screenkit.fonts import Font, missing_glyphs, shipped_font
from screenkit.i18n import translator
from screenkit.kit import Kit
from screenkit.media.atomic import write_bytes_atomic
from screenkit.slides.layout import qr_code
from screenkit.slides.spec import kit_fonts
from screenkit.slides.text import is_rtl

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 18.0
QR_MM = 70.0
"""The QR code's side with its quiet zone: scans from a couple of metres."""


class PosterError(ScreenkitError):
    """The poster cannot be made from these texts (they do not fit, a glyph is missing)."""


@dataclass(frozen=True)
class PosterSpec:
    title: str
    appeal: str
    beneficiary: str
    link: str
    lang: str = "en"
    blurb: str | None = None
    venue: str | None = None
    date: str | None = None
    contact: str | None = None
    fonts: tuple[Font, ...] = ()
    """Kit fonts, tried before the shipped Noto Sans."""
    kit_root: Path | None = None
    """Where a kit's own catalogue (``locale/<lang>.po``) may come from."""


def poster_spec_from_kit(
    kit: Kit,
    lang: str,
    *,
    venue: str | None = None,
    date: str | None = None,
    contact: str | None = None,
) -> PosterSpec:
    kit.require_language(lang)
    return PosterSpec(
        title=kit.appeal.title or kit.title,
        appeal=kit.appeal_text(lang),
        beneficiary=kit.appeal.beneficiary,
        link=kit.appeal.link,
        lang=lang,
        blurb=kit.blurb,
        venue=venue,
        date=date,
        contact=contact,
        fonts=kit_fonts(kit),
        kit_root=kit.root,
    )


def _lines(spec: PosterSpec) -> list[str]:
    tr = translator(spec.lang, spec.kit_root)
    out = []
    if spec.date:
        out.append(tr.gettext("When: {date}").format(date=spec.date))
    if spec.venue:
        out.append(tr.gettext("Where: {venue}").format(venue=spec.venue))
    if spec.contact:
        out.append(tr.gettext("Contact: {contact}").format(contact=spec.contact))
    return out


def poster_pdf(spec: PosterSpec) -> bytes:
    """The poster as PDF bytes. Raises `PosterError` when a glyph is missing or it overflows."""
    from fpdf import FPDF

    tr = translator(spec.lang, spec.kit_root)
    fonts = (*spec.fonts, shipped_font())
    words = [
        tr.gettext("Film screening"),
        tr.gettext("Entry is free; the evening collects donations."),
        tr.gettext("For: {beneficiary}").format(beneficiary=spec.beneficiary),
        tr.gettext("Scan to donate"),
    ]
    texts = [spec.title, spec.appeal, spec.link, spec.blurb or "", *_lines(spec), *words]
    missing = missing_glyphs("".join(texts), fonts)
    if missing:
        listed = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:20])
        raise PosterError(
            f"the poster's fonts cannot draw {len(missing)} character(s): {listed}",
            value="".join(missing),
            hint='add a font that draws them to the kit: [kit] fonts = ["fonts/…"]',
        )
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_title(spec.title)
    pdf.set_lang(spec.lang)
    names = []
    for n, font in enumerate(fonts):
        name = f"f{n}"
        pdf.add_font(name, "", str(font.path))
        names.append(name)
    pdf.set_fallback_fonts(names[1:], exact_match=False)
    pdf.set_text_shaping(use_shaping_engine=True, language=spec.lang.split("-")[0])
    pdf.add_page()
    rtl = is_rtl(spec.appeal)
    body_align = "R" if rtl else "L"
    width = PAGE_W - 2 * MARGIN

    def block(text: str, size: float, align: str = "C", gap: float = 3.0, grey: int = 0) -> None:
        pdf.set_font(names[0], size=size)
        pdf.set_text_color(grey)
        pdf.multi_cell(width, size * 0.45, text, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    block(words[0].upper(), 12, grey=90, gap=2)
    block(spec.title, 34, gap=4)
    if spec.blurb:
        block(spec.blurb, 14, grey=60, gap=5)
    for line in _lines(spec):
        block(line, 17, gap=1)
    pdf.ln(4)
    block(words[1], 13, gap=5)
    block(spec.appeal, 13, align=body_align, gap=4)
    block(words[2], 14, gap=4)
    qr_top = pdf.get_y() + 2
    caption_h = 16.0
    if qr_top + QR_MM + caption_h > PAGE_H - MARGIN:
        raise PosterError(
            f"the poster's texts leave {PAGE_H - MARGIN - qr_top:.0f} mm for the QR code, "
            f"which needs {QR_MM + caption_h:.0f} mm: shorten the appeal or the blurb",
            value=spec.lang,
            hint=f"edit appeal/{spec.lang}.txt",
        )
    _draw_qr(pdf, spec.link, (PAGE_W - QR_MM) / 2, qr_top, QR_MM)
    pdf.set_y(qr_top + QR_MM + 1)
    block(words[3], 12, gap=0.5)
    pdf.set_text_color(0)
    pdf.set_font(names[0], size=12)
    pdf.cell(width, 6, spec.link, align="C", link=spec.link)
    return bytes(pdf.output())


def _draw_qr(pdf: object, link: str, x: float, y: float, side: float) -> None:
    code = qr_code(link)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=4)]
    module = side / len(rows)
    pdf.set_fill_color(255)  # type: ignore[attr-defined]
    pdf.rect(x, y, side, side, style="F")  # type: ignore[attr-defined]
    pdf.set_fill_color(0)  # type: ignore[attr-defined]
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules: a small, exact PDF
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(  # type: ignore[attr-defined]
                x + start * module, y + r * module, (c - start) * module, module, style="F"
            )


def render_poster(spec: PosterSpec, out: Path | str) -> Path:
    """Write the poster of ``spec`` to ``out`` (a .pdf), whole or not at all."""
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise InputError(f"{out}: the poster is a PDF file (name it .pdf)", path=out)
    return write_bytes_atomic(out, poster_pdf(spec))
