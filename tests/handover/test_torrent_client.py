"""A real BitTorrent client, aria2c, downloads a published bundle through its web seed alone
(no tracker, no DHT, no peer), and the bundle it writes verifies."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import torf
from handover_helpers import publish_site, site_server, tree

from screenkit.bundle import verify_bundle

UK = "sample-uk-usb-player"


@pytest.fixture(scope="module")
def aria2c() -> str:
    found = shutil.which("aria2c")
    if found is None:
        pytest.skip("no aria2c (apt-get install aria2)")
    return found


def aria2_args(aria2c: str, torrent: Path, dest: Path) -> list[str]:
    """Web seed only, on this machine only: no DHT, no local peer discovery (a LAN
    multicast), no peer exchange, no tracker, sockets bound to 127.0.0.1."""
    return [
        aria2c, "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
        "--enable-peer-exchange=false", "--bt-tracker=", "--bt-exclude-tracker=*",
        "--interface=127.0.0.1", "--disable-ipv6=true", "--seed-time=0",
        "--summary-interval=0", "--console-log-level=warn", "--file-allocation=none",
        f"--dir={dest}", str(torrent),
    ]  # fmt: skip


def test_aria2c_downloads_a_bundle_through_the_web_seed(
    aria2c: str, tmp_path: Path, built_kit: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with site_server(site, tmp_path / "srv") as served:
        report = publish_site(built_kit, site, base_url=served.url)
        entry = next(b for b in report.catalogue.bundles if b.name == UK)
        done = subprocess.run(
            aria2_args(aria2c, site / entry.torrent, tmp_path / "got"),
            capture_output=True,
            text=True,
            check=False,
        )
        seen = served.requests()
    assert done.returncode == 0, done.stdout + done.stderr
    got = tmp_path / "got" / UK
    assert tree(got) == tree(built_kit / "out" / UK)
    assert verify_bundle(got).ok
    torrent = torf.Torrent.read(str(site / entry.torrent))
    assert torrent.verify(str(got))  # torf checks every piece hash against what aria2c wrote
    assert seen and all(r["path"].startswith(f"/{UK}/") for r in seen)
    assert {r["status"] for r in seen} == {206}  # ranges of pieces, from the web seed
