"""Encoding detection: BOMs, BOM-less UTF-16/32, UTF-8, legacy code pages with a language hint."""

from __future__ import annotations

import codecs

import pytest

from screenkit.errors import SubtitleError
from screenkit.subtitles.encoding import candidates_for, decode_bytes, decode_with, mess_score

SRT = "1\n00:00:01,000 --> 00:00:03,000\n{}\n\n2\n00:00:04,000 --> 00:00:06,000\n{}\n"
SAMPLES = {
    "uk": ("Вітаємо. Сьогодні ми разом", "дивимося фільм. Їжак і ґанок є."),
    "ru": ("Привет, мир! Как дела?", "Съешь же ещё этих мягких булок."),
    "pl": ("Zażółć gęślą jaźń.", "Dzień dobry, proszę państwa."),
    "cs": ("Příliš žluťoučký kůň", "úpěl ďábelské ódy."),
    "de": ("Grüße aus München.", "Schöne Straße, überall Bäume."),
    "it": ("Perché è così? Più tardi.", "Città, virtù e caffè."),
    "el": ("Καλημέρα κόσμε.", "Ένα μικρό κείμενο."),
    "tr": ("Günaydın, nasılsınız?", "Şimdi çok güzel."),
}


def srt(lang: str) -> str:
    return SRT.format(*SAMPLES[lang])


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_a_byte_order_mark_decides(bom: bytes, codec: str) -> None:
    text = srt("uk")
    found = decode_bytes(bom + text.encode(codec))
    assert (found.text, found.codec, found.bom) == (text, codec, True)
    assert found.label == f"{codec} (BOM)"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("lang", ["uk", "de"])
def test_utf16_and_32_without_a_bom_are_recognised(codec: str, lang: str) -> None:
    text = srt(lang)
    found = decode_bytes(text.encode(codec))
    assert (found.text, found.codec, found.bom) == (text, codec, False)


def test_plain_ascii_and_utf8() -> None:
    assert decode_bytes(b"1\n00:00:01,000 --> 00:00:02,000\nHi\n").codec == "ascii"
    found = decode_bytes(srt("pl").encode("utf-8"))
    assert found.codec == "utf-8" and found.is_utf8 and found.text == srt("pl")


@pytest.mark.parametrize(
    ("lang", "codec"),
    [
        ("uk", "cp1251"),
        ("uk", "koi8-u"),
        ("uk", "mac-cyrillic"),
        ("ru", "cp1251"),
        ("ru", "koi8-r"),
        ("ru", "cp866"),
        ("pl", "cp1250"),
        ("pl", "iso8859-2"),
        ("cs", "cp1250"),
        ("de", "cp1252"),
        ("it", "cp1252"),
        ("el", "cp1253"),
        ("tr", "cp1254"),
    ],
)
def test_legacy_code_pages_with_the_language_as_hint(lang: str, codec: str) -> None:
    text = srt(lang)
    found = decode_bytes(text.encode(codec), lang)
    assert found.text == text
    assert found.codec == codecs.lookup(codec).name


def test_cyrillic_languages_prefer_cp1251_over_koi8_and_mac() -> None:
    assert candidates_for("uk")[:3] == ("cp1251", "koi8-u", "mac-cyrillic")
    assert candidates_for("ru")[0] == "cp1251"
    assert candidates_for("pt-BR")[0] == "cp1252"
    assert candidates_for("sr-Latn")[0] == "cp1250"
    assert candidates_for("xx") == () and candidates_for(None) == ()


@pytest.mark.parametrize(
    ("lang", "codec"),
    [
        ("uk", "cp1251"),
        ("ru", "koi8-r"),
        ("ru", "mac-cyrillic"),
        ("pl", "cp1250"),
        ("de", "cp1252"),
    ],
)
def test_without_a_hint_common_code_pages_still_read_right(lang: str, codec: str) -> None:
    text = srt(lang)
    assert decode_bytes(text.encode(codec)).text == text


def test_mojibake_scores_worse_than_the_real_text() -> None:
    data = srt("uk").encode("cp1251")
    assert mess_score(data.decode("cp1251"), "CYRILLIC") < mess_score(data.decode("koi8-u"))
    assert mess_score(data.decode("cp1251")) < mess_score(data.decode("cp1252"))
    pl = srt("pl").encode("cp1250")
    assert mess_score(pl.decode("cp1250")) < mess_score(pl.decode("cp1252"))


def test_nul_bytes_become_replacement_characters() -> None:
    found = decode_bytes(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nte\x00xt\n")
    assert found.nul_count == 1 and "te\ufffdxt" in found.text


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"850STL25.01" + b"\x00" * 200, "EBU STL"),
        (b"\x1aE\xdf\xa3" + bytes(range(256)), "Matroska"),
        (b"PK\x03\x04" + bytes(100), "ZIP"),
        (b"\x00\x00\x00\x18ftypmp42" + bytes(50), "MP4"),
    ],
)
def test_known_binary_files_are_named(data: bytes, kind: str) -> None:
    with pytest.raises(SubtitleError) as info:
        decode_bytes(data)
    assert kind in info.value.message and info.value.hint


def test_random_bytes_are_refused_as_binary() -> None:
    import random

    junk = random.Random(7).randbytes(4096)
    with pytest.raises(SubtitleError) as info:
        decode_bytes(junk)
    assert info.value.value == "binary"


def test_a_named_encoding_is_used_or_refused_clearly() -> None:
    data = srt("uk").encode("cp1251")
    assert decode_with(data, "cp1251").text == srt("uk")
    with pytest.raises(SubtitleError) as info:
        decode_with(data, "utf-8")
    assert info.value.value == "utf-8" and "byte" in info.value.message
    with pytest.raises(SubtitleError) as unknown:
        decode_with(data, "no-such-codec")
    assert unknown.value.value == "no-such-codec"


def test_a_broken_bom_file_is_refused() -> None:
    with pytest.raises(SubtitleError) as info:
        decode_bytes(codecs.BOM_UTF8 + b"abc \xff\xfe\xfd")
    assert info.value.value == "utf-8"
