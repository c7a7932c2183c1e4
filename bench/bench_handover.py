"""Handing a bundle over: ``screenkit publish`` and ``screenkit fetch`` beside the bare tools.

- publish: one bundle into a fresh site (its folder linked, a stored ZIP, a torrent with
  piece hashes, the pages, catalogue.json) beside ``zip -0 -r`` + ``sha256sum`` of the ZIP,
  what a distributor would do by hand (without the torrent: no torrent maker is installed);
- fetch: the bundle over loopback from ``python -m http.server`` (download, size and sha256
  of every file, then ``verify``, which decodes the test clip and probes the film) beside
  the same work by hand: ``curl`` of every file + ``sha256sum -c`` + ``screenkit verify``
  (on a 107 MB bundle the verify is about 1.1 s of fetch's 1.4 s in-process).

The bundle is the sample kit's uk usb-player one at 1280x720 (built once into
bench/.media/handover-kit, x264 ultrafast), or any built bundle: ``--kit DIR --bundle NAME``.

python -m bench.bench_handover [--rounds N] [--json FILE] [--kit DIR --bundle NAME]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from bench.harness import Case, media_path, run_cases, screenkit_cmd


def _sample_bundle() -> tuple[Path, str]:
    kit = media_path("handover-kit")
    name = "uk-usb-player"
    if not (kit / "out" / f"sample-{name}" / "manifest.json").is_file():
        for args in (
            ["sample", str(kit)],
            ["build", "--kit", str(kit), "--preset", "usb-player", "--lang", "uk",
             "--speed", "ultrafast", "--quiet"],
        ):  # fmt: skip
            subprocess.run(screenkit_cmd(*args), check=True, stdout=subprocess.DEVNULL)
    return kit, name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--kit", type=Path, help="a kit with built bundles in out/")
    parser.add_argument("--bundle", help="the bundle to hand over (as build names it)")
    options = parser.parse_args()
    kit, name = (options.kit, options.bundle) if options.kit else _sample_bundle()
    work = media_path("handover-work")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    folder = next(p for p in (kit / "out").iterdir() if p.name.endswith(f"-{name}"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    lang, preset = manifest["options"]["lang"], manifest["preset"]["name"]
    site, got, by_hand = work / "site", work / "got", work / "by-hand"

    def fresh(*paths: Path) -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
        by_hand.mkdir(exist_ok=True)

    zip_path = by_hand / f"{folder.name}.zip"
    publish = Case(
        "publish one bundle",
        ours=[screenkit_cmd("publish", str(site), name, "--kit", str(kit), "--quiet")],
        bare=[
            ["sh", "-c", f'cd "{folder.parent}" && zip -0 -r -q "{zip_path}" "{folder.name}"'],
            ["sha256sum", str(zip_path)],
        ],
        before_each=lambda: fresh(site, by_hand),
    )
    results = run_cases([publish], rounds=options.rounds)
    subprocess.run(
        screenkit_cmd("publish", str(site), name, "--kit", str(kit), "--quiet"), check=True
    )
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
         "--directory", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        port = re.search(r"port (\d+)", server.stdout.readline().decode())
        assert port
        url = f"http://127.0.0.1:{port[1]}/"
        catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
        files = next(b for b in catalogue["bundles"] if b["name"] == folder.name)["files"]
        curl = ["curl", "-sf", "--create-dirs"]
        for f in files:
            curl += ["-o", str(by_hand / f["path"]), url + quote(f["path"])]
        sums = by_hand.parent / "SHA256SUMS"
        sums.write_text("".join(f"{f['sha256']}  {f['path']}\n" for f in files))
        fetch = Case(
            "fetch one bundle (loopback)",
            ours=[
                screenkit_cmd(
                    "fetch", url, "--lang", lang, "--preset", preset, "--out", str(got), "--quiet"
                ),
            ],
            bare=[
                curl,
                ["sh", "-c", f'cd "{by_hand}" && sha256sum --quiet -c "{sums}"'],
                screenkit_cmd("verify", str(by_hand / folder.name), "--quiet"),
            ],
            before_each=lambda: fresh(got, by_hand),
        )
        results += run_cases([fetch], rounds=options.rounds)
    finally:
        server.terminate()
        server.wait()
    size = sum(f["size"] for f in files)
    print(f"bundle {folder.name}: {len(files)} files, {size / 1e6:.1f} MB")
    if options.json:
        options.json.write_text(json.dumps([vars(r) for r in results], indent=2) + "\n")


if __name__ == "__main__":
    main()
