"""The ffmpeg runtime: find the binaries, run them, probe media into `MediaInfo`."""

from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.info import AudioStream, MediaInfo, SubtitleStream, VideoStream
from screenkit.media.probe import probe
from screenkit.media.runner import RunResult, run_ffmpeg, safe_input, stream_ffmpeg

__all__ = [
    "AudioStream",
    "FFmpeg",
    "MediaInfo",
    "RunResult",
    "SubtitleStream",
    "VideoStream",
    "find_ffmpeg",
    "probe",
    "run_ffmpeg",
    "safe_input",
    "stream_ffmpeg",
]
