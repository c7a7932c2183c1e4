"""The dvdiso step: ``<video stem>.iso``, the disc image any burning program writes.

VIDEO_TS/ (and an empty AUDIO_TS/) by xorriso, the files in the order a DVD player reads
them, the volume label from the film's title (`screenkit.dvd.iso`); the image's listing is
read back and must hold every file of VIDEO_TS/.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from screenkit.bundle.engine.errors import BundleError
from screenkit.bundle.engine.kind import Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.step import Step, StepRun
from screenkit.dvd import require_dvd_tools
from screenkit.dvd.author import VIDEO_TS
from screenkit.dvd.build import write_disc_image
from screenkit.dvd.iso import iso_listing


@dataclass(frozen=True)
class Settings:
    name: str
    """The image's file name (``<video stem>.iso``)."""
    title: str
    """The film's title: the volume label is made from it."""


@dataclass(frozen=True)
class Result:
    out: str
    listing: tuple[str, ...]


def plan(p: Planner, author_id: str, name: str, title: str) -> str:
    return p.add(
        KIND,
        f"DVD image ({name})",
        settings=Settings(name, title),
        deps={"disc": author_id},
        weight=0.01 * p.master.duration + 0.5,
        note="xorriso (not ffmpeg): VIDEO_TS/ and AUDIO_TS/ in an ISO 9660 image",
    )


class DvdIsoKind(Kind[Settings, Result]):
    """xorriso (not ffmpeg) writes the image and lists it back."""

    name = "dvdiso"
    runs_ffmpeg = False

    def run(self, run: StepRun[Settings]) -> Result:
        s = run.step.settings
        tools = require_dvd_tools()
        disc = run.deps["disc"]
        iso = write_disc_image(disc.path(VIDEO_TS), run.work / s.name, s.title, tools=tools)
        listing = tuple(iso_listing(iso, tools))
        wanted = {f"/{name}" for name in disc.files}
        missing = sorted(wanted - set(listing))
        if missing:
            raise BundleError(f"the DVD image {s.name} lacks {', '.join(missing)}")
        return Result(s.name, listing)

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        return deps["disc"]


KIND = DvdIsoKind()
