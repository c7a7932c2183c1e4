"""``subs compare ORIGINAL TRANSLATION``: a translation reviewed cue by cue against its original.

The two tracks are aligned by time (the dynamic-programming alignment of reference sync,
`screenkit.subtitles.sync_reference.align_events`, which lets one cue stand for two or
three of the other's), and each pair is looked at for what a review catches late:

- ``missing-cue`` (error): an original cue nothing in the translation covers;
- ``extra-cue`` (warning): a translation cue at a moment the original is silent;
- ``merged`` / ``split`` (info): one cue for several of the other side;
- ``timing-moved`` (warning): a counterpart starting or ending more than `MOVED_MS` away;
- ``untranslated`` (error): the original's very words (two words or more; a lone name or
  number is ``same-text``, info); ``original-language`` (warning): the words read as the
  original's language (`screenkit.subtitles.compare_text`);
- ``number-changed`` (error), ``number-missing`` (warning): years, counts, times;
- the checks of ``subs check`` on the translation, held to its language's reading norms
  (`screenkit.subtitles.norms`): ``line-length``, ``line-count``, ``reading-speed``,
  ``reading-speed-far``, ``empty-event``, ``unbalanced-tags``, and ``missing-glyphs`` per
  cue (the characters the shipped font, and the kit's, cannot draw).

Problems carry their figures (``params``), not sentences: `screenkit.subtitles.compare_words`
says them in the translator's language. `compare_files` is what the CLI and the app call.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from screenkit.fonts import Font, missing_glyphs
from screenkit.subtitles.check import check_track
from screenkit.subtitles.compare_text import (
    check_numbers,
    normalised,
    reads_as,
    same_language,
    words_with_letters,
)
from screenkit.subtitles.load import Track
from screenkit.subtitles.norms import ReadingNorms, for_language, norms_for
from screenkit.subtitles.profiles import Profile, Severity
from screenkit.subtitles.sync_reference import align_events
from screenkit.subtitles.text import visible_lines

MOVED_MS = 100
"""A counterpart this far off (start or end) has moved; below it is rounding and frames."""
CHECKED: tuple[str, ...] = (
    "line-length",
    "line-count",
    "reading-speed",
    "reading-speed-far",
    "empty-event",
    "unbalanced-tags",
)
FILE_RULES = ("encoding", "encoding-guess", "load", "timing-line", "empty-track")
SEVERITY: Mapping[str, Severity] = MappingProxyType(
    {
        "missing-cue": "error",
        "extra-cue": "warning",
        "merged": "info",
        "split": "info",
        "timing-moved": "warning",
        "untranslated": "error",
        "same-text": "info",
        "original-language": "warning",
        "number-changed": "error",
        "number-missing": "warning",
        "missing-glyphs": "error",
        "timing-off": "warning",
        "no-language": "info",
    }
)


@dataclass(frozen=True)
class Line:
    """One cue of one side: its number in its file, times (ms) and visible text."""

    number: int
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, object]:
        return {"cue": self.number, "start_ms": self.start, "end_ms": self.end, "text": self.text}


@dataclass(frozen=True)
class Problem:
    rule: str
    severity: Severity
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Pair:
    """Cues of the original and their counterparts in the translation (either side may be
    empty), with what is wrong with them."""

    original: tuple[Line, ...]
    translation: tuple[Line, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def start(self) -> int:
        return min(line.start for line in (*self.original, *self.translation))

    @property
    def end(self) -> int:
        return max(line.end for line in (*self.original, *self.translation))

    @property
    def moment(self) -> float:
        """Seconds into the film where the translation (else the original) shows: the middle
        of its first cue (a split pair's middle may fall between its cues)."""
        first = (self.translation or self.original)[0]
        return (first.start + first.end) / 2000

    def worst(self) -> Severity | None:
        order: tuple[Severity, ...] = ("error", "warning", "info")
        for severity in order:
            if any(p.severity == severity for p in self.problems):
                return severity
        return None


@dataclass(frozen=True)
class Comparison:
    original: Path
    translation: Path
    original_lang: str | None
    translation_lang: str | None
    profile: Profile
    """The limits the translation was held to (its language's norms applied)."""
    norms: ReadingNorms | None
    pairs: tuple[Pair, ...]
    """Every cue of both tracks, in time order."""
    file_problems: tuple[Problem, ...]

    @property
    def flagged(self) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if p.problems)

    def count(self, severity: str) -> int:
        problems = [*self.file_problems, *(q for p in self.pairs for q in p.problems)]
        return sum(1 for q in problems if q.severity == severity)

    @property
    def ok(self) -> bool:
        return self.count("error") == 0

    @property
    def matched(self) -> int:
        """Original cues that have a counterpart."""
        return sum(len(p.original) for p in self.pairs if p.original and p.translation)


def lines_of(track: Track) -> list[Line]:
    """The track's cues with visible text or time, in time order."""
    found = []
    for n, event in enumerate(track.subs, 1):
        if event.is_comment or event.end <= event.start:
            continue
        found.append(Line(n, event.start, event.end, "\n".join(visible_lines(event))))
    return sorted(found, key=lambda line: (line.start, line.number))


def _spans(lines: Sequence[Line]) -> np.ndarray:
    if not lines:
        return np.zeros((0, 2))
    return np.array([(line.start / 1000, line.end / 1000) for line in lines])


def _pairs(original: list[Line], translation: list[Line]) -> list[Pair]:
    groups = align_events(_spans(translation), _spans(original)) if original and translation else []
    pairs: list[Pair] = []
    seen_o: set[int] = set()
    seen_t: set[int] = set()
    for g in groups:
        seen_o.update(range(g.ri, g.rj + 1))
        seen_t.update(range(g.ti, g.tj + 1))
        pairs.append(Pair(tuple(original[g.ri : g.rj + 1]), tuple(translation[g.ti : g.tj + 1])))
    pairs += [Pair((o,), ()) for i, o in enumerate(original) if i not in seen_o]
    pairs += [Pair((), (t,)) for i, t in enumerate(translation) if i not in seen_t]
    return sorted(pairs, key=lambda p: (p.start, p.original[0].number if p.original else 0))


def _text_problems(pair: Pair, original_lang: str | None, lang: str | None) -> list[Problem]:
    found: list[Problem] = []
    before = "\n".join(line.text for line in pair.original)
    after = "\n".join(line.text for line in pair.translation)
    if not same_language(original_lang, lang) and normalised(before) == normalised(after):
        if words_with_letters(before) >= 2:
            found.append(Problem("untranslated", SEVERITY["untranslated"]))
        elif normalised(before):
            found.append(Problem("same-text", SEVERITY["same-text"]))
    elif original_lang and lang and not same_language(original_lang, lang):
        margin = reads_as(after, original_lang, lang)
        if margin is not None:
            params = {"lang": original_lang, "margin": round(margin, 2)}
            found.append(Problem("original-language", SEVERITY["original-language"], params))
    numbers = check_numbers(before, after)
    if numbers.changed_from:
        params = {"was": list(numbers.changed_from), "now": list(numbers.changed_to)}
        found.append(Problem("number-changed", SEVERITY["number-changed"], params))
    elif numbers.missing:
        params = {"numbers": list(numbers.missing)}
        found.append(Problem("number-missing", SEVERITY["number-missing"], params))
    return found


def _pair_problems(pair: Pair, original_lang: str | None, lang: str | None) -> list[Problem]:
    if not pair.translation:
        return [Problem("missing-cue", SEVERITY["missing-cue"])]
    if not pair.original:
        return [Problem("extra-cue", SEVERITY["extra-cue"])]
    found: list[Problem] = []
    if len(pair.original) > 1:
        found.append(Problem("merged", SEVERITY["merged"], {"count": len(pair.original)}))
    if len(pair.translation) > 1:
        found.append(Problem("split", SEVERITY["split"], {"count": len(pair.translation)}))
    start_delta = pair.translation[0].start - pair.original[0].start
    end_delta = pair.translation[-1].end - pair.original[-1].end
    if max(abs(start_delta), abs(end_delta)) > MOVED_MS:
        params = {"start_delta_ms": start_delta, "end_delta_ms": end_delta}
        found.append(Problem("timing-moved", SEVERITY["timing-moved"], params))
    return found + _text_problems(pair, original_lang, lang)


def compare_tracks(
    original: Track,
    translation: Track,
    *,
    profile: Profile,
    fonts: Sequence[Font] = (),
    lang: str | None = None,
    original_lang: str | None = None,
) -> Comparison:
    """Compare two loaded tracks; ``profile`` is adjusted to the translation's language."""
    lang = lang or translation.lang
    original_lang = original_lang or original.lang
    held_to = for_language(profile, lang)
    o_lines, t_lines = lines_of(original), lines_of(translation)
    pairs = _pairs(o_lines, t_lines)
    report = check_track(translation, held_to)
    by_cue: dict[int, list[Problem]] = {}
    file_problems: list[Problem] = []
    for f in report.findings:
        if f.event is None and f.rule in FILE_RULES:
            file_problems.append(Problem(f.rule, f.severity, {"message": f.message}))
        elif f.event is not None and f.rule in CHECKED:
            params = {**f.params} if f.params else {"message": f.message}
            by_cue.setdefault(f.event, []).append(Problem(f.rule, f.severity, params))
    done: list[Pair] = []
    for pair in pairs:
        problems = _pair_problems(pair, original_lang, lang)
        for line in pair.translation:
            problems += by_cue.get(line.number, [])
            chars = missing_glyphs(line.text, fonts) if fonts else []
            if chars:
                found = {"characters": chars, "fonts": [f.family for f in fonts]}
                problems.append(Problem("missing-glyphs", SEVERITY["missing-glyphs"], found))
        done.append(Pair(pair.original, pair.translation, tuple(problems)))
    file_problems += _file_problems(done, o_lines, lang)
    return Comparison(
        original=original.path,
        translation=translation.path,
        original_lang=original_lang,
        translation_lang=lang,
        profile=held_to,
        norms=norms_for(lang),
        pairs=tuple(done),
        file_problems=tuple(file_problems),
    )


def _file_problems(
    pairs: Sequence[Pair], originals: Sequence[Line], lang: str | None
) -> list[Problem]:
    found: list[Problem] = []
    if lang is None:
        found.append(Problem("no-language", SEVERITY["no-language"]))
    matched = [p for p in pairs if p.original and p.translation]
    moved = [p.translation[0].start - p.original[0].start for p in matched]
    shifted = [d for d in moved if abs(d) > MOVED_MS]
    covered = sum(len(p.original) for p in matched)
    extra = sum(len(p.translation) for p in pairs if not p.original)
    placed = sum(len(p.translation) for p in matched)
    # most of the translation's cues moved, or fall where the original has none: timed for
    # another cut (a translation that is only unfinished has its cues in their places)
    if len(shifted) > len(matched) / 2 or extra > placed:
        offset = statistics.median(shifted) if shifted else 0
        params = {"matched": covered, "cues": len(originals), "offset_ms": round(offset)}
        found.append(Problem("timing-off", SEVERITY["timing-off"], params))
    return found


def compare_files(
    original: Path | str,
    translation: Path | str,
    *,
    lang: str | None = None,
    original_lang: str | None = None,
    profile: str | None = None,
    kit: Path | None = None,
    encoding: str | None = None,
) -> Comparison:
    """Load both tracks (encodings detected, languages from ``--lang`` or the file names) and
    compare them; the kit (given, or the one holding the translation) adds its fonts and
    profiles. Raises `SubtitleError`/`InputError` naming a track that cannot be read."""
    from screenkit.subtitles.check import fonts_for
    from screenkit.subtitles.checkrun import kit_of
    from screenkit.subtitles.load import load_track
    from screenkit.subtitles.profiles import DEFAULT_PROFILE, load_profile

    original, translation = Path(original), Path(translation)
    kit_root, kit_fonts = kit_of(translation, kit)
    qc = load_profile(profile or DEFAULT_PROFILE, kit_root)
    before = load_track(original, lang=original_lang)
    after = load_track(translation, lang=lang, encoding=encoding)
    return compare_tracks(
        before,
        after,
        profile=qc,
        fonts=fonts_for(kit_fonts),
        lang=lang,
        original_lang=original_lang,
    )
