"""Property tests: any track goes out as a catalogue and comes back timed to the millisecond."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pysubs2
from babel.messages.pofile import read_po, write_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screenkit.subtitles.po_export import export_po
from screenkit.subtitles.po_import import import_po

WORDS = ["hello", "Hello", "päivää", "жизнь", "1989", "<i>yes</i>", "no.", "—", "«ok»", "50%",
         '"quoted"', "ąęłż", "O'Neil", "8:30", "ÆØÅ", "x"]  # fmt: skip
line = st.lists(st.sampled_from(WORDS), min_size=1, max_size=9).map(" ".join)
text = st.lists(line, min_size=1, max_size=2).map("\n".join)
cue = st.tuples(st.integers(0, 5_000), st.integers(1, 7_000), text)


def _write(folder: Path, cues: list[tuple[int, int, str]]) -> Path:
    subs = pysubs2.SSAFile()
    at = 0
    for gap, length, words in cues:
        at += gap
        subs.append(pysubs2.SSAEvent(start=at, end=at + length, text=words.replace("\n", r"\N")))
    path = folder / "en.srt"
    subs.save(str(path))
    return path


def _translate(po: Path) -> dict[str, str]:
    with po.open("rb") as fh:
        catalog = read_po(fh)
    done = {}
    for message in catalog:
        if message.id:
            message.string = "FI " + str(message.id)
            done[str(message.context)] = message.string
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    po.write_bytes(buffer.getvalue())
    return done


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cue, min_size=1, max_size=12))
def test_export_translate_import_keeps_every_time_and_text(
    cues: list[tuple[int, int, str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        original = _write(Path(tmp), cues)
        po = export_po(original, "fi").output
        _translate(po)
        for timing in (None, original):
            result = import_po(po, Path(tmp) / "fi.srt", timing=timing)
            assert result.complete
            got = pysubs2.load(str(result.output))
            want = pysubs2.load(str(original))
            assert [(e.start, e.end) for e in got] == [(e.start, e.end) for e in want]
            for mine, theirs in zip(got, want, strict=True):
                assert mine.plaintext.replace("\n", " ") == "FI " + theirs.plaintext.replace(
                    "\n", " "
                )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cue, min_size=1, max_size=10))
def test_exporting_again_keeps_every_translation(cues: list[tuple[int, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        original = _write(Path(tmp), cues)
        po = export_po(original, "fi").output
        done = _translate(po)
        again = export_po(original, "fi")
        assert (again.translated, again.fuzzy, again.untranslated) == (len(done), 0, 0)
        with po.open("rb") as fh:
            kept = {str(m.context): m.string for m in read_po(fh) if m.id}
        assert kept == done
