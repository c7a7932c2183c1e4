"""The translators' results in the page's words: an import's lists, a comparison's cues.

`import_words` says what `import_po` wrote and what the translator still has to do, cue by
cue (the number, the time and the original's words); `review_words` turns a `Comparison`
into the page's cues: the film's frame, the two texts side by side, and each problem as
`compare_words.describe` says it (the same words as ``subs compare`` and its report).
"""

from __future__ import annotations

from typing import Any

from screenkit.app.translate import MAX_SHOWN, Review
from screenkit.i18n import Translator
from screenkit.subtitles.compare import Line
from screenkit.subtitles.compare_words import counts, describe, severity_label
from screenkit.subtitles.po_import import CueNote, PoImport
from screenkit.subtitles.timecode import format_time

MAX_LISTED = 200
"""Cues listed per kind of an import (a film has a thousand; the catalogue has them all)."""


def _cues(notes: tuple[CueNote, ...]) -> list[dict[str, object]]:
    return [
        {"number": n.number, "at": format_time(n.start), "text": n.original.replace("\n", " / ")}
        for n in notes[:MAX_LISTED]
    ]


def import_words(tr: Translator, result: PoImport) -> dict[str, Any]:
    """What the import wrote and left, in ``tr``'s language."""
    untranslated, fuzzy = len(result.untranslated), len(result.fuzzy)
    return {
        "written": tr.gettext("The track {file} holds {n} of the {total} subtitles.").format(
            n=result.written, total=result.cues, file=result.output.name
        ),
        "backup": result.backup.name if result.backup else None,
        "complete": result.complete,
        "untranslated": tr.ngettext(
            "{n} subtitle is not translated yet: it is left out of the track.",
            "{n} subtitles are not translated yet: they are left out of the track.",
            untranslated,
        ).format(n=untranslated)
        if untranslated
        else None,
        "untranslated_cues": _cues(result.untranslated),
        "untranslated_more": max(0, untranslated - MAX_LISTED),
        "fuzzy": tr.ngettext(
            "{n} subtitle is marked fuzzy (its original changed): it is used, but check it.",
            "{n} subtitles are marked fuzzy (their original changed): they are used, but "
            "check them.",
            fuzzy,
        ).format(n=fuzzy)
        if fuzzy
        else None,
        "fuzzy_cues": _cues(result.fuzzy),
        "fuzzy_more": max(0, fuzzy - MAX_LISTED),
        "rebroken": tr.ngettext(
            "{n} line longer than {chars} characters was broken in two.",
            "{n} lines longer than {chars} characters were broken in two.",
            len(result.rebroken),
        ).format(n=len(result.rebroken), chars=result.max_chars_per_line)
        if result.rebroken
        else None,
        "unmatched": tr.ngettext(
            "{n} translation matches no subtitle of the original any more: it was left out.",
            "{n} translations match no subtitle of the original any more: they were left out.",
            len(result.unmatched),
        ).format(n=len(result.unmatched))
        if result.unmatched
        else None,
    }


def _text(lines: tuple[Line, ...]) -> list[str]:
    return [part for line in lines for part in line.text.split("\n")]


def review_words(tr: Translator, lang: str, review: Review) -> dict[str, Any]:
    """The comparison as the page shows it (the flagged cues, at most `MAX_SHOWN`)."""
    c = review.comparison
    qc = c.profile
    flagged = [(i, pair) for i, pair in enumerate(c.pairs) if pair.problems]
    cues = []
    for i, pair in flagged[:MAX_SHOWN]:
        side = pair.translation or pair.original
        cues.append(
            {
                "index": i,
                "at": format_time(side[0].start),
                "number": pair.original[0].number if pair.original else None,
                "frame": f"/subtitles/translations/{lang}/frames/{i}.jpg"
                if i in review.frames
                else None,
                "alt": tr.gettext("The film at {time}, the translation burned in").format(
                    time=format_time(round(pair.moment * 1000))
                ),
                "original": _text(pair.original),
                "translation": _text(pair.translation),
                "severity": pair.worst() or "info",
                "problems": [
                    (p.severity, severity_label(p.severity, tr), describe(p, c, tr))
                    for p in pair.problems
                ],
            }
        )
    return {
        "ok": c.ok,
        "counts": counts(c, tr),
        "matched": tr.gettext("{matched} of {cues} cues of the original have one").format(
            matched=c.matched, cues=sum(len(p.original) for p in c.pairs)
        ),
        "limits": tr.gettext(
            "{chars} characters a line, {lines} lines, {cps} characters a second"
        ).format(chars=qc.max_chars_per_line, lines=qc.max_lines, cps=tr.number(qc.max_cps, 0)),
        "file_problems": [
            (p.severity, severity_label(p.severity, tr), describe(p, c, tr))
            for p in c.file_problems
        ],
        "cues": cues,
        "more": max(0, len(flagged) - MAX_SHOWN),
        "original_lang": c.original_lang,
    }
