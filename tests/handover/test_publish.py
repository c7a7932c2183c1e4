"""``screenkit publish``: the site, its ZIPs and torrents, and publishing again."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
import torf
from handover_helpers import SPEED, publish_site, tree

import screenkit.handover.sources as sources_module
from screenkit.bundle import verify_bundle
from screenkit.handover import HandoverError, parse_catalogue
from screenkit.handover.zipping import write_zip
from support import run_cli

NAMES = ("sample-it-web", "sample-uk-usb-player")
BASE = "http://127.0.0.1:9/films/"


def test_the_site_holds_every_bundle_and_each_zip_unpacks_to_it(
    tmp_path: Path, built_kit: Path
) -> None:
    report = publish_site(built_kit, tmp_path / "site")
    site = tmp_path / "site"
    assert [b.name for b in report.bundles] == list(NAMES)  # the kit's language order: it, then uk
    assert {b.status for b in report.bundles} == {"new"}
    document = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    assert set(document) == {"format", "kit", "title", "bundles"} and document["format"] == 1
    for entry in document["bundles"]:
        assert set(entry) == {
            "name", "lang", "preset", "device", "size", "built", "zip", "zip_sha256",
            "torrent", "magnet", "infohash", "files",
        }  # fmt: skip
        assert all(set(f) == {"path", "size", "sha256"} for f in entry["files"])
    catalogue = parse_catalogue((site / "catalogue.json").read_bytes())
    assert [(b.lang, b.preset, b.device) for b in catalogue.bundles] == [
        ("it", "web", "browser"),
        ("uk", "usb-player", "usb"),
    ]
    for bundle in catalogue.bundles:
        out = built_kit / "out" / bundle.name
        assert tree(site / bundle.name) == tree(out)
        film = next(f for f in bundle.files if f.path.endswith(".mp4"))
        assert (site / film.path).stat().st_ino == (out / film.inside).stat().st_ino  # linked
        with zipfile.ZipFile(site / bundle.zip) as zf:
            assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
            assert sorted(zf.namelist()) == sorted(f.path for f in bundle.files)
            zf.extractall(tmp_path / "unzipped")
        unpacked = tmp_path / "unzipped" / bundle.name
        assert tree(unpacked) == tree(out)
        assert verify_bundle(unpacked).ok
        if shutil.which("unzip"):
            done = subprocess.run(["unzip", "-tq", str(site / bundle.zip)], capture_output=True)
            assert done.returncode == 0, done.stdout
        pages = {p.name for p in site.glob("index*.html")}
        assert pages == {
            "index.html",
            *(f"index.{lang}.html" for lang in ("en", "it", "uk", "pl", "de")),
        }


def test_each_torrent_is_web_seeded_and_its_pieces_match_the_files(
    tmp_path: Path, built_kit: Path
) -> None:
    publish_site(built_kit, tmp_path / "site", base_url=BASE)
    site = tmp_path / "site"
    catalogue = parse_catalogue((site / "catalogue.json").read_bytes())
    for bundle in catalogue.bundles:
        torrent = torf.Torrent.read(str(site / bundle.torrent))
        assert torrent.name == bundle.name and torrent.mode == "multifile"
        assert list(torrent.webseeds) == [BASE]
        assert torrent.infohash == bundle.infohash
        assert torrent.piece_size == torf.Torrent.calculate_piece_size(bundle.size)
        listed = sorted(("/".join(f.parts), f.size) for f in torrent.files)
        assert listed == sorted((f.path, f.size) for f in bundle.files)
        assert torrent.verify(str(site / bundle.name))  # every piece hash against the files
        magnet = torf.Magnet.from_string(bundle.magnet)
        assert magnet.infohash == bundle.infohash and list(magnet.ws) == [BASE]
        assert str(magnet.xs) == f"{BASE}{bundle.name}.torrent"


def test_publishing_again_after_a_new_appeal_rewrites_only_that_bundle(
    kit_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    publish_site(kit_copy, site, base_url=BASE)
    before = parse_catalogue((site / "catalogue.json").read_bytes())
    kept = {p: (site / p).stat() for p in ("sample-it-web.zip", "sample-it-web.torrent")}
    appeal = kit_copy / "appeal" / "uk.txt"
    text = appeal.read_text(encoding="utf-8")
    appeal.unlink()
    appeal.write_text(text + "\n\nНовий рядок заклику.\n", encoding="utf-8")
    code, _, err = run_cli(
        "build", "--kit", str(kit_copy), "--preset", "usb-player", "--lang", "uk",
        "--speed", SPEED, "--quiet",
    )  # fmt: skip
    assert code == 0, err
    hashed: list[Path] = []
    real = sources_module.sha256_file
    monkeypatch.setattr(sources_module, "sha256_file", lambda p: hashed.append(p) or real(p))
    report = publish_site(kit_copy, site, base_url=BASE)
    assert {b.name: b.status for b in report.bundles} == {
        "sample-uk-usb-player": "updated",
        "sample-it-web": "unchanged",
    }
    assert {p.name for p in hashed} == {"manifest.json"}  # the rest comes from the manifests
    after = parse_catalogue((site / "catalogue.json").read_bytes())
    assert after.bundles[0] == before.bundles[0]  # it-web, untouched
    assert after.bundles[1].zip_sha256 != before.bundles[1].zip_sha256
    assert after.bundles[1].infohash != before.bundles[1].infohash
    for name, stat in kept.items():
        now = (site / name).stat()
        assert (now.st_ino, now.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns), name
    new = after.bundles[1]
    assert tree(site / new.name) == tree(kit_copy / "out" / new.name)
    assert torf.Torrent.read(str(site / new.torrent)).verify(str(site / new.name))


def test_publishing_fewer_bundles_removes_the_others(tmp_path: Path, built_kit: Path) -> None:
    site = tmp_path / "site"
    publish_site(built_kit, site)
    (site / "index.fi.html").write_text("a page of a language the kit no longer has")
    code, out, err = run_cli(
        "publish", str(site), "uk-usb-player", "--kit", str(built_kit), "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["removed"] == ["sample-it-web"]
    assert [b["status"] for b in report["bundles"]] == ["unchanged"]
    left = {p.name for p in site.iterdir()}
    assert not {"sample-it-web", "sample-it-web.zip", "sample-it-web.torrent"} & left
    assert "index.fi.html" not in left and "sample-uk-usb-player.zip" in left
    assert [b.name for b in parse_catalogue((site / "catalogue.json").read_bytes()).bundles] == [
        "sample-uk-usb-player"
    ]


def test_a_new_base_url_rewrites_only_the_torrents(tmp_path: Path, built_kit: Path) -> None:
    site = tmp_path / "site"
    first = publish_site(built_kit, site)
    assert any("no --base-url" in w for w in first.warnings)
    zip_stat = (site / "sample-uk-usb-player.zip").stat()
    report = publish_site(built_kit, site, base_url="https://films.example.net/preparing")
    assert {b.status for b in report.bundles} == {"reseeded"}
    assert report.base_url == "https://films.example.net/preparing/"
    torrent = torf.Torrent.read(str(site / "sample-uk-usb-player.torrent"))
    assert list(torrent.webseeds) == ["https://films.example.net/preparing/"]
    assert first.catalogue.bundles[1].infohash == torrent.infohash  # the info dict is the same
    assert (site / "sample-uk-usb-player.zip").stat().st_mtime_ns == zip_stat.st_mtime_ns


def test_bad_publishing_requests_are_clear_errors(tmp_path: Path, built_kit: Path) -> None:
    foreign = tmp_path / "www"
    foreign.mkdir()
    (foreign / "index.html").write_text("someone's own page")
    code, _, err = run_cli("publish", str(foreign), "--kit", str(built_kit))
    assert code == 1 and "holds files but no catalogue.json" in err
    assert (foreign / "index.html").read_text() == "someone's own page"
    for args, words in [
        (["--base-url", "ftp://films.example.net/"], "is not an http(s) address"),
        (["--base-url", "https://x.example.net/?a=1"], "query or fragment"),
        (["nosuch-bundle"], "no built bundle 'nosuch-bundle'"),
        (["../escape"], "must be letters, digits"),
    ]:
        code, _, err = run_cli("publish", str(tmp_path / "site"), "--kit", str(built_kit), *args)
        assert code == 1 and "Error: " in err and words in err, err
        assert "Traceback" not in err
    code, _, err = run_cli("publish", str(built_kit / "out" / "x"), "--kit", str(built_kit))
    assert code == 1 and "overlap" in err
    assert not (built_kit / "out" / "x").exists()  # refused before anything was made


def test_a_bundle_changed_since_it_was_built_is_refused(kit_copy: Path, tmp_path: Path) -> None:
    clip = kit_copy / "out" / "sample-it-web" / "test-clip.mp4"
    with clip.open("ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(HandoverError) as caught:
        publish_site(kit_copy, tmp_path / "site")
    assert "test-clip.mp4 has changed since it was built" in caught.value.message
    assert caught.value.path == clip


def _zip64_extra(archive: Path, info: zipfile.ZipInfo) -> bool:
    """Whether the member's local header carries a ZIP64 extra field (id 0x0001)."""
    with archive.open("rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        fh.seek(name_length, 1)
        extra = fh.read(extra_length)
    while len(extra) >= 4:
        ident, size = struct.unpack("<HH", extra[:4])
        if ident == 0x0001:
            return True
        extra = extra[4 + size :]
    return False


def test_zip64_records_are_written_for_members_past_the_limit(tmp_path: Path) -> None:
    """Forced by a lower limit: a real 4 GiB member would write 4 GiB for this test."""
    folder = tmp_path / "b"
    (folder / "sub").mkdir(parents=True)
    (folder / "film.mp4").write_bytes(bytes(range(256)) * 512)
    (folder / "sub" / "x.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nciao\n")
    result = write_zip(
        folder, ["film.mp4", "sub/x.srt"], tmp_path / "b.zip", root="b", zip64_above=1000
    )
    with zipfile.ZipFile(result.path) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        assert _zip64_extra(result.path, infos["b/film.mp4"])
        assert not _zip64_extra(result.path, infos["b/sub/x.srt"])
        assert zf.read("b/film.mp4") == (folder / "film.mp4").read_bytes()
        assert zf.testzip() is None
    import hashlib

    assert result.sha256 == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert result.size == result.path.stat().st_size
    if shutil.which("unzip"):
        assert (
            subprocess.run(["unzip", "-tq", str(result.path)], capture_output=True).returncode == 0
        )


def test_the_sheet_says_how_to_unpack_the_zip_onto_the_stick(built_kit: Path) -> None:
    bundle = built_kit / "out" / "sample-uk-usb-player"
    text = (bundle / "SCREENING.txt").read_text(encoding="utf-8")
    step = "1. Завантажили одним ZIP-файлом? Спершу розпакуйте його"
    assert step in text and "теку «sample-uk-usb-player»" in text
    html = (bundle / "SCREENING.html").read_text(encoding="utf-8")
    assert "теку «sample-uk-usb-player», що з нього вийде" in html
