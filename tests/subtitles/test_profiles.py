"""QC profiles: the built-in ones, a kit's own in TOML, and errors that name file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenkit.errors import ConfigError
from screenkit.subtitles.profiles import RULES, builtin_names, load_profile


def test_netflix_is_the_default_with_the_guide_numbers() -> None:
    p = load_profile()
    assert p.name == "netflix"
    assert (p.max_chars_per_line, p.max_lines, p.max_cps) == (42, 2, 17)
    assert (p.min_duration_ms, p.max_duration_ms, p.min_gap_frames) == (833, 7000, 2)
    assert p.severity_of("overlap") == "error" and p.severity_of("reading-speed") == "warning"


def test_builtins_extend_netflix() -> None:
    assert builtin_names() == ["bbc", "netflix", "relaxed"]
    bbc, relaxed = load_profile("bbc"), load_profile("relaxed")
    assert bbc.max_chars_per_line == 37 and bbc.max_lines == 2 and bbc.min_gap_frames == 2
    assert relaxed.max_lines == 3 and relaxed.severity_of("line-length") == "warning"
    assert relaxed.severity_of("overlap") == "error"


def kit_profile(tmp_path: Path, name: str, body: str) -> Path:
    (tmp_path / "profiles").mkdir(exist_ok=True)
    path = tmp_path / "profiles" / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_kit_profile_extends_and_overrides(tmp_path: Path) -> None:
    kit_profile(
        tmp_path,
        "festival",
        'extends = "netflix"\nmax_cps = 20\nmin_duration = "2/3"\n\n'
        '[severity]\ngap = "off"\nreading-speed = "error"\n',
    )
    p = load_profile("festival", tmp_path)
    assert (p.max_cps, p.min_duration_ms, p.max_chars_per_line) == (20, 667, 42)
    assert p.severity_of("gap") is None and p.severity_of("reading-speed") == "error"
    assert p.description == "festival (based on netflix)"


def test_a_kit_can_shadow_a_builtin_and_still_extend_it(tmp_path: Path) -> None:
    kit_profile(tmp_path, "netflix", 'extends = "netflix"\nmax_chars_per_line = 40\n')
    p = load_profile("netflix", tmp_path)
    assert p.max_chars_per_line == 40 and p.max_lines == 2


def test_a_profile_file_by_path(tmp_path: Path) -> None:
    path = kit_profile(tmp_path, "mine", 'extends = "bbc"\nmax_lines = 3\n')
    p = load_profile(str(path))
    assert p.max_lines == 3 and p.max_chars_per_line == 37


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ('extends = "netflix"\nmax_cpss = 20\n', "max_cpss", "did you mean 'max_cps'"),
        ('extends = "netflix"\nmax_cps = "fast"\n', "max_cps", "expected a number"),
        (
            'extends = "netflix"\n[severity]\noverlapp = "off"\n',
            "severity.overlapp",
            "no such rule",
        ),
        ('extends = "netflix"\n[severity]\ngap = "fatal"\n', "severity.gap", "not one of"),
        ('extends = "netflix"\nmin_duration = 9\n', "min_duration", "not below"),
        ("max_cps = 17\n", "max_chars_per_line", "missing"),
    ],
)
def test_profile_errors_name_file_and_key(tmp_path: Path, body: str, key: str, words: str) -> None:
    path = kit_profile(tmp_path, "bad", body)
    with pytest.raises(ConfigError) as info:
        load_profile("bad", tmp_path)
    assert info.value.path == path and info.value.key == key and words in info.value.message


def test_unknown_profile_and_circular_extends(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as unknown:
        load_profile("netflx")
    assert "did you mean 'netflix'" in unknown.value.message and unknown.value.value == "netflx"
    kit_profile(tmp_path, "a", 'extends = "b"\n')
    kit_profile(tmp_path, "b", 'extends = "a"\n')
    with pytest.raises(ConfigError) as circle:
        load_profile("a", tmp_path)
    assert "circle" in circle.value.message


def test_every_rule_has_a_default_severity() -> None:
    assert set(RULES.values()) <= {"error", "warning", "info"}
