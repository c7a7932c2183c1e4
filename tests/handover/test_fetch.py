"""``screenkit fetch`` against real servers on 127.0.0.1: whole, resumed, or refused."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from handover_helpers import WAIT, http_server, site_server, tree

from screenkit.handover import FetchCancelled, fetch
from screenkit.handover.catalogue import CATALOGUE_NAME
from support import run_cli

UK = "sample-uk-usb-player"
FILM = f"{UK}/Preparing a Screening (uk, usb-player).mp4"


def _fetch(url: str, out: Path, *more: str, lang: str = "uk", preset: str = "usb-player"):  # type: ignore[no-untyped-def]
    return run_cli("fetch", url, "--lang", lang, "--preset", preset, "--out", str(out), *more)


def _nothing_whole(out: Path) -> None:
    """No bundle folder, and nothing visible that could pass for one."""
    if out.exists():
        assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == []


def test_python_http_server_serves_the_catalogue_and_fetch_gets_each_bundle(
    tmp_path: Path, site: Path, built_kit: Path
) -> None:
    with http_server(site) as served:
        for lang, preset, name in [("uk", "usb-player", UK), ("it", "web", "sample-it-web")]:
            out = tmp_path / f"got-{lang}"
            code, stdout, err = _fetch(served.url, out, "--json", lang=lang, preset=preset)
            assert code == 0, err
            result = json.loads(stdout)
            assert result["verified"] and result["downloaded"] == result["size"]
            assert tree(out / name) == tree(built_kit / "out" / name)
            assert sorted(p.name for p in out.iterdir()) == [name]  # no part left beside it
            code, _, err = run_cli("verify", str(out / name), "--quiet")
            assert code == 0, err
        code, _, err = _fetch(served.url, tmp_path / "got-uk")
        assert code == 0 and "was already in" in err  # again: nothing downloaded, verified


def test_a_dropped_connection_is_resumed_with_a_range_request(
    tmp_path: Path, site: Path, built_kit: Path
) -> None:
    with site_server(site, tmp_path / "srv", "--drop-after", "300000") as served:
        result = fetch(served.url, "uk", "usb-player", tmp_path / "got")
        seen = served.requests()
    assert result.verify.ok and result.range_requests >= 2  # the film and the test clip
    film = [r for r in seen if r["path"] == f"/{FILM}"]
    assert [(r["range"], r["status"]) for r in film] == [(None, 200), ("bytes=300000-", 206)]
    assert tree(tmp_path / "got" / UK) == tree(built_kit / "out" / UK)


def test_a_killed_fetch_goes_on_where_it_stopped(
    tmp_path: Path, site: Path, built_kit: Path
) -> None:
    out = tmp_path / "got"
    stage = out / f".{UK}.part-fetch"
    with site_server(site, tmp_path / "slow", "--rate", "1000000") as served:
        process = subprocess.Popen(
            [sys.executable, "-m", "screenkit", "fetch", served.url, "--lang", "uk",
             "--preset", "usb-player", "--out", str(out), "--quiet"],
            stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + WAIT
        parts: list[Path] = []
        while not any(p.stat().st_size > 500_000 for p in parts):
            assert process.poll() is None, process.stderr and process.stderr.read()
            assert time.monotonic() < deadline, "the download did not start"
            time.sleep(0.05)
            parts = list(stage.glob(".*.part")) if stage.is_dir() else []
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    _nothing_whole(out)
    had = parts[0].stat().st_size
    assert 500_000 < had < (built_kit / "out" / FILM).stat().st_size
    with site_server(site, tmp_path / "fast") as served:
        code, stdout, err = _fetch(served.url, out, "--json")
        seen = served.requests()
    assert code == 0, err
    result = json.loads(stdout)
    assert result["verified"] and result["resumed"] == had and result["range_requests"] == 1
    assert [r["range"] for r in seen if r["path"] == f"/{FILM}"] == [f"bytes={had}-"]
    assert tree(out / UK) == tree(built_kit / "out" / UK)
    assert not stage.exists() and not list(out.glob(".*"))


def _copy_site(site: Path, dest: Path) -> Path:
    """A real copy (the site's files are hard links into out/: never alter those)."""
    for path in sorted(site.rglob("*")):
        target = dest / path.relative_to(site)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return dest


def test_a_file_altered_on_the_server_is_refused_by_name(tmp_path: Path, site: Path) -> None:
    bad = _copy_site(site, tmp_path / "bad-site")
    clip = bad / UK / "test-clip.mp4"
    data = bytearray(clip.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte flipped
    clip.write_bytes(bytes(data))
    out = tmp_path / "got"
    with http_server(bad) as served:
        code, _, err = _fetch(served.url, out)
    assert code == 1
    assert f"Error: {UK}/test-clip.mp4 does not match the catalogue" in err
    _nothing_whole(out)
    assert not list(out.rglob("*test-clip*"))  # the bad copy was thrown away


@pytest.mark.parametrize(
    ("flags", "words", "where"),
    [
        (("--extra", "4096"), "sent more bytes for", "cut off"),
        (("--missing", "test-clip.mp4"), "answered 404 Not Found for", "test-clip.mp4"),
        (("--redirect", f"/{CATALOGUE_NAME}=file:///etc/passwd"), "another scheme", "file:"),
        (("--redirect", f"/{FILM}=ftp://127.0.0.1/x.mp4"), "another scheme", "ftp:"),
    ],
)
def test_a_bad_server_is_a_clear_error_and_leaves_nothing_whole(
    tmp_path: Path, site: Path, flags: tuple[str, ...], words: str, where: str
) -> None:
    out = tmp_path / "got"
    with site_server(site, tmp_path / "srv", *flags) as served:
        code, _, err = _fetch(served.url, out)
    assert code == 1, err
    assert err.startswith("Error: ") and words in err and where in err, err
    assert "Traceback" not in err
    _nothing_whole(out)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda f: f.update(path=f"{UK}/../../../etc/cron.d/x"), "'..'"),
        (lambda f: f.update(path="/etc/passwd"), "absolute path"),
        (lambda f: f.update(path=f"{UK}/NUL.mp4"), "reserved device name"),
        (lambda f: f.update(path=f"{UK}/a|b.mp4"), "FAT32 and exFAT"),
    ],
)
def test_a_bad_catalogue_is_refused_before_any_download(
    tmp_path: Path, site: Path, change: object, words: str
) -> None:
    bad = _copy_site(site, tmp_path / "bad-site")
    document = json.loads((bad / CATALOGUE_NAME).read_text(encoding="utf-8"))
    change(document["bundles"][1]["files"][0])  # type: ignore[operator]
    (bad / CATALOGUE_NAME).write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "got"
    with site_server(bad, tmp_path / "srv") as served:
        code, _, err = _fetch(served.url, out)
        seen = served.requests()
    assert code == 1 and "Error: catalogue bundles[1].files[0].path:" in err and words in err
    assert [r["path"] for r in seen] == [f"/{CATALOGUE_NAME}"]
    assert not out.exists()


def test_an_address_that_is_not_http_is_refused(tmp_path: Path) -> None:
    for address in ("ftp://127.0.0.1/catalogue.json", "file:///etc/passwd", "javascript:x"):
        code, _, err = _fetch(address, tmp_path / "got")
        assert code == 1 and "is not an http(s) address or a folder" in err, err
    code, _, err = _fetch(str(tmp_path / "nowhere"), tmp_path / "got")
    assert code == 1 and "no catalogue.json there" in err


def test_a_folder_catalogue_and_the_kits_own_address(
    tmp_path: Path, site: Path, built_kit: Path
) -> None:
    code, _, err = _fetch(str(site), tmp_path / "from-folder", lang="it", preset="web")
    assert code == 0, err
    assert tree(tmp_path / "from-folder" / "sample-it-web") == tree(
        built_kit / "out" / "sample-it-web"
    )
    kit = tmp_path / "kit"
    kit.mkdir()
    manifest = (built_kit / "screenkit.toml").read_text(encoding="utf-8")
    with http_server(site) as served:
        (kit / "screenkit.toml").write_text(
            manifest.replace("[kit]\n", f'[kit]\ncatalogue = "{served.url}"\n'), encoding="utf-8"
        )
        code, _, err = run_cli(
            "fetch", "--kit", str(kit), "--lang", "uk", "--preset", "usb-player",
            "--out", str(tmp_path / "from-kit"), "--quiet",
        )  # fmt: skip
    assert code == 0, err
    assert (tmp_path / "from-kit" / UK / "manifest.json").is_file()


def test_list_shows_the_offer_in_words_and_json(tmp_path: Path, site: Path) -> None:
    with http_server(site) as served:
        code, out, err = run_cli("fetch", served.url, "--list")
        assert code == 0, err
        assert "2 of 2 bundles" in out
        assert "A TV or projector that plays from a USB stick" in out
        assert "українська" in out and "italiano" in out
        code, out, _ = run_cli("fetch", served.url, "--list", "--lang", "it", "--json")
        assert json.loads(out) == json.loads((site / CATALOGUE_NAME).read_text("utf-8"))
        code, _, err = _fetch(served.url, tmp_path / "got", lang="pl")
        assert code == 1 and "no bundle for --lang pl --preset usb-player" in err
        assert "it offers it/web, uk/usb-player" in err
        code, _, err = run_cli("fetch", served.url, "--lang", "uk")
        assert code == 2 and "give --lang and --preset" in err


def test_a_stopped_fetch_keeps_its_parts_and_the_next_run_finishes(
    tmp_path: Path, site: Path, built_kit: Path
) -> None:
    stop = threading.Event()
    out = tmp_path / "got"
    with (
        site_server(site, tmp_path / "slow", "--rate", "4000000") as served,
        pytest.raises(FetchCancelled),
    ):
        fetch(served.url, "uk", "usb-player", out, progress=lambda p: stop.set(), stop=stop)
    _nothing_whole(out)
    assert list((out / f".{UK}.part-fetch").rglob(".*.part"))
    with site_server(site, tmp_path / "fast") as served:
        result = fetch(served.url, "uk", "usb-player", out)
    assert result.verify.ok and result.resumed > 0
    assert tree(out / UK) == tree(built_kit / "out" / UK)


def test_two_fetches_of_one_bundle_into_one_folder_do_not_mix(tmp_path: Path, site: Path) -> None:
    import fcntl

    out = tmp_path / "got"
    out.mkdir()
    with (out / f".{UK}.part-fetch.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another fetch holds it
        code, _, err = _fetch(str(site), out)
    assert code == 1 and "another screenkit fetch is downloading" in err
    assert (out / f".{UK}.part-fetch.lock").exists()  # the other one's lock is left alone


def test_a_server_announcing_more_bytes_than_listed_is_refused(tmp_path: Path, site: Path) -> None:
    bad = _copy_site(site, tmp_path / "bad-site")
    with (bad / UK / "SCREENING.txt").open("ab") as fh:
        fh.write(b"\nappended after publishing\n")
    out = tmp_path / "got"
    with http_server(bad) as served:
        code, _, err = _fetch(served.url.rstrip("/"), out)  # the folder's address, no slash
    assert code == 1
    assert (
        f"has {(bad / UK / 'SCREENING.txt').stat().st_size:,} bytes for {UK}/SCREENING.txt" in err
    )
    _nothing_whole(out)
