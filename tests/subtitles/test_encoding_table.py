"""Legacy code pages read without a hint: the language × code page table of issue 9 item 3.

Every paragraph of `legacy_texts` is written as an SRT in each code page its language is
kept in and read back with no language given. At least 95 % of the cells must read right,
and a cell that reads wrong must be flagged (another code page named as plausible): none
may be silently wrong. ``python -m bench.bench_encoding`` prints the table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from legacy_texts import CODE_PAGES, as_srt, table

RunCli = Callable[..., tuple[int, str, str]]


def test_the_table_reads_right_without_a_hint_and_no_cell_is_silently_wrong() -> None:
    cells = table()
    assert len(cells) >= 39 and len(CODE_PAGES) >= 15
    right = [c for c in cells if c.right]
    silently_wrong = [(c.lang, c.codec, c.read_as) for c in cells if not c.right and not c.flagged]
    assert silently_wrong == []
    assert len(right) >= 0.95 * len(cells), [(c.lang, c.codec, c.read_as) for c in cells]


ITALIAN = as_srt("Sì, è già così.")


def test_a_short_italian_track_in_cp1252_is_not_read_as_cp1250(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The issue's case: no language in the name, none given."""
    path = tmp_path / "track.srt"
    path.write_bytes(ITALIAN.encode("cp1252"))
    code, out, err = run_cli("subs", "check", str(path))
    assert "cp1250" not in out and "cp1252" in out, out + err
    target = tmp_path / "out.srt"
    code, out, err = run_cli("subs", "convert", str(path), "-o", str(target))
    assert code == 0, err
    written = target.read_text(encoding="utf-8")
    assert "è già così" in written and "č" not in written


@pytest.mark.parametrize(
    ("lang", "text", "codec"),
    [
        ("it", "Ma è già così tardi?", "cp1252"),
        ("it", "Perché è così? Più tardi. Città, virtù e caffè.", "iso8859-1"),
        ("it", "Così è se vi pare. Non è più così.", "cp1252"),
        ("cs", "Příliš žluťoučký kůň úpěl ďábelské ódy. Večer půjdeme do kina.", "cp1250"),
        ("pl", "Zażółć gęślą jaźń. Dzień dobry, proszę państwa, zaczynamy pokaz.", "iso8859-2"),
        ("fr", "Où est passé le garçon? Il est déjà là-bas, près du café.", "cp1252"),
        ("ru", "Съешь же ещё этих мягких французских булок, да выпей чаю.", "koi8-r"),
        ("tr", "Şimdi çok güzel, değil mi? Işıklar yanınca başlıyoruz.", "cp1254"),
    ],
)
def test_short_tracks_read_right(lang: str, text: str, codec: str) -> None:
    from screenkit.subtitles.encoding import decode_bytes

    srt = as_srt(text)
    found = decode_bytes(srt.encode(codec))
    assert found.text == srt, (lang, found.codec)


def test_a_close_call_is_said_in_check_and_convert_and_names_the_fix(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """ "Ciao Renè" in cp1252 reads as Slovak-looking "Renč" in cp1250 nearly as well."""
    path = tmp_path / "track.srt"
    path.write_bytes(as_srt("Ciao Renè").encode("cp1252"))
    code, out, err = run_cli("subs", "check", str(path))
    assert code == 0, out + err  # a warning: the reading may well be right
    guess = [line for line in out.splitlines() if "encoding-guess" in line]
    assert len(guess) == 1 and "warning" in guess[0], out
    assert "cp1252" in guess[0] and "cp1250" in guess[0]
    assert "--encoding cp1250" in guess[0] and "--lang" in guess[0]
    target = tmp_path / "out.srt"
    code, out, err = run_cli("subs", "convert", str(path), "-o", str(target))
    assert code == 0 and target.is_file()
    warning = [line for line in err.splitlines() if line.startswith("Warning: ")]
    assert len(warning) == 1 and "cp1250" in warning[0], err
    assert "--input-encoding cp1250" in warning[0] and "--lang" in warning[0]
    # the language settles it: no doubt left
    code, out, err = run_cli("subs", "convert", str(path), "--lang", "it", "-o", str(target))
    assert code == 0 and "Warning" not in err and "Renè" in target.read_text(encoding="utf-8")
    code, out, _ = run_cli("subs", "check", "--lang", "it", str(path))
    assert "encoding-guess" not in out


def test_the_guess_travels_with_the_track_the_way_the_kit_loads_it(tmp_path: Path) -> None:
    from screenkit.subtitles.load import load_track

    path = tmp_path / "track.srt"
    path.write_bytes(as_srt("Ciao Renè").encode("cp1252"))
    track = load_track(path)
    assert track.encoding == "cp1252" and track.encoding_reads_as == "it"
    assert track.encoding_alternatives == (("cp1250", "sk"),)
    doubt = track.encoding_doubt()
    assert doubt is not None and "--encoding cp1250" in doubt
    named = tmp_path / "it.srt"
    named.write_bytes(path.read_bytes())
    assert load_track(named).encoding_doubt() is None


# Beyond the table: more languages screenings meet, with and without a letter model
# (Hebrew, Arabic and Icelandic have none: the mojibake score decides there).
OTHERS = [
    (
        "lt",
        (
            "Praėjusį šeštadienį rodėme filmą bibliotekoje. Atėjo daug žmonių, net vaikų. Po "
            "filmo kalbėjomės apie tai, kaip padėti šeimoms, kurios neteko namų."
        ),
        "cp1257",
    ),
    (
        "lv",
        (
            "Pagājušajā sestdienā mēs rādījām filmu bibliotēkā. Atnāca daudz cilvēku, arī bērni. "
            "Pēc filmas mēs runājām par to, kā palīdzēt ģimenēm."
        ),
        "cp1257",
    ),
    (
        "et",
        (
            "Eelmisel laupäeval näitasime filmi raamatukogus. Tuli palju inimesi, ka lapsi. "
            "Pärast filmi rääkisime sellest, kuidas aidata peresid."
        ),
        "cp1257",
    ),
    (
        "sv",
        (
            "Förra lördagen visade vi filmen på biblioteket. Det kom många människor, även barn. "
            "Efteråt pratade vi länge om hur vi kan hjälpa familjer som förlorat sina hem."
        ),
        "cp1252",
    ),
    (
        "da",
        (
            "Sidste lørdag viste vi filmen på biblioteket. Der kom mange mennesker, også børn. "
            "Bagefter talte vi længe om, hvordan vi kan hjælpe familier, der har mistet deres "
            "hjem."
        ),
        "cp1252",
    ),
    (
        "fi",
        (
            "Viime lauantaina näytimme elokuvan kirjastossa. Paikalle tuli paljon ihmisiä, myös "
            "lapsia. Jälkeenpäin puhuimme pitkään siitä, miten voimme auttaa perheitä."
        ),
        "cp1252",
    ),
    (
        "sk",
        (
            "Minulú sobotu sme premietali film v knižnici. Prišlo veľa ľudí, aj deti. Potom sme "
            "dlho hovorili o tom, ako pomôcť rodinám, ktoré prišli o domov."
        ),
        "cp1250",
    ),
    (
        "hr",
        (
            "Prošle subote prikazali smo film u knjižnici. Došlo je puno ljudi, čak i djece. "
            "Poslije smo dugo razgovarali o tome kako pomoći obiteljima koje su ostale bez doma."
        ),
        "cp1250",
    ),
    (
        "sl",
        (
            "Prejšnjo soboto smo v knjižnici predvajali film. Prišlo je veliko ljudi, tudi otrok."
            " Potem smo se dolgo pogovarjali o tem, kako pomagati družinam."
        ),
        "cp1250",
    ),
    (
        "he",
        "בשבת שעברה הקרנו את הסרט בספרייה. הגיעו הרבה אנשים, גם ילדים.",
        "cp1255",
    ),
    (
        "ar",
        "عرضنا الفيلم في المكتبة يوم السبت الماضي. جاء الكثير من الناس.",
        "cp1256",
    ),
    (
        "sr",
        (
            "Прошле суботе смо приказали филм у библиотеци. Дошло је много људи, чак и деце. "
            "Касније смо дуго разговарали о томе како помоћи породицама."
        ),
        "cp1251",
    ),
    (
        "ca",
        (
            "Dissabte passat vam projectar la pel·lícula a la biblioteca. Va venir molta gent, "
            "fins i tot nens. Després vam parlar molt de com ajudar les famílies."
        ),
        "cp1252",
    ),
    (
        "is",
        "Síðasta laugardag sýndum við myndina á bókasafninu. Það komu margir, líka börn.",
        "cp1252",
    ),
]


@pytest.mark.parametrize(("lang", "text", "codec"), OTHERS, ids=[c[0] for c in OTHERS])
def test_other_languages_read_right_without_a_hint(lang: str, text: str, codec: str) -> None:
    from screenkit.subtitles.encoding import decode_bytes

    srt = as_srt(text)
    found = decode_bytes(srt.encode(codec))
    assert found.text == srt and not found.alternatives, (lang, found.codec)
