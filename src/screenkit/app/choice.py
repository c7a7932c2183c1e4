"""What the organiser chooses for a build, and the checks it passes before it is queued.

`BuildChoice` is the body of ``POST /api/builds`` (and of the page's build form): the
screening language, the preset and the organiser's lines. `BuildChoice.from_json` refuses a
malformed body field by field (`ChoiceError` naming the key); `BuildChoice.request` then
makes the very request ``screenkit build --preset P --lang L …`` makes, with its checks, so a
refused choice is refused in the CLI's words.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from screenkit.bundle import BundleRequest, Organiser, resolve_requests
from screenkit.errors import ScreenkitError
from screenkit.kit import OUTRO_MAX, OUTRO_SECONDS, Kit
from screenkit.presets import load_preset

MAX_TEXT = 200
"""Characters an organiser's line (venue, date, contact) may have: it goes on a card."""


class ChoiceError(ScreenkitError):
    """A build request the app cannot take as it is (a field of the wrong type or size)."""


@dataclass(frozen=True)
class BuildChoice:
    """What the organiser chose: the body of ``POST /api/builds``."""

    lang: str
    preset: str
    venue: str | None = None
    date: str | None = None
    contact: str | None = None
    outro: float | None = None

    @classmethod
    def from_json(cls, data: object) -> BuildChoice:
        """The choice in ``data`` (parsed JSON); `ChoiceError` naming the field otherwise."""
        if not isinstance(data, dict):
            raise ChoiceError("the request body must be a JSON object", key="body")
        unknown = sorted(set(data) - {"lang", "preset", "venue", "date", "contact", "outro"})
        if unknown:
            raise ChoiceError(f"unknown field '{unknown[0]}'", key=unknown[0], value=unknown[0])
        texts: dict[str, str | None] = {}
        for key in ("lang", "preset", "venue", "date", "contact"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise ChoiceError(f"'{key}' must be text", key=key, value=value)
            value = value.strip() if value else None
            if value is not None and (len(value) > MAX_TEXT or not _one_line(value)):
                raise ChoiceError(
                    f"'{key}' must be one line of at most {MAX_TEXT} characters",
                    key=key,
                    value=value[:40],
                )
            texts[key] = value or None
        for key in ("lang", "preset"):
            if texts[key] is None:
                raise ChoiceError(f"'{key}' is required", key=key)
        outro = data.get("outro")
        if outro is True:
            outro = OUTRO_SECONDS
        if outro is False:
            outro = None
        if outro is not None and (
            isinstance(outro, bool)
            or not isinstance(outro, int | float)
            or not 1 <= outro <= OUTRO_MAX
        ):
            raise ChoiceError(
                f"'outro' is true, false or 1 to {OUTRO_MAX:g} seconds", key="outro", value=outro
            )
        return cls(
            lang=str(texts["lang"]),
            preset=str(texts["preset"]),
            venue=texts["venue"],
            date=texts["date"],
            contact=texts["contact"],
            outro=float(outro) if outro is not None else None,
        )

    def request(self, kit: Kit) -> BundleRequest:
        """The bundle ``screenkit build --preset P --lang L …`` would ask for (its checks)."""
        requests = resolve_requests(
            kit,
            (),
            preset=self.preset,
            lang=self.lang,
            organiser=Organiser(venue=self.venue, date=self.date, contact=self.contact),
            outro=self.outro,
        )
        load_preset(self.preset, kit.root)  # an unknown preset: refused now, not in the queue
        return requests[0]


def _one_line(text: str) -> bool:
    """No control character and no line or paragraph break (a no-break space is fine)."""
    return not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)
