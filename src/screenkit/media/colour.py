"""The colour of a video stream: SDR or HDR (HLG, PQ), its tags, bit depth and HDR metadata.

Phones record HDR by default (iPhones: 10-bit HEVC in HLG with a Dolby Vision layer; many
Android phones HLG or HDR10/PQ), so a master's colour decides what an encode for a venue
must do with it. Both probe routes (ffprobe, PyAV) fill the same `Colour`: the tags by
ffmpeg's own names (``bt709``, ``arib-std-b67``, ``smpte2084``, ``bt2020nc``, ``tv`` …, as
ffprobe prints them; None where the file leaves a tag unspecified), the bit depth of the
decoded picture, the mastering display and content light level where the file carries them,
and the Dolby Vision configuration record (profile, level, compatible base layer).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

DynamicRange = Literal["sdr", "hlg", "pq", "dolby-vision"]
"""``dolby-vision``: Dolby Vision without a base layer any other decoder shows (profile 5)."""

HLG = "arib-std-b67"
PQ = "smpte2084"

# ffmpeg's enum values (libavutil/pixfmt.h) by the names ffprobe prints: the PyAV route
# reads the numbers. Unspecified, reserved and unknown values are None.
PRIMARIES = {
    1: "bt709", 4: "bt470m", 5: "bt470bg", 6: "smpte170m", 7: "smpte240m", 8: "film",
    9: "bt2020", 10: "smpte428", 11: "smpte431", 12: "smpte432", 22: "jedec-p22",
}  # fmt: skip
TRANSFERS = {
    1: "bt709", 4: "gamma22", 5: "gamma28", 6: "smpte170m", 7: "smpte240m", 8: "linear",
    9: "log100", 10: "log316", 11: "iec61966-2-4", 12: "bt1361e", 13: "iec61966-2-1",
    14: "bt2020-10", 15: "bt2020-12", 16: PQ, 17: "smpte428", 18: HLG,
}  # fmt: skip
MATRICES = {
    0: "gbr", 1: "bt709", 4: "fcc", 5: "bt470bg", 6: "smpte170m", 7: "smpte240m",
    8: "ycgco", 9: "bt2020nc", 10: "bt2020c", 11: "smpte2085", 12: "chroma-derived-nc",
    13: "chroma-derived-c", 14: "ictcp",
}  # fmt: skip
RANGES = {1: "tv", 2: "pc"}

_DEPTH_RE = re.compile(r"(\d+)(?:le|be)$")


def tag_name(table: dict[int, str], value: int | str | None) -> str | None:
    """A tag by ffmpeg's name: a number through ``table``; a name as given; None unspecified."""
    if value is None:
        return None
    if isinstance(value, int):
        return table.get(value)
    name = str(value).strip().lower()
    return None if name in ("", "unknown", "unspecified", "reserved", "n/a") else name


def tag_numbers(colour: Colour) -> tuple[int, int, int, int]:
    """(range, primaries, transfer, matrix) as ffmpeg's numbers, as `VideoParams.color`
    holds them (unset: 0 for the range, 2 for the others)."""

    def number(table: dict[int, str], name: str | None, unset: int) -> int:
        return next((n for n, known in table.items() if known == name), unset)

    return (
        number(RANGES, colour.range, 0),
        number(PRIMARIES, colour.primaries, 2),
        number(TRANSFERS, colour.transfer, 2),
        number(MATRICES, colour.matrix, 2),
    )


def bit_depth(pix_fmt: str | None) -> int:
    """Bits per component of a pixel format: ``yuv420p10le`` → 10, ``p010le`` → 10, else 8."""
    if not pix_fmt:
        return 8
    match = _DEPTH_RE.search(pix_fmt)
    if match is None:
        return 8
    bits = int(match.group(1))
    if pix_fmt.startswith(("rgb", "bgr", "rgba", "bgra")):  # rgb48le: the whole pixel
        return bits // (4 if "a" in pix_fmt[:4] else 3)
    return bits if bits in (9, 10, 12, 14, 16) else 8


@dataclass(frozen=True)
class MasteringDisplay:
    """SMPTE ST 2086: the display the film was graded on (CIE 1931 xy, cd/m²)."""

    red: tuple[float, float]
    green: tuple[float, float]
    blue: tuple[float, float]
    white_point: tuple[float, float]
    min_luminance: float
    max_luminance: float

    def describe(self) -> str:
        return f"mastered on a {self.max_luminance:g} cd/m² display"


@dataclass(frozen=True)
class ContentLight:
    """CTA-861.3: the brightest pixel (MaxCLL) and brightest frame average (MaxFALL), cd/m²."""

    max_cll: int
    max_fall: int


_BASE_LAYERS: dict[int, DynamicRange] = {1: "pq", 2: "sdr", 4: "hlg", 6: "pq"}
_BASE_WORDS = {"pq": "HDR10", "sdr": "SDR", "hlg": "HLG"}


@dataclass(frozen=True)
class DolbyVision:
    """The Dolby Vision configuration record (``dvcC``/``dvvC``, Matroska block additions)."""

    profile: int
    level: int
    compatibility: int
    """``dv_bl_signal_compatibility_id``: what the base layer is to a decoder without
    Dolby Vision (1 HDR10, 2 SDR, 4 HLG, 6 HDR10 of a dual-layer disc; 0 none)."""
    rpu: bool = True
    enhancement_layer: bool = False
    base_layer: bool = True

    @property
    def base(self) -> DynamicRange | None:
        """The picture a player without Dolby Vision shows (None: no compatible one)."""
        if not self.base_layer:
            return None
        return _BASE_LAYERS.get(self.compatibility)

    @property
    def name(self) -> str:
        """``8.4`` (profile.compatibility, as Dolby names profiles 8, 9 and 10), ``5``."""
        if self.profile in (8, 9, 10) and self.compatibility:
            return f"{self.profile}.{self.compatibility}"
        return str(self.profile)

    def describe(self) -> str:
        """``Dolby Vision 8.4 over HLG``; ``Dolby Vision 5 (no compatible base layer)``."""
        base = self.base
        over = f"over {_BASE_WORDS[base]}" if base else "(no compatible base layer)"
        return f"Dolby Vision {self.name} {over}"

    @classmethod
    def from_record(cls, record: bytes) -> DolbyVision | None:
        """Parse the 24-byte DOVIDecoderConfigurationRecord (None when it is too short)."""
        if len(record) < 5:
            return None
        packed = int.from_bytes(record[2:4], "big")
        return cls(
            profile=packed >> 9,
            level=(packed >> 3) & 0x3F,
            rpu=bool(packed & 0x4),
            enhancement_layer=bool(packed & 0x2),
            base_layer=bool(packed & 0x1),
            compatibility=record[4] >> 4,
        )

    def record(self) -> bytes:
        """The configuration record as a ``dvcC`` box holds it (version 1.0)."""
        packed = (
            (self.profile << 9)
            | (self.level << 3)
            | (int(self.rpu) << 2)
            | (int(self.enhancement_layer) << 1)
            | int(self.base_layer)
        )
        head = bytes([1, 0]) + packed.to_bytes(2, "big") + bytes([self.compatibility << 4])
        return head + bytes(19)


@dataclass(frozen=True)
class Colour:
    """A video stream's colour as the file tags it (ffmpeg's names; None: unspecified)."""

    primaries: str | None = None
    transfer: str | None = None
    matrix: str | None = None
    range: str | None = None
    bit_depth: int = 8
    mastering: MasteringDisplay | None = None
    light: ContentLight | None = None
    dolby_vision: DolbyVision | None = None

    @property
    def dynamic_range(self) -> DynamicRange:
        """A Dolby Vision stream by its base layer (profile 5's picture is Dolby's own IPT,
        whatever its tags say); else ``hlg``/``pq`` by the transfer; else SDR."""
        dv = self.dolby_vision
        if dv is not None and dv.base is None:
            return "dolby-vision"
        if self.transfer == HLG:
            return "hlg"
        if self.transfer == PQ:
            return "pq"
        if dv is not None and dv.base is not None:
            return dv.base
        return "sdr"

    @property
    def hdr(self) -> bool:
        return self.dynamic_range != "sdr"

    def to_json(self) -> dict[str, Any]:
        """The fields, with the dynamic range and the words (`probe --json`, the manifest)."""
        document = asdict(self)
        document["dynamic_range"] = self.dynamic_range
        document["hdr"] = self.hdr
        document["description"] = self.describe()
        if self.dolby_vision is not None:
            document["dolby_vision"]["name"] = self.dolby_vision.name
            document["dolby_vision"]["base"] = self.dolby_vision.base
        return document

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Colour:
        """`to_json` read back (the manifest's record, for ``verify``)."""
        mastering = data.get("mastering")
        light = data.get("light")
        dv = data.get("dolby_vision")
        return cls(
            primaries=data.get("primaries"),
            transfer=data.get("transfer"),
            matrix=data.get("matrix"),
            range=data.get("range"),
            bit_depth=int(data.get("bit_depth", 8)),
            mastering=MasteringDisplay(
                red=_pair(mastering["red"]),
                green=_pair(mastering["green"]),
                blue=_pair(mastering["blue"]),
                white_point=_pair(mastering["white_point"]),
                min_luminance=float(mastering["min_luminance"]),
                max_luminance=float(mastering["max_luminance"]),
            )
            if mastering
            else None,
            light=ContentLight(int(light["max_cll"]), int(light["max_fall"])) if light else None,
            dolby_vision=DolbyVision(
                profile=int(dv["profile"]),
                level=int(dv["level"]),
                compatibility=int(dv["compatibility"]),
                rpu=bool(dv.get("rpu", True)),
                enhancement_layer=bool(dv.get("enhancement_layer", False)),
                base_layer=bool(dv.get("base_layer", True)),
            )
            if dv
            else None,
        )

    @property
    def tags(self) -> tuple[str | None, str | None, str | None, str | None]:
        """(primaries, transfer, matrix, range): what compliance compares."""
        return self.primaries, self.transfer, self.matrix, self.range

    def describe(self) -> str:
        """``HDR: HLG, BT.2020, 10-bit; Dolby Vision 8.4 over HLG``; ``SDR: BT.709, 8-bit``."""
        kind = self.dynamic_range
        gamut = _PRIMARY_WORDS.get(self.primaries or "", self.primaries or "primaries untagged")
        words = [gamut, f"{self.bit_depth}-bit"]
        if self.range == "pc":
            words.append("full range")
        if kind == "sdr":
            head = "SDR: " + ", ".join(words)
        else:
            name = {"hlg": "HLG", "pq": "PQ (HDR10)", "dolby-vision": "Dolby Vision"}[kind]
            if kind == "pq" and self.mastering is None and self.light is None:
                name = "PQ"
            head = f"HDR: {name}, " + ", ".join(words)
        extra = []
        if self.mastering is not None:
            extra.append(self.mastering.describe())
        if self.light is not None:
            extra.append(f"MaxCLL {self.light.max_cll}, MaxFALL {self.light.max_fall} cd/m²")
        if self.dolby_vision is not None:
            extra.append(self.dolby_vision.describe())
        return "; ".join([head, *extra])


def _pair(value: Any) -> tuple[float, float]:
    return float(value[0]), float(value[1])


_PRIMARY_WORDS = {
    "bt709": "BT.709",
    "bt2020": "BT.2020",
    "smpte170m": "BT.601 (NTSC)",
    "bt470bg": "BT.601 (PAL)",
    "smpte432": "Display P3",
    "smpte431": "DCI-P3",
}
