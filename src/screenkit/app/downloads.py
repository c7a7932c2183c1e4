"""Ready bundles from a catalogue: the app's one place that talks to `screenkit.handover`.

Where the kit names its catalogue (``[kit] catalogue = "https://…"``) or the organiser types
one, the app offers the ready bundle for the chosen language and device beside building it.
The address follows the kit's rule (`screenkit.kit.catalogue_problem`: https, or plain http
on this computer only). `look_up` reads the catalogue (checked whole by
`screenkit.handover.parse_catalogue`: a ``..`` or absolute path, a name the bundle rules
refuse, is refused before anything is downloaded); `submit_download` checks the choice and
the catalogue at once (a refusal is a 400 in the CLI's words) and queues a `DownloadJob` in
the builds' own queue (`builds.BuildManager.enqueue`), so a download has the build's state,
progress, event stream, reload and Cancel, and its result page is a build's: verified in
words, copied to the stick, its files served like a built bundle's.

The bundle goes into the kit's ``downloads/`` folder (``downloads/<kit>-<lang>-<preset>``),
apart from ``out/`` where the same bundle built here would be: `fetch_bundle` downloads into
a hidden ``.part-fetch`` folder, checks every file's size and sha256, verifies, and only then
renames it to the bundle's name. Cancel stops it there (`FetchCancelled`): nothing that
looks like a bundle is left, and the next download of it goes on where it stopped.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from screenkit.app.builds import BuildJob, BuildManager, StepProgress
from screenkit.app.choice import BuildChoice
from screenkit.errors import ScreenkitError, path_error
from screenkit.handover import CatalogueBundle, FetchCancelled, FetchResult
from screenkit.handover.errors import fetch_cancelled
from screenkit.i18n import Translator
from screenkit.kit import Kit, catalogue_problem
from screenkit.progress import Progress

DOWNLOADS = "downloads"
"""The kit's folder of downloaded bundles."""
DOWNLOAD_SHARE = 0.9
"""The part of the progress bar the download takes; the check of every file the rest."""


class AddressRefused(ScreenkitError):
    """A catalogue address the app does not download from (``key`` ``catalogue``)."""


class NotOffered(ScreenkitError):
    """The catalogue holds no bundle for the chosen language and device (``value``)."""


class NoCatalogue(ScreenkitError):
    """The kit names no catalogue and none was typed."""


def download_refusal_words(tr: Translator, exc: ScreenkitError) -> tuple[str, str] | None:
    """A download's error in the page's words (`words.explain`); None for another error."""
    from screenkit.handover import CatalogueError, FetchError

    if isinstance(exc, FetchCancelled):
        return (
            tr.gettext("The download was stopped. Nothing that looks like a bundle was kept."),
            tr.gettext("Downloading it again goes on where it stopped."),
        )
    if isinstance(exc, AddressRefused):
        return (
            tr.gettext(
                "This address cannot be used: bundles come from an https:// address (or "
                "http:// on this computer)."
            ),
            tr.gettext("Type the address the distributor published the bundles at."),
        )
    if isinstance(exc, NoCatalogue):
        return (
            tr.gettext("The kit names no catalogue."),
            tr.gettext("Type the catalogue's address."),
        )
    if isinstance(exc, NotOffered):
        return (
            tr.gettext("The catalogue has no ready bundle for this language and device."),
            tr.gettext("Choose one it offers, or build the bundle here."),
        )
    if isinstance(exc, CatalogueError):
        return (
            tr.gettext(
                "This catalogue cannot be trusted: something in it is not as screenkit "
                "publishes it."
            ),
            tr.gettext("The details below say what. Tell the distributor."),
        )
    if isinstance(exc, FetchError):
        return (
            tr.gettext("The download failed."),
            tr.gettext(
                "Try again: it goes on where it stopped. If it fails again, send the details "
                "below to the distributor."
            ),
        )
    return None


def catalogue_address(kit: Kit, typed: str | None) -> str:
    """The catalogue to read: the typed address (the kit's rule applies), else the kit's."""
    text = (typed or "").strip()
    if text:
        problem = catalogue_problem(text)
        if problem is not None:
            raise AddressRefused(
                problem,
                key="catalogue",
                value=text[:200],
                hint="give the https:// address the distributor published the bundles at",
            )
        return text
    if kit.catalogue:
        return kit.catalogue
    raise NoCatalogue(
        f"{kit.manifest.name} names no catalogue and none was given",
        key="catalogue",
        hint='type the catalogue\'s https:// address, or add [kit] catalogue = "https://…" '
        "to the kit",
    )


@dataclass(frozen=True)
class Offer:
    """What a catalogue offers, read now."""

    location: str
    title: str
    kit: str
    bundles: tuple[CatalogueBundle, ...]

    def find(self, lang: str, preset: str) -> CatalogueBundle | None:
        for bundle in self.bundles:
            if bundle.lang.lower() == lang.lower() and bundle.preset == preset:
                return bundle
        return None


def look_up(location: str) -> Offer:
    """The catalogue at ``location``, read and checked whole (`open_catalogue`)."""
    from screenkit.handover import open_catalogue

    with open_catalogue(location) as opened:
        c = opened.catalogue
        return Offer(location, c.title, c.kit, c.bundles)


def downloads_folder(kit: Kit) -> Path:
    return kit.root / DOWNLOADS


class _FetchProgress:
    """`fetch_bundle`'s progress events as the two steps a download shows."""

    def __init__(self, job: DownloadJob) -> None:
        self.job = job
        self.files = 1
        self.checked: set[str] = set()
        self.last = 0.0

    @staticmethod
    def steps() -> dict[str, StepProgress]:
        return {
            "download": StepProgress("download", "download", "running"),
            "verify": StepProgress("verify", "verify", "waiting"),
        }

    def __call__(self, event: Progress) -> None:
        job = self.job
        fraction = event.fraction or 0.0
        now = time.monotonic()
        with job.lock:
            download, verify = job.steps["download"], job.steps["verify"]
            if event.step.startswith("downloading"):
                download.fraction = max(download.fraction, fraction)
                job.overall = max(job.overall, DOWNLOAD_SHARE * download.fraction)
            elif event.step.startswith("checking"):
                changed = job.phase != "verifying"
                job.phase = "verifying"
                download.state, download.fraction = "done", 1.0
                verify.state = "running"
                if fraction >= 1.0:
                    self.checked.add(event.step)
                verify.fraction = min(1.0, len(self.checked) / self.files)
                share = DOWNLOAD_SHARE + (1 - DOWNLOAD_SHARE) * verify.fraction
                job.overall = max(job.overall, share)
                if changed:
                    self.last = 0.0  # the new phase is shown at once
        if now - self.last >= 0.2:
            self.last = now
            job.update()

    def finish(self) -> None:
        with self.job.lock:
            for step in self.job.steps.values():
                step.state, step.fraction = "done", 1.0


@dataclass
class DownloadJob(BuildJob):
    """A ready bundle downloaded from a catalogue, in the builds' queue."""

    kind: ClassVar[str] = "download"
    location: str = ""
    out: Path | None = None
    result: FetchResult | None = None

    def origin(self) -> str | None:
        return self.location

    def cancelled(self) -> ScreenkitError:
        return fetch_cancelled()

    def execute(self, build: Callable[[BuildJob], None]) -> None:
        """Download, check every file, verify (the manager's build is not used)."""
        from screenkit.handover import fetch_bundle, open_catalogue

        del build
        progress = _FetchProgress(self)
        self.update(
            state="running", phase="downloading", started=time.monotonic(), steps=progress.steps()
        )
        outcome: dict[str, object]
        try:
            assert self.out is not None
            with open_catalogue(self.location) as opened:
                bundle = opened.choose(self.choice.lang, self.choice.preset)
                progress.files = max(1, len(bundle.files))
                result = fetch_bundle(opened, bundle, self.out, progress=progress, stop=self.stop)
            progress.finish()
            outcome = {
                "state": "done",
                "bundle": result.folder,
                "verify": result.verify,
                "result": result,
                "overall": 1.0,
            }
        except FetchCancelled as exc:
            outcome = {"state": "cancelled", "error": exc}
        except ScreenkitError as exc:
            outcome = {"state": "failed", "error": exc}
        except OSError as exc:
            outcome = {"state": "failed", "error": path_error(exc)}
        except Exception as exc:  # never a traceback: the page shows what went wrong  # noqa: BLE001
            error = ScreenkitError(f"the download stopped on an unexpected error: {exc!r}")
            outcome = {"state": "failed", "error": error}
        self.update(phase="finished", finished_at=time.monotonic(), **outcome)


def submit_download(
    manager: BuildManager, kit: Kit, choice: BuildChoice, typed: str | None
) -> DownloadJob:
    """Check the choice (as a build's) and the catalogue now, and queue the download."""
    request = choice.request(kit)
    location = catalogue_address(kit, typed)
    offer = look_up(location)
    if offer.find(choice.lang, choice.preset) is None:
        raise NotOffered(
            f"the catalogue has no bundle for --lang {choice.lang} --preset {choice.preset}",
            key="preset",
            value=f"{choice.lang}/{choice.preset}",
            hint="choose what it offers, or build the bundle here",
        )
    job = DownloadJob(
        id=secrets.token_hex(6),
        kit=kit,
        choice=choice,
        request=request,
        settings=manager.settings_for(kit),
        location=location,
        out=downloads_folder(kit),
    )
    manager.enqueue(job)
    return job
