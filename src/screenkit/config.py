"""Reading TOML data files (the kit manifest, venue presets, QC profiles) strictly.

A `Table` wraps one TOML table and remembers the file and the dotted key path, so that
every error names where it is: ``presets/bar.toml: video.max_height: expected an
integer, got "720p"``. Unknown keys are errors, with a did-you-mean.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from screenkit.errors import ConfigError, path_error

T = TypeVar("T")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file", path=path) from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"{path} is a folder, not a TOML file", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})", path=path) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text", path=path) from exc
    except OSError as exc:  # unreadable, or a name too long for the disk
        raise ConfigError(path_error(exc).message, path=path) from exc


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Table:
    """One TOML table being validated; the getters consume keys, `done` rejects the rest."""

    def __init__(self, data: dict[str, Any], path: Path, prefix: str = "") -> None:
        self.data = data
        self.path = path
        self.prefix = prefix
        self._seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def error(self, name: str, message: str, value: object = None) -> ConfigError:
        return ConfigError(
            f"{self.path}: {self.key(name)}: {message}",
            path=self.path,
            key=self.key(name),
            value=value,
        )

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default: Any = None) -> Any:
        """The value as TOML gave it, unchecked, marking the key as known (for values of
        several shapes, e.g. a size given as ``"4 GiB"`` or as a number of bytes)."""
        self._seen.add(name)
        return self.data.get(name, default)

    def _get(self, name: str, kind: type[T] | tuple[type, ...], what: str, default: Any) -> Any:
        self._seen.add(name)
        if name not in self.data:
            if default is _REQUIRED:
                typo = difflib.get_close_matches(name, list(self.data), n=1, cutoff=0.6)
                found = f" (found '{self.key(typo[0])}': did you mean '{name}'?)" if typo else ""
                raise ConfigError(
                    f"{self.path}: {self.key(name)} is missing{found}",
                    path=self.path,
                    key=self.key(name),
                )
            return default
        value = self.data[name]
        # bool is an int in Python; a TOML true is never a number here
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.error(name, f"expected {what}, got {value!r}", value)
        if not isinstance(value, kind):
            raise self.error(name, f"expected {what}, got {value!r}", value)
        return value

    def text(self, name: str, default: Any = None, *, required: bool = False) -> Any:
        return self._get(name, str, "text", _REQUIRED if required else default)

    def integer(
        self,
        name: str,
        default: Any = None,
        *,
        required: bool = False,
        min: int | None = None,
        max: int | None = None,
    ) -> Any:
        value = self._get(name, int, "a whole number", _REQUIRED if required else default)
        self._range(name, value, min, max)
        return value

    def number(
        self,
        name: str,
        default: Any = None,
        *,
        required: bool = False,
        min: float | None = None,
        max: float | None = None,
    ) -> Any:
        value = self._get(name, (int, float), "a number", _REQUIRED if required else default)
        self._range(name, value, min, max)
        return float(value) if value is not None else None

    def flag(self, name: str, default: Any = None, *, required: bool = False) -> Any:
        return self._get(name, bool, "true or false", _REQUIRED if required else default)

    def choice(
        self, name: str, choices: Iterable[str], default: Any = None, *, required: bool = False
    ) -> Any:
        options = list(choices)
        value = self.text(name, default, required=required)
        if value is not None and value not in options:
            raise self.error(
                name,
                f"'{value}' is not one of {', '.join(options)}{did_you_mean(value, options)}",
                value,
            )
        return value

    def texts(self, name: str, default: Any = None, *, required: bool = False) -> Any:
        value = self._get(name, list, "a list of texts", _REQUIRED if required else default)
        if value is not None and not all(isinstance(v, str) for v in value):
            raise self.error(name, "expected a list of texts", value)
        return value

    def table(self, name: str, *, required: bool = False) -> Table:
        value = self._get(name, dict, "a table", _REQUIRED if required else {})
        return Table(value, self.path, f"{self.key(name)}.")

    def _range(self, name: str, value: Any, low: Any, high: Any) -> None:
        if value is None:
            return
        if low is not None and value < low:
            raise self.error(name, f"{value} is below the smallest allowed, {low}", value)
        if high is not None and value > high:
            raise self.error(name, f"{value} is above the largest allowed, {high}", value)

    def done(self) -> None:
        """Reject keys nobody asked for: a typo must not pass silently."""
        for name in self.data:
            if name not in self._seen:
                raise self.error(
                    name, f"unknown key{did_you_mean(name, self._seen)}", self.data[name]
                )


_REQUIRED: Any = object()
