"""A preset knows its family; what differs per family lives in one module per layer.

Each family table covers every family, the standard presets are in the families their
containers say, and nothing outside ``presets/`` and the family modules asks a preset what
family it is in other words (its container, its codecs, its name).
"""

from __future__ import annotations

import re

from screenkit.bundle.compose import families
from screenkit.bundle.documents import families as families_docs
from screenkit.encode import family
from screenkit.presets import FAMILIES, STANDARD, load_preset, standard_presets
from support import REPO

SRC = REPO / "src" / "screenkit"
FAMILY_MODULES = {
    "encode/family.py",
    "encode/legacy.py",
    "encode/legacy_check.py",
    "encode/mpeg2.py",
    "encode/divx.py",
    "bundle/compose/families.py",
    "bundle/documents/families.py",
}
ASKING = re.compile(
    r"LEGACY_CODECS"
    r"|preset\.container\s*(==|!=|in\b)"
    r"|preset\.name\s*(==|!=)\s*[\"']"  # a preset named in a test: a family by its name
    r"|preset\.name\s+(not\s+)?in\s+[(\[{]\s*[\"']"
    r"|OLD_PLAYERS"
    r"|preset\.video\.codec\s*(==|!=|in\b)"
    r"|\.family\s*(==|!=|in\b)"
)


def test_every_family_table_covers_every_family() -> None:
    for table in (family.FAMILIES, families.FAMILIES, families_docs.FAMILIES):
        assert set(table) == set(FAMILIES)


def test_the_standard_presets_families() -> None:
    found = {name: load_preset(name).family for name in STANDARD}
    assert found == {
        "usb-player": "file",
        "usb-player-legacy": "file",
        "laptop": "file",
        "web": "file",
        "archive": "file",
        "dvd-pal": "dvd",
        "dvd-ntsc": "dvd",
        "divx": "divx",
    }
    assert standard_presets("dvd") == ("dvd-pal", "dvd-ntsc")


def test_only_presets_and_the_family_modules_ask_for_a_family() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith("presets/") or relative in FAMILY_MODULES:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ASKING.search(line):
                offenders.append(f"{relative}:{n}: {line.strip()}")
    assert offenders == []
