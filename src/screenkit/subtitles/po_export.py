"""``subs po export ORIGINAL --lang L``: start (or bring up to date) a translation catalogue.

Every cue of the original becomes a message (see `screenkit.subtitles.po`). When the
catalogue exists already, or a track in that language sits beside the original
(``subtitles/fi.srt`` beside ``subtitles/en.srt``), it is merged, never overwritten:

- a message whose original text is unchanged keeps its translation (and its fuzzy mark,
  and the translator's own ``#`` comments), whether or not the cue moved or was renumbered;
- a cue whose text changed takes the translation of the old cue it overlaps most in time,
  marked fuzzy with the old text as ``#| msgid`` (what translators' tools show as "the
  source changed: was …");
- old translations no cue takes stay in the file as obsolete entries (``#~``), so nothing
  a translator wrote is lost;
- from a track (no original text to compare), a cue timed exactly like the original's is
  translated; one timed otherwise, or merged with or split from its neighbours, is fuzzy.

The file appears by atomic rename. `export_po` is what the CLI and the organiser's app
call; its result counts what happened.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from screenkit.errors import SubtitleError
from screenkit.i18n import Translator, translator
from screenkit.progress import Progress, ProgressCallback
from screenkit.subtitles.load import load_track
from screenkit.subtitles.norms import ReadingNorms, for_language, norms_for
from screenkit.subtitles.po import (
    Cue,
    SubtitleCatalog,
    babel_locale,
    catalogue_lang,
    previous_ids,
    read_catalogue,
    track_cues,
    write_catalogue,
)
from screenkit.subtitles.po_merge import Old, from_catalogue, match_catalogue, match_track
from screenkit.subtitles.profiles import DEFAULT_PROFILE, Profile, load_profile
from screenkit.subtitles.timecode import format_time

TRACK_EXTS = (".srt", ".vtt", ".ass", ".ssa")


@dataclass(frozen=True)
class PoExport:
    """What `export_po` wrote and what it kept."""

    output: Path
    lang: str
    title: str
    cues: int
    translated: int
    """Messages with a translation that is not fuzzy."""
    fuzzy: int
    untranslated: int
    obsolete: int
    """Old translations no cue took, kept as ``#~`` entries."""
    merged_from: Path | None
    """The catalogue or track whose translations were merged in (None: a new catalogue)."""
    empty_cues: tuple[int, ...]
    """Numbers of the original's cues with no text (nothing to translate: left out)."""
    unused_track_cues: int
    """Cues of a merged track that match no cue of the original (the track is untouched)."""
    profile: Profile
    """The limits written into the notes (the language's norms applied)."""
    norms: ReadingNorms | None

    def to_json(self) -> dict[str, object]:
        return {
            "output": str(self.output),
            "lang": self.lang,
            "title": self.title,
            "cues": self.cues,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "merged_from": str(self.merged_from) if self.merged_from else None,
            "empty_cues": list(self.empty_cues),
            "unused_track_cues": self.unused_track_cues,
            "limits": {
                "max_chars_per_line": self.profile.max_chars_per_line,
                "max_lines": self.profile.max_lines,
                "max_cps": self.profile.max_cps,
            },
            "reading_norms": self.norms.to_json() if self.norms else None,
        }


def default_output(original: Path, lang: str) -> Path:
    """``subtitles/fi.po`` beside ``subtitles/en.srt``."""
    return original.with_name(f"{lang}.po")


def film_title(original: Path, kit: Path | None) -> str:
    """The kit's title when the original sits in a kit (or one is given); else its file name."""
    from screenkit.kit import load_kit
    from screenkit.subtitles.checkrun import find_kit_root

    root = kit if kit is not None else find_kit_root(original)
    if root is None:
        return original.name
    return load_kit(root).title


def _guard(original: Path, output: Path) -> None:
    from screenkit.subtitles.edit import same_file

    if output.suffix.lower() not in (".po", ".pot"):
        raise SubtitleError(
            f"{output}: a catalogue's name ends in .po (say -o {output.with_suffix('.po')})",
            path=output,
        )
    if same_file(original, output):
        raise SubtitleError(f"{output} is the original: write the catalogue elsewhere", path=output)
    if output.is_dir():
        raise SubtitleError(f"{output} is a folder: give a file name", path=output)


def _beside(original: Path, lang: str) -> Path | None:
    """A track in ``lang`` beside the original (``subtitles/fi.srt``), if there is one."""
    from screenkit.subtitles.edit import same_file

    for ext in TRACK_EXTS:
        candidate = original.with_name(f"{lang}{ext}")
        if candidate.is_file() and not same_file(candidate, original):
            return candidate
    return None


def _notes(cue: Cue, profile: Profile, norms: ReadingNorms | None, tr: Translator) -> list[str]:
    seconds = cue.duration / 1000
    fit = min(int(seconds * profile.max_cps), profile.max_lines * profile.max_chars_per_line)
    language = tr.language_name(norms.tag) if norms else None
    limits = tr.ngettext(
        "{max_lines} lines of at most {max_chars} characters; at {cps} characters a second, "
        "{n} character fits in {seconds}.",
        "{max_lines} lines of at most {max_chars} characters; at {cps} characters a second, "
        "{n} characters fit in {seconds}.",
        fit,
    ).format(
        max_lines=profile.max_lines,
        max_chars=profile.max_chars_per_line,
        cps=tr.number(profile.max_cps, 0),
        n=fit,
        seconds=tr.seconds(seconds),
    )
    return [
        f"{cue.number} · {format_time(cue.start)} --> {format_time(cue.end)}",
        f"{language}: {limits}" if language else limits,
    ]


def _header_comment(
    title: str, original: Path, lang: str, norms: ReadingNorms | None, tr: Translator
) -> str:
    lines = [
        tr.gettext("Subtitles of {title} ({original}) to translate; language: {language}.").format(
            title=title, original=original.name, language=tr.language_name(lang)
        ),
        tr.gettext(
            "Translate each msgstr and keep its tags (such as <i>). Each message's notes give "
            "the cue's times and how many characters fit."
        ),
        tr.gettext("Then: screenkit subs po import {catalogue}").format(catalogue=f"{lang}.po"),
    ]
    if norms is not None:
        lines.append(
            tr.gettext("Reading norms: {source}").format(source=f"{norms.chars_from}; {norms.url}")
        )
    return "\n".join(f"# {line}" for line in lines)


def export_po(
    original: Path | str,
    lang: str,
    output: Path | str | None = None,
    *,
    kit: Path | None = None,
    merge_from: Path | str | None = None,
    ui_lang: str | None = None,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
) -> PoExport:
    """Write (or merge into) the catalogue translating ``original`` into ``lang``.

    ``output`` defaults to ``<lang>.po`` beside the original. An existing ``output`` is
    merged; else ``merge_from`` (a catalogue or a track) or a ``<lang>.srt`` beside the
    original is. ``ui_lang`` is the language of the notes (default: ``lang`` when screenkit
    has a catalogue for it, else English).
    """
    from screenkit.languages import parse_tag
    from screenkit.subtitles.checkrun import find_kit_root

    original = Path(original)
    lang = parse_tag(lang)
    target = Path(output) if output is not None else default_output(original, lang)
    _guard(original, target)
    track = load_track(original, encoding=encoding)
    cues, empty = track_cues(track)
    if not cues:
        raise SubtitleError(f"{original}: no cue with text to translate", path=original)
    title = film_title(original, kit)
    kit_root = kit if kit is not None else find_kit_root(original)
    profile = for_language(load_profile(DEFAULT_PROFILE, kit_root), lang)
    norms = norms_for(lang)
    tr = _notes_translator(lang, ui_lang, kit_root)

    source = target if target.exists() else (Path(merge_from) if merge_from else None)
    source = source or _beside(original, lang)
    old_catalog: Catalog | None = None
    unused = 0
    if source is None:
        taken: dict[int, tuple[Old, bool]] = {}
        leftovers: list[Old] = []
    elif source.suffix.lower() in (".po", ".pot"):
        old_catalog = read_catalogue(source)
        old = from_catalogue(old_catalog, previous_ids(source))
        taken = match_catalogue(cues, old)
        kept = {id(o) for o, _ in taken.values()}
        leftovers = [o for o in old if id(o) not in kept]
    else:
        taken, unused = match_track(cues, load_track(source, lang=lang))
        leftovers = []

    catalog = _new_catalog(title, lang, track.lang, old_catalog, original, norms, tr)
    previous: dict[str, str] = {}
    for i, cue in enumerate(cues):
        found = taken.get(i)
        flags = ["fuzzy"] if found is not None and found[1] else []
        if found is not None and found[1]:
            was = found[0].source if found[0].source != cue.text else found[0].previous
            if was is not None and was != cue.text:
                previous[cue.context] = was
        catalog.add(
            cue.text,
            string=found[0].text if found else "",
            context=cue.context,
            auto_comments=_notes(cue, profile, norms, tr),
            user_comments=list(found[0].user_comments) if found else [],
            flags=flags,
        )
        if progress is not None:
            progress(Progress("catalogue", i + 1, len(cues), unit=" cues"))
    for o in leftovers:
        if not o.source:
            continue
        key: str | tuple[str, str] = (o.source, o.context) if o.context else o.source
        if key not in catalog.obsolete:
            catalog.obsolete[key] = Message(
                o.source, o.text, context=o.context, user_comments=list(o.user_comments)
            )
    write_catalogue(catalog, target, previous)
    fuzzy = sum(1 for _, f in taken.values() if f)
    return PoExport(
        output=target,
        lang=lang,
        title=title,
        cues=len(cues),
        translated=len(taken) - fuzzy,
        fuzzy=fuzzy,
        untranslated=len(cues) - len(taken),
        obsolete=len(catalog.obsolete),
        merged_from=source,
        empty_cues=tuple(empty),
        unused_track_cues=unused,
        profile=profile,
        norms=norms,
    )


def _notes_translator(lang: str, ui_lang: str | None, kit_root: Path | None) -> Translator:
    """The translator's language when screenkit speaks it, else ``ui_lang``, else English."""
    if ui_lang is not None:
        return translator(ui_lang, kit_root)
    tr = translator(lang, kit_root)
    return tr if tr.translated else translator("en", kit_root)


def _new_catalog(
    title: str,
    lang: str,
    source_lang: str | None,
    old: Catalog | None,
    original: Path,
    norms: ReadingNorms | None,
    tr: Translator,
) -> SubtitleCatalog:
    now = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
    locale = babel_locale(lang)
    catalog = SubtitleCatalog(
        locale=locale,
        project=title,
        fuzzy=False,
        creation_date=now,
        revision_date=old.revision_date if old is not None else now,
        charset="utf-8",
        header_comment=(
            old.header_comment
            if old is not None and old.header_comment.strip()
            else _header_comment(title, original, lang, norms, tr)
        ),
    )
    catalog.source_lang = source_lang
    catalog.msgid_bugs_address = ""
    if old is not None and not old.last_translator.startswith("FULL NAME"):
        catalog.last_translator = old.last_translator
    else:
        catalog.last_translator = ""
    if old is not None and "LL@li.org" not in old.language_team:
        catalog.language_team = old.language_team
    else:
        catalog.language_team = (
            locale.english_name if locale and locale.english_name else tr.language_name(lang)
        )
    catalog.lang_tag = lang
    if old is not None and catalogue_lang(old) not in (None, lang):
        raise SubtitleError(
            f"the catalogue being merged is in {catalogue_lang(old)}, not {lang}",
            value=catalogue_lang(old),
            hint="give -o a catalogue of this language, or --lang the catalogue's",
        )
    return catalog
