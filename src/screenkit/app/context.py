"""What the app's handlers share: the open kit, recent kits, the builds, the page language.

One `AppContext` per running app. The settings that outlive a run (recent kits, the page
language) are a small JSON file in the app's state folder, written atomically. The kit
chooser browses only folders under `browse_roots` (the user's home and mounted drives).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screenkit.app.builds import BuildManager
from screenkit.app.copies import CopyManager
from screenkit.app.kitview import KitView, look_at
from screenkit.app.words import APP_LANGUAGES, best_language
from screenkit.bundle import BuildSettings
from screenkit.errors import ScreenkitError
from screenkit.i18n import Translator, translator
from screenkit.kit import MANIFEST
from screenkit.media.atomic import write_text_atomic

LANG_COOKIE = "screenkit-lang"
RECENT_MAX = 8


def default_state_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("screenkit", appauthor=False)) / "app"


def browse_roots() -> tuple[Path, ...]:
    """Where the folder chooser may look: the home folder and where drives are mounted."""
    user = os.environ.get("USER") or Path.home().name
    candidates = [
        Path.home(),
        Path("/media") / user,
        Path("/run/media") / user,
        Path("/media"),
        Path("/mnt"),
        Path("/Volumes"),
    ]
    roots: list[Path] = []
    for path in candidates:
        try:
            if path.is_dir():
                resolved = path.resolve()
                if not any(resolved.is_relative_to(r) for r in roots):
                    roots.append(resolved)
        except OSError:
            continue
    return tuple(roots)


@dataclass
class AppConfig:
    port: int
    token: str
    kit_dir: Path | None = None
    speed: str | None = None
    """x264 speed for every build (``--speed``): ``ultrafast`` for a quick try."""
    jobs: int = 2
    state_dir: Path = field(default_factory=default_state_dir)
    roots: tuple[Path, ...] = field(default_factory=browse_roots)


class AppContext:
    def __init__(self, config: AppConfig) -> None:
        self.config = config
        # the settings ``screenkit build`` uses by default: the same choices, the same cache keys
        settings = BuildSettings(x264_preset=config.speed, chunks="auto")
        self.manager = BuildManager(settings=settings, jobs=config.jobs)
        self.copies = CopyManager()
        self.closing = threading.Event()
        self._lock = threading.Lock()
        self.settings = self._read_settings()
        self.kit_root: Path | None = None
        self.kit_error: ScreenkitError | None = None
        if config.kit_dir is not None:
            self.open_kit(config.kit_dir, strict=False)

    # settings that outlive a run -------------------------------------------------------

    @property
    def settings_file(self) -> Path:
        return self.config.state_dir / "settings.json"

    def _read_settings(self) -> dict[str, Any]:
        try:
            data = json.loads(self.settings_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self) -> None:
        # remembering is a convenience: a read-only home loses nothing else
        with contextlib.suppress(OSError):
            write_text_atomic(self.settings_file, json.dumps(self.settings, indent=1))

    def recent(self) -> list[Path]:
        found = self.settings.get("recent", [])
        paths = [Path(p) for p in found if isinstance(p, str)]
        return [p for p in paths if (p / MANIFEST).is_file()]

    def remember_language(self, lang: str) -> None:
        with self._lock:
            self.settings["language"] = lang
            self._save()

    # the kit ---------------------------------------------------------------------------

    def open_kit(self, folder: Path, *, strict: bool = True) -> KitView | None:
        """Open the kit in ``folder`` (remembered as recent); its loader's error otherwise."""
        try:
            view = look_at(folder)
        except ScreenkitError as exc:
            if strict:
                raise
            self.kit_root, self.kit_error = Path(folder).absolute(), exc
            return None
        with self._lock:
            self.kit_root, self.kit_error = view.kit.root, None
            recent = [str(view.kit.root)] + [
                p for p in self.settings.get("recent", []) if p != str(view.kit.root)
            ]
            self.settings["recent"] = recent[:RECENT_MAX]
            self._save()
        return view

    def view(self) -> KitView | None:
        """The open kit, read again when its files changed; None when none is open."""
        if self.kit_root is None or self.kit_error is not None:
            return None
        try:
            return look_at(self.kit_root)
        except ScreenkitError as exc:
            self.kit_error = exc
            return None

    def may_browse(self, folder: Path) -> bool:
        try:
            resolved = folder.resolve()
        except OSError:
            return False
        return any(resolved.is_relative_to(root) for root in self.config.roots)

    # the page's language ---------------------------------------------------------------

    def page_language(self, cookies: dict[str, str], accept: str | None) -> str:
        chosen = cookies.get(LANG_COOKIE)
        if chosen in APP_LANGUAGES:
            return chosen
        saved = self.settings.get("language")
        if isinstance(saved, str) and saved in APP_LANGUAGES:
            return saved
        return best_language(accept)

    def translator(self, lang: str) -> Translator:
        return translator(lang, self.kit_root if self.kit_error is None else None)
