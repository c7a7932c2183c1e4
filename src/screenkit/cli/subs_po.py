"""``subs po export | import`` and ``subs compare``: thin commands over the translators' tools.

What they print is in the translator's language (``--ui-lang``; by default the translation's
language when screenkit has its catalogue, else English), as the notes and the report are.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from screenkit.cli.common import (
    bars_wanted,
    emit_json,
    json_option,
    kit_option,
    lang_option,
    note,
    progress_bars,
    quiet_option,
)
from screenkit.i18n import Translator, translator
from screenkit.subtitles.compare import Comparison, compare_files
from screenkit.subtitles.compare_report import report_translator, write_report
from screenkit.subtitles.compare_words import (
    comparison_json,
    counts,
    describe,
    severity_label,
)
from screenkit.subtitles.po_export import export_po
from screenkit.subtitles.po_import import CueNote, PoImport, import_po
from screenkit.subtitles.timecode import format_time

_LISTED = 20
_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}

ui_lang_option = lang_option(
    "Language of what is printed (and of the report): default the translation's, when "
    "screenkit speaks it, else English.",
    "--ui-lang",
)
kit_dir_option = kit_option(
    "The kit (its title, fonts, profiles); default: the one holding the track.", default=None
)


def _speaking(lang: str | None, ui_lang: str | None) -> Translator:
    if ui_lang is not None:
        return translator(ui_lang)
    tr = translator(lang) if lang else translator("en")
    return tr if tr.translated else translator("en")


def _cues(notes: Sequence[CueNote]) -> str:
    listed = ", ".join(str(n.number) for n in notes[:_LISTED])
    return listed + (" …" if len(notes) > _LISTED else "")


@click.group()
def po() -> None:
    """Translate a track in the tools translators use: a gettext catalogue (.po).

    \b
    Start a language from the original, translate it in Poedit, Lokalize or Weblate,
    and turn it back into a track with the original's timing:
      screenkit subs po export subtitles/en.srt --lang fi      # writes subtitles/fi.po
      screenkit subs po import subtitles/fi.po                 # writes subtitles/fi.srt
      screenkit subs compare subtitles/en.srt subtitles/fi.srt --html review.html
    """


@po.command("export")
@click.argument("original", type=click.Path(path_type=Path))
@lang_option("The language to translate into (fi, pt-BR …).", required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The catalogue (default: LANG.po beside ORIGINAL). An existing one is merged.",
)
@click.option(
    "--from",
    "merge_from",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A catalogue or track whose translations to merge (default: LANG.srt beside ORIGINAL).",
)
@click.option("--encoding", metavar="ENC", help="Read ORIGINAL as ENC instead of detecting it.")
@kit_dir_option
@ui_lang_option
@json_option
def export_command(
    original: Path,
    lang: str,
    output: Path | None,
    merge_from: Path | None,
    encoding: str | None,
    kit_dir: Path | None,
    ui_lang: str | None,
    as_json: bool,
) -> None:
    """Write a catalogue translating ORIGINAL into --lang: one message per cue.

    Each message has the original's text, a context with the cue's number and times,
    and notes with the language's reading limits (42 characters a line, 17 a second for
    Finnish …). An existing catalogue (or a LANG.srt beside ORIGINAL) is merged, never
    overwritten: translations are kept, a cue whose original changed is marked fuzzy,
    old translations no cue takes stay as obsolete entries. msgfmt --check accepts it.
    """
    result = export_po(
        original,
        lang,
        output,
        kit=kit_dir,
        merge_from=merge_from,
        ui_lang=ui_lang,
        encoding=encoding,
    )
    if as_json:
        emit_json(result.to_json())
        return
    tr = _speaking(lang, ui_lang)
    if result.merged_from is not None:
        note(tr.gettext("merged the translations of {path}").format(path=result.merged_from))
    note(
        tr.gettext(
            "wrote {path}: {cues} cues; {translated} translated, {fuzzy} fuzzy, "
            "{untranslated} untranslated"
        ).format(
            path=result.output,
            cues=result.cues,
            translated=result.translated,
            fuzzy=result.fuzzy,
            untranslated=result.untranslated,
        )
    )
    if result.obsolete:
        note(
            tr.ngettext(
                "{n} old translation no cue takes is kept at the end of the file (#~)",
                "{n} old translations no cue takes are kept at the end of the file (#~)",
                result.obsolete,
            ).format(n=result.obsolete)
        )
    if result.unused_track_cues:
        note(
            tr.ngettext(
                "{n} cue of {path} matches no cue of the original; it is not in the catalogue",
                "{n} cues of {path} match no cue of the original; they are not in the catalogue",
                result.unused_track_cues,
            ).format(n=result.unused_track_cues, path=result.merged_from)
        )
    qc = result.profile
    note(
        tr.gettext(
            "limits in the notes: {chars} characters a line, {lines} lines, {cps} characters "
            "a second"
        ).format(chars=qc.max_chars_per_line, lines=qc.max_lines, cps=tr.number(qc.max_cps, 0))
    )


def _render_import(result: PoImport, tr: Translator) -> None:
    if result.untranslated:
        click.secho(
            tr.gettext("untranslated, left out: cues {cues}").format(
                cues=_cues(result.untranslated)
            ),
            err=True,
            fg="yellow",
        )
    if result.fuzzy:
        click.secho(
            tr.gettext("fuzzy, used but to review: cues {cues}").format(cues=_cues(result.fuzzy)),
            err=True,
            fg="yellow",
        )
    if result.unmatched:
        click.secho(
            tr.ngettext(
                "{n} message matches no cue of the original: export the catalogue again to "
                "merge it",
                "{n} messages match no cue of the original: export the catalogue again to "
                "merge them",
                len(result.unmatched),
            ).format(n=len(result.unmatched)),
            err=True,
            fg="yellow",
        )
    if result.rebroken:
        note(
            tr.gettext("broken into two lines of at most {chars} characters: cues {cues}").format(
                chars=result.max_chars_per_line, cues=_cues(result.rebroken)
            )
        )
    if result.backup is not None:
        note(
            tr.gettext("the previous {name} is kept as {backup}").format(
                name=result.output.name, backup=result.backup
            )
        )
    note(
        tr.gettext("wrote {path}: {written} of {cues} cues, timed as {timing}").format(
            path=result.output,
            written=result.written,
            cues=result.cues,
            timing=result.timing.name if result.timing else tr.gettext("the catalogue says"),
        )
    )


@po.command("import")
@click.argument("catalogue", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The track (default: the catalogue's name as .srt); an existing one is kept as .bak.",
)
@click.option(
    "--timing",
    type=click.Path(path_type=Path),
    metavar="ORIGINAL",
    help="Take the times from the original track (default: the catalogue's contexts).",
)
@click.option("--strict", is_flag=True, help="Untranslated or fuzzy messages are an error.")
@ui_lang_option
@json_option
def import_command(
    catalogue: Path,
    output: Path | None,
    timing: Path | None,
    strict: bool,
    ui_lang: str | None,
    as_json: bool,
) -> None:
    """Write the track CATALOGUE translates, with the original's timing to the millisecond.

    Untranslated messages are left out and listed, fuzzy ones used and listed (--strict:
    either is an error and nothing is written). A translation left as one line longer
    than the language's line length is broken in two; your own line breaks are kept.
    """
    result = import_po(catalogue, output, timing=timing, strict=strict)
    if as_json:
        emit_json(result.to_json())
        return
    _render_import(result, _speaking(result.lang, ui_lang))


def _render_compare(c: Comparison, tr: Translator) -> None:
    originals = sum(len(p.original) for p in c.pairs)
    click.echo(
        tr.gettext(
            "{translation} against {original}: {matched} of {cues} cues have a "
            "counterpart; {chars} characters a line, {cps} a second"
        ).format(
            translation=c.translation,
            original=c.original,
            matched=c.matched,
            cues=originals,
            chars=c.profile.max_chars_per_line,
            cps=tr.number(c.profile.max_cps, 0),
        )
    )
    for problem in c.file_problems:
        said = describe(problem, c, tr)
        severity = click.style(
            f"{severity_label(problem.severity, tr):<10}", fg=_COLOURS.get(problem.severity)
        )
        click.echo(f"  {severity} {'':<22}  {said.title}: {said.message}")
        click.echo(f"  {'':<35}→ {said.advice}")
    for pair in c.flagged:
        side = pair.translation or pair.original
        cues = "/".join(
            "+".join(str(x.number) for x in s) or "–" for s in (pair.original, pair.translation)
        )
        where = f"{cues:<9} {format_time(side[0].start)}"
        for problem in pair.problems:
            said = describe(problem, c, tr)
            label = severity_label(problem.severity, tr)
            severity = click.style(f"{label:<10}", fg=_COLOURS.get(problem.severity))
            click.echo(f"  {severity} {where}  {said.title}: {said.message}")
            click.echo(f"  {'':<35}→ {said.advice}")
    totals = [label for _, label in counts(c, tr)]
    click.echo("  " + (", ".join(totals) if totals else tr.gettext("Nothing to fix")))


@click.command()
@click.argument("original", type=click.Path(path_type=Path))
@click.argument("translation", type=click.Path(path_type=Path))
@click.option(
    "--film",
    type=click.Path(path_type=Path),
    help="The film: the report shows its frame at each flagged cue, the translation burned in.",
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(path_type=Path),
    help="Write the review as one self-contained HTML page.",
)
@lang_option("TRANSLATION's language (default: from its name, fi.srt).")
@click.option(
    "--profile",
    "-p",
    metavar="NAME|FILE",
    help="QC profile (default netflix, held to the translation's language's reading norms).",
)
@kit_dir_option
@ui_lang_option
@json_option
@quiet_option
def compare(
    original: Path,
    translation: Path,
    film: Path | None,
    html_out: Path | None,
    lang: str | None,
    profile: str | None,
    kit_dir: Path | None,
    ui_lang: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Review TRANSLATION against ORIGINAL cue by cue, side by side.

    \b
    Finds cues missing or extra (aligned by time), timing that moved, lines left as the
    original's text or in its language, numbers (years, counts, times) changed or lost,
    lines too long or too fast for the translation's language, characters the font lacks.
    Exits 1 when a finding is an error, as 'subs check' does.
      screenkit subs compare subtitles/en.srt subtitles/fi.srt
      screenkit subs compare subtitles/en.srt subtitles/fi.srt \\
          --film media/film.mkv --html review.html
    """
    if film is not None and html_out is None:
        raise click.UsageError("--film puts frames in the report: give --html OUT too")
    if html_out is not None:
        from screenkit.subtitles.edit import same_file

        for given in (original, translation, *([film] if film else [])):
            if same_file(given, html_out):
                raise click.UsageError(f"--html {html_out} is an input file")
    c = compare_files(original, translation, lang=lang, profile=profile, kit=kit_dir)
    tr = report_translator(c, ui_lang, kit_dir)
    written = None
    if html_out is not None:
        from screenkit.subtitles.checkrun import kit_of

        root, fonts = kit_of(translation, kit_dir)
        with progress_bars(quiet or as_json) as progress:
            watched = progress if bars_wanted(quiet or as_json) else None
            written = write_report(
                c, html_out, film=film, ui_lang=tr.lang, kit=root, fonts=fonts, progress=watched
            )
    if as_json:
        document = comparison_json(c, tr)
        document["html"] = str(written.path) if written else None
        emit_json(document)
    else:
        _render_compare(c, tr)
        if written is not None:
            note(tr.gettext("wrote {path}").format(path=written.path))
    if not c.ok:
        raise click.exceptions.Exit(1)


COMMANDS: list[click.Command] = [po, compare]
