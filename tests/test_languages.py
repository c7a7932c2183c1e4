"""BCP-47 tags through langcodes: any valid tag, one spelling, native names (issue 13, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenkit.errors import ConfigError, ScreenkitError
from screenkit.kit import load_kit
from screenkit.languages import valid_language
from screenkit.presets import iso639_2, language_name, legacy_codepage
from support import copy_sample_kit, run_cli


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("pt_br", "pt-BR"),
        ("PT-br", "pt-BR"),
        ("eng", "en"),
        ("iw", "he"),
        ("fil", "fil"),
        ("es-419", "es-419"),
        ("sr-latn", "sr-Latn"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("de-CH-1996", "de-CH-1996"),
    ],
)
def test_parse_tag_accepts_any_valid_tag_in_one_spelling(text: str, tag: str) -> None:
    from screenkit.languages import parse_tag

    assert parse_tag(text) == tag


@pytest.mark.parametrize("text", ["", "english", "xx", "en-", "../en", "pt BR", "en--GB"])
def test_parse_tag_refuses_what_the_registry_does_not_know(text: str) -> None:
    from screenkit.languages import LanguageTagError, parse_tag

    with pytest.raises(LanguageTagError) as info:
        parse_tag(text)
    assert isinstance(info.value, ScreenkitError)
    assert info.value.value == text and info.value.hint
    assert f"'{text}' is not a language tag" in info.value.message


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("uk", "українська"),
        ("pt-BR", "português (Brasil)"),
        ("it", "italiano"),
        ("de", "Deutsch"),
        ("pl", "polski"),
        ("fi", "suomi"),
        ("sr-Latn", "srpski (latinica)"),
        ("qaa", "qaa"),  # private use: no name to give
        ("xx", "xx"),
    ],
)
def test_native_names(tag: str, name: str) -> None:
    from screenkit.languages import native_name

    assert native_name(tag) == name


def test_tags_beyond_the_old_table_get_codes_and_names() -> None:
    # the 57-entry table knew no Zulu, Yoruba or Filipino
    assert iso639_2("zu") == "zul" and language_name("zu") == "Zulu"
    assert iso639_2("yo") == "yor" and iso639_2("fil") == "fil"
    assert iso639_2("zh-Hant-TW") == "chi"
    assert language_name("de-CH-1996") == "German (de-CH-1996)"
    # legacy code pages stay as the presets need them
    assert legacy_codepage("sr-Latn") == "cp1250" and legacy_codepage("sr") == "cp1251"
    assert legacy_codepage("pt-BR") == "cp1252" and legacy_codepage("uk") == "cp1251"
    with pytest.raises(ConfigError):
        legacy_codepage("zu")


@pytest.mark.parametrize("tag", ["de-CH-1996", "en-GB-oxendict", "zu", "yue-Hant"])
def test_the_kit_takes_any_valid_tag(tag: str) -> None:
    assert valid_language(tag)


@pytest.mark.parametrize("tag", ["xx", "zz", "abcd", "xyz-Latn", "en-Abcd", "en-US-"])
def test_the_kit_refuses_unregistered_tags(tag: str) -> None:
    assert not valid_language(tag)


def test_a_kit_tag_in_another_spelling_is_told_the_canonical_one(tmp_path: Path) -> None:
    kit = copy_sample_kit(tmp_path / "kit")
    manifest = kit / "screenkit.toml"
    manifest.write_text(manifest.read_text().replace('languages = ["en"', 'languages = ["EN"', 1))
    with pytest.raises(ConfigError) as info:
        load_kit(kit)
    assert info.value.key == "kit.languages" and info.value.value == "EN"
    assert "write the language tag 'EN' as 'en'" in info.value.message


def test_init_takes_any_spelling_and_writes_the_canonical_tag(tmp_path: Path) -> None:
    folder = tmp_path / "k"
    code, _, err = run_cli("init", str(folder), "--lang", "PT_br", "--lang", "zu")
    assert code == 0, err
    kit = load_kit(folder)
    assert kit.languages == ("pt-BR", "zu")
    assert (folder / "appeal" / "pt-BR.txt").is_file()


def test_encode_track_option_takes_any_spelling_of_its_language() -> None:
    from screenkit.cli.encode import parse_track

    track = parse_track("PT_br=extra/track.srt", None)
    assert track.lang == "pt-BR" and track.path == Path("extra/track.srt")
