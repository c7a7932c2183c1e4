"""What a card says: `CardSpec`, and how a kit's appeal becomes one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from screenkit.errors import InputError
from screenkit.fonts import Font, font_family
from screenkit.i18n import translator
from screenkit.kit import Kit
from screenkit.slides.errors import CardError

CardKind = Literal["intro", "outro"]
DEFAULT_DURATION: dict[str, float] = {"intro": 12.0, "outro": 20.0}
"""Seconds. The outro stays up longer: it is on screen while the hat goes round."""
DEFAULT_FADE = 1.0
MAX_DURATION = 600.0


@dataclass(frozen=True)
class CardSpec:
    """The card's content and timing; layout and encoding come from a `CardTarget`.

    ``fonts`` are the kit's fonts, tried before the shipped Noto Sans, so a kit can carry a
    font for a script Noto Sans lacks (Arabic, Hebrew, CJK…).
    """

    title: str
    appeal: str
    beneficiary: str
    link: str
    lang: str = "en"
    venue: str | None = None
    date: str | None = None
    contact: str | None = None
    kind: CardKind = "intro"
    duration: float | None = None
    """Seconds; None means the kind's default (12 s intro, 20 s outro)."""
    fade: float = DEFAULT_FADE
    fonts: tuple[Font, ...] = ()
    qr_caption: str = ""
    """The card's fixed words under the QR code ("Scan to donate", in the card's language)."""

    def __post_init__(self) -> None:
        if self.kind not in DEFAULT_DURATION:
            raise CardError(f"a card is an intro or an outro, not '{self.kind}'", value=self.kind)
        for key in ("title", "appeal", "beneficiary", "link"):
            if not str(getattr(self, key)).strip():
                raise CardError(f"the card's {key} is empty", key=key)
        if not 1.0 <= self.seconds <= MAX_DURATION:
            raise CardError(
                f"a card lasts 1 to {MAX_DURATION:g} s, not {self.seconds:g} s",
                key="duration",
                value=self.seconds,
            )
        if self.fade < 0 or 2 * self.fade > self.seconds:
            raise CardError(
                f"a fade of {self.fade:g} s does not fit a {self.seconds:g} s card "
                "(fade in + fade out must fit in it)",
                key="fade",
                value=self.fade,
            )

    @property
    def seconds(self) -> float:
        return self.duration if self.duration is not None else DEFAULT_DURATION[self.kind]

    @property
    def organiser_line(self) -> str:
        """Venue · date · contact, whichever are given."""
        parts = [p.strip() for p in (self.venue, self.date, self.contact) if p and p.strip()]
        return "  ·  ".join(parts)

    def texts(self) -> list[str]:
        """Every text the card draws (for the glyph check)."""
        return [
            self.title,
            self.appeal,
            self.beneficiary,
            self.link,
            self.organiser_line,
            self.qr_caption,
        ]


def kit_fonts(kit: Kit) -> tuple[Font, ...]:
    fonts = []
    for path in kit.fonts:
        if not path.is_file():
            raise InputError(
                f"the kit's font {path} does not exist", path=path, hint="fix [kit] fonts"
            )
        fonts.append(Font(path=path, family=font_family(path)))
    return tuple(fonts)


def card_spec_from_kit(
    kit: Kit,
    lang: str,
    *,
    venue: str | None = None,
    date: str | None = None,
    contact: str | None = None,
    kind: CardKind = "intro",
    duration: float | None = None,
    fade: float | None = None,
) -> CardSpec:
    """The card for ``lang``: the kit's appeal text in that language, beneficiary and link.

    Raises `InputError` when the kit has no appeal text for ``lang``.
    """
    kit.require_language(lang)
    return CardSpec(
        title=kit.appeal.title or kit.title,
        appeal=kit.appeal_text(lang),
        beneficiary=kit.appeal.beneficiary,
        link=kit.appeal.link,
        lang=lang,
        venue=venue,
        date=date,
        contact=contact,
        kind=kind,
        duration=duration,
        fade=DEFAULT_FADE if fade is None else fade,
        fonts=kit_fonts(kit),
        qr_caption=translator(lang, kit.root).gettext("Scan to donate"),
    )
