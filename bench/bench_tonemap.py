"""Which tone mapping turns a phone's HDR into the SDR a venue shows: measured, not guessed.

The masters (`screenkit.sample.hdr`) are an SDR BT.709 test pattern put into HLG and PQ the
way ITU-R BT.2408 puts SDR into HDR (graphics white at 203 cd/m²), over a grey ramp across
the master's whole signal range. So the SDR pattern is the reference rendition a tone
mapping back should come near, and the ramp above graphics white shows what becomes of
highlights (a phone's sky, a lamp) that SDR cannot hold. For each candidate chain —
``zscale`` to linear light at ``npl`` cd/m² per 1.0 and to BT.709 primaries, ffmpeg's
``tonemap`` (operator, parameter, desaturation; the peak from the master's metadata, as
screenkit computes it), ``zscale`` to BT.709 8-bit — it measures on 720p frames:

- ``ssim``: SSIM (Y, U, V) of the pattern against the SDR reference, both test patterns;
- ``dY``: mean luma of the pattern minus the reference's (8-bit codes: < 0 is darker);
- ``white``: where graphics white lands ((Y-16)/219; the reference's SDR white is 1.00);
- ``clip``: share of the ramp above graphics white that is clipped to white (Y >= 234);
- ``levels``: distinct codes left in that part of the ramp (detail in the highlights).

and, with ``--placebo``, libplacebo's BT.2390 (a GPU filter: here on a software Vulkan,
where one is installed) as a further reference. Then it times the chosen chain on 1080p
against the same decode without it (alternate runs, medians).

python -m bench.bench_tonemap [--rounds N] [--json FILE] [--placebo]
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bench.harness import Case, ffmpeg_for_bench, media_path, run_cases
from screenkit.encode.colour import TONE_MAPPING, ToneMapping, colour_filter_text, colour_plan
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.presets import load_preset
from screenkit.sample.hdr import (
    GRAPHICS_WHITE,
    PQ_RAMP_PEAK,
    MasterKind,
    MasterSpec,
    make_master,
    picture_height,
)

WIDTH, HEIGHT = 1280, 720
PATTERNS = ("testsrc2", "smptehdbars")
_SSIM_RE = re.compile(r"SSIM .*All:([0-9.]+)")


def pq_signal(nits: float) -> float:
    """SMPTE ST 2084 inverse EOTF: the PQ signal of ``nits`` cd/m²."""
    m1, m2, c1, c2, c3 = 0.1593017578125, 78.84375, 0.8359375, 18.8515625, 18.6875
    y = (nits / 10000) ** m1
    return float(((c1 + c2 * y) / (1 + c3 * y)) ** m2)


def candidates() -> list[ToneMapping]:
    out = []
    for npl in (100.0, GRAPHICS_WHITE):
        for desat in (0.0, 2.0):
            for operator, params in (
                ("clip", (None,)),
                ("linear", (None,)),
                ("reinhard", (None, 1.0)),
                ("hable", (None,)),
                ("mobius", (None, 0.5, 0.7)),
            ):
                out += [ToneMapping(operator, param, desat, npl) for param in params]
    # the exact inverse of how the masters were made: graphics white to SDR white, clipped
    out.append(ToneMapping("clip", 100.0 / GRAPHICS_WHITE, 0.0, 100.0))
    return out


@dataclass(frozen=True)
class Measure:
    kind: str
    mapping: str
    ssim: float
    d_luma: float
    white: float
    clip: float
    levels: int


def _raw(ffmpeg: FFmpeg, source: Path, chain: str, init: list[str] | None = None) -> np.ndarray:
    """The first frame after ``chain`` as 8-bit 4:2:0 planes in one array."""
    argv = [
        str(ffmpeg.path), "-hide_banner", "-v", "error", *(init or []), "-i", str(source),
        "-frames:v", "1", "-vf", chain, "-f", "rawvideo", "-pix_fmt", "yuv420p", "-",
    ]  # fmt: skip
    data = subprocess.run(argv, capture_output=True, check=True).stdout
    return np.frombuffer(data, dtype=np.uint8)


def _ssim(ffmpeg: FFmpeg, a: np.ndarray, b: np.ndarray, rows: int) -> float:
    """ffmpeg's SSIM of the top ``rows`` of two raw 720p frames."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / "a.yuv", Path(tmp) / "b.yuv"]
        for path, frame in zip(paths, (a, b), strict=True):
            path.write_bytes(frame.tobytes())
        raw = ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{WIDTH}x{HEIGHT}"]
        crop = f"crop={WIDTH}:{rows}:0:0"
        argv = [
            str(ffmpeg.path), "-hide_banner", *raw, "-i", str(paths[0]), *raw, "-i",
            str(paths[1]), "-lavfi", f"[0]{crop}[x];[1]{crop}[y];[x][y]ssim", "-f", "null", "-",
        ]  # fmt: skip
        log = subprocess.run(argv, capture_output=True, text=True, check=True).stderr
    return float(_SSIM_RE.findall(log)[-1])


def measure(
    ffmpeg: FFmpeg, kind: str, frame: np.ndarray, refs: list[np.ndarray], tests: list[np.ndarray]
) -> tuple[float, float, float, float, int]:
    rows = picture_height(HEIGHT)
    ssims, d_lumas = [], []
    for ref, test in zip(refs, tests, strict=True):
        ssims.append(_ssim(ffmpeg, test, ref, rows))
        y_test = test[: WIDTH * HEIGHT].reshape(HEIGHT, WIDTH)[:rows].astype(float)
        y_ref = ref[: WIDTH * HEIGHT].reshape(HEIGHT, WIDTH)[:rows].astype(float)
        d_lumas.append(float(y_test.mean() - y_ref.mean()))
    y = frame[: WIDTH * HEIGHT].reshape(HEIGHT, WIDTH)
    ramp = y[(rows + HEIGHT) // 2].astype(int)
    top = PQ_RAMP_PEAK if kind == "pq" else 1.0
    white_signal = pq_signal(GRAPHICS_WHITE) if kind == "pq" else 0.75
    white_col = round(white_signal / top * (WIDTH - 1))
    highlights = ramp[white_col + 1 :]
    return (
        sum(ssims) / len(ssims),
        sum(d_lumas) / len(d_lumas),
        (int(ramp[white_col]) - 16) / 219,
        float((highlights >= 234).mean()),
        len(set(highlights.tolist())),
    )


def masters(ffmpeg: FFmpeg) -> dict[tuple[str, str], Path]:
    made = {}
    for kind in ("hlg", "pq", "sdr709"):
        for pattern in PATTERNS:
            path = media_path(f"tonemap-{kind}-{pattern}-{WIDTH}p.mkv")
            if not path.exists():
                spec = MasterSpec(
                    kind,  # type: ignore[arg-type]
                    duration=0.2, width=WIDTH, height=HEIGHT, pattern=pattern, audio=False, crf=4,
                )  # fmt: skip
                make_master(path, spec, ffmpeg=ffmpeg)
            made[kind, pattern] = path
    return made


def quality_table(ffmpeg: FFmpeg, placebo: bool) -> list[Measure]:
    made = masters(ffmpeg)
    preset = load_preset("usb-player", None)
    refs = [_raw(ffmpeg, made["sdr709", p], "format=yuv420p") for p in PATTERNS]
    rows: list[Measure] = []
    kinds: tuple[MasterKind, ...] = ("hlg", "pq")
    for kind in kinds:
        plans = [colour_plan(probe(made[kind, p]), preset) for p in PATTERNS]
        for mapping in candidates():
            tests = [
                _raw(ffmpeg, made[kind, p], colour_filter_text(plan, mapping))
                for p, plan in zip(PATTERNS, plans, strict=True)
            ]
            figures = measure(ffmpeg, kind, tests[0], refs, tests)
            name = f"{mapping.words()}, npl {mapping.npl:g}"
            rows.append(Measure(kind, name, *figures))
            print(_line(rows[-1]), flush=True)
        if placebo:
            init = ["-init_hw_device", "vulkan=vk:0", "-filter_hw_device", "vk"]
            chain = (
                "hwupload,libplacebo=tonemapping=bt.2390:colorspace=bt709:color_primaries=bt709"
                ":color_trc=bt709:range=tv:format=yuv420p,hwdownload,format=yuv420p"
            )
            try:
                tests = [_raw(ffmpeg, made[kind, p], chain, init) for p in PATTERNS]
            except subprocess.CalledProcessError:
                print(f"{kind}: libplacebo did not run (no Vulkan device)", flush=True)
                continue
            figures = measure(ffmpeg, kind, tests[0], refs, tests)
            rows.append(Measure(kind, "libplacebo bt.2390", *figures))
            print(_line(rows[-1]), flush=True)
    return rows


def _line(m: Measure) -> str:
    return (
        f"{m.kind:<4} {m.mapping:<42} ssim {m.ssim:.4f}  dY {m.d_luma:+6.1f}  "
        f"white {m.white:4.2f}  clip {m.clip:4.0%}  levels {m.levels:3d}"
    )


def speed_cases(ffmpeg: FFmpeg) -> list[Case]:
    """1080p HLG: decode + the chosen chain + x264, vs decode + format + x264, at x264's
    ultrafast (the chain's cost laid bare) and at usb-player's medium (what a build pays)."""
    source = media_path("tonemap-hlg-1080p-5s.mkv")
    if not source.exists():
        make_master(
            source,
            MasterSpec("hlg", duration=5.0, width=1920, height=1080, audio=False),
            ffmpeg=ffmpeg,
        )
    plan = colour_plan(probe(source), load_preset("usb-player", None))
    base = [str(ffmpeg.path), "-hide_banner", "-v", "error", "-i", str(source)]
    cases = []
    for speed in ("ultrafast", "medium"):
        tail = ["-c:v", "libx264", "-preset", speed, "-crf", "20", "-f", "null", "-"]
        cases.append(
            Case(
                f"1080p HLG 5 s, x264 {speed}: tone-mapped vs not",
                ours=[[*base, "-vf", colour_filter_text(plan), *tail]],
                bare=[[*base, "-vf", "format=yuv420p", *tail]],
            )
        )
    return cases


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--placebo", action="store_true", help="also libplacebo's BT.2390")
    args = parser.parse_args()
    ffmpeg = ffmpeg_for_bench()
    print(f"ffmpeg {ffmpeg.version} at {ffmpeg.path}; chosen: {TONE_MAPPING}", flush=True)
    rows = quality_table(ffmpeg, args.placebo)
    timing = run_cases(speed_cases(ffmpeg), rounds=args.rounds)
    if args.json is not None:
        document = {"quality": [asdict(r) for r in rows], "speed": [asdict(t) for t in timing]}
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    if not all(math.isfinite(r.ssim) for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
