"""Where presets live: the standard ones inside the package, a kit's own in ``<kit>/presets/``.

A kit file with a standard preset's name replaces it; a kit file may extend a standard
preset, or another kit preset. A file that extends its own name (``usb-player.toml`` saying
``extends = "usb-player"``) extends the next layer down, the standard one: that is how a kit
tweaks one value of a standard preset without copying the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from screenkit.config import Table, did_you_mean, read_toml
from screenkit.errors import ConfigError
from screenkit.names import valid_name
from screenkit.presets.loader import RawPreset, build_preset, merge
from screenkit.presets.model import Family, VenuePreset

STANDARD_DIR = Path(__file__).resolve().parent / "standard"
STANDARD = (
    "usb-player", "usb-player-legacy", "laptop", "web", "archive", "dvd-pal", "dvd-ntsc", "divx",
)  # fmt: skip

Origin = Literal["standard", "kit"]


class PresetNotFound(ConfigError):
    """No preset of that name in the kit nor among the standard ones."""


@dataclass(frozen=True)
class PresetInfo:
    """One entry of ``presets list``."""

    name: str
    description: str
    origin: Origin
    path: Path
    extends: str | None
    overrides_standard: bool = False


@dataclass(frozen=True)
class _Layer:
    origin: Origin
    folder: Path


def _layers(kit_dir: Path | None) -> list[_Layer]:
    """Highest priority first."""
    layers = []
    if kit_dir is not None and (Path(kit_dir) / "presets").is_dir():
        layers.append(_Layer("kit", Path(kit_dir) / "presets"))
    layers.append(_Layer("standard", STANDARD_DIR))
    return layers


def _label(layer: _Layer, path: Path) -> str:
    return f"standard:{path.name}" if layer.origin == "standard" else str(path)


def _names(layers: list[_Layer]) -> dict[str, tuple[int, Path]]:
    found: dict[str, tuple[int, Path]] = {}
    for depth, layer in enumerate(layers):
        for path in sorted(layer.folder.glob("*.toml")):
            found.setdefault(path.stem, (depth, path))
    return found


def _find(name: str, layers: list[_Layer], start: int = 0) -> tuple[int, Path] | None:
    for depth in range(start, len(layers)):
        candidate = layers[depth].folder / f"{name}.toml"
        if candidate.is_file():
            return depth, candidate
    return None


def _not_found(name: str, layers: list[_Layer], referrer: Path | None = None) -> PresetNotFound:
    known = sorted(_names(layers))
    where = f"{referrer}: extends: " if referrer else ""
    return PresetNotFound(
        f"{where}no preset named '{name}'{did_you_mean(name, known)}",
        path=referrer,
        key="extends" if referrer else None,
        value=name,
        hint=f"known presets: {', '.join(known)}",
    )


def _resolve(
    name: str, path: Path, depth: int, layers: list[_Layer], chain: tuple[Path, ...]
) -> RawPreset:
    if path in chain:
        loop = " → ".join(p.stem for p in (*chain, path))
        raise ConfigError(f"{path}: extends: a loop ({loop})", path=path, key="extends")
    data = read_toml(path)
    label = _label(layers[depth], path)
    parent_name = data.get("extends")
    if parent_name is None:
        merged, origins = merge({}, {}, data, label)
        return RawPreset(name, merged, origins, label, path, None)
    if not isinstance(parent_name, str) or not valid_name(parent_name):
        raise Table(data, path).error("extends", f"expected a preset name, got {parent_name!r}")
    # a file extending its own name means the same name one layer down
    start = depth + 1 if parent_name == path.stem else 0
    found = _find(parent_name, layers, start)
    if found is None:
        raise _not_found(parent_name, layers, path)
    parent = _resolve(parent_name, found[1], found[0], layers, (*chain, path))
    child = {k: v for k, v in data.items() if k != "extends"}
    merged, origins = merge(parent.data, parent.origins, child, label)
    origins["extends"] = label
    return RawPreset(name, merged, origins, label, path, parent_name)


def load_preset(name: str, kit_dir: Path | str | None = None) -> VenuePreset:
    """The preset ``name``, the kit's own first, validated; errors name file and key."""
    layers = _layers(Path(kit_dir) if kit_dir is not None else None)
    if not valid_name(name):
        raise _not_found(name, layers)
    found = _find(name, layers)
    if found is None:
        raise _not_found(name, layers)
    depth, path = found
    return build_preset(_resolve(name, path, depth, layers, ()))


def load_preset_file(path: Path | str, kit_dir: Path | str | None = None) -> VenuePreset:
    """A preset from any file (``presets check``); ``extends`` looks in the kit, then standard."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such file", path=path)
    kit = Path(kit_dir) if kit_dir is not None else None
    if kit is None and path.resolve().parent.name == "presets":
        kit = path.resolve().parent.parent
    layers = _layers(kit)
    depth = next(
        (n for n, layer in enumerate(layers) if path.resolve().parent == layer.folder.resolve()),
        -1,
    )
    if depth < 0:  # a file outside every layer extends like a kit file
        layers = [_Layer("kit", path.parent), *layers]
        depth = 0
    return build_preset(_resolve(path.stem, path, depth, layers, ()))


def list_presets(kit_dir: Path | str | None = None) -> list[PresetInfo]:
    """Every preset a kit can use: its own and the standard ones it does not replace."""
    layers = _layers(Path(kit_dir) if kit_dir is not None else None)
    standard = {p.stem for p in STANDARD_DIR.glob("*.toml")}
    out = []
    for name, (depth, path) in sorted(_names(layers).items()):
        data = read_toml(path)
        desc = data.get("description")
        extends = data.get("extends")
        origin = layers[depth].origin
        out.append(
            PresetInfo(
                name=name,
                description=desc if isinstance(desc, str) else "",
                origin=origin,
                path=path,
                extends=extends if isinstance(extends, str) else None,
                overrides_standard=origin == "kit" and name in standard,
            )
        )
    return out


def standard_presets(family: Family) -> tuple[str, ...]:
    """The standard presets of ``family``, in `STANDARD` order (``file``: the distributor's
    ``--all`` matrix; the old players' need their own kind of player and tools)."""
    return tuple(name for name in STANDARD if load_preset(name).family == family)
