"""The sound step: a chunked film's sound, encoded once from the master while its chunks
encode (`screenkit.encode.chunks.sound_args`).

An unchunked encode writes picture and sound in one pass. A chunked film's picture comes
from its chunks, and its sound from this step: the whole master's sound with the measured
loudness gain, in the preset's codec, layout and container. The film step joins the
chunks and copies this file beside them (``kinds/film.py``), so the join after the last
chunk is a copy of both (it read the whole master and encoded its sound, alone, before).
It is keyed by the master and the preset, not by a language: one sound for every burned
language of a preset.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.kind import Kind, Rate
from screenkit.bundle.engine.planner import Planner
from screenkit.bundle.engine.results import result_of
from screenkit.bundle.engine.step import Command, Folders, Step, StepRun
from screenkit.encode import Loudness
from screenkit.encode.chunks import sound_args
from screenkit.media.info import MediaInfo
from screenkit.presets import VenuePreset

PCM_MOST_KBPS = 48 * 16 * 6
"""The most a PCM sound takes: 5.1 channels of 16 bits at 48 kHz (kbit/s)."""


@dataclass(frozen=True)
class Settings:
    master: MediaInfo
    preset: VenuePreset


@dataclass(frozen=True)
class Result:
    out: str


def _out(step: Step[Settings], folders: Folders) -> Path:
    return folders.work / f"sound{step.settings.preset.extension}"


class SoundKind(Kind[Settings, Result]):
    name = "sound"
    holds_cpu = True  # reads the whole master and encodes its sound

    def commands(
        self, step: Step[Settings], deps: Mapping[str, Entry], folders: Folders
    ) -> list[Command]:
        s = step.settings
        measured = result_of(deps["loudness"], Loudness) if "loudness" in deps else None
        args = sound_args(s.master, s.preset, measured, _out(step, folders))
        return [Command(tuple(args), "sound", duration=s.master.duration)]

    def run(self, run: StepRun[Settings]) -> Result:
        (command,) = self.commands(run.step, run.deps, run.folders)
        run.execute(command, f"encoding the sound of {run.step.settings.master.path.name}")
        return Result(_out(run.step, run.folders).name)

    def output_bytes(self, step: Step[Settings], rate: Rate, deps: Mapping[str, float]) -> float:
        audio = step.settings.preset.audio
        kbps = PCM_MOST_KBPS if audio.is_pcm else audio.bitrate_kbps or 128
        return kbps * 1000 / 8 * step.settings.master.duration + 64 * 1024


KIND = SoundKind()


def plan(p: Planner, preset: VenuePreset, loudness_id: str | None) -> str:
    """The sound of a chunked film of ``preset`` (one for every language)."""
    return p.add(
        KIND,
        f"sound ({preset.name})",
        settings=Settings(p.master, preset),
        inputs=[p.master_file],
        deps={"loudness": loudness_id} if loudness_id else {},
        weight=p.master.duration * 0.02,
        note="the whole film's sound, encoded once, copied beside the chunks",
    )
