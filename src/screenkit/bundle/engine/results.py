"""Typed step results to and from an entry's JSON ``meta``.

Each kind's result is a frozen dataclass of plain fields (str, int, float, bool, None,
tuples of those, nested result dataclasses). It is stored in the cache entry as JSON and
read back into the same type, so one step reads another's facts as typed fields (no
``meta["film_offset"]`` strings). Non-finite floats (a silent film's -inf LUFS) are kept
as strings in JSON, as Python's ``float()`` reads them.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from screenkit.bundle.engine.cache import Entry
from screenkit.bundle.engine.errors import BundleError

R = TypeVar("R")


def to_meta(result: Any) -> dict[str, Any]:
    """A result dataclass as JSON-able data."""
    return {f.name: _encode(getattr(result, f.name)) for f in dataclasses.fields(result)}


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_meta(value)
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def from_meta(cls: type[R], meta: Mapping[str, Any]) -> R:
    """The result of type ``cls`` stored in ``meta``; refuses a record of another shape."""
    hints = typing.get_type_hints(cls)
    try:
        values = {
            f.name: _decode(hints[f.name], meta[f.name])
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]
            if f.name in meta or f.default is dataclasses.MISSING
        }
        return cls(**values)
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError(f"a cached step record is not a {cls.__name__}: {exc}") from exc


def _decode(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(options[0], value)
    if origin is tuple:
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        return tuple(_decode(inner, v) for v in value)
    if hint is float:
        return float(value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return from_meta(hint, value)
    return value


def result_of(entry: Entry, cls: type[R]) -> R:
    return from_meta(cls, entry.meta)
