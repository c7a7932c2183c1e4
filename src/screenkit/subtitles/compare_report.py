"""The ``subs compare --html`` report: one self-contained page a translator reviews cue by cue.

Each flagged cue shows the two texts side by side, what is wrong and what to do, in the
translator's language (the gettext catalogues of ``locale/subs``), and with ``--film`` the
film's frame at that moment with the translation burned in exactly as a screening shows it
(`screenkit.subtitles.preview.burned_frames`: the shipped font, the kit's fonts) — a line
too long for the picture, or boxes where the font lacks a letter, are seen, not described.

Frames are embedded as JPEG ``data:`` URIs rather than files beside the page: the report is
one file, to mail to a translator or attach to an issue, that cannot lose its pictures on
the way, and its Content-Security-Policy can forbid every fetch (``default-src 'none'``;
pictures only from ``data:``; the one stylesheet by its hash; no script at all). A frame
480 pixels wide is about 20-40 KB; at most `MAX_FRAMES` flagged cues get one (the report
says how many were left without), so a long film's report stays a few megabytes.
Every text from the tracks and file names is escaped.
"""

from __future__ import annotations

import base64
import datetime
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from screenkit import __version__
from screenkit.i18n import Translator, translator
from screenkit.media.atomic import write_text_atomic
from screenkit.progress import ProgressCallback
from screenkit.subtitles.compare import Comparison, Line, Pair, Problem
from screenkit.subtitles.compare_frames import MAX_FRAMES, frames_for
from screenkit.subtitles.compare_words import counts, describe, severity_label
from screenkit.subtitles.timecode import format_time


@dataclass(frozen=True)
class ReportWritten:
    path: Path
    ui_lang: str
    frames: int
    frames_left_out: int
    """Flagged cues beyond `MAX_FRAMES`, shown without a frame."""
    size: int


def report_translator(comparison: Comparison, ui_lang: str | None, kit: Path | None) -> Translator:
    """``ui_lang``'s words; by default the translation's language when screenkit speaks it,
    else English."""
    if ui_lang is not None:
        return translator(ui_lang, kit)
    if comparison.translation_lang:
        tr = translator(comparison.translation_lang, kit)
        if tr.translated:
            return tr
    return translator("en", kit)


@cache
def _style() -> str:
    text = (resources.files("screenkit") / "data" / "compare_report.css").read_text("utf-8")
    assert "</style" not in text.lower()
    return text


def page_lang(tr: Translator) -> str:
    """The language the page is written in: English where screenkit has no catalogue."""
    return tr.lang if tr.translated else "en"


def _csp(style: str) -> str:
    from screenkit.webpage.render import csp_hash

    return "; ".join(
        [
            "default-src 'none'",
            f"style-src {csp_hash(style)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def report_policy() -> str:
    """The report's Content-Security-Policy, for a server that serves the page (the app):
    the same as the page's own ``<meta>`` holds."""
    return _csp(_style())


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _lines(text: str) -> str:
    """A cue's lines, one block each: a line the page wraps continues indented, so it is
    not mistaken for a line break of the subtitle."""
    return "".join(f'<span class="ln">{_e(line)}</span>' for line in text.split("\n"))


def _span(lines: Sequence[Line]) -> str:
    return f"{format_time(lines[0].start)} → {format_time(lines[-1].end)}"


def _numbers(lines: Sequence[Line]) -> str:
    return ", ".join(str(line.number) for line in lines)


@dataclass(frozen=True)
class _Words:
    """The page's fixed words in one language (each a literal msgid, for the extractor)."""

    heading: str
    what_to_do: str
    nothing: str
    clean: str
    original: str
    translation: str
    counterparts: str
    reading_limits: str
    film: str
    source: str
    time: str
    all_cues: str

    @classmethod
    def of(cls, tr: Translator) -> _Words:
        return cls(
            heading=tr.gettext("Subtitle comparison"),
            what_to_do=tr.gettext("What to do:"),
            nothing=tr.gettext("(no cue)"),
            clean=tr.gettext("Every cue has its counterpart and reads within the limits."),
            original=tr.gettext("Original"),
            translation=tr.gettext("Translation"),
            counterparts=tr.gettext("Counterparts"),
            reading_limits=tr.gettext("Reading limits"),
            film=tr.gettext("Film"),
            source=tr.gettext("source"),
            time=tr.gettext("Time"),
            all_cues=tr.gettext("All cues side by side"),
        )


def _side(lines: Sequence[Line], lang: str | None, heading: str, none: str) -> str:
    attr = f' lang="{_e(lang)}"' if lang else ""
    body = (
        f"<p{attr}>{''.join(_lines(line.text) for line in lines)}</p>"
        if lines
        else f'<p class="none">{_e(none)}</p>'
    )
    return f'<div class="text"><h3>{_e(heading)}</h3>{body}</div>'


def _problem(problem: Problem, c: Comparison, tr: Translator, words: _Words) -> str:
    said = describe(problem, c, tr)
    severity = _e(problem.severity)
    return (
        f'<li class="{severity}"><span class="badge {severity}">'
        f"{_e(severity_label(problem.severity, tr))}</span><strong>{_e(said.title)}</strong>"
        f'{_e(said.message)}<span class="advice"><b>{_e(words.what_to_do)}</b> '
        f"{_e(said.advice)}</span></li>"
    )


def _cue(
    index: int,
    pair: Pair,
    c: Comparison,
    tr: Translator,
    frame: bytes | None,
    names: tuple[str, str],
    words: _Words,
) -> str:
    severity = pair.worst() or "info"
    numbers = []
    if pair.original:
        numbers.append(tr.gettext("Original: {cues}").format(cues=_numbers(pair.original)))
    if pair.translation:
        numbers.append(tr.gettext("Translation: {cues}").format(cues=_numbers(pair.translation)))
    side = pair.translation or pair.original
    title = " · ".join(numbers)
    head = f'<header><h2>{_e(title)}</h2><span class="time">{_e(_span(side))}</span></header>'
    figure = ""
    if frame is not None:
        alt = tr.gettext("The film at {time}, the translation burned in").format(
            time=format_time(round(pair.moment * 1000))
        )
        data = base64.b64encode(frame).decode("ascii")
        figure = (
            f'<figure><img src="data:image/jpeg;base64,{data}" alt="{_e(alt)}">'
            f"<figcaption>{_e(alt)}</figcaption></figure>"
        )
    texts = (
        '<div class="texts">'
        + _side(pair.original, c.original_lang, names[0], words.nothing)
        + _side(pair.translation, c.translation_lang, names[1], words.nothing)
        + "</div>"
    )
    items = "".join(_problem(problem, c, tr, words) for problem in pair.problems)
    kind = severity if frame is not None else f"{severity} noframe"
    return (
        f'<li class="cue {kind}" id="cue-{index}">{head}{figure}{texts}'
        f'<ul class="problems">{items}</ul></li>'
    )


def _summary(c: Comparison, tr: Translator) -> str:
    labels = counts(c, tr)
    badges = [
        f'<li><span class="badge {severity}">{_e(label)}</span></li>' for severity, label in labels
    ]
    if not badges:
        badges.append(f'<li><span class="badge ok">{_e(tr.gettext("Nothing to fix"))}</span></li>')
    return f'<ul class="summary">{"".join(badges)}</ul>'


def _facts(c: Comparison, tr: Translator, film: Path | None, words: _Words) -> str:
    o_name = tr.language_name(c.original_lang) if c.original_lang else "?"
    t_name = tr.language_name(c.translation_lang) if c.translation_lang else "?"
    originals = sum(len(p.original) for p in c.pairs)
    matched = tr.gettext("{matched} of {cues} cues of the original have one").format(
        matched=c.matched, cues=originals
    )
    rows = [
        (words.original, f"{c.original.name} · {o_name}"),
        (words.translation, f"{c.translation.name} · {t_name}"),
        (words.counterparts, matched),
    ]
    qc = c.profile
    limits = tr.gettext(
        "{chars} characters a line, {lines} lines, {cps} characters a second"
    ).format(chars=qc.max_chars_per_line, lines=qc.max_lines, cps=tr.number(qc.max_cps, 0))
    out = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    source = ""
    if c.norms is not None:
        source = f' (<a href="{_e(c.norms.url)}" rel="noreferrer noopener">{_e(words.source)}</a>)'
    out += f"<dt>{_e(words.reading_limits)}</dt><dd>{_e(limits)}{source}</dd>"
    if film is not None:
        out += f"<dt>{_e(words.film)}</dt><dd>{_e(film.name)}</dd>"
    return f'<dl class="facts">{out}</dl>'


def _all_cues(c: Comparison, words: _Words) -> str:
    o_attr = f' lang="{_e(c.original_lang)}"' if c.original_lang else ""
    t_attr = f' lang="{_e(c.translation_lang)}"' if c.translation_lang else ""
    rows = []
    for i, pair in enumerate(c.pairs):
        at = _e(format_time((pair.translation or pair.original)[0].start))
        when = f'<a href="#cue-{i}">{at}</a>' if pair.problems else at
        flagged = ' class="flagged"' if pair.problems else ""
        o = "".join(_lines(line.text) for line in pair.original)
        t = "".join(_lines(line.text) for line in pair.translation)
        rows.append(
            f'<tr{flagged}><td class="n">{when}</td><td{o_attr}>{o}</td><td{t_attr}>{t}</td></tr>'
        )
    head = (
        f'<tr><th class="n">{_e(words.time)}</th><th>{_e(words.original)}</th>'
        f"<th>{_e(words.translation)}</th></tr>"
    )
    return (
        f"<details><summary>{_e(words.all_cues)}</summary>"
        f'<table class="all"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></details>'
    )


def render_report(
    comparison: Comparison,
    tr: Translator,
    *,
    frames: Mapping[int, bytes] | None = None,
    film: Path | None = None,
    frames_left_out: int = 0,
) -> str:
    """The whole page as text (no file written)."""
    c = comparison
    frames = frames or {}
    words = _Words.of(tr)
    style = _style()
    title = tr.gettext("Subtitle comparison: {translation} against {original}").format(
        translation=c.translation.name, original=c.original.name
    )
    pair_line = tr.gettext("{translation} compared with {original}").format(
        translation=c.translation.name, original=c.original.name
    )
    unknown = "?"
    names = (
        tr.gettext("Original ({language})").format(
            language=tr.language_name(c.original_lang) if c.original_lang else unknown
        ),
        tr.gettext("Translation ({language})").format(
            language=tr.language_name(c.translation_lang) if c.translation_lang else unknown
        ),
    )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(page_lang(tr))}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_csp(style))}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f'<meta name="generator" content="screenkit {_e(__version__)}">',
        f"<title>{_e(title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body><main>",
        f"<h1>{_e(words.heading)}</h1>",
        f'<p class="files">{_e(pair_line)}</p>',
        _facts(c, tr, film, words),
        _summary(c, tr),
    ]
    if c.file_problems:
        items = "".join(_problem(problem, c, tr, words) for problem in c.file_problems)
        parts.append(f'<section class="file"><ul>{items}</ul></section>')
    flagged = [(i, p) for i, p in enumerate(c.pairs) if p.problems]
    if flagged:
        cues = "".join(_cue(i, p, c, tr, frames.get(i), names, words) for i, p in flagged)
        parts.append(f'<ol class="cues">{cues}</ol>')
    else:
        parts.append(f'<p class="clean">{_e(words.clean)}</p>')
    if frames_left_out:
        left = tr.ngettext(
            "{n} more flagged cue is shown without a frame.",
            "{n} more flagged cues are shown without a frame.",
            frames_left_out,
        ).format(n=frames_left_out)
        parts.append(f'<p class="note">{_e(left)}</p>')
    parts.append(_all_cues(c, words))
    made = tr.gettext("Made by screenkit {version} on {date}.").format(
        version=__version__, date=tr.date(datetime.date.today())
    )
    parts += [f"<footer>{_e(made)}</footer>", "</main></body>", "</html>", ""]
    return "\n".join(parts)


def write_report(
    comparison: Comparison,
    output: Path | str,
    *,
    film: Path | None = None,
    ui_lang: str | None = None,
    kit: Path | None = None,
    fonts: Sequence[Path] = (),
    progress: ProgressCallback | None = None,
) -> ReportWritten:
    """Render the report (with frames of ``film`` when given) and publish it atomically;
    a `SubtitleError` when ``output`` is one of the inputs."""
    from screenkit.errors import SubtitleError
    from screenkit.subtitles.edit import same_file

    output = Path(output)
    for given in (comparison.original, comparison.translation, *([film] if film else [])):
        if same_file(given, output):
            raise SubtitleError(f"{output} is an input: write the report elsewhere", path=output)
    tr = report_translator(comparison, ui_lang, kit)
    frames = frames_for(comparison, film, fonts=fonts, progress=progress) if film else {}
    flagged = sum(1 for p in comparison.pairs if p.problems)
    left_out = max(0, flagged - MAX_FRAMES) if film else 0
    text = render_report(comparison, tr, frames=frames, film=film, frames_left_out=left_out)
    write_text_atomic(output, text)
    size = len(text.encode("utf-8"))
    return ReportWritten(output, page_lang(tr), len(frames), left_out, size)
