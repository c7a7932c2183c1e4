"""The gettext catalogues: every message the code uses is translated, placeholders intact."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import screenkit
import screenkit.i18n
from screenkit.errors import ConfigError
from screenkit.i18n import LOCALE_DIR, shipped_catalogues, shipped_languages, translator

SRC = Path(screenkit.__file__).parent
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "_": None}
SAMPLE_LANGUAGES = ("it", "uk", "pl", "de")


METHOD_MAP = [
    ("**.py", "python"),
    # the organiser's app: its Jinja2 templates (``{{ _("…") }}``) and its script
    ("app/templates/**.html", "jinja2.ext:babel_extract"),
    ("app/static/**.js", "javascript"),
]


def used_msgids() -> set[str | tuple[str, str]]:
    """The msgids the source, the app's templates and its script pass to gettext/ngettext."""
    found: set[str | tuple[str, str]] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(SRC),
        method_map=METHOD_MAP,
        keywords=KEYWORDS,
        options_map={"app/templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}},
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def catalogue(lang: str):  # type: ignore[no-untyped-def]
    """Every shipped catalogue of ``lang`` (the bundle's and each part's) as one."""
    merged = None
    for path in shipped_catalogues(lang):
        with path.open("rb") as fh:
            part = read_po(fh, locale=lang)
        if merged is None:
            merged = part
            continue
        for message in part:
            if message.id:
                assert message.id not in merged, f"{path} repeats {message.id!r}"
                merged[message.id] = message
    return merged


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_extractor_finds_the_sheet_card_and_poster_messages() -> None:
    used = used_msgids()
    assert "When something goes wrong" in used  # the sheet
    assert "Scan to donate" in used  # the card and the poster
    assert ("{n} channel", "{n} channels") in used
    assert len(used) > 60


def test_the_extractor_finds_the_app_templates_and_its_python() -> None:
    used = used_msgids()
    assert "Skip to the content" in used  # base.html
    assert "Cancel the build" in used  # build.html
    assert (
        "{n} file checked: everything is as it was built.",
        "{n} files checked: everything is as it was built.",
    ) in used  # ngettext in a template
    assert "Encoding the film" in used  # app/words.py


def test_the_app_script_holds_no_words() -> None:
    """The page's script gets every word it shows from the server (the page's language):
    its string literals are names, selectors and URLs, never a sentence to translate."""
    script = (SRC / "app" / "static" / "app.js").read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*", "", script)
    literals = re.findall(r'"((?:[^"\\]|\\.)*)"', code)
    assert literals, "the script has string literals: the pattern is wrong"
    words = [
        t for t in literals if t != "use strict" and re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", t)
    ]
    assert words == [], f"app.js shows English words: {words}"


def test_every_sample_language_has_a_catalogue() -> None:
    assert set(shipped_languages()) >= {"en", *SAMPLE_LANGUAGES}


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_a_catalogue_holds_every_message_the_code_uses(lang: str) -> None:
    cat = catalogue(lang)
    missing = []
    for msgid in sorted(used_msgids(), key=str):
        message = cat.get(msgid if isinstance(msgid, str) else msgid[0])
        strings = () if message is None else message.string
        if isinstance(strings, str):
            strings = (strings,)
        if message is None or message.fuzzy or not all(strings):
            missing.append(msgid)
    assert missing == [], f"{lang}.po lacks {len(missing)} message(s): {missing[:5]}"


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_translations_keep_the_placeholders_and_plural_forms(lang: str) -> None:
    cat = catalogue(lang)
    for message in cat:
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        if not isinstance(message.id, str):
            assert len(strings) == cat.num_plurals, (lang, message.id)
        for text in strings:
            assert fields(text) == fields(ids[-1]), (lang, message.id, text)


def test_the_translator_compiles_the_po_and_applies_plural_rules() -> None:
    uk = translator("uk")
    assert uk.translated and uk.gettext("What is inside") == "Що всередині"
    forms = [uk.ngettext("{n} channel", "{n} channels", n).format(n=n) for n in (1, 3, 5, 21)]
    assert forms == ["1 канал", "3 канали", "5 каналів", "21 канал"]
    assert translator("it").seconds(12.011) == "12,011 s"
    assert translator("de").number(1234.5) == "1.234,5"
    assert translator("uk").language_name("it") == "італійська"


def test_a_language_without_a_catalogue_is_english() -> None:
    fi = translator("fi")
    assert not fi.translated
    assert fi.gettext("What is inside") == "What is inside"
    assert fi.language_name("uk") == "ukraina"  # names still come from CLDR


def test_a_regional_tag_uses_the_language_catalogue() -> None:
    assert translator("de-AT").gettext("What is inside") == "Was drin ist"


def test_a_kit_adds_a_language_and_overrides_a_message(tmp_path: Path) -> None:
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "fi.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fi\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "What is inside"\nmsgstr "Mitä sisällä on"\n',
        encoding="utf-8",
    )
    (tmp_path / "locale" / "it.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: it\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "The appeal"\nmsgstr "La nostra richiesta"\n',
        encoding="utf-8",
    )
    fi = translator("fi", tmp_path)
    assert fi.gettext("What is inside") == "Mitä sisällä on"
    assert fi.gettext("The appeal") == "The appeal"  # not in the kit's: English
    it = translator("it", tmp_path)
    assert it.gettext("The appeal") == "La nostra richiesta"
    assert it.gettext("What is inside") == "Che cosa contiene"  # screenkit's own below
    assert translator("it").gettext("The appeal") == "L'appello"  # no leak between chains


def test_a_broken_kit_catalogue_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "locale").mkdir()
    bad = tmp_path / "locale" / "fi.po"
    bad.write_text('msgid "x"\nfoo bar\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        translator("fi", tmp_path)
    assert caught.value.path == bad


def test_no_catalogue_translates_a_placeholder_name() -> None:
    for lang in SAMPLE_LANGUAGES:
        for path in shipped_catalogues(lang):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"\{[^}a-z_]", text), path


def _po(lang: str, pairs: dict[str, str]) -> str:
    head = f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n'
    head += '"Content-Type: text/plain; charset=utf-8\\n"\n'
    return head + "".join(f'\nmsgid "{k}"\nmsgstr "{v}"\n' for k, v in pairs.items())


def test_a_part_catalogue_is_chained_below_the_kit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / "shipped"
    (shipped / "app").mkdir(parents=True)
    (shipped / "fi.po").write_text(_po("fi", {"The appeal": "Vetoomus"}), encoding="utf-8")
    (shipped / "app" / "fi.po").write_text(_po("fi", {"Build": "Rakenna"}), encoding="utf-8")
    kit = tmp_path / "kit"
    (kit / "locale").mkdir(parents=True)
    (kit / "locale" / "fi.po").write_text(_po("fi", {"Build": "Tee"}), encoding="utf-8")
    monkeypatch.setattr(screenkit.i18n, "LOCALE_DIR", shipped)
    fi = translator("fi")
    assert fi.gettext("The appeal") == "Vetoomus" and fi.gettext("Build") == "Rakenna"
    assert fi.catalogues == (shipped / "fi.po", shipped / "app" / "fi.po")
    assert translator("fi", kit).gettext("Build") == "Tee"  # the kit's wins over a part
    assert translator("fi", kit).gettext("The appeal") == "Vetoomus"


def _setup_module():  # type: ignore[no-untyped-def]
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "setup.py"
    spec = importlib.util.spec_from_file_location("screenkit_setup", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # guarded: setup() runs only as __main__
    return module


def test_the_build_step_compiles_every_catalogue(tmp_path: Path) -> None:
    import gettext
    import shutil as sh

    for po in [*LOCALE_DIR.glob("*.po"), *LOCALE_DIR.glob("*/*.po")]:
        target = tmp_path / po.relative_to(LOCALE_DIR)
        target.parent.mkdir(exist_ok=True)
        sh.copyfile(po, target)
    (tmp_path / "app").mkdir(exist_ok=True)
    (tmp_path / "app" / "fi.po").write_text(_po("fi", {"Build": "Rakenna"}), encoding="utf-8")
    written = _setup_module().compile_catalogues(tmp_path)
    assert sorted(p.stem for p in written if p.parent == tmp_path) == sorted(SAMPLE_LANGUAGES)
    assert tmp_path / "app" / "fi.mo" in written
    with (tmp_path / "uk.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    assert compiled.gettext("The appeal") == "Заклик"
    assert compiled.ngettext("{n} channel", "{n} channels", 5) == "{n} каналів"


def test_a_current_compiled_catalogue_is_used_as_it_is(tmp_path: Path) -> None:
    import os

    (tmp_path / "locale").mkdir()
    po = tmp_path / "locale" / "fi.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fi\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "The appeal"\nmsgstr "Vetoomus"\n',
        encoding="utf-8",
    )
    _setup_module().compile_catalogues(tmp_path / "locale")
    assert translator("fi", tmp_path).gettext("The appeal") == "Vetoomus"
    po.write_text(po.read_text(encoding="utf-8").replace("Vetoomus", "Pyyntö"), encoding="utf-8")
    stamp = (tmp_path / "locale" / "fi.mo").stat().st_mtime_ns + 10**9
    os.utime(po, ns=(stamp, stamp))  # the .po is newer than its .mo: compiled again
    assert translator("fi", tmp_path).gettext("The appeal") == "Pyyntö"
