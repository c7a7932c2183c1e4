"""``verify``'s look at ``index.html``: is it there, does it hold the tracks the manifest lists,
with as many cues as their sidecars, and do the files it names sit beside it.

Returns problems rather than raising: ``verify`` reports every problem of a bundle at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from screenkit.webpage.render import DATA_ID

_DATA = re.compile(
    rf'<script type="application/json" id="{DATA_ID}">(.*?)</script>', re.DOTALL | re.IGNORECASE
)
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', re.IGNORECASE)
_SRC = re.compile(r'<video id="sk-video"[^>]*? src="([^"]*)"(?:[^>]*? poster="([^"]*)")?')


@dataclass(frozen=True)
class PageProblem:
    """One thing wrong with the page; ``kind`` is stable for scripts, ``message`` for people."""

    kind: str
    message: str
    lang: str | None = None


def _tracks(page: Path) -> tuple[str, dict[str, int] | PageProblem]:
    try:
        text = page.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "", PageProblem("missing", f"{page.name} is missing")
    except (OSError, UnicodeDecodeError) as exc:
        return "", PageProblem("unreadable", f"{page.name} cannot be read: {exc}")
    found = _DATA.search(text)
    if not found:
        return text, PageProblem("no-tracks", f"{page.name} holds no screenkit track data")
    try:
        data = json.loads(found.group(1))
        counts = {str(t["tag"]): len(t["cues"]) for t in data["tracks"]}
    except (ValueError, KeyError, TypeError) as exc:
        return text, PageProblem("no-tracks", f"{page.name}: its track data is damaged ({exc})")
    return text, counts


def check_page(page: Path | str, expected: Mapping[str, int]) -> list[PageProblem]:
    """Problems of the page at ``page`` against ``expected`` cue counts by language tag."""
    page = Path(page)
    text, counts = _tracks(page)
    if isinstance(counts, PageProblem):
        return [counts]
    problems: list[PageProblem] = []
    csp = _CSP.search(text)
    if not csp or "default-src 'none'" not in csp.group(1).replace("&#x27;", "'"):
        problems.append(PageProblem("csp", f"{page.name} does not forbid network access"))
    src = _SRC.search(text)
    for kind, ref in (("video", src and src.group(1)), ("poster", src and src.group(2))):
        if kind == "video" and not ref:
            problems.append(PageProblem("video", f"{page.name} names no film file"))
        elif ref and not (page.parent / unquote(ref)).is_file():
            problems.append(
                PageProblem(kind, f"{page.name} plays '{unquote(ref)}', which is not beside it")
            )
    for lang, want in expected.items():
        have = counts.get(lang)
        if have is None:
            problems.append(
                PageProblem("missing-track", f"the {lang} track is not in the page", lang)
            )
        elif have != want:
            problems.append(
                PageProblem(
                    "cue-count",
                    f"the page's {lang} track has {have} cues, its sidecar {want}",
                    lang,
                )
            )
    for lang in counts.keys() - expected.keys():
        problems.append(
            PageProblem(
                "extra-track", f"the page holds a {lang} track the manifest does not list", lang
            )
        )
    return problems
