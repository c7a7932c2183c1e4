"""What an encode does with the master's colour: tone-map HDR to the SDR a venue shows.

Pure decisions and filter chains, no process is run. A venue preset is SDR (every standard
preset but the archive: players, TVs and projectors that take H.264 from a USB stick, a
browser, a DVD player do not do HLG or PQ in these formats and show such a picture washed
out or too dark) or it keeps HDR (``[video] hdr = "keep"``: the archive hands the master's
HLG or PQ on, 10-bit, with its tags and mastering metadata).

For an SDR preset an HLG or PQ master (or a Dolby Vision one, through its compatible base
layer) is tone-mapped: ``zscale`` linearises it and converts BT.2020 to BT.709 primaries,
ffmpeg's ``tonemap`` compresses the highlights (the operator and its parameters are
`TONE_MAPPING`, chosen by ``bench/bench_tonemap.py``), ``zscale`` applies the BT.709
transfer and matrix, and the picture leaves as 8-bit 4:2:0, tagged BT.709 in the stream
(H.264 VUI) and the container. An SDR master passes untouched (no conversion; its own tags
are written again); a wide-gamut SDR master (BT.2020 primaries) is converted to BT.709.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from screenkit.errors import ScreenkitError
from screenkit.media.binaries import FFmpeg, has_filter
from screenkit.media.colour import HLG, PQ, Colour
from screenkit.media.info import MediaInfo
from screenkit.presets.model import Family, VenuePreset

Action = Literal["none", "tone-map", "gamut", "keep"]
PQ_DEFAULT_PEAK = 1000.0
"""cd/m² assumed for a PQ master that states neither MaxCLL nor its mastering display
(ffmpeg's own default, 10 000, would darken a phone's clip to a third of its brightness)."""
HLG_PEAK = 1000.0
"""The HLG reference display (ITU-R BT.2100): what zscale's HLG linearisation assumes."""
SDR_OUTPUT = Colour(primaries="bt709", transfer="bt709", matrix="bt709", range="tv")
SD_OUTPUT = Colour(primaries="bt709", transfer="bt709", matrix="smpte170m", range="tv")
"""A DVD or DivX picture: BT.601's matrix, which standard-definition decoders apply."""
SDR_TARGETS: dict[Family, tuple[Colour, bool]] = {
    "file": (SDR_OUTPUT, True),
    "divx": (SD_OUTPUT, False),
    "dvd": (SD_OUTPUT, True),
}
"""Each preset family's SDR picture, and whether its format carries colour tags (an AVI's
MPEG-4 Part 2 stream has none: a DivX player assumes BT.601, which the picture is made in)."""
ZSCALE_FIX = (
    "use an ffmpeg built with zimg (--enable-libzimg): the one bundled with screenkit "
    "(unset SCREENKIT_FFMPEG and --ffmpeg) or Debian's (apt-get install ffmpeg)"
)


class HdrError(ScreenkitError):
    """A master's HDR cannot be turned into what the preset asks for."""


@dataclass(frozen=True)
class ToneMapping:
    """The operator of ffmpeg's ``tonemap`` filter and its parameters."""

    operator: str = "mobius"
    param: float | None = None
    """The operator's own parameter (None: ffmpeg's default for it)."""
    desat: float = 0.0
    """Desaturation of highlights (ffmpeg's default is 2)."""
    npl: float = 100.0
    """cd/m² that linear 1.0 stands for (``zscale npl``): ``tonemap`` counts in 100 cd/m²."""

    def words(self) -> str:
        param = "" if self.param is None else f", param {self.param:g}"
        return f"{self.operator}{param}, desat {self.desat:g}"


TONE_MAPPING = ToneMapping(operator="mobius", param=0.5, desat=0.0, npl=203.0)
"""The one tone mapping screenkit uses, chosen by ``bench/bench_tonemap.py``.

Measured on HLG and PQ masters made from SDR BT.709 test patterns (graphics white at
203 cd/m², BT.2408), against those patterns: mobius with its linear stretch up to 0.5 of
graphics white (``npl`` 203: 1.0 is graphics white) keeps the pattern's SSIM near the exact
inverse's (0.963 vs 0.964 with Debian's ffmpeg 5.1, 0.970 vs 0.977 with the bundled 9.0)
and its mean luma within 7 codes, while 84 % of the ramp above graphics white keeps a
gradation (23 levels; the exact inverse clips all of it). Mobius 0.7 scores a little higher
but clips a third of the highlights; reinhard and mobius 0.3 at ``npl`` 100 score
0.956-0.964; hable darkens the picture by 20-30 codes, linear by 48; clip and reinhard 1.0
clip every highlight; desaturation (ffmpeg's default 2) clips 60-80 % of the highlights and
lowers SSIM to 0.84-0.96. libplacebo's BT.2390 (a GPU filter) scores 0.957 (HLG) and 0.974
(PQ), but needs Vulkan, which screenkit cannot count on. The chain costs about a third
more than an x264 medium encode of the same 1080p picture alone (1.35x).
"""


@dataclass(frozen=True)
class ColourPlan:
    """What happens to the colour of one encode."""

    source: Colour
    action: Action
    output: Colour
    """The tags the output must carry (None fields: not set, whatever the master had) and
    its bit depth."""
    peak: float | None = None
    """The master's peak in cd/m² the tone mapping maps to SDR white (tone-map only)."""
    tagged: bool = True
    """Whether the output format carries colour tags (an AVI's MPEG-4 Part 2 stream has
    none: its picture is converted all the same, and a player assumes BT.601)."""
    mapping: ToneMapping | None = None
    """The tone mapping applied (tone-map only)."""

    @property
    def pix_fmt(self) -> str:
        return "yuv420p10le" if self.output.bit_depth == 10 else "yuv420p"

    @property
    def converts(self) -> bool:
        return self.action in ("tone-map", "gamut")

    def to_json(self) -> dict[str, Any]:
        """``probe -p --json`` / ``encode --json`` / the manifest: from what, to what, how."""
        mapping = self.mapping
        return {
            "action": self.action,
            "source": self.source.to_json(),
            "output": self.output.to_json(),
            "tagged": self.tagged,
            "tone_mapping": (
                {**asdict(mapping), "peak": self.peak} if mapping is not None else None
            ),
            "note": self.note(),
        }

    def note(self) -> str | None:
        """One line for a plan's notes; None when the colour passes as it is (SDR)."""
        kind = _KIND_WORDS.get(self.source.dynamic_range, "")
        dv = self.source.dolby_vision
        base = f"{dv.describe()}: its base layer, " if dv is not None else ""
        if self.action == "tone-map":
            return (
                f"{base}tone-mapped from the master's HDR ({kind}) to SDR BT.709, 8-bit "
                f"({(self.mapping or TONE_MAPPING).words()}, peak {self.peak:g} cd/m²)"
            )
        if self.action == "gamut":
            return "the master's BT.2020 colours converted to BT.709 (SDR)"
        if self.action == "keep":
            dropped = " (the Dolby Vision layer is not carried: H.264 has none)" if dv else ""
            return f"{base}the master's HDR ({kind}) kept as it is, 10-bit{dropped}"
        return None


_KIND_WORDS = {"hlg": "HLG", "pq": "PQ", "dolby-vision": "Dolby Vision"}


def source_peak(colour: Colour) -> float:
    """The brightest the master gets, cd/m²: MaxCLL, else its mastering display, else the
    format's reference (HLG 1000; PQ `PQ_DEFAULT_PEAK`)."""
    if colour.dynamic_range == "hlg":
        return HLG_PEAK
    if colour.light is not None and colour.light.max_cll > 0:
        return float(colour.light.max_cll)
    if colour.mastering is not None and colour.mastering.max_luminance > 0:
        return colour.mastering.max_luminance
    return PQ_DEFAULT_PEAK


def _refuse_without_base(colour: Colour, path: Path) -> None:
    dv = colour.dolby_vision
    if colour.dynamic_range == "dolby-vision" and dv is not None:
        raise HdrError(
            f"the master is {dv.describe()}: its picture is in Dolby's own colour space, "
            "which only a Dolby Vision decoder turns into a picture (ffmpeg decodes the "
            "stream, but without the Dolby Vision reshaping the colours come out green "
            "and purple)",
            path=path,
            value=dv.name,
            hint="export the master again from the editor or the phone as HDR10 or HLG "
            "(or SDR), or with Dolby Vision profile 8.1 or 8.4",
        )


def colour_plan(
    info: MediaInfo, preset: VenuePreset, mapping: ToneMapping | None = None
) -> ColourPlan:
    """The colour plan of the master's picture under ``preset`` (an HDR master tone-mapped
    by ``mapping``). Pure; raises `HdrError` for a Dolby Vision master with no compatible
    base layer (profile 5)."""
    if info.video is None:
        raise ValueError("colour_plan needs a source with video")
    source = info.video.colour
    _refuse_without_base(source, info.path)
    target, tagged = SDR_TARGETS[preset.family]
    if source.hdr and preset.video.hdr == "keep":  # the loader allows it for H.264 only
        transfer = source.transfer or (HLG if source.dynamic_range == "hlg" else PQ)
        kept = Colour(
            primaries=source.primaries or "bt2020",
            transfer=transfer,
            matrix=source.matrix or "bt2020nc",
            range=source.range or "tv",
            bit_depth=10,
            mastering=source.mastering,
            light=source.light,
        )
        return ColourPlan(source, "keep", kept)
    if source.hdr:
        return ColourPlan(
            source,
            "tone-map",
            target,
            source_peak(source),
            tagged=tagged,
            mapping=mapping or TONE_MAPPING,
        )
    if source.primaries == "bt2020":
        return ColourPlan(source, "gamut", target, tagged=tagged)
    untouched = Colour(
        primaries=source.primaries,
        transfer=source.transfer,
        matrix=source.matrix,
        range=None,
        bit_depth=8,
    )
    return ColourPlan(source, "none", untouched, tagged=tagged)


def tone_mapping_of(info: MediaInfo, preset: VenuePreset) -> ToneMapping | None:
    """The tone mapping an encode of ``info`` for ``preset`` applies (None: none): what a
    bundle step keys its encode by, so that a new choice re-encodes HDR masters only."""
    return colour_plan(info, preset).mapping


def _source_tags(colour: Colour) -> dict[str, str]:
    """zscale's input options: the master's tags, the format's defaults where it has none."""
    kind = colour.dynamic_range
    transfer = colour.transfer or {"hlg": HLG, "pq": PQ}.get(kind, "bt709")
    return {
        "tin": transfer,
        "pin": colour.primaries or ("bt2020" if kind != "sdr" else "bt709"),
        "min": colour.matrix or ("bt2020nc" if kind != "sdr" else "bt709"),
        "rin": colour.range or "tv",
    }


def colour_filters(
    plan: ColourPlan, mapping: ToneMapping | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """The filters (name, options) that turn the master's picture into ``plan.output``.

    After scaling (fewer pixels to convert) and in place of the plain ``format`` filter:
    the last one leaves the preset's pixel format. An SDR master gets just that filter.
    ``mapping`` replaces the plan's own (the benchmark tries others).
    """
    mapping = mapping or plan.mapping or TONE_MAPPING
    out = plan.output
    if plan.action in ("none", "keep"):
        return [("format", {"pix_fmts": plan.pix_fmt}), *_frame_tags(plan)]
    to_linear: dict[str, Any] = {
        **_source_tags(plan.source),
        "t": "linear", "p": "bt709", "m": "gbr", "r": "full",
        "npl": f"{mapping.npl:g}",
    }  # fmt: skip
    chain: list[tuple[str, dict[str, Any]]] = [
        ("zscale", to_linear),
        ("format", {"pix_fmts": "gbrpf32le"}),
    ]
    if plan.action == "tone-map":
        assert plan.peak is not None
        options: dict[str, Any] = {
            "tonemap": mapping.operator,
            "desat": f"{mapping.desat:g}",
            "peak": f"{plan.peak / mapping.npl:g}",
        }
        if mapping.param is not None:
            options["param"] = f"{mapping.param:g}"
        chain.append(("tonemap", options))
    from_linear = {
        "tin": "linear", "pin": "bt709", "min": "gbr", "rin": "full",
        "t": out.transfer, "p": out.primaries, "m": out.matrix, "r": out.range,
    }  # fmt: skip
    chain += [("zscale", from_linear), ("format", {"pix_fmts": plan.pix_fmt}), *_frame_tags(plan)]
    return chain


def _frame_tags(plan: ColourPlan) -> list[tuple[str, dict[str, Any]]]:
    """``setparams`` tagging the frames with the output's colour: ffmpeg 9 takes the
    encoder's VUI from the frames (``-color_trc`` alone is lost there), ffmpeg 5.1 from the
    output options (`colour_output_options`); both are given."""
    tags = _tags(plan.output, range_key="range")
    return [("setparams", tags)] if tags else []


def _tags(out: Colour, *, range_key: str) -> dict[str, str]:
    """The set tags of ``out`` by ffmpeg's option names (``setparams`` calls the range
    ``range``, the output options ``color_range``)."""
    pairs = (
        ("color_primaries", out.primaries),
        ("color_trc", out.transfer),
        ("colorspace", out.matrix),
        (range_key, out.range),
    )
    return {key: value for key, value in pairs if value is not None}


def apply_colour(stream: Any, plan: ColourPlan) -> Any:
    """`colour_filters` on an ffmpeg-python stream."""
    for name, options in colour_filters(plan):
        stream = stream.filter(name, **options)
    return stream


def colour_filter_text(plan: ColourPlan, mapping: ToneMapping | None = None) -> str:
    """`colour_filters` as a filtergraph text (for a ``-vf`` built by hand)."""
    parts = []
    for name, options in colour_filters(plan, mapping):
        words = ":".join(f"{key}={value}" for key, value in options.items())
        parts.append(f"{name}={words}" if words else name)
    return ",".join(parts)


def colour_output_options(plan: ColourPlan) -> dict[str, str]:
    """The output's colour tags (encoder VUI and container), for ffmpeg's output options."""
    return _tags(plan.output, range_key="color_range")


def x264_hdr_params(plan: ColourPlan) -> str | None:
    """x264's ``mastering-display``/``cll`` for a kept PQ master (None: nothing to carry)."""
    if plan.action != "keep":
        return None
    words = []
    md = plan.output.mastering
    if md is not None:

        def xy(point: tuple[float, float]) -> str:
            return f"({round(point[0] * 50000)},{round(point[1] * 50000)})"

        words.append(
            f"mastering-display=G{xy(md.green)}B{xy(md.blue)}R{xy(md.red)}WP{xy(md.white_point)}"
            f"L({round(md.max_luminance * 10000)},{round(md.min_luminance * 10000)})"
        )
    light = plan.output.light
    if light is not None:
        words.append(f"cll={light.max_cll},{light.max_fall}")
    return ":".join(words) or None


def require_tone_mapping(ffmpeg: FFmpeg, plan: ColourPlan) -> None:
    """Refuse, before any encode, an ffmpeg that cannot run the plan's filters."""
    if not plan.converts:
        return
    missing = [name for name in ("zscale", "tonemap") if not has_filter(ffmpeg, name)]
    if missing:
        raise HdrError(
            f"the master is HDR ({_KIND_WORDS.get(plan.source.dynamic_range, 'wide gamut')}) "
            f"and must be tone-mapped for an SDR screen, but the ffmpeg at {ffmpeg.path} "
            f"has no {' or '.join(missing)} filter",
            path=ffmpeg.path,
            key="ffmpeg",
            value=", ".join(missing),
            hint=ZSCALE_FIX,
        )
