"""What ``subs compare`` says about each problem, in the translator's language.

A `Problem` carries a rule and its figures; here each becomes a short title, a sentence
saying what is wrong and one saying what to do, through the gettext catalogues
(``locale/subs/<lang>.po``), with the language's own decimal mark and plural forms. The
terminal, the JSON and the HTML report all say the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from screenkit.i18n import Translator
from screenkit.subtitles.compare import Comparison, Problem


@dataclass(frozen=True)
class Described:
    title: str
    message: str
    advice: str


def severity_label(severity: str, tr: Translator) -> str:
    labels = {
        "error": tr.gettext("Error"),
        "warning": tr.gettext("Warning"),
        "info": tr.gettext("Note"),
    }
    return labels.get(severity, severity)


def _listing(items: Sequence[object]) -> str:
    return ", ".join(str(i) for i in items)


def _signed(tr: Translator, ms: object) -> str:
    value = int(ms) / 1000 if isinstance(ms, (int, float)) else 0.0
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + tr.seconds(abs(value))


def _num(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


def _language(c: Comparison, tr: Translator, which: str = "translation") -> str:
    lang = c.translation_lang if which == "translation" else c.original_lang
    return tr.language_name(lang) if lang else tr.gettext("this language")


_Builder = Callable[[Problem, Comparison, Translator], Described]


def _missing(p: Problem, c: Comparison, tr: Translator) -> Described:
    return Described(
        tr.gettext("Missing cue"),
        tr.gettext("The translation has no cue here."),
        tr.gettext("Translate this cue (in the catalogue, then import it again)."),
    )


def _extra(p: Problem, c: Comparison, tr: Translator) -> Described:
    return Described(
        tr.gettext("Extra cue"),
        tr.gettext("The original has no cue at this moment."),
        tr.gettext("Delete it, unless it translates something the original leaves out."),
    )


def _merged(p: Problem, c: Comparison, tr: Translator) -> Described:
    n = int(_num(p.params.get("count")))
    return Described(
        tr.gettext("Cues merged"),
        tr.ngettext(
            "One cue of the translation covers {n} cue of the original.",
            "One cue of the translation covers {n} cues of the original.",
            n,
        ).format(n=n),
        tr.gettext("Fine if it reads well; check that nothing was lost."),
    )


def _split(p: Problem, c: Comparison, tr: Translator) -> Described:
    n = int(_num(p.params.get("count")))
    return Described(
        tr.gettext("Cue split"),
        tr.ngettext(
            "The translation splits this cue into {n} cue.",
            "The translation splits this cue into {n} cues.",
            n,
        ).format(n=n),
        tr.gettext("Fine if each part stays on screen long enough to read."),
    )


def _moved(p: Problem, c: Comparison, tr: Translator) -> Described:
    return Described(
        tr.gettext("Timing moved"),
        tr.gettext("Starts {start} and ends {end} against the original.").format(
            start=_signed(tr, p.params.get("start_delta_ms")),
            end=_signed(tr, p.params.get("end_delta_ms")),
        ),
        tr.gettext("Keep the original's timing unless you moved it on purpose."),
    )


def _untranslated(p: Problem, c: Comparison, tr: Translator) -> Described:
    return Described(
        tr.gettext("Not translated"),
        tr.gettext("The text is the original's, word for word."),
        tr.gettext("Translate it."),
    )


def _same(p: Problem, c: Comparison, tr: Translator) -> Described:
    return Described(
        tr.gettext("Same as the original"),
        tr.gettext("The text is the original's: a name or a number?"),
        tr.gettext("Nothing to do if the translation says it the same way."),
    )


def _original_language(p: Problem, c: Comparison, tr: Translator) -> Described:
    return Described(
        tr.gettext("Left in the original's language?"),
        tr.gettext("These words look like the original's language ({language}).").format(
            language=_language(c, tr, "original")
        ),
        tr.gettext("Translate the words left in the original's language."),
    )


def _number_changed(p: Problem, c: Comparison, tr: Translator) -> Described:
    was = p.params.get("was", [])
    now = p.params.get("now", [])
    return Described(
        tr.gettext("A number changed"),
        tr.gettext("The original says {was}, the translation {now}.").format(
            was=_listing(was if isinstance(was, list) else []),
            now=_listing(now if isinstance(now, list) else []),
        ),
        tr.gettext("Check the number against the original."),
    )


def _number_missing(p: Problem, c: Comparison, tr: Translator) -> Described:
    found = p.params.get("numbers", [])
    return Described(
        tr.gettext("A number is missing"),
        tr.gettext("The original's {numbers} is not in the translation.").format(
            numbers=_listing(found if isinstance(found, list) else [])
        ),
        tr.gettext("Check that it is said (in words is fine)."),
    )


def _line_length(p: Problem, c: Comparison, tr: Translator) -> Described:
    if "length" not in p.params:
        return _passthrough(p, c, tr)
    return Described(
        tr.gettext("Line too long"),
        tr.gettext(
            "Line {line} has {length} characters; the limit ({language}) is {limit}."
        ).format(
            line=p.params.get("line"),
            length=p.params.get("length"),
            limit=p.params.get("limit"),
            language=_language(c, tr),
        ),
        tr.gettext("Break the line elsewhere, or say it shorter."),
    )


def _line_count(p: Problem, c: Comparison, tr: Translator) -> Described:
    n = int(_num(p.params.get("lines")))
    return Described(
        tr.gettext("Too many lines"),
        tr.ngettext("{n} line; at most {limit}.", "{n} lines; at most {limit}.", n).format(
            n=n, limit=p.params.get("limit")
        ),
        tr.gettext("Say it shorter, or split the cue."),
    )


def _reading_speed(p: Problem, c: Comparison, tr: Translator) -> Described:
    if "cps" not in p.params:
        return _passthrough(p, c, tr)
    chars = int(_num(p.params.get("chars")))
    duration = _num(p.params.get("duration_ms")) / 1000
    cut = max(1, chars - int(_num(p.params.get("limit")) * duration))
    title = (
        tr.gettext("Far too fast to read")
        if p.rule == "reading-speed-far"
        else tr.gettext("Too fast to read")
    )
    return Described(
        title,
        tr.gettext(
            "Reads at {cps} characters a second; the limit ({language}) is {limit}: "
            "{chars} characters need {needed}, the cue lasts {duration}."
        ).format(
            cps=tr.number(_num(p.params.get("cps")), 1),
            language=_language(c, tr),
            limit=tr.number(_num(p.params.get("limit")), 0),
            chars=chars,
            needed=tr.seconds(_num(p.params.get("needed_ms")) / 1000),
            duration=tr.seconds(duration),
        ),
        tr.ngettext(
            "Say it about {n} character shorter.", "Say it about {n} characters shorter.", cut
        ).format(n=cut),
    )


def _empty(p: Problem, c: Comparison, tr: Translator) -> Described:
    return Described(
        tr.gettext("Empty cue"),
        tr.gettext("The cue has no text."),
        tr.gettext("Translate it, or delete it."),
    )


def _glyphs(p: Problem, c: Comparison, tr: Translator) -> Described:
    chars = p.params.get("characters", [])
    found = chars if isinstance(chars, list) else []
    listed = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in found if isinstance(ch, str))
    return Described(
        tr.gettext("Characters the font lacks"),
        tr.gettext(
            "The font cannot draw {characters}: burned in, they show as empty boxes."
        ).format(characters=listed),
        tr.gettext(
            "Use other characters, or add a font that has them to the kit (its fonts/ folder, "
            "listed under [kit] fonts in screenkit.toml)."
        ),
    )


def _timing_off(p: Problem, c: Comparison, tr: Translator) -> Described:
    return Described(
        tr.gettext("Timed for another cut?"),
        tr.gettext(
            "{matched} of {cues} cues of the original line up with the translation, and most "
            "of those moved (by about {offset})."
        ).format(
            matched=p.params.get("matched"),
            cues=p.params.get("cues"),
            offset=_signed(tr, p.params.get("offset_ms")),
        ),
        tr.gettext("Sync it to the original first: {command}").format(
            command=f"screenkit subs sync {c.translation.name} --reference {c.original.name} "
            f"-o {c.translation.stem}.synced{c.translation.suffix}"
        ),
    )


def _no_language(p: Problem, c: Comparison, tr: Translator) -> Described:
    return Described(
        tr.gettext("Language not known"),
        tr.gettext(
            "The translation's language is not known: its reading norms and the language "
            "checks were left out."
        ),
        tr.gettext("Name the file after its language (fi.srt) or give --lang."),
    )


def _passthrough(p: Problem, c: Comparison, tr: Translator) -> Described:
    """Problems ``subs check`` words itself (encoding, broken tags): its sentence, as it is."""
    return Described(
        p.rule,
        str(p.params.get("message", p.rule)),
        tr.gettext("See 'screenkit subs check' for this track."),
    )


_BUILDERS: dict[str, _Builder] = {
    "missing-cue": _missing,
    "extra-cue": _extra,
    "merged": _merged,
    "split": _split,
    "timing-moved": _moved,
    "untranslated": _untranslated,
    "same-text": _same,
    "original-language": _original_language,
    "number-changed": _number_changed,
    "number-missing": _number_missing,
    "line-length": _line_length,
    "line-count": _line_count,
    "reading-speed": _reading_speed,
    "reading-speed-far": _reading_speed,
    "empty-event": _empty,
    "missing-glyphs": _glyphs,
    "timing-off": _timing_off,
    "no-language": _no_language,
}


def describe(problem: Problem, comparison: Comparison, tr: Translator) -> Described:
    """``problem`` in words of ``tr``'s language."""
    return _BUILDERS.get(problem.rule, _passthrough)(problem, comparison, tr)


def counts(c: Comparison, tr: Translator) -> list[tuple[str, str]]:
    """(severity, "3 errors") for each severity with problems, worst first."""
    found = []
    if n := c.count("error"):
        found.append(("error", tr.ngettext("{n} error", "{n} errors", n).format(n=n)))
    if n := c.count("warning"):
        found.append(("warning", tr.ngettext("{n} warning", "{n} warnings", n).format(n=n)))
    if n := c.count("info"):
        found.append(("info", tr.ngettext("{n} note", "{n} notes", n).format(n=n)))
    return found


def problem_json(problem: Problem, comparison: Comparison, tr: Translator) -> dict[str, object]:
    said = describe(problem, comparison, tr)
    return {
        "rule": problem.rule,
        "severity": problem.severity,
        "params": dict(problem.params),
        "title": said.title,
        "message": said.message,
        "advice": said.advice,
    }


def comparison_json(c: Comparison, tr: Translator) -> dict[str, object]:
    """The whole comparison as one JSON document (every pair, flagged or not), its words in
    ``tr``'s language."""
    qc = c.profile
    return {
        "ok": c.ok,
        "original": str(c.original),
        "translation": str(c.translation),
        "original_lang": c.original_lang,
        "translation_lang": c.translation_lang,
        "ui_lang": tr.lang,
        "limits": {
            "profile": qc.name,
            "max_chars_per_line": qc.max_chars_per_line,
            "max_lines": qc.max_lines,
            "max_cps": qc.max_cps,
        },
        "reading_norms": c.norms.to_json() if c.norms else None,
        "cues": sum(len(p.original) for p in c.pairs),
        "matched": c.matched,
        "errors": c.count("error"),
        "warnings": c.count("warning"),
        "infos": c.count("info"),
        "file_problems": [problem_json(p, c, tr) for p in c.file_problems],
        "pairs": [
            {
                "original": [line.to_json() for line in pair.original],
                "translation": [line.to_json() for line in pair.translation],
                "problems": [problem_json(p, c, tr) for p in pair.problems],
            }
            for pair in c.pairs
        ],
    }
