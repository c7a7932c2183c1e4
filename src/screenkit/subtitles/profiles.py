"""QC profiles: the limits ``subs check`` and ``subs fix`` hold a track to.

A profile is data, a small TOML file: the built-in ``netflix`` (the default), ``bbc`` and
``relaxed`` ship in ``screenkit/data/profiles``; a kit adds its own as
``profiles/<name>.toml``, usually ``extends = "netflix"`` with a few numbers changed. Any
rule's severity can be changed (or the rule turned ``off``) in a ``[severity]`` table.
Unknown keys and rule names are errors naming the file and key.

``language_norms = true`` (netflix says so) lets the track's language set the line length
and reading speed (`screenkit.subtitles.norms`); a profile file that writes
``max_chars_per_line`` or ``max_cps`` itself has chosen its figures and keeps them unless it
says ``language_norms = true`` too. The flag is inherited through ``extends``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from screenkit.config import Table, did_you_mean, read_toml
from screenkit.errors import ConfigError

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info", "off")
DEFAULT_PROFILE = "netflix"

RULES: MappingProxyType[str, Severity] = MappingProxyType(
    {
        "line-length": "error",
        "line-count": "error",
        "reading-speed": "warning",
        "reading-speed-far": "error",
        "duration-short": "warning",
        "duration-long": "warning",
        "gap": "warning",
        "overlap": "error",
        "negative-duration": "error",
        "past-end": "error",
        "empty-event": "warning",
        "empty-track": "error",
        "unbalanced-tags": "error",
        "missing-glyphs": "error",
        "encoding": "warning",
        "encoding-guess": "warning",
        "load": "warning",
        "timing-line": "warning",
    }
)
"""Every rule ``subs check`` knows, with its severity unless a profile says otherwise."""

_NUMBERS = (
    "max_chars_per_line",
    "max_lines",
    "max_cps",
    "min_duration",
    "max_duration",
    "min_gap_frames",
)


@dataclass(frozen=True)
class Profile:
    """Limits for one kind of screening; durations in whole milliseconds."""

    name: str
    description: str
    max_chars_per_line: int
    max_lines: int
    max_cps: float
    min_duration_ms: int
    max_duration_ms: int
    min_gap_frames: int
    severity: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    source: Path | None = None
    language_norms: bool = False
    """The track's language sets the line length and reading speed (see the module doc)."""
    lang: str | None = None
    """The language whose norms replaced the line length and reading speed, once applied."""

    def severity_of(self, rule: str) -> Severity | None:
        """The rule's severity here; None when the profile turns it off."""
        value = self.severity.get(rule, RULES[rule])
        return None if value == "off" else value  # type: ignore[return-value]


def builtin_dir() -> Path:
    return Path(str(resources.files("screenkit") / "data" / "profiles"))


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def kit_names(kit_root: Path | None) -> list[str]:
    if kit_root is None or not (kit_root / "profiles").is_dir():
        return []
    return sorted(p.stem for p in (kit_root / "profiles").glob("*.toml"))


def find_profile(name: str, kit_root: Path | None = None) -> Path:
    """A profile file: a path (``x.toml`` or with a ``/``), the kit's, or a built-in."""
    if name.endswith(".toml") or "/" in name or "\\" in name:
        path = Path(name)
        if not path.is_file():
            raise ConfigError(f"{path}: no such profile file", path=path, value=name)
        return path
    if kit_root is not None and (candidate := kit_root / "profiles" / f"{name}.toml").is_file():
        return candidate
    if (candidate := builtin_dir() / f"{name}.toml").is_file():
        return candidate
    known = builtin_names() + kit_names(kit_root)
    raise ConfigError(
        f"no QC profile named '{name}'{did_you_mean(name, known)}; "
        f"known: {', '.join(sorted(set(known)))}",
        value=name,
        hint="a kit can add one as profiles/<name>.toml",
    )


def load_profile(name: str = DEFAULT_PROFILE, kit_root: Path | None = None) -> Profile:
    """Read and validate a profile, following ``extends``."""
    return _load(find_profile(name, kit_root), kit_root, ())


def _load(path: Path, kit_root: Path | None, chain: tuple[Path, ...]) -> Profile:
    resolved = path.resolve()
    if resolved in chain:
        names = " → ".join(p.stem for p in (*chain, resolved))
        raise ConfigError(f"{path}: profiles extend each other in a circle ({names})", path=path)
    table = Table(read_toml(path), path)
    parent_name = table.text("extends")
    parent: Profile | None = None
    if parent_name is not None:
        parent_path = _parent_path(parent_name, path, kit_root)
        parent = _load(parent_path, kit_root, (*chain, resolved))
    limits = _limits(table, parent)
    if limits.min_duration_ms >= limits.max_duration_ms:
        raise table.error(
            "min_duration",
            f"{limits.min_duration_ms / 1000:g} s is not below max_duration "
            f"({limits.max_duration_ms / 1000:g} s)",
        )
    severity = dict(parent.severity) if parent else {}
    sev_table = table.table("severity")
    for rule in list(sev_table.data):
        if rule not in RULES:
            raise sev_table.error(rule, f"no such rule{did_you_mean(rule, RULES)}", rule)
        severity[rule] = sev_table.choice(rule, SEVERITIES)
    sev_table.done()
    default = f"{path.stem} (based on {parent.name})" if parent else path.stem
    description = table.text("description", default)
    # figures written here are chosen: the language's norms do not replace them, unless
    # the file asks for them in so many words
    chose = table.has("max_chars_per_line") or table.has("max_cps")
    inherited = parent.language_norms if parent and not chose else False
    norms = table.flag("language_norms", inherited)
    table.done()
    return dataclasses.replace(
        limits,
        name=path.stem,
        description=description,
        severity=MappingProxyType(severity),
        source=path,
        language_norms=norms,
    )


def _parent_path(name: str, child: Path, kit_root: Path | None) -> Path:
    if name == child.stem and child.parent.resolve() != builtin_dir().resolve():
        # a kit's netflix.toml that extends "netflix" means the built-in one
        return builtin_dir() / f"{name}.toml"
    return find_profile(name, kit_root)


def _limits(table: Table, parent: Profile | None) -> Profile:
    """The numbers of the profile (own or inherited); names and severities come later."""
    for key in _NUMBERS:
        if parent is None and not table.has(key):
            raise ConfigError(f"{table.path}: {key} is missing", path=table.path, key=key)
    return Profile(
        name="",
        description="",
        max_chars_per_line=table.integer(
            "max_chars_per_line", parent.max_chars_per_line if parent else None, min=10, max=200
        ),
        max_lines=table.integer("max_lines", parent.max_lines if parent else None, min=1, max=9),
        max_cps=table.number("max_cps", parent.max_cps if parent else None, min=1, max=100),
        min_duration_ms=_seconds(table, "min_duration", parent.min_duration_ms if parent else 0),
        max_duration_ms=_seconds(table, "max_duration", parent.max_duration_ms if parent else 0),
        min_gap_frames=table.integer(
            "min_gap_frames", parent.min_gap_frames if parent else None, min=0, max=50
        ),
    )


def _seconds(table: Table, key: str, inherited_ms: int) -> int:
    """Seconds as a number or an exact fraction (``"5/6"``) → whole ms."""
    if not table.has(key):
        table.number(key)  # marks the key as seen
        return inherited_ms
    raw = table.data[key]
    if isinstance(raw, str):
        text = table.text(key)
        try:
            value = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise table.error(key, f"'{text}' is not a number of seconds", text) from None
    else:
        value = Fraction(str(table.number(key)))
    if not 0 < value <= 120:
        raise table.error(key, f"{raw} s is outside 0-120 s", raw)
    return round(value * 1000)
