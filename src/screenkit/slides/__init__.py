"""The fundraising card: the appeal, a QR code of the donation link, rendered by libass,
encoded to match the film so that intro + film (+ outro) join by stream copy.

Public API (see /work/notes/api-slides.md): build a `CardSpec` (or `card_spec_from_kit`),
a `CardTarget` (``CardTarget.from_media_info`` for the encoded film, ``CardTarget.plain``
for a look), then `render_card` / `render_card_png`, and `join_parts` / `attach_cards`.
"""

from screenkit.slides.errors import AppealTooLong, CardError, JoinError, MissingGlyphsError
from screenkit.slides.join import JoinResult, attach_cards, join_parts
from screenkit.slides.layout import CardLayout, layout_card
from screenkit.slides.preview import preview_card
from screenkit.slides.render import CardTiming, card_timing, render_card, render_card_png
from screenkit.slides.spec import CardSpec, card_spec_from_kit
from screenkit.slides.target import AudioParams, CardTarget, VideoParams

__all__ = [
    "AppealTooLong",
    "AudioParams",
    "CardError",
    "CardLayout",
    "CardSpec",
    "CardTarget",
    "CardTiming",
    "JoinError",
    "JoinResult",
    "MissingGlyphsError",
    "VideoParams",
    "attach_cards",
    "card_spec_from_kit",
    "card_timing",
    "join_parts",
    "layout_card",
    "preview_card",
    "render_card",
    "render_card_png",
]
