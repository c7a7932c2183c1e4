"""Pure decisions about the output picture: its size, its frame rate, and whether to copy.

Sizes keep the picture's shape as a viewer sees it (SAR applied, rotation applied), fit in
the preset's box, and are even (4:2:0 needs it). They grow only to reach the preset's
minimum frame (``min_width`` x ``min_height``, as a box: the picture is enlarged until it
touches the box in one dimension, so a wide film reaches the width and a tall one the
height); a preset without one never enlarges. Frame rates are standard
rates, reduced by a whole divisor when the source is faster than the player accepts (50 →
25, not 30: no judder).
"""

from __future__ import annotations

from fractions import Fraction

from screenkit.encode.colour import colour_plan
from screenkit.encode.options import EncodeOptions, OutputFormat
from screenkit.media.info import MediaInfo, VideoStream
from screenkit.presets.model import VenuePreset

STANDARD_RATES = (
    Fraction(24000, 1001), Fraction(24), Fraction(25), Fraction(30000, 1001), Fraction(30),
    Fraction(48), Fraction(50), Fraction(60000, 1001), Fraction(60),
)  # fmt: skip
COPY_BITRATE_SHARE = 0.8
"""A copied stream's average bitrate must stay below this share of the preset's peak: the
average is all a probe can tell, and peaks run above it."""


def _even(value: float, limit: int) -> int:
    return max(2, min(limit - limit % 2, 2 * round(value / 2)))


def fit_size(width: float, height: float, max_width: int, max_height: int) -> tuple[int, int]:
    """The displayed ``width``x``height`` scaled (down only) into the box, even-sized."""
    scale = min(1.0, max_width / width, max_height / height)
    return _even(width * scale, max_width), _even(height * scale, max_height)


def _standard(rate: Fraction) -> Fraction | None:
    """The standard rate within 1 % of ``rate`` (the nearest one), or None."""
    nearest = min(STANDARD_RATES, key=lambda std: abs(rate - std))
    return nearest if abs(rate - nearest) / nearest < Fraction(1, 100) else None


def choose_rate(video: VideoStream, max_fps: Fraction) -> Fraction:
    """The constant output frame rate for ``video`` under ``max_fps``."""
    nominal = video.frame_rate
    if video.vfr or (_standard(nominal) is None and nominal > max_fps):
        # a phone's nominal rate is its fastest stretch; a container's may be a time base
        std = _standard(nominal)
        if std is None:
            avg = video.avg_frame_rate or nominal
            std = next((r for r in STANDARD_RATES if r >= avg * Fraction(99, 100)), max_fps)
        nominal = std
    rate = _standard(nominal) or nominal
    if rate <= max_fps:
        return rate
    for divisor in range(2, 9):
        reduced = rate / divisor
        if reduced <= max_fps:
            return reduced if reduced >= 20 else max_fps
    return max_fps


def _shown(video: VideoStream) -> tuple[float, float]:
    """The picture as shown, unrounded: SAR applied to the width, then the rotation."""
    width, height = float(video.width * video.sar), float(video.height)
    return (height, width) if video.rotation in (90, 270) else (width, height)


def enlargement(video: VideoStream, preset: VenuePreset) -> float:
    """How much the shown picture must grow to reach the preset's minimum box (1.0: none)."""
    width, height = _shown(video)
    spec = preset.video
    needs = [
        low / have
        for low, have in ((spec.min_width, width), (spec.min_height, height))
        if low is not None and have > 0
    ]
    return max(1.0, min(needs)) if needs else 1.0


def output_size(video: VideoStream, preset: VenuePreset) -> tuple[int, int]:
    """The encoded size: the shown picture, enlarged to the minimum box, fitted in the maximum."""
    scale = enlargement(video, preset)
    if scale > 1.0:
        width, height = (side * scale for side in _shown(video))
    else:
        width, height = (float(side) for side in video.display_size)
    return fit_size(width, height, preset.video.max_width, preset.video.max_height)


def below_minimum(video: VideoStream, preset: VenuePreset) -> bool:
    return enlargement(video, preset) > 1.0


def copy_blockers(info: MediaInfo, preset: VenuePreset, options: EncodeOptions) -> list[str]:
    """Why the source's video stream cannot be copied as it is (empty: it can)."""
    video = info.video
    spec = preset.video
    if video is None:
        return ["no video stream"]
    reasons = []
    if not (options.allow_copy and spec.copy_when_compliant):
        reasons.append("copying is turned off")
    if preset.subtitles.burn and options.burn is not None:
        reasons.append("subtitles are burned in")
    if options.start is not None or options.duration is not None:
        reasons.append("a cut needs frame-exact ends")
    plan = colour_plan(info, preset, options.tone_mapping)
    if plan.action == "tone-map":
        kind = {"hlg": "HLG", "pq": "PQ"}.get(video.colour.dynamic_range, "HDR")
        reasons.append(f"HDR ({kind}) is tone-mapped to SDR for this preset")
    elif plan.action == "gamut":
        reasons.append("BT.2020 colours are converted to BT.709")
    elif plan.action == "keep":
        reasons.append("HDR is kept as 10-bit H.264")
    if video.codec != spec.codec:
        reasons.append(f"codec {video.codec}, not {spec.codec}")
    if not spec.accepts_profile(video.profile):
        reasons.append(f"profile {video.profile}, above {spec.profile}")
    if video.level is None or video.level > spec.level_idc:
        reasons.append(f"level {video.level}, above {spec.level_idc}")
    if video.pix_fmt != spec.pix_fmt:
        reasons.append(f"pixel format {video.pix_fmt}")
    if video.width > spec.max_width or video.height > spec.max_height:
        reasons.append(f"{video.width}x{video.height} is larger than the preset allows")
    if video.width % 2 or video.height % 2:
        reasons.append("odd picture size")
    if below_minimum(video, preset):
        reasons.append(
            f"{video.width}x{video.height} is below the preset's minimum "
            f"{spec.min_width or '-'}x{spec.min_height or '-'} frame"
        )
    if video.sar != 1:
        reasons.append(f"non-square pixels (SAR {video.sar})")
    if video.rotation:
        reasons.append(f"rotation metadata ({video.rotation}°) that players ignore")
    if video.interlaced:
        reasons.append("interlaced")
    if spec.cfr and video.vfr:
        reasons.append("variable frame rate")
    if video.frame_rate > spec.max_fps * Fraction(1001, 1000):
        reasons.append(f"{float(video.frame_rate):g} fps is above {float(spec.max_fps):g}")
    rate = video.bit_rate
    if rate is None and info.bit_rate:  # Matroska keeps no per-stream rate
        rate = info.bit_rate - sum(a.bit_rate or 0 for a in info.audio)
    if spec.max_bitrate_kbps is not None and (
        rate is None or rate > spec.max_bitrate_kbps * 1000 * COPY_BITRATE_SHARE
    ):
        reasons.append(f"bitrate {rate} may exceed the {spec.max_bitrate_kbps} kbit/s peak")
    limit = preset.file_size_limit
    if limit is not None and rate is not None:
        audio = (preset.audio.bitrate_kbps or 1536) * 1000
        if (rate + audio) / 8 * cut_duration(info, options) > limit * 0.98:
            reasons.append("the copied stream would not fit the file-size limit")
    return reasons


def output_channels(info: MediaInfo, preset: VenuePreset) -> int:
    if preset.audio.channels is not None:
        return preset.audio.channels
    return info.audio[0].channels if info.audio else 2


def output_format(
    info: MediaInfo, preset: VenuePreset, options: EncodeOptions | None = None
) -> OutputFormat:
    """What the encode of ``info`` under ``preset`` will be. Pure."""
    options = options or EncodeOptions()
    video = info.video
    if video is None:
        raise ValueError("output_format needs a source with video")
    copy = not copy_blockers(info, preset, options)
    colour = colour_plan(info, preset, options.tone_mapping)
    enlarged_from = None
    if copy:
        width, height, rate = video.width, video.height, video.frame_rate
    else:
        width, height = output_size(video, preset)
        rate = choose_rate(video, preset.video.max_fps)
        if below_minimum(video, preset):
            enlarged_from = (video.width, video.height)
    return OutputFormat(
        width=width,
        height=height,
        frame_rate=rate,
        pix_fmt=colour.pix_fmt,
        sample_rate=preset.audio.sample_rate,
        channels=output_channels(info, preset),
        copy_video=copy,
        duration=cut_duration(info, options),
        enlarged_from=enlarged_from,
        colour=colour,
    )


def cut_duration(info: MediaInfo, options: EncodeOptions) -> float:
    start = options.start or 0.0
    rest = max(0.0, info.duration - start)
    return min(rest, options.duration) if options.duration is not None else rest
