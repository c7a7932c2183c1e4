"""The ASS script itself: user texts in it are escaped, styles name the staged fonts."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pysubs2

from screenkit.slides import CardSpec, CardTarget, layout_card
from screenkit.slides.render import stage_card
from screenkit.slides.text import WORD_JOINER

NASTY = "Give {\\b1}now{\\b0}:\n100% of it, \\N \"quoted\" 'too' C:\\path {x}"


def test_user_texts_reach_the_script_only_escaped(short_spec: CardSpec, tmp_path: Path) -> None:
    spec = dataclasses.replace(short_spec, appeal=NASTY, contact="{\\pos(0,0)}me@x.org")
    layout = layout_card(spec, CardTarget.plain(1280, 720))
    staged = stage_card(layout, spec, 2.0, tmp_path / "stage")
    assert sorted(p.name for p in staged.fontsdir.iterdir()) == ["font0.ttf"]
    text = staged.script.read_text(encoding="utf-8")
    subs = pysubs2.load(str(staged.script))
    events = {e.style: e.text for e in subs}
    appeal = events["Appeal"]
    # our tags open the event; after them no brace is unescaped and no backslash is live
    ours, rest = re.match(r"^(\{\\an7\\pos\(\d+,\d+\)\})(.*)$", appeal).groups()  # type: ignore[union-attr]
    assert ours
    assert not re.search(r"(?<!\\)[{}]", rest)
    assert rest.split("\\N") == [
        f"Give \\{{\\{WORD_JOINER}b1\\}}now\\{{\\{WORD_JOINER}b0\\}}:",
        f"100% of it, \\{WORD_JOINER}N \"quoted\" 'too' C:\\{WORD_JOINER}path \\{{x\\}}",
    ]
    assert "\\{\\" + WORD_JOINER + "pos(0,0)\\}me@x.org" in events["Organiser"]
    assert "\n100%" not in text  # the newline became a line break, not a raw newline
    style = subs.styles["Appeal"]
    assert style.fontname == "Noto Sans" and style.encoding == -1
    assert subs.info["WrapStyle"] == "2" and subs.info["PlayResX"] == "1280"
    assert all(e.end >= 2000 for e in subs)
