"""``subs po import L.po``: the translated track, timed exactly as the original.

The timing comes from the original itself (``--timing ORIGINAL``: each message finds its
cue by the number and times in its context, else by its original text nearest in time) or,
without it, from the contexts the catalogue carries (``12 00:01:02,500 --> 00:01:05,000``):
either way each cue's times are the original's to the millisecond.

What a translator left undone is said, cue by cue: untranslated messages (no cue is
written for them, so the check and the comparison show the hole) and fuzzy ones (their
translation is used — an old translation of a slightly changed line reads better on the
evening than nothing — and listed for review; gettext's ``msgfmt`` would drop them). With
``strict`` either is an error and nothing is written. A translation left as one line
longer than the language's line length is broken in two (`screenkit.subtitles.linebreak`);
the translator's own line breaks are kept.

The output appears by atomic rename; an existing file of that name is kept as ``.bak``
first, and the catalogue and the timing source are never written over.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pysubs2
from babel.messages.catalog import Message

from screenkit.errors import SubtitleError
from screenkit.media.atomic import write_bytes_atomic
from screenkit.progress import Progress, ProgressCallback
from screenkit.subtitles.linebreak import break_line
from screenkit.subtitles.load import load_track, read_bytes
from screenkit.subtitles.norms import ReadingNorms, norms_for
from screenkit.subtitles.po import (
    Cue,
    catalogue_lang,
    event_text,
    message_text,
    messages_of,
    new_file,
    parse_context,
    read_catalogue,
    track_cues,
)
from screenkit.subtitles.profiles import DEFAULT_PROFILE, load_profile
from screenkit.subtitles.save import format_for, save_track
from screenkit.subtitles.timecode import format_time

_LISTED = 12


@dataclass(frozen=True)
class CueNote:
    """A cue the import has something to say about: its number, start and original text."""

    number: int
    start: int
    original: str

    def to_json(self) -> dict[str, object]:
        return {"cue": self.number, "start": format_time(self.start), "original": self.original}


@dataclass(frozen=True)
class PoImport:
    """What `import_po` wrote, and what the translator still has to do."""

    output: Path
    backup: Path | None
    """The file ``output`` replaced, kept (None when there was none)."""
    lang: str | None
    timing: Path | None
    """The original the times came from; None: the catalogue's contexts."""
    cues: int
    written: int
    untranslated: tuple[CueNote, ...]
    fuzzy: tuple[CueNote, ...]
    rebroken: tuple[CueNote, ...]
    """Cues whose single long line was broken in two."""
    unmatched: tuple[str, ...]
    """Contexts of messages no cue of the timing original took (it changed since export)."""
    max_chars_per_line: int

    @property
    def complete(self) -> bool:
        return not (self.untranslated or self.fuzzy or self.unmatched)

    def to_json(self) -> dict[str, object]:
        return {
            "output": str(self.output),
            "backup": str(self.backup) if self.backup else None,
            "lang": self.lang,
            "timing": str(self.timing) if self.timing else "catalogue",
            "cues": self.cues,
            "written": self.written,
            "complete": self.complete,
            "untranslated": [c.to_json() for c in self.untranslated],
            "fuzzy": [c.to_json() for c in self.fuzzy],
            "rebroken": [c.to_json() for c in self.rebroken],
            "unmatched": list(self.unmatched),
            "max_chars_per_line": self.max_chars_per_line,
        }


class PoIncomplete(SubtitleError):
    """``--strict``: the catalogue has untranslated or fuzzy messages; nothing was written."""

    def __init__(self, message: str, *, path: Path, result: PoImport) -> None:
        super().__init__(
            message,
            path=path,
            value=len(result.untranslated) + len(result.fuzzy) + len(result.unmatched),
            hint="translate them (and clear the fuzzy marks) in the PO editor, or import "
            "without --strict to get a track with what is there",
        )
        self.result = result


def default_output(po: Path) -> Path:
    """``fi.srt`` beside ``fi.po``."""
    return po.with_suffix(".srt")


def _cues_from_contexts(po: Path, messages: Sequence[Message]) -> list[tuple[Cue, Message]]:
    found: list[tuple[Cue, Message]] = []
    for message in messages:
        parsed = parse_context(message.context)
        if parsed is None:
            raise SubtitleError(
                f"{po}: the message '{_clip(str(message.id))}' carries no cue timing (its "
                "context should read like '12 00:01:02,500 --> 00:01:05,000')",
                path=po,
                value=message.context,
                hint="give the original track with --timing ORIGINAL",
            )
        number, start, end = parsed
        found.append((Cue(number, start, end, str(message.id)), message))
    found.sort(key=lambda item: (item[0].start, item[0].number))
    return found


def _match(
    cues: Sequence[Cue], messages: Sequence[Message]
) -> tuple[list[tuple[Cue, Message | None]], list[Message]]:
    """Each cue of the timing original with its message: by context, else by text."""
    by_key: dict[tuple[int, int, int], list[int]] = {}
    by_text: dict[str, list[int]] = {}
    for k, message in enumerate(messages):
        parsed = parse_context(message.context)
        if parsed is not None:
            by_key.setdefault(parsed, []).append(k)
        by_text.setdefault(str(message.id), []).append(k)
    used: set[int] = set()
    chosen: dict[int, int] = {}
    for i, cue in enumerate(cues):
        for k in by_key.get(cue.key, []):
            if k not in used and str(messages[k].id) == cue.text:
                chosen[i] = k
                used.add(k)
                break
    starts = [(parsed[1] if (parsed := parse_context(m.context)) else 0) for m in messages]
    for i, cue in enumerate(cues):
        free = [k for k in by_text.get(cue.text, []) if k not in used]
        if i in chosen or not free:
            continue
        k = min(free, key=lambda k: abs(starts[k] - cue.start))
        chosen[i] = k
        used.add(k)
    pairs = [(cue, messages[chosen[i]] if i in chosen else None) for i, cue in enumerate(cues)]
    return pairs, [m for k, m in enumerate(messages) if k not in used]


def _clip(text: str, width: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _guard(po: Path, output: Path, timing: Path | None) -> None:
    from screenkit.subtitles.edit import same_file

    for given, what in ((po, "the catalogue"), *([(timing, "the original")] if timing else [])):
        if same_file(given, output):
            raise SubtitleError(f"{output} is {what}: write the track to another file", path=output)
    if output.is_dir():
        raise SubtitleError(f"{output} is a folder: give a file name", path=output)
    format_for(output)  # raises, naming the extension, for a format screenkit cannot write


def import_po(
    po: Path | str,
    output: Path | str | None = None,
    *,
    timing: Path | str | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
) -> PoImport:
    """Write the track the catalogue ``po`` translates (see the module docstring).

    Raises `PoIncomplete` with ``strict`` when a message is untranslated or fuzzy (or, with
    ``timing``, matches no cue); `SubtitleError` for a catalogue without timing and no
    ``timing`` original.
    """
    po = Path(po)
    target = Path(output) if output is not None else default_output(po)
    timing_path = Path(timing) if timing is not None else None
    _guard(po, target, timing_path)
    catalog = read_catalogue(po)
    lang = catalogue_lang(catalog)
    norms: ReadingNorms | None = norms_for(lang)
    max_chars = (
        norms.max_chars_per_line if norms else load_profile(DEFAULT_PROFILE).max_chars_per_line
    )
    style = norms.line_break if norms else "balanced"
    messages = messages_of(catalog)
    base: pysubs2.SSAFile | None = None
    unmatched: list[Message] = []
    pairs: list[tuple[Cue, Message | None]]
    if timing_path is not None:
        original = load_track(timing_path)
        cues, _ = track_cues(original)
        pairs, unmatched = _match(cues, messages)
        base = original.subs
    else:
        if not messages:
            raise SubtitleError(f"{po}: the catalogue holds no message", path=po)
        pairs = [(cue, message) for cue, message in _cues_from_contexts(po, messages)]

    subs = new_file(base)
    untranslated: list[CueNote] = []
    fuzzy: list[CueNote] = []
    rebroken: list[CueNote] = []
    for n, (cue, message) in enumerate(pairs):
        note = CueNote(cue.number, cue.start, cue.text)
        text = message_text(message).strip() if message is not None else ""
        if not text:
            untranslated.append(note)
            continue
        if message is not None and message.fuzzy:
            fuzzy.append(note)
        broken = break_line(text, max_chars, style)
        if broken != text:
            rebroken.append(note)
        event = _event(base, cue)
        event.text = event_text(broken)
        subs.events.append(event)
        if progress is not None:
            progress(Progress("track", n + 1, len(pairs), unit=" cues"))
    result = PoImport(
        output=target,
        backup=None,
        lang=lang,
        timing=timing_path,
        cues=len(pairs),
        written=len(subs.events),
        untranslated=tuple(untranslated),
        fuzzy=tuple(fuzzy),
        rebroken=tuple(rebroken),
        unmatched=tuple(str(m.context or m.id) for m in unmatched),
        max_chars_per_line=max_chars,
    )
    if strict and not result.complete:
        raise PoIncomplete(_incomplete(po, result), path=po, result=result)
    if not subs.events:
        raise SubtitleError(
            f"{po}: no message is translated yet: there is no track to write",
            path=po,
            hint="translate the msgstr lines in a PO editor (Poedit, Lokalize) first",
        )
    backup = _keep(target)
    save_track(subs, target)
    return dataclasses.replace(result, backup=backup)


def _event(base: pysubs2.SSAFile | None, cue: Cue) -> pysubs2.SSAEvent:
    """The original's event (style, position, layer kept) or a new one, at the cue's times."""
    import copy

    event = copy.copy(base.events[cue.number - 1]) if base is not None else pysubs2.SSAEvent()
    event.start, event.end = cue.start, cue.end
    return event


def _keep(target: Path) -> Path | None:
    """An existing ``target`` copied to ``target.bak`` (``.bak1`` …) before it is replaced."""
    from screenkit.subtitles.edit import backup_path

    if not target.is_file():
        return None
    return write_bytes_atomic(backup_path(target), read_bytes(target))


def _incomplete(po: Path, result: PoImport) -> str:
    parts = []
    for notes, what in ((result.untranslated, "untranslated"), (result.fuzzy, "fuzzy")):
        if notes:
            listed = ", ".join(str(n.number) for n in notes[:_LISTED])
            more = f" and {len(notes) - _LISTED} more" if len(notes) > _LISTED else ""
            parts.append(f"{len(notes)} {what} (cues {listed}{more})")
    if result.unmatched:
        parts.append(f"{len(result.unmatched)} matching no cue of the original")
    return f"{po}: not finished: {'; '.join(parts)}; nothing written"
