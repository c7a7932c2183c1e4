"""How much a build writes, disk by disk, before it starts (the check: `screenkit.diskspace`).

A build writes to the step cache (every encode, each chunk of a chunked one, the joined
film, the test clip) and to the output folder (the bundle: hard links into the cache where
both are one disk, copies where they are not, e.g. ``--out`` on a USB stick). A space check
must not undercount, so each step's output is counted by its kind (`Kind.output_bytes`) at
a rate the bundle's encode cannot exceed (`screenkit.encode.family.peak_bytes_per_second`:
the preset's peak and its burst, the two-pass budget, the source's own rate where the video
is copied). Steps already in the cache need nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from screenkit import diskspace
from screenkit.bundle.compose.model import BuildPlan
from screenkit.bundle.engine.kind import Rate
from screenkit.bundle.engine.registry import kind_of
from screenkit.diskspace import SMALL, Need
from screenkit.encode.family import peak_bytes_per_second


def plan_needs(plan: BuildPlan, cached: Sequence[str] = ()) -> list[Need]:
    """What ``plan``'s out-of-date bundles will write to the cache and to the output folder.

    ``cached`` names the step ids whose results the cache holds already. Each step's size
    is its kind's (`Kind.output_bytes`) at the bundle's rate; a step shared by bundles is
    counted once.
    """
    counted = set(cached)
    cache_bytes = 0.0
    out_bytes = 0.0
    steps = {s.id: s for s in plan.steps}
    for bundle in plan.bundles:
        if bundle.up_to_date:
            continue
        burn = bundle.burn is not None
        rate = Rate(peak_bytes_per_second(plan.master, bundle.preset, burn))
        sizes: dict[str, float] = {}
        for step_id in bundle.step_ids:  # dependencies first
            step = steps[step_id]
            kind = kind_of(step)
            deps = {d.role: sizes[d.id] for d in step.deps}
            sizes[step_id] = kind.output_bytes(step, rate, deps) if step.key else 0.0
            if step_id not in counted:
                counted.add(step_id)
                cache_bytes += sizes[step_id]
            if kind.placed == "whole":
                out_bytes += sizes[step_id]
        out_bytes += sizes[bundle.final_step]
    cache_root = plan.cache_root.resolve()
    out = plan.out.resolve()
    if diskspace.device_of(out) == diskspace.device_of(cache_root):
        out_bytes = SMALL * len(plan.bundles)  # the bundle's files are hard links
    return [
        Need(cache_root, int(cache_bytes), "the build cache (encodes, joins, test clips)", True),
        Need(out, int(out_bytes), "the bundles (film, test clip, sheets)"),
    ]
