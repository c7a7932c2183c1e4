"""What ``probe`` (and ``sample``) print: a media file, and what an encode makes of it.

CLI English (``probe`` is a tool for whoever prepares the film, not an organiser's page).
"""

from __future__ import annotations

from screenkit.encode.colour import ColourPlan, HdrError
from screenkit.encode.options import OutputFormat
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset


def describe(info: MediaInfo) -> list[str]:
    """The file's streams, one line each; the picture's colour on a line of its own."""
    lines = [
        f"{info.path}",
        f"  container  {info.container}, {info.duration:.3f} s, {info.size_bytes:,} bytes",
    ]
    if (v := info.video) is not None:
        rate = f"{float(v.frame_rate):.3f} fps ({v.frame_rate})"
        extra = []
        if v.vfr:
            extra.append(f"variable frame rate, average {float(v.avg_frame_rate or 0):.3f}")
        if v.interlaced:
            extra.append(f"interlaced ({v.field_order})")
        profile = " ".join(p for p in (v.profile, f"L{v.level / 10:g}" if v.level else None) if p)
        lines.append(
            f"  video      #{v.index} {v.codec} {profile} {v.shown_as()} {v.pix_fmt}, {rate}"
            + (f"; {'; '.join(extra)}" if extra else "")
        )
        lines.append(f"  colour     {v.colour.describe()}")
    for a in info.audio:
        lang = f" [{a.language}]" if a.language else ""
        lines.append(
            f"  audio      #{a.index} {a.codec} {a.layout or a.channels} {a.sample_rate} Hz{lang}"
        )
    for s in info.subtitles:
        lang = f" [{s.language}]" if s.language else ""
        lines.append(f"  subtitles  #{s.index} {s.codec}{lang}{' default' if s.default else ''}")
    return lines


def colour_words(plan: ColourPlan | None) -> str | None:
    """What the encode does with the colour, when it does anything worth saying."""
    if plan is None:
        return None
    if plan.action == "none":
        return None
    return plan.note()


def describe_output(preset: VenuePreset, fmt: OutputFormat) -> list[str]:
    """The picture an encode for ``preset`` makes: size, rate, and the colour's fate."""
    rate = f"{float(fmt.frame_rate):.3f} fps"
    if fmt.copy_video:
        how = "video copied as it is"
    elif fmt.size_note:
        low = f"{preset.video.min_width or '-'}x{preset.video.min_height or '-'}"
        how = f"encoded at {fmt.size_note} (the preset's minimum frame is {low})"
    else:
        how = f"encoded at {fmt.width}x{fmt.height}"
    lines = [f"  {preset.name:<10} {how}, {rate}"]
    if (colour := colour_words(fmt.colour)) is not None:
        lines.append(f"  {'':<10} {colour}")
    return lines


def describe_refusal(preset: VenuePreset, error: HdrError) -> list[str]:
    """A preset the master cannot be encoded for (a Dolby Vision profile 5 master)."""
    lines = [f"  {preset.name:<10} refused: {error.message}"]
    if error.hint:
        lines.append(f"  {'':<10} fix: {error.hint}")
    return lines
