"""Bundles: plan the steps, run them through a content-addressed cache, assemble, verify.

requests = resolve_requests(kit, ["demo"])
plan = plan_build(kit, requests, BuildSettings(out=Path("out")))
report = build(plan, jobs=2, progress=callback, stop=threading.Event())
verify_bundle(report.bundles[0].folder)
"""

from screenkit.bundle.cache import StepCache, cache_dir_for
from screenkit.bundle.cache_maintenance import CacheInfo, ClearResult
from screenkit.bundle.errors import BuildCancelled, BundleError, DiskFull, IncompleteBundle
from screenkit.bundle.events import (
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
from screenkit.bundle.manifest import Manifest, read_manifest
from screenkit.bundle.model import BuildPlan, BuildSettings, BundlePlan
from screenkit.bundle.plan import plan_build
from screenkit.bundle.request import BundleRequest, Organiser, resolve_requests
from screenkit.bundle.run import BuildReport, BundleResult, StepView, build, describe
from screenkit.bundle.verify import Problem, VerifyReport, verify_bundle

__all__ = [
    "OVERALL",
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
    "DiskFull",
    "EventCallback",
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
    "cache_dir_for",
    "describe",
    "event_json",
    "plan_build",
    "progress_events",
    "read_manifest",
    "resolve_requests",
    "verify_bundle",
]
