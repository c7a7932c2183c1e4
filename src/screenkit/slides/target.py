"""What the card must be: picture size, rate, safe area, and the encode that lets it join.

A card joined to a film by stream copy must carry the film's very stream parameters:
codec, profile, level, size, SAR, frame rate, time base, pixel format, and for H.264 the
same SPS/PPS headers, or a player decoding the film with the card's headers breaks. x264
writes its settings into the first frame; `x264_params_for` keeps those that shape the
headers (entropy coder, references, B-frames, weighted prediction, 8x8 transform, chroma QP
offset, rate control's initial QP, HRD) and lets the card's speed settings be its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from screenkit.media.info import MediaInfo
from screenkit.slides.bitstream import VideoBitstream, read_video_bitstream
from screenkit.slides.errors import JoinError

Container = Literal["mp4", "mkv"]
AAC_FRAME = 1024
"""Samples per AAC frame; ffmpeg's AAC encoder also primes with one frame before zero."""
PCM_CODECS = ("pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_s16be", "pcm_s24be")
X264_PROFILES = {
    "baseline": "baseline",
    "constrained baseline": "baseline",
    "main": "main",
    "high": "high",
    "high 10": "high10",
    "high 4:2:2": "high422",
    "high 4:4:4 predictive": "high444",
}
# x264 settings string key -> x264-params key, for the settings that shape SPS/PPS
_HEADER_KEYS = {
    "cabac": "cabac",
    "ref": "ref",
    "bframes": "bframes",
    "b_pyramid": "b-pyramid",
    "weightb": "weightb",
    "weightp": "weightp",
    "8x8dct": "8x8dct",
    "constrained_intra": "constrained-intra",
    "chroma_qp_offset": "chroma-qp-offset",
    "bluray_compat": "bluray-compat",
    "intra_refresh": "intra-refresh",
    "keyint": "keyint",
    "open_gop": "open-gop",
    "stitchable": "stitchable",
    "fake_interlaced": "fake-interlaced",
    "nal_hrd": "nal-hrd",
    "vbv_maxrate": "vbv-maxrate",
    "vbv_bufsize": "vbv-bufsize",
    "filler": "filler",
}


@dataclass(frozen=True)
class VideoParams:
    """The card's video encode. ``x264`` pairs go to ``-x264-params`` after the preset."""

    codec: str = "h264"
    profile: str | None = "high"
    level: int | None = None
    pix_fmt: str = "yuv420p"
    x264: tuple[tuple[str, str], ...] = (("crf", "20"),)
    x264_preset: str = "veryfast"
    color: tuple[int, int, int, int] = (0, 2, 2, 2)
    """color_range, color_primaries, color_trc, colorspace (ffmpeg's numbers; 0/2 = unset)."""
    timescale: int | None = None
    """The MP4 track timescale of the film (its time base's denominator)."""
    parameter_sets: tuple[bytes, ...] = ()
    """The film's SPS/PPS, which the card's must equal for a clean join (empty: no film)."""


@dataclass(frozen=True)
class AudioParams:
    """One silent audio stream of the card, as the film's stream at the same index."""

    codec: str = "aac"
    sample_rate: int = 48000
    channels: int = 2
    layout: str | None = "stereo"
    bit_rate: int | None = 128_000
    language: str | None = None

    @property
    def frame_size(self) -> int:
        return AAC_FRAME if self.codec == "aac" else 0

    @property
    def priming(self) -> int:
        return AAC_FRAME if self.codec == "aac" else 0


@dataclass(frozen=True)
class CardTarget:
    """The card's picture and encode. ``safe_area`` is the fraction kept clear on each side."""

    width: int
    height: int
    frame_rate: Fraction = Fraction(25)
    sar: Fraction = Fraction(1)
    safe_area: float = 0.05
    container: Container = "mp4"
    video: VideoParams = field(default_factory=VideoParams)
    audio: tuple[AudioParams, ...] = (AudioParams(),)

    def __post_init__(self) -> None:
        if self.width < 64 or self.height < 64:
            raise JoinError(f"a {self.width}x{self.height} frame is too small for a card")
        if not 0 <= self.safe_area < 0.3:
            raise JoinError(f"a safe area of {self.safe_area:g} is not a fraction below 0.3")

    @property
    def extension(self) -> str:
        return f".{self.container}"

    @classmethod
    def plain(
        cls,
        width: int,
        height: int,
        frame_rate: Fraction | int = 25,
        *,
        safe_area: float = 0.05,
        container: Container = "mp4",
    ) -> CardTarget:
        """A card for looking at (not for joining): x264 High, stereo AAC at 48 kHz."""
        return cls(
            width=width,
            height=height,
            frame_rate=Fraction(frame_rate),
            safe_area=safe_area,
            container=container,
        )

    @classmethod
    def from_media_info(cls, info: MediaInfo, *, safe_area: float = 0.05) -> CardTarget:
        """The card that joins ``info``'s file (the ENCODED film) by stream copy."""
        video = info.video
        if video is None:
            raise JoinError(f"{info.path} holds no video: nothing to put a card in front of")
        if video.codec != "h264":
            raise JoinError(
                f"{info.path} holds {video.codec} video; cards join H.264 films only",
                path=info.path,
            )
        if video.interlaced:
            raise JoinError(f"{info.path} is interlaced; cards join progressive films only")
        bits = read_video_bitstream(info.path)
        audio = tuple(_audio_params(info, n) for n in range(len(info.audio)))
        rates = {a.sample_rate for a in audio}
        if len(rates) > 1:
            raise JoinError(
                f"{info.path} has audio tracks at different sample rates", path=info.path
            )
        return cls(
            width=video.width,
            height=video.height,
            frame_rate=video.frame_rate,
            sar=video.sar if video.sar > 0 else Fraction(1),
            safe_area=safe_area,
            container="mkv" if "matroska" in info.container else "mp4",
            video=VideoParams(
                codec="h264",
                profile=X264_PROFILES.get((video.profile or "").lower()),
                level=video.level if video.level and video.level > 0 else None,
                pix_fmt=video.pix_fmt or "yuv420p",
                x264=x264_params_for(bits),
                x264_preset="veryfast",
                color=(bits.color_range, bits.color_primaries, bits.color_trc, bits.colorspace),
                timescale=bits.time_base.denominator if bits.time_base.numerator == 1 else None,
                parameter_sets=bits.parameter_sets,
            ),
            audio=audio,
        )


def _audio_params(info: MediaInfo, n: int) -> AudioParams:
    stream = info.audio[n]
    if stream.codec == "aac":
        if stream.profile and stream.profile.upper() not in ("LC", "AAC-LC", "AAC LC"):
            raise JoinError(
                f"{info.path} has {stream.profile} AAC audio; cards join AAC-LC or PCM",
                path=info.path,
            )
    elif stream.codec not in PCM_CODECS:
        raise JoinError(
            f"{info.path} has {stream.codec} audio; cards join AAC-LC or PCM audio",
            path=info.path,
        )
    return AudioParams(
        codec=stream.codec,
        sample_rate=stream.sample_rate,
        channels=stream.channels,
        layout=stream.layout,
        bit_rate=stream.bit_rate if stream.codec == "aac" else None,
        language=stream.language,
    )


def x264_params_for(bits: VideoBitstream) -> tuple[tuple[str, str], ...]:
    """x264-params reproducing the film's SPS/PPS; a best guess when x264 did not make it.

    psy is switched off so that x264 does not shift the chroma QP offset it was given (it
    lowers it by up to 4 when psy-rd/psy-trellis are on; the film's string shows the result).
    Rate control is the film's, as the PPS's initial QP follows it (CRF's integer part, 26 for
    bitrate modes).
    """
    opts = bits.x264_options
    if opts is None:
        bframes = {0: "0", 1: "3"}.get(bits.reorder_delay, "3")
        pyramid = "2" if bits.reorder_delay >= 2 else "0"
        return (("bframes", bframes), ("b-pyramid", pyramid), ("crf", "20"))
    params: list[tuple[str, str]] = []
    for key, name in _HEADER_KEYS.items():
        if key in opts:
            params.append((name, opts[key]))
    interlaced = opts.get("interlaced", "0")
    if interlaced in ("tff", "bff"):
        params.append((interlaced, "1"))
    cqm = {"0": "flat", "1": "jvt"}.get(opts.get("cqm", "0"))
    if cqm:
        params.append(("cqm", cqm))
    params.append(("psy", "0"))
    rc = opts.get("rc", "crf")
    if rc == "crf" and "crf" in opts:
        params.append(("crf", opts["crf"]))
    elif rc == "cqp" and "qp" in opts:
        params.append(("qp", opts["qp"]))
    elif "bitrate" in opts:
        params.append(("bitrate", opts["bitrate"]))
    return tuple(params)
