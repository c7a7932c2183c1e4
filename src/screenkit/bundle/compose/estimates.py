"""Before a long build: how long each film encode it will run should take on this machine.

For every film step the build will run (not cached, not a stream copy) the encode is timed
on a few seconds of the master through the very same settings (`screenkit.encode.estimate`,
cached per machine and settings) and scaled to the film's length. A film shorter than
`BuildSettings.estimate_after` gets none: timing a sample would cost about what it saves.
"""

from __future__ import annotations

from screenkit.bundle.compose.model import BuildPlan, FilmEstimate
from screenkit.bundle.engine.cache import StepCache
from screenkit.bundle.engine.step import Step
from screenkit.bundle.kinds import film
from screenkit.encode.estimate import estimate_encode
from screenkit.progress import Progress, ProgressCallback

ESTIMATE_AFTER = 120.0
"""Seconds of film from which a build estimates its encodes (a short one just runs)."""


def estimate_films(
    plan: BuildPlan, *, after: float = ESTIMATE_AFTER, progress: ProgressCallback | None = None
) -> tuple[FilmEstimate, ...]:
    """The estimates of the film encodes ``plan`` still has to run (see the module text)."""
    if plan.master.duration < after:
        return ()
    cache = StepCache(plan.cache_root)
    steps = {s.id: s for s in plan.steps}
    films = dict.fromkeys(b.film_step for b in plan.bundles if not b.up_to_date)
    found = []
    for step_id in films:
        step: Step[film.Settings] = steps[step_id]
        if step.key is None or cache.peek(step.key):
            continue
        settings = step.settings
        planned = film.encode_plan_for(step)
        if planned.copy_video:
            continue
        if progress is not None:
            progress(Progress(step=f"timing a sample: {step.label}", done=0, total=None))
        estimate = estimate_encode(
            plan.kit.master,
            settings.master,
            settings.preset,
            film.encode_options(settings, step.tools),
            ffmpeg=step.tools.ffmpeg,
            cache_dir=plan.cache_root,
            two_pass=planned.two_pass,
        )
        found.append(FilmEstimate(step.id, step.label, estimate))
    return tuple(found)
