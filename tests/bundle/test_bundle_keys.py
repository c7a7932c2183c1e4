"""Step keys derived from every settings field: none left out unless said why, files by content."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pytest

import screenkit.bundle.kinds  # noqa: F401 - registers the kinds
from screenkit.bundle.engine.keys import UnkeyedFile, key_params
from screenkit.bundle.engine.registry import REGISTRY


@dataclass(frozen=True)
class Inner:
    track: Path
    rate: Fraction


@dataclass(frozen=True)
class Outer:
    name: str
    inner: Inner
    langs: tuple[str, ...]
    where: str = field(default="", metadata={"unkeyed": "a folder, not what is in it"})
    note: str = field(default="", compare=False)


def test_every_field_is_keyed_and_a_file_by_the_input_it_is() -> None:
    track = Path("/kit/subtitles/uk.srt")
    settings = Outer("x", Inner(track, Fraction(30000, 1001)), ("uk", "it"), "/kit", "n")
    keyed = key_params(settings, {track: "subtitles:uk:2"})
    assert keyed == {
        "name": "x",
        "inner": {"track": {"input": "subtitles:uk:2"}, "rate": "30000/1001"},
        "langs": ["uk", "it"],
    }
    for changed in (
        dataclasses.replace(settings, name="y"),
        dataclasses.replace(settings, langs=("uk",)),
        dataclasses.replace(settings, inner=Inner(track, Fraction(25))),
    ):
        assert key_params(changed, {track: "subtitles:uk:2"}) != keyed
    moved = dataclasses.replace(settings, where="/elsewhere", note="other")
    assert key_params(moved, {track: "subtitles:uk:2"}) == keyed
    assert key_params(settings, {track: "subtitles:uk:2"}, {"inner.rate": "why"}) == {
        "name": "x",
        "inner": {"track": {"input": "subtitles:uk:2"}},
        "langs": ["uk", "it"],
    }


def test_a_file_that_is_not_an_input_is_refused() -> None:
    settings = Outer("x", Inner(Path("/kit/subtitles/uk.srt"), Fraction(25)), ())
    with pytest.raises(UnkeyedFile) as caught:
        key_params(settings, {})
    assert caught.value.path == Path("/kit/subtitles/uk.srt")
    assert "inner.track" in caught.value.message


def test_every_kind_is_typed_and_says_why_it_leaves_a_field_out() -> None:
    kinds = list(REGISTRY)
    assert len(kinds) >= 17
    for kind in kinds:
        for cls in (kind.settings_type, kind.result_type):
            assert dataclasses.is_dataclass(cls), (kind.name, cls)
            assert cls.__dataclass_params__.frozen, (kind.name, cls)  # type: ignore[union-attr]
        names = {f.name for f in dataclasses.fields(kind.settings_type)}
        for dotted, why in kind.unkeyed.items():
            assert dotted.split(".")[0] in names and why, (kind.name, dotted)
