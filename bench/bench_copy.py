"""``screenkit copy`` vs ``cp -r`` + ``sync`` (+ ``sha256sum -c``) for a 512 MB bundle.

What the careful copy costs beside what a person would type: a plain copy and sync, and the
same followed by checking every file's sha256 (which reads from the page cache, where
screenkit drops the cached pages first so that the bytes come from the disk). The bundle is
a film of incompressible bytes, a test clip and a few small files with a real manifest; the
destination is a folder on this machine's disk (no stick is reachable here).

python -m bench.bench_copy [--rounds N] [--json FILE]
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from bench.harness import Case, cli, media_path, run_cases, screenkit_cmd
from screenkit.bundle.documents.manifest import FileRecord, Manifest, write_manifest
from screenkit.bundle.engine.hashing import sha256_file
from screenkit.presets import load_preset

FILES = {
    "Film (it, usb-player).mp4": 480 << 20,
    "test-clip.mp4": 30 << 20,
    "SCREENING.html": 8000,
    "SCREENING.txt": 5000,
    "subtitles/Film (it, usb-player).it.srt": 60000,
}


def bench_bundle() -> Path:
    """The bundle folder (made once, kept under bench/.media)."""
    folder = media_path("copy-bundle") / "bench-copy"
    if (folder / "manifest.json").is_file():
        return folder
    records = []
    for name, size in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            left = size
            while left:
                chunk = os.urandom(min(left, 8 << 20))
                fh.write(chunk)
                left -= len(chunk)
        digest = sha256_file(path)
        records.append(FileRecord(name, digest.sha256, digest.size))
    (folder / "manifest.sha256").write_text(
        "".join(f"{r.sha256}  {r.path}\n" for r in records), encoding="utf-8"
    )
    records.append(FileRecord("manifest.sha256", sha256_file(folder / "manifest.sha256").sha256,
                              (folder / "manifest.sha256").stat().st_size))  # fmt: skip
    manifest = Manifest(
        kit="bench", title="Film", bundle="copy", preset=load_preset("usb-player"), options={},
        ffmpeg_version="-", screenkit_version="-", created="2026-01-01T00:00:00+0000",
        plan_key="-", video="Film (it, usb-player).mp4", test_clip="test-clip.mp4", cache="",
        inputs=(), steps=(), files=tuple(records),
    )  # fmt: skip
    write_manifest(folder, manifest)
    return folder


def main() -> None:
    args = cli(__doc__ or "")
    bundle = bench_bundle()
    dest = Path(tempfile.mkdtemp(prefix="bench-copy-"))
    target = dest / bundle.name

    def clear() -> None:
        shutil.rmtree(target, ignore_errors=True)

    copy = ["cp", "-r", str(bundle), str(dest)]
    check = ["sh", "-c", f"cd '{target}' && sha256sum --quiet -c manifest.sha256"]
    ours = [screenkit_cmd("copy", str(bundle), str(dest), "--quiet")]
    try:
        run_cases(
            [
                Case("copy + read back vs cp -r + sync", ours, [copy, ["sync"]], clear),
                Case(
                    "copy + read back vs cp -r + sync + sha256sum -c",
                    ours,
                    [copy, ["sync"], check],
                    clear,
                ),
            ],
            rounds=args.rounds,
            json_path=args.json,
        )
    finally:
        shutil.rmtree(dest, ignore_errors=True)


if __name__ == "__main__":
    main()
