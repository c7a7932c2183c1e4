"""Placeholder appeals: what ``init`` writes, and telling a kit that still holds it.

``screenkit init`` cannot know whom a screening supports, so it writes placeholders: an
appeal text in the kit's language saying what to write there, a beneficiary saying whom to
name, and a link on example.org. A card asking an audience to give to example.org must
never reach a screen: `check_appeal` refuses a kit whose appeal still holds any of them,
whose link is not https, or whose link is on a domain reserved for examples (RFC 2606),
unless the kit marks its appeal as a stand-in (``[appeal] stand_in = true``, as the sample
kit does) or the build is told ``--allow-placeholder``; then the reasons are returned so
that the sheet and the manifest can say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from screenkit.errors import ConfigError, InputError
from screenkit.kit import Kit

PLACEHOLDER_LINK = "https://example.org/donate"

APPEAL_TEMPLATES: Mapping[str, str] = {
    "en": "Replace this text with the appeal, in English: two or three sentences shown before "
    "the film. Say who the screening raises money for, what the money does and how to give "
    "(the link and QR code are on the card).",
    "it": "Sostituisci questo testo con l'appello, in italiano: due o tre frasi mostrate prima "
    "del film. Di' per chi raccoglie fondi la proiezione, a cosa servono i soldi e come "
    "donare (link e codice QR sono sulla scheda).",
    "uk": "Замініть цей текст закликом українською: два-три речення, що їх покажуть перед "
    "фільмом. Скажіть, на кого збирає кошти показ, на що підуть гроші і як допомогти "
    "(посилання і QR-код є на картці).",
    "pl": "Zastąp ten tekst apelem po polsku: dwa lub trzy zdania pokazane przed filmem. "
    "Napisz, na kogo zbiera pokaz, na co pójdą pieniądze i jak wpłacić (link i kod QR są "
    "na planszy).",
    "de": "Ersetzen Sie diesen Text durch den Spendenaufruf auf Deutsch: zwei oder drei Sätze, "
    "die vor dem Film gezeigt werden. Sagen Sie, für wen die Vorführung sammelt, wofür das "
    "Geld ist und wie man spendet (Link und QR-Code stehen auf der Karte).",
}
"""What ``init`` writes into ``appeal/<lang>.txt``: in the language, what to put there."""

BENEFICIARY_TEMPLATES: Mapping[str, str] = {
    "en": "The collective this screening supports",
    "it": "Il collettivo sostenuto da questa proiezione",
    "uk": "Колектив, який підтримує цей показ",
    "pl": "Kolektyw, który wspiera ten pokaz",
    "de": "Das Kollektiv, das diese Vorführung unterstützt",
}

_OLD_APPEAL = (
    "This film is free to screen on one condition: the screening raises money for the "
    "collective it supports."
)
"""The English appeal earlier versions of ``init`` wrote (kits made with them hold it)."""

_EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost")


class PlaceholderAppeal(ConfigError):
    """The kit's appeal still holds placeholders; ``value`` lists what is wrong."""


def appeal_template(lang: str) -> str:
    """The placeholder ``init`` writes for ``lang`` (English where there is none)."""
    base = lang.split("-")[0]
    return APPEAL_TEMPLATES.get(lang) or APPEAL_TEMPLATES.get(base) or APPEAL_TEMPLATES["en"]


def beneficiary_template(lang: str) -> str:
    base = lang.split("-")[0]
    return BENEFICIARY_TEMPLATES.get(base, BENEFICIARY_TEMPLATES["en"])


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


_MARKS = tuple(_plain(t)[:60] for t in (*APPEAL_TEMPLATES.values(), _OLD_APPEAL))


def link_problem(link: str) -> str | None:
    """Why ``link`` cannot be shown to an audience as where to give, or None."""
    parts = urlsplit(link)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme != "https":
        return f"the link {link} is not https"
    for domain in _EXAMPLE_DOMAINS:
        if host == domain or host.endswith(f".{domain}"):
            return f"the link {link} is on {domain}, a domain kept for examples"
    if host.rsplit(".", 1)[-1] in _RESERVED_TLDS:
        return f"the link {link} is on a reserved test domain"
    return None


def appeal_problems(kit: Kit, lang: str) -> tuple[str, ...]:
    """What in ``kit``'s appeal for ``lang`` is still a placeholder (empty: none)."""
    problems = []
    if _plain(kit.appeal.beneficiary) in {_plain(b) for b in BENEFICIARY_TEMPLATES.values()}:
        problems.append(f"[appeal] beneficiary is init's placeholder '{kit.appeal.beneficiary}'")
    if (why := link_problem(kit.appeal.link)) is not None:
        problems.append(f"[appeal] link: {why}")
    try:
        path = kit.appeal_path(lang)
        text = _plain(kit.appeal_text(lang))
    except InputError:
        return tuple(problems)  # a missing appeal is the plan's error, with its own message
    if any(mark in text for mark in _MARKS):
        problems.append(f"appeal/{path.name} still holds init's placeholder text")
    return tuple(problems)


def check_appeal(
    kit: Kit, langs: Iterable[str], *, allow: bool = False
) -> dict[str, tuple[str, ...]]:
    """The placeholder problems of each language's appeal; raises unless they are allowed.

    Allowed when the kit marks its appeal as a stand-in or ``allow`` (``--allow-placeholder``)
    is given: the caller then flags the bundle (sheet, manifest, verify).
    """
    found = {lang: appeal_problems(kit, lang) for lang in dict.fromkeys(langs)}
    every = list(dict.fromkeys(p for problems in found.values() for p in problems))
    if every and not (allow or kit.appeal.stand_in):
        raise PlaceholderAppeal(
            "the appeal still holds placeholders, and the card would show them to the "
            "audience: " + "; ".join(every),
            path=kit.manifest,
            key="appeal",
            value=every,
            hint="write the real appeal (beneficiary and https link in screenkit.toml, the "
            "text in appeal/<lang>.txt); for a demo kit set `stand_in = true` under [appeal], "
            "or build once with --allow-placeholder",
        )
    return {lang: problems for lang, problems in found.items() if problems}
