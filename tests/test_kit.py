"""The kit manifest: typed, validated, errors naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenkit.errors import ConfigError, InputError
from screenkit.kit import load_kit
from screenkit.languages import valid_language
from screenkit.names import valid_name
from support import REPO, copy_sample_kit


def test_the_repository_is_the_sample_kit() -> None:
    kit = load_kit(REPO)
    assert kit.name == "sample"
    assert set(kit.languages) >= {"en", "it", "uk", "pl", "de"}
    for lang in kit.languages:
        assert kit.subtitle_path(lang).is_file()
        assert len(kit.appeal_text(lang)) > 50
    assert kit.bundles["demo"].preset == "usb-player"
    assert kit.master == REPO / "media" / "film.mkv"
    # the Ukrainian track really is in Cyrillic
    assert any("\u0400" <= ch <= "\u04ff" for ch in kit.subtitle_path("uk").read_text())


def _kit_with(tmp_path: Path, old: str, new: str) -> Path:
    kit = copy_sample_kit(tmp_path / "kit")
    manifest = kit / "screenkit.toml"
    text = manifest.read_text()
    assert old in text
    manifest.write_text(text.replace(old, new, 1))
    return kit


@pytest.mark.parametrize(
    ("old", "new", "key", "fragment"),
    [
        ('title = "', 'titel = "', "kit.title", "found 'kit.titel': did you mean 'title'?"),
        ("original_language", "orignal_language", "kit.orignal_language", "did you mean"),
        ('languages = ["en"', 'languages = ["english"', "kit.languages", "not a language tag"),
        (
            'master = "media/film.mkv"',
            'master = "../../etc/film.mkv"',
            "kit.master",
            "outside the kit",
        ),
        ('lang = "en"', 'lang = "fi"', "bundles.demo.lang", "not one of the kit's languages"),
        ('preset = "usb-player"', "preset = 3", "bundles.demo.preset", "expected text"),
        ('cache = "kit"', 'cache = "attic"', "kit.cache", "not one of kit, user"),
        ('link = "https://', 'link = "ftp://', "appeal.link", "not an http(s) link"),
        ("[bundles.demo]", "[bundles.demo]\nburnn = true", "bundles.demo.burnn", "unknown key"),
    ],
)
def test_errors_name_file_and_key(
    tmp_path: Path, old: str, new: str, key: str, fragment: str
) -> None:
    kit = _kit_with(tmp_path, old, new)
    with pytest.raises(ConfigError) as info:
        load_kit(kit)
    assert info.value.key == key
    assert info.value.path == kit / "screenkit.toml"
    assert fragment in info.value.message
    assert str(kit / "screenkit.toml") in info.value.message


def test_bad_toml_and_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_kit(tmp_path)
    assert "not a screenkit kit" in info.value.message and info.value.hint
    (tmp_path / "screenkit.toml").write_text("[kit\nname=")
    with pytest.raises(ConfigError) as info:
        load_kit(tmp_path)
    assert "not valid TOML" in info.value.message


def test_missing_track_and_appeal(tmp_path: Path) -> None:
    kit = load_kit(copy_sample_kit(tmp_path / "kit"))
    (kit.root / "subtitles" / "pl.srt").unlink()
    (kit.root / "appeal" / "pl.txt").unlink()
    with pytest.raises(InputError) as info:
        kit.subtitle_path("pl")
    assert info.value.value == "pl"
    with pytest.raises(InputError):
        kit.appeal_text("pl")


@pytest.mark.parametrize("tag", ["en", "uk", "pt-BR", "sr-Latn", "es-419", "fil"])
def test_valid_languages(tag: str) -> None:
    assert valid_language(tag)


@pytest.mark.parametrize("tag", ["", "EN", "english", "pt_BR", "../en", "en-"])
def test_invalid_languages(tag: str) -> None:
    assert not valid_language(tag)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("demo", True),
        ("fi-2026.v2", True),
        ("../x", False),
        (".hidden", False),
        ("a/b", False),
        ("", False),
    ],
)
def test_names(name: str, ok: bool) -> None:
    assert valid_name(name) is ok
