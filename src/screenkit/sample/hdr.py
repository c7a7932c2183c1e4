"""Masters as phones make them: HLG, PQ (HDR10) and Dolby Vision, and SDR BT.709 / BT.601.

For tests and benchmarks. The picture is laid out to be measured: the top two thirds are a
test pattern made in SDR BT.709 and converted into the master's colour the way BT.2408 puts
SDR into HDR (graphics white at 203 cd/m²: HLG 75 %, PQ 58 %), so the SDR pattern itself is
the reference a tone mapping back should come near; the bottom third is a grey ramp over
the master's own signal range (HLG 0-100 %, PQ up to 1000 cd/m², SDR black to white) whose
upper part shows how highlights above graphics white roll off or clip.

HDR masters are 10-bit HEVC from libx265 with the colour in the stream (VUI, and for PQ the
mastering display and content light level SEI) and in the container. A Dolby Vision master
is an HEVC MP4 whose sample entry carries the Dolby Vision configuration record (``dvcC``)
an iPhone writes: no encoder here makes Dolby Vision RPUs from nothing (libx265 wants them
from a decoded Dolby Vision source), and the record is what screenkit reads to choose the
base layer.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from screenkit.media.atomic import atomic_output
from screenkit.media.binaries import FFmpeg, find_ffmpeg
from screenkit.media.colour import DolbyVision
from screenkit.media.dovi import mp4_boxes
from screenkit.sample.sources import SourceSpec, make_source

MasterKind = Literal["hlg", "pq", "sdr709", "sdr601"]
PICTURE_SHARE = 2 / 3
"""The test pattern's share of the height; the grey ramp fills the rest."""
GRAPHICS_WHITE = 203.0
"""cd/m² of SDR white in an HDR picture (ITU-R BT.2408)."""
PQ_RAMP_PEAK = 0.7518
"""PQ signal of 1000 cd/m², the top of a PQ master's ramp (its mastering display's peak)."""
MASTER_DISPLAY = "G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50)"
"""x265's mastering-display: BT.2020 primaries, D65, 1000 cd/m² peak, 0.005 black."""
MAX_CLL = "1000,400"

_COLOUR = {
    # kind: (primaries, transfer, matrix, pixel format)
    "hlg": ("bt2020", "arib-std-b67", "bt2020nc", "yuv420p10le"),
    "pq": ("bt2020", "smpte2084", "bt2020nc", "yuv420p10le"),
    "sdr709": ("bt709", "bt709", "bt709", "yuv420p"),
    "sdr601": ("smpte170m", "smpte170m", "smpte170m", "yuv420p"),
}


@dataclass(frozen=True)
class MasterSpec:
    kind: MasterKind
    duration: float = 3.0
    width: int = 320
    height: int = 180
    fps: str = "25"
    pattern: str = "testsrc2"
    """The lavfi source of the SDR test pattern (``testsrc2``, ``smptehdbars``, ``rgbtestsrc``)."""
    dolby_vision: DolbyVision | None = None
    """Write this configuration record into the MP4 (HLG/PQ masters, ``.mp4`` only)."""
    audio: bool = True
    crf: int = 16


def picture_height(height: int) -> int:
    """Rows of the test pattern (even); the ramp takes the rest."""
    return 2 * round(height * PICTURE_SHARE / 2)


def master_graph(spec: MasterSpec) -> str:
    """The lavfi graph of the master's picture in its own colour (pattern over ramp)."""
    primaries, transfer, matrix, pix_fmt = _COLOUR[spec.kind]
    top = picture_height(spec.height)
    size = f"{spec.width}x{top}"
    ramp = f"{spec.width}x{spec.height - top}"
    hdr = spec.kind in ("hlg", "pq")
    linear = (
        "format=gbrp,zscale=tin=bt709:pin=bt709:min=gbr:rin=full"
        ":t=linear:p=bt709:m=gbr:r=full,format=gbrpf32le"
    )
    npl = f":npl={GRAPHICS_WHITE:g}" if hdr else ""
    picture = (
        f"{spec.pattern}=size={size}:rate={spec.fps},{linear},"
        f"zscale=p={primaries}:t={transfer}:m={matrix}:r=tv{npl},format={pix_fmt}[p]"
    )
    peak = PQ_RAMP_PEAK if spec.kind == "pq" else 1.0
    grey = (
        f"nullsrc=size={ramp}:rate={spec.fps},format=gray16le,"
        f"geq=lum='X/(W-1)*{peak * 65535:.0f}',format={pix_fmt}[r]"
    )
    # the frames carry the tags too: ffmpeg 9 takes them from the frames, not -color_trc
    tags = f"color_primaries={primaries}:color_trc={transfer}:colorspace={matrix}:range=tv"
    return f"{picture};{grey};[p][r]vstack,setparams={tags}"


def _video_codec(spec: MasterSpec) -> tuple[str, ...]:
    primaries, transfer, matrix, pix_fmt = _COLOUR[spec.kind]
    tags = (
        "-color_primaries", primaries, "-color_trc", transfer,
        "-colorspace", matrix, "-color_range", "tv",
    )  # fmt: skip
    if spec.kind in ("hlg", "pq"):
        params = f"log-level=error:colorprim={primaries}:transfer={transfer}:colormatrix={matrix}"
        if spec.kind == "pq":
            params += f":hdr10=1:master-display={MASTER_DISPLAY}:max-cll={MAX_CLL}"
        return (
            "libx265", "-preset", "ultrafast", "-crf", str(spec.crf),
            "-pix_fmt", pix_fmt, "-x265-params", params, "-tag:v", "hvc1", *tags,
        )  # fmt: skip
    return ("libx264", "-preset", "ultrafast", "-crf", str(spec.crf), "-pix_fmt", pix_fmt, *tags)


def make_master(out: Path, spec: MasterSpec, *, ffmpeg: FFmpeg | None = None) -> Path:
    """Write a master of ``spec.kind`` to ``out`` (container from the extension), atomically."""
    ffmpeg = ffmpeg or find_ffmpeg()
    source = SourceSpec(
        duration=spec.duration,
        width=spec.width,
        height=spec.height,
        fps=spec.fps,
        audio_channels=2 if spec.audio else None,
        picture=master_graph(spec),
        video_codec=_video_codec(spec),
    )
    if spec.dolby_vision is None:
        return make_source(out, source, ffmpeg=ffmpeg)
    if out.suffix.lower() not in (".mp4", ".mov"):
        raise ValueError("a Dolby Vision master is an MP4 or MOV")
    with atomic_output(out) as part:
        plain = part.with_name(part.stem + ".plain" + part.suffix)
        try:
            make_source(plain, source, ffmpeg=ffmpeg)
            part.write_bytes(with_dovi_record(plain.read_bytes(), spec.dolby_vision))
        finally:
            plain.unlink(missing_ok=True)
    return out


_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}
_ENTRY_HEADER = 8 + 78  # box header + VisualSampleEntry fields


def with_dovi_record(data: bytes, dv: DolbyVision) -> bytes:
    """An MP4 whose first video sample entry carries ``dv`` as a ``dvcC`` box.

    The box is appended to the sample entry (``hvc1``, or ``dvh1`` for a profile without a
    compatible base layer, as Dolby specifies) and every enclosing box grows by its size.
    The media data must come before ``moov`` (ffmpeg's default without faststart), so that
    no chunk offset moves.
    """
    buf = bytearray(data)
    chain: list[int] = []

    def find(start: int, end: int) -> int | None:
        for kind, pos, stop in mp4_boxes(buf, start, end):
            if kind == b"moov" and not chain and _mdat_after(buf, stop):
                raise ValueError("the moov box comes before the media data")
            if kind in _CONTAINERS:
                chain.append(pos)
                found = find(pos + 8, stop)
                if found is not None:
                    return found
                chain.pop()
            elif kind == b"stsd":
                for entry, entry_pos, _ in mp4_boxes(buf, pos + 16, stop):
                    if entry in (b"hvc1", b"hev1", b"dvh1", b"dvhe"):
                        chain.append(pos)
                        return entry_pos
        return None

    entry = find(0, len(buf))
    if entry is None:
        raise ValueError("no HEVC sample entry to put a Dolby Vision record in")
    size = struct.unpack(">I", buf[entry : entry + 4])[0]
    record = dv.record()
    box = struct.pack(">I4s", 8 + len(record), b"dvcC") + record
    buf[entry + size : entry + size] = box
    for pos in [*chain, entry]:
        grown = struct.unpack(">I", buf[pos : pos + 4])[0] + len(box)
        buf[pos : pos + 4] = struct.pack(">I", grown)
    if dv.base is None:
        buf[entry + 4 : entry + 8] = b"dvh1"
    return bytes(buf)


def _mdat_after(buf: bytearray, start: int) -> bool:
    return any(kind == b"mdat" for kind, _, _ in mp4_boxes(buf, start, len(buf)))
