"""Placeholder appeals never reach the screen unless the kit or the user says so.

``init`` writes placeholders (in the kit's language, saying what to put there); a kit still
holding them, a link that is not https, or a link on example.org/.com/.net cannot be built
unless the kit marks its appeal as a stand-in or ``--allow-placeholder`` is given; the sheet
then says so in red and ``verify`` flags the bundle.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import link_film, run_cli

SRT = (
    "1\n00:00:00,500 --> 00:00:01,800\nPrima riga.\n\n2\n00:00:02,000 --> 00:00:02,800\nSeconda.\n"
)
ENGLISH_PLACEHOLDER = "This film is free to screen on one condition"


def _init_kit(tmp_path: Path, film: Path, lang: str = "it") -> Path:
    kit = tmp_path / "newkit"
    code, _, err = run_cli("init", str(kit), "--lang", lang)
    assert code == 0, err
    (kit / "subtitles" / f"{lang}.srt").write_text(SRT, encoding="utf-8")
    return link_film(film, kit)


def _set(kit: Path, key: str, value: str) -> None:
    path = kit / "screenkit.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("[appeal]")
    for n in range(start + 1, len(lines)):
        if lines[n].startswith(f"{key} ="):
            lines[n] = f"{key} = {value}"
            break
        if lines[n].startswith("["):
            lines.insert(n, f"{key} = {value}")
            break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _real_appeal(kit: Path, lang: str = "it") -> None:
    _set(kit, "beneficiary", '"Cucine Popolari Bologna"')
    _set(kit, "link", '"https://cucinepopolari.it/dona"')
    (kit / "appeal" / f"{lang}.txt").write_text(
        "Stasera raccogliamo fondi per le cucine popolari: ogni euro diventa un pasto.\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("lang", ["en", "it", "uk", "pl", "de"])
def test_init_writes_the_appeal_placeholder_in_the_kits_language(tmp_path: Path, lang: str) -> None:
    kit = tmp_path / "k"
    code, _, err = run_cli("init", str(kit), "--lang", lang)
    assert code == 0, err
    text = (kit / "appeal" / f"{lang}.txt").read_text(encoding="utf-8")
    english = _placeholder_text(tmp_path, "en")
    if lang == "en":
        assert ENGLISH_PLACEHOLDER not in text  # it says what to write, not a fake appeal
    else:
        assert text != english
    if lang == "uk":
        assert any("\u0400" <= ch <= "\u04ff" for ch in text)
    assert "appeal" in (kit / "screenkit.toml").read_text(encoding="utf-8")


def _placeholder_text(tmp_path: Path, lang: str) -> str:
    kit = tmp_path / f"ref-{lang}"
    if not kit.exists():
        assert run_cli("init", str(kit), "--lang", lang)[0] == 0
    return (kit / "appeal" / f"{lang}.txt").read_text(encoding="utf-8")


def test_a_language_without_a_template_falls_back_to_english(tmp_path: Path) -> None:
    fi = _placeholder_text(tmp_path, "fi")
    assert fi == _placeholder_text(tmp_path, "en")


def test_a_fresh_kit_cannot_be_built(tmp_path: Path, tiny_film: Path) -> None:
    kit = _init_kit(tmp_path, tiny_film)
    code, out, err = run_cli("build", "--kit", str(kit), "--dry-run")
    assert code == 1 and out == ""
    first = err.splitlines()[0]
    assert first.startswith("Error: ") and "placeholder" in first
    assert "beneficiary" in first and "link" in first and "appeal/it.txt" in first
    assert "--allow-placeholder" in err and "stand_in" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ('"http://cucinepopolari.it/dona"', "https"),
        ('"https://example.org/donate"', "example.org"),
        ('"https://www.example.com/x"', "example.com"),
        ('"https://pay.example.net/?to=us"', "example.net"),
    ],
)
def test_a_link_that_is_not_a_real_https_one_is_refused(
    tmp_path: Path, tiny_film: Path, link: str, why: str
) -> None:
    kit = _init_kit(tmp_path, tiny_film)
    _real_appeal(kit)
    assert run_cli("build", "--kit", str(kit), "--dry-run")[0] == 0  # a real appeal builds
    _set(kit, "link", link)
    code, _, err = run_cli("build", "--kit", str(kit), "--dry-run")
    assert code == 1 and why in err


def test_the_placeholder_text_alone_is_refused(tmp_path: Path, tiny_film: Path) -> None:
    kit = _init_kit(tmp_path, tiny_film)
    placeholder = (kit / "appeal" / "it.txt").read_text(encoding="utf-8")
    _real_appeal(kit)
    (kit / "appeal" / "it.txt").write_text(placeholder, encoding="utf-8")
    code, _, err = run_cli("build", "--kit", str(kit), "--dry-run")
    first = err.splitlines()[0]
    assert code == 1 and "appeal/it.txt" in first and "beneficiary" not in first


def test_a_stand_in_kit_builds_and_the_sheet_says_so(tmp_path: Path, tiny_film: Path) -> None:
    kit = _init_kit(tmp_path, tiny_film)
    _set(kit, "stand_in", "true")
    code, _, err = run_cli("build", "--kit", str(kit), "--speed", "ultrafast", "--quiet")
    assert code == 0, err
    assert "stand-in" in err  # said once more on the terminal
    folder = kit / "out" / "newkit-usb"
    page = (folder / "SCREENING.html").read_text(encoding="utf-8")
    assert 'class="stand-in"' in page and "color:#c00" in page
    # in the bundle's language (the kit's is Italian), the check's reasons as they are
    text = (folder / "SCREENING.txt").read_text(encoding="utf-8")
    assert "!!! APPELLO SEGNAPOSTO: questo pacchetto" in text and "example.org" in text
    code, out, err = run_cli("verify", str(folder))
    assert code == 0, out + err  # the bundle is intact ...
    assert "warning" in (out + err).lower() and "placeholder" in (out + err)  # ... but flagged


def test_allow_placeholder_builds_a_fresh_kit_and_verify_flags_it(
    tmp_path: Path, tiny_film: Path
) -> None:
    kit = _init_kit(tmp_path, tiny_film)
    code, _, err = run_cli(
        "build", "--kit", str(kit), "--allow-placeholder", "--speed", "ultrafast", "--quiet"
    )
    assert code == 0, err
    folder = kit / "out" / "newkit-usb"
    assert 'class="stand-in"' in (folder / "SCREENING.html").read_text(encoding="utf-8")
    code, out, _ = run_cli("verify", str(folder), "--json")
    assert code == 0
    import json

    report = json.loads(out)
    assert report["ok"] is True
    assert any("placeholder" in w for w in report["warnings"])
