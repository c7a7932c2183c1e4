"""``screenkit subs …``: the group; edit, sync and preview commands live in sibling modules."""

from __future__ import annotations

import click

from screenkit.cli import subs_edit, subs_po, subs_sync


@click.group()
def subs() -> None:
    """Check, fix, convert, retime and sync subtitle tracks.

    \b
    A new language, translated in a PO editor (Poedit, Lokalize, Weblate):
      screenkit subs po export subtitles/en.srt --lang fi
      screenkit subs po import subtitles/fi.po
      screenkit subs compare subtitles/en.srt subtitles/fi.srt --html review.html
    \b
    A translation made elsewhere:
      screenkit subs check it.srt --film media/film.mkv
      screenkit subs fix it.srt -o it.fixed.srt
      screenkit subs sync it.fixed.srt --reference subtitles/en.srt -o it.srt
      screenkit subs preview it.srt --film media/film.mkv -o sheet.png
    """


for _command in (*subs_edit.COMMANDS, *subs_sync.COMMANDS, *subs_po.COMMANDS):
    subs.add_command(_command)

COMMANDS: list[click.Command] = [subs]
