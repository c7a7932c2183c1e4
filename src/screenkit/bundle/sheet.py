"""``SCREENING.html`` and ``SCREENING.txt``: the organiser's sheet for the evening.

What is inside the bundle, how to play it on that kind of device, the file's specs (as
probed, not as intended), a checklist to go through before the doors open, and the appeal.
Every text from the kit (title, appeal, venue, ...) is HTML-escaped in the HTML sheet.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset, language_name

Device = Literal["usb", "laptop", "browser", "archive"]


@dataclass(frozen=True)
class SheetFile:
    path: str
    """Relative to the bundle folder, ``/``-separated."""
    what: str
    lang: str | None = None
    """For a subtitle file: its language."""


@dataclass(frozen=True)
class SheetData:
    title: str
    bundle: str
    lang: str
    burned: str | None
    soft: tuple[str, ...]
    preset: VenuePreset
    video: MediaInfo
    video_name: str
    clip_name: str
    files: tuple[SheetFile, ...]
    appeal_text: str
    beneficiary: str
    link: str
    venue: str | None
    date: str | None
    contact: str | None
    card_image: str | None
    frame_image: str | None
    quality: str | None = None
    """The film encode's measured picture quality, one line (None: copied, not encoded)."""


def device_kind(preset: VenuePreset) -> Device:
    """Which playing guide fits: from what the preset does, not from its name."""
    if preset.audio.is_pcm:
        return "archive"
    if preset.subtitles.burn:
        return "usb"
    if preset.subtitles.sidecar == "vtt":
        return "browser"
    return "laptop"


def how_to_play(data: SheetData) -> list[str]:
    kind = device_kind(data.preset)
    name = data.video_name
    if kind == "usb":
        limit = data.preset.file_size_limit
        stick = "FAT32 is fine" if limit and limit <= 4 << 30 else "exFAT or NTFS"
        return [
            f"Copy the whole folder onto a USB stick ({stick}); eject it properly.",
            "Plug the stick into the TV or projector, open its media player "
            "('USB', 'Media', 'Movie' or 'Video' in the source or home menu).",
            f"Choose '{name}'. The {language_name(data.burned or data.lang)} subtitles are "
            "burned into the picture: there is nothing to switch on.",
            "If the player offers subtitle files instead, copy one from subtitles/ beside the "
            "film and give it the film's name with .srt at the end.",
        ]
    if kind == "laptop":
        default = language_name(data.lang)
        return [
            f"Open '{name}' in VLC (Media > Open File) or mpv.",
            f"The {default} subtitles are on by default. Other languages: VLC: Subtitle > "
            "Sub Track; mpv: press j to cycle, J to go back.",
            "Full screen: f (both players). Connect the projector before opening the film; "
            "mirror the screen or move the player window onto it.",
            "Switch off sleep, the screen saver and notifications; plug in the charger.",
        ]
    if kind == "browser":
        return [
            f"Open '{name}' in a browser (drag it into Firefox or Chrome), or open "
            "SCREENING.html, whose player loads the subtitles.",
            "Subtitles for the player are in subtitles/ as WebVTT (.vtt) files: a web page "
            'shows them with <track kind="subtitles" src="…" srclang="…">.',
            "Full screen: the player's button or f. Turn off notifications first.",
        ]
    return [
        "This is the hand-over copy for another distributor: high quality, every subtitle "
        "track soft, uncompressed sound.",
        "Check it with `screenkit verify` on the receiving side; play it with VLC or mpv.",
    ]


CHECKLIST = (
    "Play the test clip ({clip}) on the very device of the evening, with its sound system.",
    "Check the subtitles are readable from the back row.",
    "Set the sound level with the card and the first minutes: voices clear at the back.",
    "Check the QR code on the card can be scanned from the seats (try with two phones).",
    "Set up the fundraiser: the link or QR code works, a box or a card reader is ready, "
    "someone says a word before or after the film.",
)


def _fps(info: MediaInfo) -> str:
    if info.video is None:
        return "-"
    rate = info.video.frame_rate
    return f"{float(rate):.3f}".rstrip("0").rstrip(".")


def specs(data: SheetData) -> list[tuple[str, str]]:
    info = data.video
    rows = [
        ("file", data.video_name),
        ("container", "MP4" if "mp4" in info.container.split(",") else "Matroska (MKV)"),
        ("duration", _clock(info.duration)),
        ("size", f"{info.size_bytes / 1e6:.1f} MB"),
    ]
    if info.video is not None:
        v = info.video
        level = f"{v.level / 10:.1f}" if v.level else "?"
        rows.append(("video", f"{v.codec} {v.profile or ''} @ level {level}, {v.pix_fmt or ''}"))
        rows.append(("picture", f"{v.width}x{v.height} at {_fps(info)} fps"))
    for a in info.audio:
        rows.append(("audio", f"{a.codec}, {a.channels} channels, {a.sample_rate} Hz"))
    if data.preset.audio.loudness is not None:
        rows.append(("loudness", f"{data.preset.audio.loudness.target:g} LUFS (EBU R128)"))
    subs = [language_name(s.language or "und") for s in info.subtitles]
    if data.burned:
        rows.append(("subtitles", f"{language_name(data.burned)}, burned into the picture"))
    if subs:
        rows.append(("soft tracks", ", ".join(subs)))
    if data.quality:
        rows.append(("quality", data.quality))
    return rows


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _organiser(data: SheetData) -> list[str]:
    return [x for x in (data.venue, data.date, data.contact) if x]


def render_text(data: SheetData) -> str:
    lines = [data.title, "=" * len(data.title), ""]
    lines.append(
        f"Screening bundle '{data.bundle}': {language_name(data.lang)}, "
        f"for {data.preset.name} ({data.preset.description})."
    )
    if _organiser(data):
        lines.append(" · ".join(_organiser(data)))
    lines += ["", "What is inside", "--------------"]
    lines += [f"  {f.path}  -  {f.what}" for f in data.files]
    lines += ["", "How to play it", "--------------"]
    lines += [f"  {n}. {step}" for n, step in enumerate(how_to_play(data), 1)]
    lines += ["", "Specs (measured)", "----------------"]
    lines += [f"  {k:<12} {v}" for k, v in specs(data)]
    lines += ["", "Before the doors open", "---------------------"]
    lines += [f"  [ ] {c.format(clip=data.clip_name)}" for c in CHECKLIST]
    lines += ["", "The appeal", "----------", data.appeal_text, ""]
    lines += [f"  For:    {data.beneficiary}", f"  Donate: {data.link}", ""]
    return "\n".join(lines)


def _ul(items: Sequence[str]) -> str:
    return "<ul>\n" + "\n".join(f"  <li>{i}</li>" for i in items) + "\n</ul>"


_STYLE = (
    "body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.45}"
    "table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #ccc;"
    "text-align:left;vertical-align:top}img{max-width:100%;border:1px solid #999}"
    "figure{display:inline-block;margin:0 1em 1em 0;max-width:46%}"
    ".appeal{background:#f4f4f4;padding:1em;white-space:pre-wrap}"
)


def render_html(data: SheetData) -> str:
    e = html.escape
    lang = e(data.lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(data.title)} - screening sheet</title><style>{_STYLE}</style></head>",
        "<body>",
        f"<h1>{e(data.title)}</h1>",
        f"<p>Screening bundle <b>{e(data.bundle)}</b>: {e(language_name(data.lang))}, for "
        f"<b>{e(data.preset.name)}</b> ({e(data.preset.description)}).</p>",
    ]
    if _organiser(data):
        parts.append(f"<p>{' · '.join(e(x) for x in _organiser(data))}</p>")
    figures = []
    if data.card_image:
        figures.append((data.card_image, "The appeal card, shown before the film"))
    if data.frame_image:
        figures.append((data.frame_image, "A subtitled frame: is it readable from the back?"))
    if figures:
        parts.append(
            "".join(
                f'<figure><img src="{e(src)}" alt="{e(cap)}"><figcaption>{e(cap)}</figcaption>'
                "</figure>"
                for src, cap in figures
            )
        )
    parts.append("<h2>What is inside</h2>")
    parts.append(_ul([f'<a href="{e(f.path)}">{e(f.path)}</a> — {e(f.what)}' for f in data.files]))
    parts.append("<h2>How to play it</h2>")
    parts.append("<ol>" + "".join(f"<li>{e(step)}</li>" for step in how_to_play(data)) + "</ol>")
    if device_kind(data.preset) == "browser":
        tracks = "".join(
            f'<track kind="subtitles" src="{e(f.path)}" srclang="{e(f.lang or "und")}" '
            f'label="{e(language_name(f.lang or "und"))}"'
            f"{' default' if f.lang == data.lang else ''}>"
            for f in data.files
            if f.path.startswith("subtitles/") and f.path.endswith(".vtt")
        )
        parts.append(
            f'<video controls preload="metadata" style="width:100%" '
            f'src="{e(data.video_name)}">{tracks}</video>'
        )
    parts.append("<h2>Specs (measured)</h2>")
    parts.append(
        "<table>"
        + "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in specs(data))
        + "</table>"
    )
    parts.append("<h2>Before the doors open</h2>")
    parts.append(_ul([f"&#9744; {e(c.format(clip=data.clip_name))}" for c in CHECKLIST]))
    parts.append("<h2>The appeal</h2>")
    parts.append(f'<div class="appeal" lang="{lang}">{e(data.appeal_text)}</div>')
    link = e(data.link)
    parts.append(f'<p>For <b>{e(data.beneficiary)}</b> — donate at <a href="{link}">{link}</a></p>')
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
