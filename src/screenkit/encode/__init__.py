"""The encoding engine: a file that plays on the device that is there.

Pure builders turn (MediaInfo, preset, options) into ffmpeg argv (`plan_encode`); `encode`
runs them through the one runner and checks the result against the preset.
"""

from screenkit.encode.builder import EncodePlan, SizeLimitError, bitrate_budget, video_codec_args
from screenkit.encode.compliance import ComplianceError, Mismatch
from screenkit.encode.family import check_compliance, plan_encode
from screenkit.encode.geometry import choose_rate, copy_blockers, fit_size, output_format
from screenkit.encode.loudness import Loudness, cached_loudness, measure_loudness
from screenkit.encode.options import EncodeOptions, EncodeResult, OutputFormat, SubtitleInput
from screenkit.encode.run import DryRun, dry_run, encode
from screenkit.encode.subs import write_sidecars

__all__ = [
    "ComplianceError",
    "DryRun",
    "EncodeOptions",
    "EncodePlan",
    "EncodeResult",
    "Loudness",
    "Mismatch",
    "OutputFormat",
    "SizeLimitError",
    "SubtitleInput",
    "bitrate_budget",
    "cached_loudness",
    "check_compliance",
    "choose_rate",
    "copy_blockers",
    "dry_run",
    "encode",
    "fit_size",
    "measure_loudness",
    "output_format",
    "plan_encode",
    "video_codec_args",
    "write_sidecars",
]
