"""Bundles: plan the steps, run them through a content-addressed cache, assemble, verify.

    requests = resolve_requests(kit, ["demo"])
    plan = plan_build(kit, requests, BuildSettings(out=Path("out")))
    report = build(plan, jobs=2, events=listener, stop=threading.Event())
    verify_bundle(report.bundles[0].folder)

The package in four parts, each importing only the ones below it (checked by
``tests/bundle/test_bundle_layers.py``):

- ``compose/`` — the composition: which bundles (`compose.request`), the plan of each
  (`compose.plan`; its video part per preset family, `compose.families`: `plan_file`,
  `plan_dvd`), the encode-time estimates, the space a build needs (`compose.space`), and
  running or describing a plan (`compose.build`: `build`, `describe`);
- ``kinds/`` — the step kinds, one class each, registered in ``kinds/__init__.py``;
- ``documents/`` — what a bundle holds and says: manifest, assembly, screening sheet,
  verify (and, per preset family, what verify checks and the sheet says:
  `documents.families`), the bundle's file names, its tracks, the ffmpeg operations on
  finished files;
- ``engine/`` — knows no kind and no bundle: a step (plain data, typed in its settings),
  what a kind is (`engine.kind.Kind` and its traits), keys derived from settings, the
  registry, the planner, the cache and its hashes, results, one executor loop with its
  three backends (threads, processes, Dask), the progress relay and its typed events.

To add a step kind:

1. write ``kinds/<kind>.py``: its frozen ``Settings`` and ``Result``, a class
   ``Kind[Settings, Result]`` with ``name``, ``run()`` (and ``commands()`` when it runs
   ffmpeg), the traits that apply (``holds_cpu``, ``placed = "whole"`` when its files go
   into the bundle, ``output_bytes``), ``KIND = ...Kind()`` and a ``plan()`` calling
   ``planner.add(KIND, label, settings=..., inputs=..., deps=...)`` (the key is derived
   from every field of the settings and the inputs' contents);
2. add its ``KIND`` to ``KINDS`` in ``kinds/__init__.py`` (one line);
3. call its ``plan()`` where bundles are composed (``compose/plan.py``), or, for a step
   every bundle gets, give the class a ``compose(planner, shape)`` method instead: the
   composition calls it for each bundle, so nothing else changes (the poster and the page
   do so; ``tests/bundle/test_bundle_new_kind.py`` adds a kind from a test file alone).

What the organiser's app and the CLI hear of a running build is the typed event stream of
`screenkit.bundle.engine.events` (``build(plan, events=...)``).
"""

from screenkit.bundle.compose.build import BuildReport, BundleResult, StepView, build, describe
from screenkit.bundle.compose.model import BuildPlan, BuildSettings
from screenkit.bundle.compose.plan import plan_build
from screenkit.bundle.compose.request import BundleRequest, Organiser, resolve_requests
from screenkit.bundle.compose.space import plan_needs
from screenkit.bundle.documents.manifest import Manifest, read_manifest
from screenkit.bundle.documents.verify import Problem, VerifyReport, verify_bundle
from screenkit.bundle.engine.cache import StepCache, cache_dir_for, user_cache_dir
from screenkit.bundle.engine.cache_maintenance import CacheInfo, ClearResult
from screenkit.bundle.engine.dask_executor import (
    SCHEDULER_ENV,
    ClusterError,
    ClusterSpec,
    require_dask,
)
from screenkit.bundle.engine.errors import (
    BuildCancelled,
    BundleError,
    DiskFull,
    IncompleteBundle,
    build_cancelled,
)
from screenkit.bundle.engine.events import (
    OVERALL,
    BuildEvent,
    BuildProgress,
    EventCallback,
    StepFinished,
    StepProgress,
    StepStarted,
    event_json,
    progress_events,
)
from screenkit.bundle.engine.hashing import FileHasher
from screenkit.bundle.kinds.shape import BundlePlan

__all__ = [
    "OVERALL",
    "SCHEDULER_ENV",
    "BuildCancelled",
    "BuildEvent",
    "BuildPlan",
    "BuildProgress",
    "BuildReport",
    "BuildSettings",
    "BundleError",
    "BundlePlan",
    "BundleRequest",
    "BundleResult",
    "CacheInfo",
    "ClearResult",
    "ClusterError",
    "ClusterSpec",
    "DiskFull",
    "EventCallback",
    "FileHasher",
    "IncompleteBundle",
    "Manifest",
    "Organiser",
    "Problem",
    "StepCache",
    "StepFinished",
    "StepProgress",
    "StepStarted",
    "StepView",
    "VerifyReport",
    "build",
    "build_cancelled",
    "cache_dir_for",
    "describe",
    "event_json",
    "plan_build",
    "plan_needs",
    "progress_events",
    "read_manifest",
    "require_dask",
    "resolve_requests",
    "user_cache_dir",
    "verify_bundle",
]
