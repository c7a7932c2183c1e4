"""Step kinds: one class each (`screenkit.bundle.engine.kind.Kind`), one registry line each, here.

Every kind module holds, in one place, how its step is planned (``plan``: its inputs and
settings, from which the key is derived), the kind's class — ``commands()`` giving the
exact ffmpeg argv lists (what ``--dry-run`` lists and what ``run`` executes), ``run()``,
its traits (runs ffmpeg, holds a CPU, placed in the bundle, output size) — and its frozen
``Result``. To add a kind, see the package docstring of `screenkit.bundle`: its module
here, its ``KIND`` in `KINDS` below, and a call where bundles are composed (or a
``compose(planner, shape)`` method, which needs no line there: the poster, the page).
Importing any kind module registers them all (this package comes first), which is what a
worker process that unpickles a step relies on.
"""

from screenkit.bundle.engine.registry import REGISTRY
from screenkit.bundle.kinds import (
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
    sound,
    stills,
    subpictures,
    webpage,
)

KINDS = (
    loudness.KIND,
    chunk.KIND,
    sound.KIND,
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
