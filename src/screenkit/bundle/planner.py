"""The planner: the steps of a build, each with its inputs, parameters, key and commands.

Inputs are named by content (sha256, via the cache's `FileHasher`), so a key changes
exactly when something the step reads changes. ``explain`` hooks compute a step's exact
ffmpeg commands for ``--dry-run`` once the steps it depends on are in the cache.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from screenkit import __version__
from screenkit.bundle import actions
from screenkit.bundle import explain as explainers
from screenkit.bundle.actions import Tools
from screenkit.bundle.cache import StepCache, step_key
from screenkit.bundle.chunksteps import plan_chunked_film
from screenkit.bundle.manifest import preset_to_json
from screenkit.bundle.model import BuildSettings
from screenkit.bundle.steps import Explain, InputFile, Step, StepKind
from screenkit.bundle.tracks import TrackFile
from screenkit.encode import EncodeOptions, Loudness, SubtitleInput, output_format, plan_encode
from screenkit.encode.loudness import measure_args
from screenkit.kit import Kit
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.media.runner import full_argv
from screenkit.presets import LoudnessSpec, VenuePreset
from screenkit.slides import CardSpec, CardTarget, layout_card
from screenkit.slides.spec import kit_fonts

RECIPE = 4
"""Bumped when a step's recipe changes in a way its parameters do not show."""


class Planner:
    """Builds the step graph; a step asked for twice (same key) is one step."""

    def __init__(self, kit: Kit, settings: BuildSettings, cache: StepCache, ffmpeg: FFmpeg) -> None:
        self.kit = kit
        self.settings = settings
        self.cache = cache
        self.ffmpeg = ffmpeg
        self.steps: dict[str, Step] = {}
        self.master = probe(kit.master, ffmpeg=ffmpeg)
        self.fonts = kit_fonts(kit)
        self.tools = Tools(ffmpeg, cache.root / "engine", self.fonts, settings.x264_preset)
        self.master_file = self.input("master", kit.master)
        self.font_files = tuple(self.input("font", f.path) for f in self.fonts)

    # -- helpers ----------------------------------------------------------------------
    def input(self, role: str, path: Path) -> InputFile:
        digest = self.cache.hasher.digest(path, step=f"hashing {path.name}")
        return InputFile(role, path, digest.sha256, digest.size)

    def track(self, lang: str) -> tuple[TrackFile, InputFile]:
        path = self.kit.subtitle_path(lang)
        return TrackFile(lang, path), self.input(f"subtitles:{lang}", path)

    def add(
        self,
        kind: StepKind,
        label: str,
        *,
        params: Mapping[str, Any],
        inputs: Sequence[InputFile] = (),
        deps: Sequence[str] = (),
        action: Any,
        weight: float = 1.0,
        commands: Sequence[Sequence[str]] = (),
        note: str | None = None,
        explain: Explain | None = None,
    ) -> str:
        key = step_key(
            kind,
            params={**params, "recipe": RECIPE, "screenkit": __version__},
            inputs={f"{f.role}:{n}": f.sha256 for n, f in enumerate(inputs)},
            deps={d: self.steps[d].key or "" for d in deps},
            ffmpeg_version=self.ffmpeg.version,
        )
        step_id = f"{kind}-{key[:10]}"
        if step_id not in self.steps:
            self.steps[step_id] = Step(
                id=step_id,
                kind=kind,
                label=label,
                deps=tuple(deps),
                key=key,
                params=params,
                inputs=tuple(inputs),
                commands=tuple(tuple(c) for c in commands),
                command_note=note,
                weight=weight,
                action=action,
                explain=explain,
            )
        return step_id

    def work(self, step_kind: str) -> Path:
        return self.cache.root / "tmp" / f"{step_kind}.WORK"

    # -- steps ------------------------------------------------------------------------
    def loudness(self, preset: VenuePreset) -> str | None:
        if preset.audio.loudness is None or not self.master.audio:
            return None
        channels = preset.audio.channels
        args = measure_args(self.master, channels, LoudnessSpec())
        return self.add(
            "loudness",
            f"loudness of {self.kit.master.name}",
            params={"channels": channels},
            inputs=[self.master_file],
            action=partial(actions.measure, self.tools, self.master, channels),
            weight=self.master.duration * 0.05,
            commands=[full_argv(args, self.ffmpeg, loglevel="info", progress=False)],
        )

    def film(self, preset: VenuePreset, burn: str | None) -> tuple[str, list[InputFile]]:
        loud_id = self.loudness(preset)
        track, track_input = self.track(burn) if burn else (None, None)
        inputs = [self.master_file, *self.font_files, *([track_input] if track_input else [])]
        options = EncodeOptions(
            burn=SubtitleInput(track.path, track.lang) if track else None,
            audio_lang=self.kit.original_language,
            fonts=self.fonts,
            x264_preset=self.settings.x264_preset,
        )
        loudness = None
        note = None
        if loud_id is not None:
            loudness = self._cached_loudness(loud_id)
            if loudness is None:
                note = "the loudnorm measured_* values come from the loudness step"
        encode_plan = plan_encode(
            self.master,
            preset,
            self.work("film") / f"film{preset.extension}",
            options,
            loudness=loudness or (Loudness(*[math.nan] * 4) if loud_id else None),
            workdir=Path(tempfile.gettempdir()) / "screenkit-encode-XXXXXX",
            ffmpeg_version=self.ffmpeg.version_tuple,
        )
        chunked = plan_chunked_film(self, preset, burn, track, inputs, loud_id, options)
        if chunked is not None:
            return chunked, inputs
        copy = encode_plan.copy_video
        step_id = self.add(
            "film",
            f"film encode ({preset.name}{', burn ' + burn if burn else ''})",
            params={
                "preset": preset_to_json(preset),
                "burn": burn,
                "x264": self.settings.x264_preset,
                "audio_lang": self.kit.original_language,
            },
            inputs=inputs,
            deps=[loud_id] if loud_id else [],
            action=partial(
                actions.encode_film,
                self.tools,
                self.kit.master,
                preset,
                track,
                self.kit.original_language,
            ),
            weight=self.master.duration * (0.05 if copy else 1.0),
            commands=encode_plan.argv(self.ffmpeg),
            note=note,
        )
        return step_id, inputs

    def _cached_loudness(self, loud_id: str) -> Loudness | None:
        key = self.steps[loud_id].key
        entry = self.cache.peek_entry(key) if key else None
        return actions.loudness_from_meta(entry.meta) if entry is not None else None

    def card(self, spec: CardSpec, preset: VenuePreset, film_id: str) -> str:
        fields = {
            "title": spec.title,
            "appeal": spec.appeal,
            "beneficiary": spec.beneficiary,
            "link": spec.link,
            "lang": spec.lang,
            "venue": spec.venue,
            "date": spec.date,
            "contact": spec.contact,
            "kind": spec.kind,
            "duration": spec.seconds,
            "fade": spec.fade,
            "safe_area": preset.safe_area,
        }
        return self.add(
            "card",
            f"{spec.kind} card ({spec.lang}, {preset.name})",
            params=fields,
            inputs=self.font_files,
            deps=[film_id],
            action=partial(actions.card, self.tools, spec, preset.safe_area, film_id),
            explain=partial(
                explainers.card, self.tools, spec, preset.safe_area, film_id, self.work("card")
            ),
            weight=spec.seconds * 0.5,
            note="rendered with libass, encoded with the film's own stream parameters",
        )

    def early_card_check(self, spec: CardSpec, preset: VenuePreset) -> None:
        """Fail now, not after the encode, when the appeal does not fit or cannot be drawn."""
        fmt = output_format(self.master, preset, EncodeOptions())
        target = CardTarget.plain(fmt.width, fmt.height, fmt.frame_rate, safe_area=preset.safe_area)
        layout_card(spec, target)
