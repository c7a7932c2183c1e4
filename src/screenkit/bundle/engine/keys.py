"""A step's key parameters, derived from every field of its settings: none can be left out.

A cache key that misses a setting is a stale hit waiting to happen (a changed value, the old
output). So the key is not written by hand beside the settings: it is the settings, walked
field by field into plain JSON. Three rules keep that exact without keying what does not
change the output:

- a file (a `Path` anywhere in the settings) is keyed by the *content* of the step's input
  it names (its role; the input's sha256 is in the key already), never by where it lies, so
  a kit moved to another folder keeps its cache; a path that is not one of the step's
  inputs is refused at plan time (it would be a file whose changes the key does not see);
- a field that does not take part in its dataclass's equality (``compare=False``: a
  preset's origin notes, the probe route) is not keyed;
- any other field left out is named, with the reason, where it is declared: in the field's
  metadata (``metadata={"unkeyed": "why"}``) or in the kind's ``unkeyed`` table
  (``{"spec.kit_root": "its catalogues are inputs"}``).
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from screenkit.bundle.engine.errors import BundleError

UNKEYED = "unkeyed"
"""The field metadata naming why a settings field is not part of a step's key."""


class UnkeyedFile(BundleError):
    """A step's settings name a file that is not one of its inputs (a screenkit bug)."""


def key_params(
    settings: Any,
    inputs: Mapping[Path, str],
    unkeyed: Mapping[str, str] = {},
) -> Any:
    """``settings`` as plain JSON for the key. ``inputs`` maps each input file of the step
    (absolute path) to its role; ``unkeyed`` names dotted fields left out, with why."""
    return _value(settings, {p.absolute(): r for p, r in inputs.items()}, unkeyed, "")


def _value(value: Any, inputs: Mapping[Path, str], skip: Mapping[str, str], where: str) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, enum.Enum):
        return _value(value.value, inputs, skip, where)
    if isinstance(value, Path):
        role = inputs.get(value.absolute())
        if role is None:
            raise UnkeyedFile(
                f"a step's settings name {value} ({where or 'settings'}), which is not one of "
                "its inputs: its content would not be in the step's key",
                path=value,
                hint="this is a screenkit bug: please report it",
            )
        return {"input": role}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _value(getattr(value, f.name), inputs, skip, _dotted(where, f.name))
            for f in dataclasses.fields(value)
            if f.compare and UNKEYED not in f.metadata and _dotted(where, f.name) not in skip
        }
    if isinstance(value, Mapping):
        return {str(k): _value(v, inputs, skip, _dotted(where, str(k))) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [_value(v, inputs, skip, f"{where}[{n}]") for n, v in enumerate(value)]
    raise TypeError(
        f"a step's settings hold a {type(value).__name__} at {where or 'the top'}: keep "
        "settings to plain data (str, numbers, paths, tuples, frozen dataclasses)"
    )


def _dotted(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
