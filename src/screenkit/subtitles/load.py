"""Loading a subtitle track whatever its format and encoding — or one clear error.

`load_track` reads SRT, ASS/SSA, WebVTT, MicroDVD and the rest of what pysubs2 reads.
The encoding is found as `screenkit.subtitles.encoding` describes (the language, from the
file name ``uk.srt`` or given, is the hint). Whatever the bytes — empty, binary, a media
file, NULs, 99:99:99 timestamps, 50 MB of junk — the outcome is a `Track` or a
`SubtitleError` naming the file, never a traceback and never a long wait: files over
`MAX_BYTES` are refused before reading.

Things noticed on the way that a subtitler should know (NUL bytes replaced, a frame rate
assumed, cues skipped, fields pysubs2 could not parse) travel in ``Track.notes`` so that
``subs check`` can show them.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pysubs2
from pysubs2.exceptions import FormatAutodetectionError

from screenkit.errors import InputError, SubtitleError
from screenkit.languages import valid_language
from screenkit.subtitles.encoding import Decoded, decode_bytes, decode_with, describe_doubt
from screenkit.subtitles.formats import by_extension
from screenkit.subtitles.timecode import format_fps, parse_fps
from screenkit.subtitles.timing import TimingRepair, repair_timing_lines
from screenkit.subtitles.webvtt import read_webvtt

MAX_BYTES = 20 * 1024 * 1024
"""A feature film's SRT is ~100 KB; an ASS with embedded fonts a few MB."""
DEFAULT_FPS = Fraction(25)
READABLE = "SRT, ASS/SSA, WebVTT, MicroDVD, MPL2, SAMI, TTML, TMP"

_SRT_TIME = re.compile(r"(\d{1,2}):(\d{1,2}):(\d{1,2})[.,](\d{1,3})")
_OVER_59 = re.compile(r"\d{1,2}:(?:[6-9]\d:\d{1,2}|\d{1,2}:[6-9]\d)[.,]\d")
_MICRODVD_FPS = re.compile(r"^\s*\{\s*1\s*\}\s*\{\s*1\s*\}\s*(\d+(?:[.,]\d+)?)\s*$")
_MICRODVD_LINE = re.compile(r"^\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\}")
_NOT_READ: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*\[\d+:\d{2}[.:]\d{2}\]", re.M), "LRC (song lyrics)"),
    (re.compile(r"^Scenarist_SCC", re.M), "Scenarist SCC (broadcast captions)"),
    (re.compile(r"^\s*\d+:\d{2}:\d{2}\.\d{3},\d+:\d{2}:\d{2}\.\d{3}\s*$", re.M), "YouTube SBV"),
    (
        re.compile(r"^\s*\[INFORMATION\]|^\d\d:\d\d:\d\d\.\d\d,\d\d:\d\d:\d\d\.\d\d\s*$", re.M),
        "SubViewer",
    ),
    (
        re.compile(r"^\s*\$FontName|^\d\d:\d\d:\d\d:\d\d\s*,\s*\d\d:\d\d:\d\d:\d\d\s*,", re.M),
        "Spruce STL",
    ),
    (re.compile(r"<tt[\s>]"), "TTML/DFXP"),
)
_PREFERRED = ("ass", "ssa", "srt", "ttml", "sami", "microdvd", "mpl2", "tmp", "json")


@dataclass(frozen=True)
class Track:
    """A loaded track: the events (pysubs2 keeps whole milliseconds) and where they came from.

    ``markup`` holds each event's text as the file wrote it (SRT/WebVTT tags kept, which
    pysubs2 turns into SubStation tags or drops); ``fps`` is the rate frame-based timing
    was read at (MicroDVD), else None.
    """

    subs: pysubs2.SSAFile
    path: Path
    encoding: str
    format: str
    lang: str | None
    fps: Fraction | None = None
    bom: bool = False
    notes: tuple[str, ...] = ()
    markup: tuple[str, ...] = ()
    line_endings: str = "LF"
    """``LF``, ``CRLF``, ``CR``, ``mixed`` or ``none`` (a single line)."""
    repairs: tuple[TimingRepair, ...] = ()
    """SRT timing lines with a slip (``00:00:09:500``), read as what they mean."""
    encoding_alternatives: tuple[tuple[str, str], ...] = ()
    """Other legacy code pages that read plausibly too: (codec, language it reads as)."""
    encoding_reads_as: str | None = None
    """The language the letters of a legacy reading look like (no hint given)."""

    @property
    def encoding_label(self) -> str:
        """``cp1251``, ``utf-8 (BOM)``: what a subtitler is told."""
        return f"{self.encoding} (BOM)" if self.bom else self.encoding

    @property
    def is_utf8(self) -> bool:
        return self.encoding in ("utf-8", "ascii")

    def encoding_doubt(self, option: str = "--encoding") -> str | None:
        """When the code page is a close call: what else it may be and how to say which."""
        return describe_doubt(
            self.encoding, self.encoding_reads_as, self.encoding_alternatives, option
        )


def language_from_name(path: Path) -> str | None:
    """``uk.srt`` → ``uk``; ``film.pt-BR.srt`` → ``pt-BR``; otherwise None."""
    parts = path.name.split(".")
    for part in reversed(parts[:-1]):
        if valid_language(part):
            return part
    return None


def decode(data: bytes, lang: str | None = None) -> tuple[str, str]:
    """Text and the encoding it was read with (kept for callers of the first cut)."""
    found = decode_bytes(data, lang)
    return found.text, found.codec


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what is not a readable file of subtitle size."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", path=path) from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror})", path=path) from exc
    if not path.is_file():
        raise InputError(f"{path} is not a file", path=path)
    if size > MAX_BYTES:
        raise SubtitleError(
            f"{path} is {size / 1e6:.1f} MB: too big for a subtitle track "
            f"(screenkit reads up to {MAX_BYTES // (1024 * 1024)} MB)",
            path=path,
            value=size,
            hint="is this really a subtitle file?",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror})", path=path) from exc


def load_track(
    path: Path | str,
    *,
    lang: str | None = None,
    encoding: str | None = None,
    fps: Fraction | None = None,
) -> Track:
    """Read a subtitle file into a `Track`; raise `SubtitleError`/`InputError` naming it.

    ``lang`` (default: from the file name) guides the encoding detection; ``encoding``
    skips detection; ``fps`` is the frame rate for frame-based formats (MicroDVD), which
    otherwise comes from the file's ``{1}{1}25`` line or is assumed to be 25.
    """
    path = Path(path)
    data = read_bytes(path)
    lang = lang or language_from_name(path)
    try:
        decoded = decode_with(data, encoding) if encoding else decode_bytes(data, lang)
        return parse_text(decoded, path=path, lang=lang, fps=fps)
    except SubtitleError as exc:
        if exc.path is not None:
            raise
        raise SubtitleError(
            f"{path}: {exc.message}", path=path, value=exc.value, hint=exc.hint
        ) from exc


def parse_text(
    decoded: Decoded, *, path: Path, lang: str | None = None, fps: Fraction | None = None
) -> Track:
    """Decoded text → `Track`; errors carry no path (the caller adds it)."""
    endings = line_endings(decoded.text)
    # pysubs2 splits lines on "\n" only: a CR-only file (old Mac) would read as one line
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    notes: list[str] = []
    if decoded.nul_count:
        notes.append(f"the file holds {decoded.nul_count} NUL byte(s); they were read as '\ufffd'")
    if not text.strip(" \t\r\n\ufeff\ufffd"):
        raise SubtitleError("the file is empty" if not text else "the file holds only blank space")
    markup: list[str] | None = None
    used_fps: Fraction | None = None
    repairs: tuple[TimingRepair, ...] = ()
    if re.match(r"\s*WEBVTT(?:[ \t\r\n]|$)", text):
        subs, markup, vtt_notes = read_webvtt(text)
        notes.extend(vtt_notes)
    else:
        fmt, text, repairs = _detect_repairing(text, path)
        if fmt in ("srt", "ass", "ssa"):
            check_times(text, fmt)
        if fmt == "microdvd":
            text, used_fps, note = _microdvd_rate(text, fps)
            if note:
                notes.append(note)
        if fmt == "srt":
            # one parse keeping the tags as written; SubStation tags made from them here
            subs = _parse(text, fmt, None, notes, keep_html_tags=True)
            markup = [e.text for e in subs]
            for event in subs:
                event.text = srt_tags_to_ass(event.text)
        else:
            subs = _parse(text, fmt, used_fps, notes)
    if markup is None or len(markup) != len(subs):
        markup = [e.text for e in subs]
    return Track(
        subs=subs,
        path=path,
        encoding=decoded.codec,
        format=subs.format or "srt",
        lang=lang,
        fps=used_fps,
        bom=decoded.bom,
        notes=tuple(notes),
        markup=tuple(markup),
        line_endings=endings,
        repairs=repairs,
        encoding_alternatives=decoded.alternatives,
        encoding_reads_as=decoded.reads_as,
    )


def _detect_repairing(text: str, path: Path) -> tuple[str, str, tuple[TimingRepair, ...]]:
    """The format, and for SRT the text with slipped timing lines read (`repair_timing_lines`).

    A file whose every timing line slipped is not recognised as SRT at first: then the
    repaired text is tried.
    """
    try:
        fmt = detect_format(text, path)
    except SubtitleError:
        repaired, repairs = repair_timing_lines(text)
        if not repairs or detect_format(repaired, path) != "srt":
            raise
        return "srt", repaired, repairs
    if fmt != "srt":
        return fmt, text, ()
    repaired, repairs = repair_timing_lines(text)
    return fmt, repaired, repairs


def line_endings(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, count in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if count]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


_SRT_TAGS = tuple(
    (re.compile(pattern), replacement)
    for tag in "isub"
    for pattern, replacement in (
        # a re template: the two backslashes in it write one
        (rf"< *{tag} *>", f"{{\\\\{tag}1}}"),
        (rf"< */ *{tag} *>", f"{{\\\\{tag}0}}"),
    )
)
_OTHER_HTML = re.compile(r"< */? *[a-zA-Z][^>]*>")


def srt_tags_to_ass(text: str) -> str:
    """What pysubs2's SRT reader does to tags: ``<i>`` → ``{\\i1}``…, other tags dropped."""
    if "<" not in text:
        return text
    for pattern, replacement in _SRT_TAGS:
        text = pattern.sub(replacement, text)
    return _OTHER_HTML.sub("", text)


def detect_format(text: str, path: Path) -> str:
    """pysubs2's detection, with the file extension settling ties and clear refusals."""
    if text.lstrip().startswith("Scenarist_SCC"):
        found: list[str] = []  # pysubs2's TMP reader would take its time codes for text lines
    else:
        try:
            return pysubs2.formats.autodetect_format(text[:10000])
        except FormatAutodetectionError as exc:
            found = list(exc.formats)
    named = by_extension(path)
    ext_format = named.name if named is not None else None
    if not found and "[Events]" in text and "[Script Info]" in text:
        return "ssa" if ext_format == "ssa" else "ass"  # a script without a styles section
    if found:
        if ext_format in found:
            return ext_format
        return min(found, key=lambda f: _PREFERRED.index(f) if f in _PREFERRED else 99)
    for pattern, kind in _NOT_READ:
        if pattern.search(text[:10000]):
            raise SubtitleError(
                f"the file looks like {kind}, which screenkit does not read",
                hint=f"convert it to SRT first; screenkit reads {READABLE}",
                value=kind,
            )
    if ext_format == "srt":
        raise SubtitleError(
            "no SRT timing line found (they look like 00:00:01,000 --> 00:00:03,500)",
            hint="check the file's timing lines",
        )
    raise SubtitleError(
        "this is not a subtitle format screenkit reads",
        hint=f"screenkit reads {READABLE}",
    )


def check_times(text: str, fmt: str) -> None:
    """Refuse timing lines whose minutes or seconds pass 59 (``99:99:99,000``).

    One C-speed scan finds time-like strings with a field over 59; only those lines are
    looked at closely (a timing line in SRT, the start/end fields of an ASS event).
    """
    for suspect in _OVER_59.finditer(text):
        line_start = text.rfind("\n", 0, suspect.start()) + 1
        line_end = text.find("\n", suspect.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if fmt == "srt":
            stamps = list(_SRT_TIME.finditer(line))
            if len(stamps) != 2:
                continue
        elif line.startswith(("Dialogue:", "Comment:")):
            fields = line.split(":", 1)[1].split(",", 4)[:4]
            stamps = [m for f in fields if (m := _SRT_TIME.fullmatch(f.strip()))]
        else:
            continue
        for stamp in stamps:
            if int(stamp.group(2)) > 59 or int(stamp.group(3)) > 59:
                number = text.count("\n", 0, line_start) + 1
                raise SubtitleError(
                    f"line {number}: '{stamp.group(0)}' is not a valid time "
                    "(minutes and seconds run from 00 to 59)",
                    value=stamp.group(0),
                )


def _microdvd_rate(text: str, fps: Fraction | None) -> tuple[str, Fraction, str | None]:
    """The rate to read frame numbers at; the ``{1}{1}25`` line is removed from the text."""
    lines = text.splitlines()
    first = next((i for i, ln in enumerate(lines) if _MICRODVD_LINE.match(ln)), None)
    declared: Fraction | None = None
    if first is not None and (m := _MICRODVD_FPS.match(lines[first])):
        try:
            declared = parse_fps(m.group(1).replace(",", "."))
        except SubtitleError:
            declared = None
        if declared is not None:
            del lines[first]
            text = "\n".join(lines)
    if fps is not None:
        return text, fps, None
    if declared is not None:
        return text, declared, None
    return (
        text,
        DEFAULT_FPS,
        f"frame-based (MicroDVD) file without a frame rate: read at {format_fps(DEFAULT_FPS)} "
        "fps; give the film's rate if it differs",
    )


def _parse(
    text: str, fmt: str, fps: Fraction | None, notes: list[str], **options: bool
) -> pysubs2.SSAFile:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            subs = pysubs2.SSAFile.from_string(
                text, format_=fmt, fps=float(fps) if fps else None, **options
            )
        except Exception as exc:  # pysubs2 raises many kinds (ValueError, KeyError, ...)
            reason = str(exc) or type(exc).__name__
            raise SubtitleError(
                f"cannot be read as {fmt.upper()} ({reason})",
                hint=f"screenkit reads {READABLE}",
                value=fmt,
            ) from exc
    seen: set[str] = set()
    for warning in caught:
        message = str(warning.message)
        if message not in seen:
            seen.add(message)
            notes.append(f"while reading: {message}")
    return subs
