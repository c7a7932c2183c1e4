"""What the organiser reads, in their language: names, sizes, durations, errors.

Every message is a ``tr.gettext("…")`` call on a `screenkit.i18n.Translator`, so the
catalogue test finds it (the app's own words live in ``i18n/locale/app/<lang>.po``).
Numbers, sizes, dates and durations are formatted by Babel in the page's locale. A library
error is shown in the page's language: its exact message where a catalogue holds it, else
a sentence chosen by its kind (and its key), with the CLI's own words kept for the details.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from babel.units import format_unit

from screenkit.errors import (
    ConfigError,
    FFmpegFailed,
    FFmpegNotFound,
    InputError,
    ProbeError,
    ScreenkitError,
    SubtitleError,
)
from screenkit.i18n import Translator

APP_LANGUAGES = ("en", "it", "uk", "pl", "de")
"""The languages the app's own words are written in (English is the msgids)."""


def best_language(accept: str | None, offered: Sequence[str] = APP_LANGUAGES) -> str:
    """The first of ``offered`` an ``Accept-Language`` header asks for, by its weights."""
    wanted: list[tuple[float, int, str]] = []
    for n, part in enumerate((accept or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag:
            wanted.append((-weight, n, tag.lower()))
    for _, _, tag in sorted(wanted):
        base = tag.split("-")[0]
        if base in offered:
            return base
    return "en"


def number(tr: Translator, value: float, digits: int = 0) -> str:
    return tr.number(value, digits)


def size(tr: Translator, size_bytes: float) -> str:
    """``1,2 GB``, ``350 MB`` in the page's locale (decimal units, as disks are sold)."""
    if size_bytes >= 1e9:
        value, unit, digits = size_bytes / 1e9, "digital-gigabyte", 1
    elif size_bytes >= 1e6:
        value, unit, digits = size_bytes / 1e6, "digital-megabyte", 0 if size_bytes >= 1e7 else 1
    else:
        value, unit, digits = max(size_bytes / 1e3, 1), "digital-kilobyte", 0
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return str(format_unit(value, unit, length="short", locale=tr.locale, format=pattern))


def duration(tr: Translator, seconds: float) -> str:
    """A length as people say it: ``45 секунд``, ``12 хвилин``, ``1 год 10 хв``."""
    seconds = max(0.0, seconds)
    if seconds < 90:
        return str(format_unit(round(seconds), "duration-second", length="long", locale=tr.locale))
    minutes = round(seconds / 60)
    if minutes < 90:
        return str(format_unit(minutes, "duration-minute", length="long", locale=tr.locale))
    hours, rest = divmod(minutes, 60)
    h = format_unit(hours, "duration-hour", length="short", locale=tr.locale)
    m = format_unit(rest, "duration-minute", length="short", locale=tr.locale)
    return f"{h} {m}" if rest else str(h)


def percent(tr: Translator, fraction: float) -> str:
    return (
        str(format_decimal(max(0.0, min(1.0, fraction)) * 100, format="0", locale=tr.locale))
        + "\u00a0%"
    )


def evening_date(lang: str, day: date | None, at: time | None) -> str | None:
    """The date line of the card and poster in the *bundle's* language (``14 березня 2026 р.,
    20:30``): the page's date and time pickers give ISO values, the audience reads this."""
    locale = _locale(lang)
    parts = []
    if day is not None:
        parts.append(str(format_date(day, format="long", locale=locale)))
    if at is not None:
        parts.append(str(format_time(at, format="short", locale=locale)))
    return ", ".join(parts) or None


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, TypeError):
        return Locale.parse("en")


def step_name(tr: Translator, kind: str, label: str = "") -> str:
    """A build step by what it makes (the engine's labels are the CLI's English words: only
    their first word is read, to tell the two cards and the two pictures apart)."""
    if kind == "card" and label.startswith("outro"):
        return tr.gettext("Drawing the appeal card for after the film")
    if kind == "stills":
        if label.startswith("picture of the card"):
            return tr.gettext("Taking a picture of the card")
        return tr.gettext("Taking a picture of the subtitles")
    names = {
        "film": tr.gettext("Encoding the film"),
        "chunk": tr.gettext("Encoding a part of the film"),
        "loudness": tr.gettext("Measuring the sound"),
        "card": tr.gettext("Drawing the appeal card"),
        "legacycard": tr.gettext("Drawing the appeal card"),
        "join": tr.gettext("Putting the card and the film together"),
        "mux": tr.gettext("Adding the subtitle tracks"),
        "clip": tr.gettext("Cutting the test clip"),
        "sidecars": tr.gettext("Writing the subtitle files"),
        "sheet": tr.gettext("Writing the screening sheet"),
        "poster": tr.gettext("Printing the poster"),
        "webpage": tr.gettext("Making the browser page"),
        "subpictures": tr.gettext("Drawing the DVD subtitles"),
        "dvdauthor": tr.gettext("Authoring the DVD"),
        "dvdiso": tr.gettext("Making the disc image"),
        "manifest": tr.gettext("Listing and sealing the bundle"),
        "download": tr.gettext("Downloading the bundle"),
        "verify": tr.gettext("Checking every file of the bundle"),
    }
    return names.get(kind, tr.gettext("Another step"))


def step_state(tr: Translator, state: str) -> str:
    return {
        "waiting": tr.gettext("waiting"),
        "running": tr.gettext("running"),
        "done": tr.gettext("done"),
        "cached": tr.gettext("ready from an earlier build"),
    }.get(state, state)


def build_state(
    tr: Translator, state: str, phase: str, position: int = 0, kind: str = "build"
) -> str:
    if state == "queued":
        if position:
            return tr.ngettext(
                "Waiting: {n} build before this one",
                "Waiting: {n} builds before this one",
                position,
            ).format(n=position)
        return tr.gettext("Waiting for the build before this one to finish")
    if state == "running":
        return {
            "planning": tr.gettext("Preparing the build"),
            "verifying": tr.gettext("Checking every file of the bundle"),
            "downloading": tr.gettext("Downloading the bundle"),
        }.get(phase, tr.gettext("Building"))
    if state == "failed" and kind == "download":
        return tr.gettext("The download failed")
    return {
        "done": tr.gettext("Ready"),
        "failed": tr.gettext("The build failed"),
        "cancelled": tr.gettext("Cancelled"),
    }.get(state, state)


def time_left(tr: Translator, seconds: float | None) -> str:
    if seconds is None:
        return tr.gettext("working out the time left")
    return tr.gettext("about {time} left").format(time=duration(tr, max(seconds, 1)))


@dataclass(frozen=True)
class Explained:
    """An error as the page shows it: in the page's language, with the CLI's words kept."""

    message: str
    hint: str | None
    original: str
    original_hint: str | None
    log_tail: str | None = None


def explain(tr: Translator, exc: ScreenkitError) -> Explained:
    """``exc`` in the page's language (see the module text)."""
    from screenkit.app.choice import MAX_TEXT, ChoiceError
    from screenkit.app.downloads import download_refusal_words
    from screenkit.app.translate import TranslationRefused, refusal_words
    from screenkit.bundle import BuildCancelled, DiskFull
    from screenkit.diskspace import NotEnoughSpace
    from screenkit.placeholders import PlaceholderAppeal
    from screenkit.presets import PresetNotFound

    exact = tr.gettext(exc.message)
    message: str | None = exact if exact != exc.message else None
    hint = tr.gettext(exc.hint) if exc.hint and tr.gettext(exc.hint) != exc.hint else None
    value = str(exc.value) if exc.value is not None and not isinstance(exc.value, list) else ""
    if message is None:
        if isinstance(exc, TranslationRefused):
            message, hint = refusal_words(tr, exc)
        elif (said := download_refusal_words(tr, exc)) is not None:
            message, hint = said
        elif isinstance(exc, BuildCancelled):
            message = tr.gettext("The build was cancelled. Nothing half-made was kept.")
            hint = tr.gettext(
                "Steps that had finished are kept: building again goes on from there."
            )
        elif isinstance(exc, NotEnoughSpace):
            message = tr.gettext(
                "Not enough free space: the build needs about {need} on the disk holding "
                "{path}, and it has {free}."
            ).format(need=size(tr, exc.need_bytes), free=size(tr, exc.free_bytes), path=exc.path)
            hint = tr.gettext("Free some space on that disk, then build again.")
        elif isinstance(exc, DiskFull):
            message = tr.gettext("The disk filled up during the build ({path}).").format(
                path=exc.path or "?"
            )
            hint = tr.gettext("Free some space on that disk, then build again.")
        elif isinstance(exc, PlaceholderAppeal):
            message = tr.gettext(
                "The appeal still holds the placeholder text: the card would show it to the "
                "audience."
            )
            hint = tr.gettext(
                "Write the real appeal in the kit (who the money is for, the https link, "
                "the text in appeal/), then open the kit again."
            )
        elif isinstance(exc, PresetNotFound):
            message = tr.gettext("There is no device called '{name}'.").format(name=value)
            hint = tr.gettext("Choose one of the devices on the page.")
        elif isinstance(exc, FFmpegNotFound):
            message = tr.gettext("ffmpeg, which makes the video, cannot be found.")
            hint = tr.gettext("Run screenkit doctor in a terminal: it says what to install.")
        elif isinstance(exc, FFmpegFailed):
            message = tr.gettext("A step of the build failed.")
            hint = tr.gettext(
                "Try once more. If it fails again, send the details below to whoever "
                "gave you the kit."
            )
        elif isinstance(exc, ChoiceError) and exc.key in ("venue", "date", "contact"):
            field = {
                "venue": tr.gettext("Where"),
                "date": tr.gettext("Date"),
                "contact": tr.gettext("Contact"),
            }[exc.key]
            message = tr.gettext("'{field}' must be one line of at most {n} characters.").format(
                field=field, n=MAX_TEXT
            )
            hint = None
        elif isinstance(exc, ChoiceError) and exc.key == "day":
            message = tr.gettext("The date or the time is not valid.")
            hint = None
        elif exc.key in ("--lang", "lang", "--burn"):
            message = tr.gettext("'{lang}' is not one of the kit's languages.").format(lang=value)
            hint = tr.gettext("Choose one of the languages on the page.")
        elif exc.key == "name":
            message = tr.gettext("'{name}' cannot be used as a name.").format(name=value[:40])
            hint = None
        elif isinstance(exc, ProbeError):
            message = tr.gettext("This file cannot be read as a film: {path}").format(
                path=exc.path or value
            )
            hint = tr.gettext("Check that the film in the kit is whole (copied completely).")
        elif isinstance(exc, SubtitleError):
            message = tr.gettext("A subtitle file cannot be used: {path}").format(
                path=exc.path or value
            )
            hint = tr.gettext("Open the Subtitles page to see what is wrong with it.")
        elif isinstance(exc, ConfigError):
            where = f"{exc.path.name}" if exc.path else "screenkit.toml"
            message = tr.gettext("The kit's settings have a problem in {file}.").format(file=where)
            hint = tr.gettext("The details below say where. Whoever made the kit can fix it.")
        elif isinstance(exc, InputError):
            message = tr.gettext("A file cannot be used: {path}").format(path=exc.path or value)
            hint = tr.gettext("The details below say why.")
        else:
            message = tr.gettext("Something went wrong.")
            hint = tr.gettext("The details below say what.")
    tail = exc.stderr_tail if isinstance(exc, FFmpegFailed) else None
    return Explained(message, hint, exc.message, exc.hint, tail[-3000:] if tail else None)


def native_name(tag: str) -> str:
    """A language in itself, capitalised as a picker shows it: ``Українська``."""
    from screenkit.languages import native_name as name

    text = name(tag)
    return text[:1].upper() + text[1:]
