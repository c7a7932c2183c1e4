"""Every `ScreenkitError` crosses a process boundary intact (issue 13, item 5)."""

from __future__ import annotations

import importlib
import multiprocessing
import pickle
import pkgutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from pathlib import Path

import pytest

import screenkit
from screenkit.bundle.engine.errors import DiskFull
from screenkit.diskspace import NotEnoughSpace
from screenkit.dvd.errors import DvdToolFailed, DvdToolsMissing
from screenkit.encode.compliance import ComplianceError, Mismatch
from screenkit.errors import FFmpegFailed, FFmpegTooOld, ScreenkitError
from screenkit.slides.errors import AppealTooLong, MissingGlyphsError
from screenkit.stick import DestinationRefused, Finding, ReadBackFailed, StickFull
from screenkit.subtitles.po_import import CueNote, PoImport, PoIncomplete
from screenkit.subtitles.save import EncodingError, Unencodable
from screenkit.subtitles.sync import SyncNotTrusted, SyncResult, SyncSegment


def _all_error_classes() -> list[type[ScreenkitError]]:
    for info in pkgutil.walk_packages(screenkit.__path__, "screenkit."):
        if not info.name.endswith(".__main__"):  # importing that one runs the CLI
            importlib.import_module(info.name)
    found: list[type[ScreenkitError]] = []
    todo: list[type[ScreenkitError]] = [ScreenkitError]
    while todo:
        cls = todo.pop()
        if cls not in found:
            found.append(cls)
            todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _sync_result() -> SyncResult:
    return SyncResult(
        track=Path("uk.srt"),
        against=Path("film.mkv"),
        method="audio",
        ratio=Fraction(25, 24),
        segments=(SyncSegment(first_event=1, last_event=15, track_start=0.0, offset=-2.28),),
        dropped=(3,),
        confidence=0.2,
        events=15,
        matched=0.4,
    )


# classes whose constructor is not the base one's: how to make one with every attribute set
_EXAMPLES: dict[type[ScreenkitError], Callable[[], ScreenkitError]] = {
    FFmpegTooOld: lambda: FFmpegTooOld(
        "ffmpeg 4.2 is too old", path=Path("/usr/bin/ffmpeg"), version="4.2", hint="upgrade"
    ),
    FFmpegFailed: lambda: FFmpegFailed(
        "ffmpeg failed",
        argv=["ffmpeg", "-i", "in.mkv", "out.mp4"],
        returncode=187,
        stderr_tail="Conversion failed!",
        path=Path("out.mp4"),
        hint="look at the log",
    ),
    DiskFull: lambda: DiskFull("no space left", path=Path("/out"), free_bytes=4096),
    DvdToolsMissing: lambda: DvdToolsMissing(["dvdauthor", "xorriso"]),
    DvdToolFailed: lambda: DvdToolFailed(
        "spumux failed", argv=["spumux", "-s", "0", "subs.xml"], stderr_tail="ERR: bad image"
    ),
    NotEnoughSpace: lambda: NotEnoughSpace(
        "the stick has 3 MB, the bundle needs 900 MB",
        path=Path("/media/stick"),
        need_bytes=900_000_000,
        free_bytes=3_000_000,
        hint="use a larger stick",
    ),
    AppealTooLong: lambda: AppealTooLong(
        "the appeal is too long",
        lines_needed=9,
        lines_available=6,
        excess_chars=120,
        path=Path("appeal/it.txt"),
        hint="shorten it",
    ),
    MissingGlyphsError: lambda: MissingGlyphsError(
        "no glyph for 漢", characters=["漢", "字"], hint="add a kit font"
    ),
    ComplianceError: lambda: ComplianceError(
        Path("film.mp4"), "usb-player", [Mismatch("level", "4.1", "5.0")]
    ),
    EncodingError: lambda: EncodingError(
        "cp1252 cannot hold ї",
        path=Path("uk.srt"),
        encoding="cp1252",
        characters=(Unencodable(char="ї", events=((1, 4000),), in_header=False),),
    ),
    SyncNotTrusted: lambda: SyncNotTrusted("low confidence", result=_sync_result(), hint="-f"),
    PoIncomplete: lambda: PoIncomplete(
        "fi.po: not finished",
        path=Path("fi.po"),
        result=PoImport(
            output=Path("fi.srt"),
            backup=None,
            lang="fi",
            timing=None,
            cues=2,
            written=1,
            untranslated=(CueNote(2, 4000, "Hello."),),
            fuzzy=(),
            rebroken=(),
            unmatched=(),
            max_chars_per_line=42,
        ),
    ),
    DestinationRefused: lambda: DestinationRefused(
        "film.mp4 is too large for FAT32",
        [Finding("error", "file-too-large", {"file": "film.mp4", "size": 1 << 32})],
        path=Path("out/sample-demo"),
    ),
    ReadBackFailed: lambda: ReadBackFailed(
        "film.mp4 read back differs",
        path=Path("/media/stick"),
        file="film.mp4",
        cause="stick",
        hint="use another stick",
    ),
    StickFull: lambda: StickFull("the stick filled up", path=Path("/media/stick"), free_bytes=0),
}


def _example(cls: type[ScreenkitError]) -> ScreenkitError:
    if cls in _EXAMPLES:
        return _EXAMPLES[cls]()
    assert cls.__init__ is ScreenkitError.__init__, (
        f"{cls.__qualname__} has its own constructor: add an example to _EXAMPLES"
    )
    return cls(
        f"a {cls.__name__}", path=Path("kit/screenkit.toml"), key="kit.lang", value=3, hint="do X"
    )


ERROR_CLASSES = _all_error_classes()


def test_the_walk_finds_the_whole_family() -> None:
    names = {c.__name__ for c in ERROR_CLASSES}
    assert {"ConfigError", "FFmpegFailed", "DiskFull", "SyncNotTrusted", "PresetNotFound"} <= names
    assert len(ERROR_CLASSES) >= 20


def _same(a: ScreenkitError, b: ScreenkitError) -> None:
    assert type(b) is type(a)
    assert str(b) == str(a) and b.args == a.args
    for attr in ("message", "path", "key", "value", "hint"):
        assert getattr(b, attr) == getattr(a, attr), attr
    assert vars(b) == vars(a)


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_every_error_round_trips_through_pickle(cls: type[ScreenkitError]) -> None:
    original = _example(cls)
    original.add_note("while building sample-demo")
    if cls in _EXAMPLES:
        extra = set(vars(original)) - {"message", "path", "key", "value", "hint", "__notes__"}
        assert extra, f"the example of {cls.__name__} sets none of its own attributes"
    else:
        assert original.path is not None and original.key and original.hint
    back = pickle.loads(pickle.dumps(original, protocol=pickle.HIGHEST_PROTOCOL))
    _same(original, back)
    assert back.__notes__ == ["while building sample-demo"]


def _fail_in_worker(name: str) -> None:
    cls = next(c for c in _all_error_classes() if c.__name__ == name)
    raise _example(cls)


@pytest.mark.parametrize("name", ["FFmpegFailed", "SyncNotTrusted", "PresetNotFound"])
def test_an_error_raised_in_a_worker_process_reaches_the_parent_intact(name: str) -> None:
    # spawn: a fresh interpreter, so nothing is shared with the parent but the pickle
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        future = pool.submit(_fail_in_worker, name)
        with pytest.raises(ScreenkitError) as info:
            future.result(timeout=60)
    cls = next(c for c in ERROR_CLASSES if c.__name__ == name)
    _same(_example(cls), info.value)


def test_a_worker_error_is_reported_as_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    from screenkit.cli import _report

    original = _EXAMPLES[FFmpegFailed]()
    _report(original)
    here = capsys.readouterr().err
    _report(pickle.loads(pickle.dumps(original)))
    assert capsys.readouterr().err == here
    assert here.startswith("Error: ffmpeg failed\n") and "Conversion failed!" in here
