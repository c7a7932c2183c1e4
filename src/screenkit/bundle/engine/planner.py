"""The planner: adds steps to a graph by content key; it knows no step kind by name.

Inputs are named by content (sha256, via the cache's `FileHasher`), so a key changes
exactly when something the step reads changes; the settings are keyed field by field
(`screenkit.bundle.engine.keys`). A step asked for twice (same key) is one step. Each kind's
``plan`` function (``bundle/kinds/<kind>.py``) says what its step reads and with which
settings, and calls `Planner.add`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from screenkit import __version__
from screenkit.bundle.engine.cache import StepCache, step_key
from screenkit.bundle.engine.keys import key_params
from screenkit.bundle.engine.kind import Kind
from screenkit.bundle.engine.step import Dep, InputFile, Step, Tools
from screenkit.encode.options import SubtitleInput
from screenkit.i18n import translator
from screenkit.kit import Kit
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.slides.spec import kit_fonts

RECIPE = 5
"""Bumped when a step's recipe changes in a way its settings do not show."""

S = TypeVar("S")
T = TypeVar("T")


class Planner:
    """Builds the step graph of a build."""

    def __init__(
        self,
        kit: Kit,
        cache: StepCache,
        ffmpeg: FFmpeg,
        *,
        speed: str | None = None,
        chunks: str = "off",
        speeds: Mapping[str, str] | None = None,
    ) -> None:
        self.kit = kit
        self.chunks = chunks
        """Film encodes in chunks: ``off``, ``auto`` or the seconds (see `BuildSettings`)."""
        self.cache = cache
        self.ffmpeg = ffmpeg
        self.steps: dict[str, Step[Any]] = {}
        self.master = probe(kit.master, ffmpeg=ffmpeg)
        self.fonts = kit_fonts(kit)
        self.tools = Tools(ffmpeg, self.fonts)
        self.speed = speed
        """The x264 speed every encode is asked for (None: each preset's own)."""
        self.speeds: dict[str, str] = dict(speeds or {})
        """The x264 speed chosen for a preset by name (``--speed auto``), over ``speed``."""
        self._memo: dict[Hashable, Any] = {}
        self.master_file = self.input("master", kit.master)
        self.font_files = tuple(self.input("font", f.path) for f in self.fonts)

    def speed_for(self, preset_name: str) -> str | None:
        """The x264 speed the encodes for a preset are asked for (None: the preset's own)."""
        return self.speeds.get(preset_name, self.speed)

    def remember(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, computed once per plan for ``key``: plan-time work that many steps
        share (the cue times of every track of the kit, for every chunked film)."""
        if key not in self._memo:
            self._memo[key] = make()
        found: T = self._memo[key]
        return found

    def input(self, role: str, path: Path) -> InputFile:
        digest = self.cache.hasher.digest(path, step=f"hashing {path.name}")
        return InputFile(role, path, digest.sha256, digest.size)

    def catalogues(self, lang: str, kit_root: Path | None) -> list[InputFile]:
        """The gettext catalogues a document in ``lang`` is worded from (the kit's and
        screenkit's): inputs of the steps that write words, so an edited translation
        rewrites them."""
        found = translator(lang, kit_root).catalogues
        return [self.input(f"catalogue:{lang}", path) for path in found]

    def track(self, lang: str) -> tuple[SubtitleInput, InputFile]:
        path = self.kit.subtitle_path(lang)
        return SubtitleInput(path, lang), self.input(f"subtitles:{lang}", path)

    def tracks(
        self, langs: Sequence[str], burn: str | None
    ) -> tuple[list[SubtitleInput], list[InputFile], SubtitleInput | None]:
        """The tracks of ``langs`` and their inputs, and what the audience reads: the burned
        track, else the first of ``langs`` (the screening language's)."""
        found = [self.track(lang) for lang in langs]
        files, inputs = [t for t, _ in found], [i for _, i in found]
        screening = self.track(burn)[0] if burn else (files[0] if files else None)
        return files, inputs, screening

    def key(self, step_id: str) -> str | None:
        return self.steps[step_id].key

    def cached(self, step_id: str) -> bool:
        key = self.steps[step_id].key
        return key is not None and self.cache.peek(key)

    def add(
        self,
        kind: Kind[S, Any],
        label: str,
        *,
        settings: S,
        inputs: Sequence[InputFile] = (),
        deps: Mapping[str, str] | None = None,
        weight: float = 1.0,
        note: str | None = None,
    ) -> str:
        """Add a step of ``kind`` (``deps``: role → step id); its id. The key holds every
        field of ``settings``, the inputs' and dependencies' contents, the ffmpeg."""
        deps = dict(deps or {})
        roles = {f.path: f"{f.role}:{n}" for n, f in enumerate(inputs)}
        params = key_params(settings, roles, kind.unkeyed)
        key = step_key(
            kind.name,
            params={
                "settings": params,
                "recipe": RECIPE,
                "screenkit": __version__,
                **({"kind recipe": kind.recipe} if kind.recipe else {}),
            },
            inputs={f"{f.role}:{n}": f.sha256 for n, f in enumerate(inputs)},
            deps={role: self.steps[d].key or "" for role, d in deps.items()},
            ffmpeg_version=self.ffmpeg.version,
        )
        step_id = f"{kind.name}-{key[:10]}"
        if step_id not in self.steps:
            self.steps[step_id] = Step(
                id=step_id,
                kind=kind.name,
                label=label,
                key=key,
                deps=tuple(Dep(role, d, self.steps[d].key) for role, d in deps.items()),
                settings=settings,
                tools=self.tools,
                inputs=tuple(inputs),
                weight=weight,
                note=note,
            )
        return step_id
