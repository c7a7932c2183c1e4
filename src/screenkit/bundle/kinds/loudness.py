"""The loudness step: EBU R128 measurement of the master's audio, for the film encode.

Its result (`Loudness`) is what the film step's ``loudnorm``/``volume`` applies. The
measurement is also kept under `encode.loudness.measurement_key` in the cache folder, the
one key and store ``screenkit encode`` uses, so either reuses what the other measured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.step import Command, Folders, Step, StepRun
from screenkit.encode.loudness import (
    Loudness,
    measure_command,
    measurement_key,
    parse_measurement,
    recall,
    remember,
)
from screenkit.errors import FFmpegFailed
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset

Result = Loudness


@dataclass(frozen=True)
class Settings:
    master: MediaInfo
    channels: int | None
    sha256: str
    """The master's content digest: with the stream, channels and ffmpeg, the store's key."""


class LoudnessKind(Kind[Settings, Loudness]):
    name = "loudness"
    holds_cpu = True  # decodes the whole master's sound

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        s = step.settings
        args, loglevel = measure_command(s.master, s.channels)
        return [Command(tuple(args), "loudness", loglevel, s.master.duration)]

    def run(self, run: StepRun[Settings]) -> Loudness:
        s = run.step.settings
        key = measurement_key(s.sha256, s.master.audio[0].index, s.channels, run.ffmpeg.version)
        if (known := recall(run.cache_root, key)) is not None:
            return known  # measured by `screenkit encode` (or an earlier cache): nothing to run
        (command,) = self.commands(run.step, run.deps, run.folders)
        try:
            done = run.execute(command, f"measuring the loudness of {s.master.path.name}")
        except FFmpegFailed as exc:
            exc.path = s.master.path
            raise
        measured = parse_measurement(done.log)
        remember(run.cache_root, key, measured)
        return measured


KIND = LoudnessKind()


def plan(p: Planner, preset: VenuePreset) -> str | None:
    """The measurement a preset's encode needs; None when it normalises nothing."""
    if preset.audio.loudness is None or not p.master.audio:
        return None
    channels = preset.audio.channels
    return p.add(
        KIND,
        f"loudness of {p.kit.master.name}",
        settings=Settings(p.master, channels, p.master_file.sha256),
        inputs=[p.master_file],
        weight=p.master.duration * 0.05,
    )
