"""Step kinds: one class each (`screenkit.bundle.kind.Kind`), one registry line each, here.

Every kind module holds, in one place, how its step is planned (``plan``: its inputs and
settings, from which the key is derived), the kind's class — ``commands()`` giving the
exact ffmpeg argv lists (what ``--dry-run`` lists and what ``run`` executes), ``run()``,
its traits (runs ffmpeg, holds a CPU, placed in the bundle, output size) — and its frozen
``Result``. To add a kind: write ``bundle/steps/<kind>.py`` after these, add its ``KIND``
to `KINDS` below, and call its ``plan`` where bundles are composed (``bundle/plan.py``);
a kind that adds one step to every bundle says so itself, with a ``compose(planner,
shape)`` method, and is called by the composition without a line there (the poster, the
page; see `screenkit.bundle.plan`).
"""

from screenkit.bundle.registry import REGISTRY
from screenkit.bundle.steps import (
    card,
    chunk,
    clip,
    dvdauthor,
    dvdiso,
    film,
    join,
    legacycard,
    loudness,
    manifest,
    mux,
    poster,
    sheet,
    sidecars,
    stills,
    subpictures,
    webpage,
)

KINDS = (
    loudness.KIND,
    chunk.KIND,
    film.KIND,
    card.KIND,
    legacycard.KIND,
    join.KIND,
    mux.KIND,
    sidecars.KIND,
    clip.KIND,
    stills.KIND,
    sheet.KIND,
    poster.KIND,
    webpage.KIND,
    subpictures.KIND,
    dvdauthor.KIND,
    dvdiso.KIND,
    manifest.KIND,
)
for _kind in KINDS:
    REGISTRY.register(_kind)
