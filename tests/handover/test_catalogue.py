"""catalogue.json as untrusted input: every path, name, size and checksum checked first."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from screenkit.handover import CatalogueError, parse_catalogue

SHA = "ab" * 32
NAME = "sample-uk-usb-player"


def good() -> dict[str, Any]:
    files = [
        {"path": f"{NAME}/Film (uk, usb-player).mp4", "size": 100, "sha256": SHA},
        {"path": f"{NAME}/subtitles/Film (uk, usb-player).uk.srt", "size": 10, "sha256": SHA},
        {"path": f"{NAME}/manifest.json", "size": 5, "sha256": SHA},
    ]
    return {
        "format": 1,
        "kit": "sample",
        "title": "Preparing a Screening",
        "bundles": [
            {
                "name": NAME,
                "lang": "uk",
                "preset": "usb-player",
                "device": "usb",
                "size": 115,
                "built": "2026-12-07T01:23:32+0000",
                "zip": f"{NAME}.zip",
                "zip_sha256": SHA,
                "torrent": f"{NAME}.torrent",
                "magnet": "magnet:?xt=urn:btih:" + "0" * 40,
                "infohash": "0" * 40,
                "files": files,
            }
        ],
    }


def test_a_good_catalogue_reads_and_writes_back_the_same() -> None:
    catalogue = parse_catalogue(json.dumps(good()))
    assert catalogue.to_json() == good()
    assert catalogue.find("UK", "usb-player") is catalogue.bundles[0]
    assert catalogue.find("uk", "laptop") is None
    assert [f.inside for f in catalogue.bundles[0].files][-1] == "manifest.json"


def _with(path: str, value: object) -> dict[str, Any]:
    data = copy.deepcopy(good())
    target: Any = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is KeyError:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


BAD = [
    ("bundles.0.files.1.path", f"{NAME}/../../etc/passwd", "bundles[0].files[1].path", "'..'"),
    ("bundles.0.files.1.path", "/etc/passwd", "bundles[0].files[1].path", "absolute"),
    ("bundles.0.files.1.path", "C:/Windows/x", "bundles[0].files[1].path", "absolute"),
    ("bundles.0.files.1.path", f"{NAME}\\x.srt", "bundles[0].files[1].path", "backslash"),
    ("bundles.0.files.1.path", f"{NAME}/CON.srt", "bundles[0].files[1].path", "device name"),
    ("bundles.0.files.1.path", f"{NAME}/a?b.srt", "bundles[0].files[1].path", "FAT32"),
    ("bundles.0.files.1.path", f"{NAME}/.hidden", "bundles[0].files[1].path", "hidden"),
    ("bundles.0.files.1.path", "other/x.srt", "bundles[0].files[1].path", "not inside"),
    ("bundles.0.files.1.path", f"{NAME}/FILM (UK, USB-PLAYER).MP4", "bundles[0].files[1].path",
     "twice"),
    ("bundles.0.name", "../evil", "bundles[0].name", "refuse"),
    ("bundles.0.name", "CON", "bundles[0].name", "refuse"),
    ("bundles.0.files.1.sha256", "xyz", "bundles[0].files[1].sha256", "sha256"),
    ("bundles.0.files.1.size", -1, "bundles[0].files[1].size", "whole number"),
    ("bundles.0.files.1.size", True, "bundles[0].files[1].size", "whole number"),
    ("bundles.0.size", 999, "bundles[0].size", "sum"),
    ("bundles.0.zip", "../x.zip", "bundles[0].zip", "'..'"),
    ("bundles.0.magnet", "javascript:alert(1)", "bundles[0].magnet", "magnet"),
    ("bundles.0.device", "toaster", "bundles[0].device", "one of"),
    ("bundles.0.lang", "english", "bundles[0].lang", "language tag"),
    ("bundles.0.infohash", KeyError, "bundles[0].infohash", "missing"),
    ("format", 2, "format", "format"),
    ("kit", "a/b", "kit", "must be"),
]  # fmt: skip


@pytest.mark.parametrize(("where", "value", "key", "words"), BAD)
def test_a_bad_catalogue_is_refused_naming_the_entry(
    where: str, value: object, key: str, words: str
) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(json.dumps(_with(where, value)))
    assert caught.value.key == key
    assert words in caught.value.message


def test_a_catalogue_without_the_manifest_is_refused() -> None:
    data = good()
    data["bundles"][0]["files"].pop()
    data["bundles"][0]["size"] = 110
    with pytest.raises(CatalogueError, match=r"manifest\.json is not among its files"):
        parse_catalogue(json.dumps(data))


def test_not_json_and_not_an_object_are_catalogue_errors() -> None:
    with pytest.raises(CatalogueError, match="not JSON"):
        parse_catalogue(b"<html>404</html>")
    with pytest.raises(CatalogueError, match="not a JSON object"):
        parse_catalogue(b"[1, 2]")
