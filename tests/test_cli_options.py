"""The options commands share are one piece each, in cli/common.py (issue 13, item 6)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from screenkit.cli import cli
from screenkit.cli.common import LanguageTag, json_option, lang_option, quiet_option
from support import run_cli

_LANGUAGE_OPTIONS = {"--lang", "--burn"}


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    ctx = click.Context(group)
    found: list[tuple[str, click.Command]] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


COMMANDS = _commands(cli)


def _options(command: click.Command, name: str) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option) and name in p.opts]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_shared_option_is_the_shared_one(path: str, command: click.Command) -> None:
    for name in _LANGUAGE_OPTIONS:
        for option in _options(command, name):
            if option.metavar == "TRACK":  # encode --burn: a language, a file or LANG=FILE
                continue
            assert isinstance(option.type, LanguageTag), f"{path} {name}"
    for option in _options(command, "--kit"):
        assert option.name == "kit_dir" and option.metavar == "DIR", path
        assert isinstance(option.type, click.Path) and not option.type.file_okay, path
    for option in _options(command, "--json"):
        assert option.name == "as_json" and option.is_flag, path
    for option in _options(command, "--quiet"):
        assert sorted(option.opts) == ["--quiet", "-q"] and option.is_flag, path


def test_the_commands_with_a_language_use_it() -> None:
    named = {p for p, c in COMMANDS if any(_options(c, n) for n in _LANGUAGE_OPTIONS)}
    assert {"build", "slide", "init", "subs check", "subs sync", "subs preview"} <= named


@click.command()
@lang_option("The language.")
@lang_option("Burn this one.", "--burn")
@json_option
@quiet_option
def _probe_command(lang: str | None, burn: str | None, as_json: bool, quiet: bool) -> None:
    click.echo(f"{lang}|{burn}|{as_json}|{quiet}")


def test_the_language_type_normalises_and_refuses_with_a_usage_error() -> None:
    runner = CliRunner()
    done = runner.invoke(_probe_command, ["--lang", "PT_br", "--burn", "eng", "--json", "-q"])
    assert done.exit_code == 0 and done.output == "pt-BR|en|True|True\n"
    bad = runner.invoke(_probe_command, ["--lang", "english"])
    assert bad.exit_code == 2
    assert "Invalid value for '--lang': 'english' is not a language tag" in bad.output


def test_a_bad_tag_is_the_same_usage_error_for_every_command(tmp_path: object) -> None:
    for args in (
        ("subs", "check", "x.srt", "--lang", "xx"),
        ("slide", "card.png", "--lang", "xx"),
        ("build", "--lang", "xx", "--preset", "usb-player", "--dry-run"),
        ("init", "somewhere", "--lang", "xx"),
    ):
        code, out, err = run_cli(*args)
        assert code == 2, args
        assert "Invalid value for '--lang': 'xx' is not a language tag" in err, args
        assert out == ""
