"""The sheet's table of measured specs: the video as probed, in the sheet's language.

Kept apart from the layout (`screenkit.bundle.documents.sheet`) and the wording of the guides
(`screenkit.bundle.documents.sheet_words`): one row per fact the organiser may be asked about.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from screenkit.bundle.documents.families import FAMILIES
from screenkit.encode.colour import ColourPlan
from screenkit.encode.quality import Quality
from screenkit.i18n import Translator
from screenkit.media.info import MediaInfo

if TYPE_CHECKING:
    from screenkit.bundle.documents.sheet import DiscFacts, SheetData


def _fps(info: MediaInfo, tr: Translator) -> str:
    if info.video is None:
        return "-"
    rate = float(info.video.frame_rate)
    return tr.number(rate, 3).rstrip("0").rstrip(",.") if rate % 1 else tr.number(rate, 0)


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def specs(data: SheetData, tr: Translator) -> list[tuple[str, str]]:
    _ = tr.gettext
    info = data.video
    if info is None:
        raise ValueError("the sheet's specs need the probed video (SheetData.video)")
    rows = [
        (_("file"), data.video_name),
        (_("preset"), f"{data.preset.name} — {data.preset.description}"),
        (_("container"), _container(info, data)),
        (_("duration"), _clock(info.duration)),
        (_("size"), _("{size} MB").format(size=tr.number(info.size_bytes / 1e6))),
    ]
    if info.video is not None:
        v = info.video
        level = tr.number(v.level / 10) if v.level else "?"
        word = _("level")
        rows.append(
            (_("video"), f"{v.codec} {v.profile or ''} @ {word} {level}, {v.pix_fmt or ''}")
        )
        rows.append(
            (
                _("picture"),
                _("{width}x{height} at {fps} fps").format(
                    width=v.width, height=v.height, fps=_fps(info, tr)
                ),
            )
        )
        if data.enlarged_from is not None:
            stored_w, stored_h = data.enlarged_from
            rows.append(
                (
                    "",
                    _("enlarged from the master's stored {width}x{height}").format(
                        width=stored_w, height=stored_h
                    ),
                )
            )
        if data.conformed is not None:
            rows.append(("", _conform_note(data.conformed, tr)))
        if data.colour is not None and (colour := colour_words(data.colour, tr)) is not None:
            rows.append((_("colour"), colour))
    for a in info.audio:
        channels = tr.ngettext("{n} channel", "{n} channels", a.channels).format(n=a.channels)
        rows.append((_("audio"), f"{a.codec}, {channels}, {a.sample_rate} Hz"))
    if data.preset.audio.loudness is not None:
        target = tr.number(data.preset.audio.loudness.target, 0)
        rows.append((_("loudness"), f"{target} LUFS (EBU R128)"))
    if data.burned:
        rows.append(
            (
                _("subtitles"),
                _("{language}, burned into the picture").format(
                    language=tr.language_name(data.burned)
                ),
            )
        )
    subs = [tr.language_name(s.language or "und") for s in info.subtitles]
    if data.disc is not None:
        rows += _disc_rows(data.disc, tr)
    elif subs:
        rows.append((_("soft tracks"), ", ".join(subs)))
    if data.quality is not None:
        rows.append((_("quality"), _quality(data.quality, tr)))
    return rows


_KINDS = {"hlg": "HLG", "pq": "PQ", "dolby-vision": "Dolby Vision"}


def colour_words(plan: ColourPlan, tr: Translator) -> str | None:
    """What the encode did with the master's colour, for the organiser (None: an SDR
    master shown as it is, nothing to say)."""
    _ = tr.gettext
    kind = _KINDS.get(plan.source.dynamic_range, "HDR")
    if plan.action == "tone-map":
        words = _("tone-mapped from the master's HDR ({kind}) to SDR (BT.709, 8-bit)").format(
            kind=kind
        )
        dv = plan.source.dolby_vision
        if dv is not None:
            base = _("through its Dolby Vision {profile} base layer").format(profile=dv.name)
            words = f"{words}, {base}"
        return words
    if plan.action == "keep":
        return _(
            "HDR ({kind}) kept as in the master, 10-bit: it looks right only on a screen "
            "that shows HDR"
        ).format(kind=kind)
    if plan.action == "gamut":
        return _("the master's BT.2020 colours converted to BT.709")
    return None


def _conform_note(conformed: tuple[float, float, bool], tr: Translator) -> str:
    _ = tr.gettext
    source, target, sped_up = conformed
    fps = {"source": tr.number(source, 3).rstrip("0").rstrip(",."), "target": tr.number(target, 2)}
    if sped_up:
        return _(
            "the master's {source} fps sped up to {target}, as PAL television does: every "
            "frame shown once, the sound's pitch kept, the film {percent} shorter"
        ).format(**fps, percent=f"{(1 - source / target):.0%}")
    if source < target:
        return _("the master's {source} fps shown at {target} by repeating frames").format(**fps)
    return _("the master's {source} fps shown at {target} by leaving frames out").format(**fps)


def _container(info: MediaInfo, data: SheetData) -> str:
    said = FAMILIES[data.preset.family].container
    if said is not None:
        return said
    return "MP4" if "mp4" in info.container.split(",") else "Matroska (MKV)"


def _disc_rows(disc: DiscFacts, tr: Translator) -> list[tuple[str, str]]:
    _ = tr.gettext
    names = ", ".join(tr.language_name(lang) for lang in disc.langs)
    rows = [
        (
            _("disc"),
            _("{disc}: {size} GB").format(disc=disc.disc, size=tr.number(disc.size / 1e9, 2)),
        )
    ]
    if disc.langs:
        rows.append(
            (
                _("subtitles"),
                _("DVD subtitles (subtitle button): {languages}; {language} from the start").format(
                    languages=names, language=tr.language_name(disc.langs[0])
                ),
            )
        )
    return rows


def _quality(q: Quality, tr: Translator) -> str:
    """``SSIM 0.9871, PSNR 41.2 dB against the master (every frame)``: the figures as
    measurement tools print them, the words in the sheet's language."""
    _ = tr.gettext
    sampled = _("every frame") if q.every == 1 else _("one frame in {n}").format(n=q.every)
    psnr = f"{q.psnr:.1f} dB" if math.isfinite(q.psnr) else _("identical")
    return _("SSIM {ssim}, PSNR {psnr} against the master ({sampled})").format(
        ssim=f"{q.ssim:.4f}", psnr=psnr, sampled=sampled
    )
