"""A file is scanned once per process until it changes (a feature film's scan takes seconds)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from screenkit.media import probe_pyav
from screenkit.media.info import MediaInfo
from screenkit.media.probe import forget_probes, probe


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every real scan of a file by the PyAV route, in order."""
    seen: list[Path] = []
    real: Callable[[Path], MediaInfo] = probe_pyav.probe

    def counted(path: Path, *args: Any, **kwargs: Any) -> MediaInfo:
        seen.append(path)
        return real(path, *args, **kwargs)

    forget_probes()
    monkeypatch.setattr(probe_pyav, "probe", counted)
    yield seen
    forget_probes()


def test_an_unchanged_file_is_scanned_once(
    scans: list[Path], tiny_film: Path, tmp_path: Path
) -> None:
    film = tmp_path / "film.mkv"
    shutil.copyfile(tiny_film, film)
    first = probe(film, route="pyav")
    assert probe(film, route="pyav") == first
    assert probe(Path(os.path.relpath(film)), route="pyav").duration == first.duration
    assert scans == [film]


def test_a_changed_file_is_scanned_again(
    scans: list[Path], tiny_film: Path, tmp_path: Path
) -> None:
    film = tmp_path / "film.mkv"
    shutil.copyfile(tiny_film, film)
    probe(film, route="pyav")
    os.utime(film, ns=(1_000_000_000, 1_000_000_000))  # same bytes, another time: scanned
    probe(film, route="pyav")
    replacement = tmp_path / "other.mkv"
    shutil.copyfile(tiny_film, replacement)
    replacement.replace(film)  # another inode under the same name
    probe(film, route="pyav")
    assert len(scans) == 3


def test_threads_asking_at_once_share_one_scan(
    scans: list[Path], tiny_film: Path, tmp_path: Path
) -> None:
    film = tmp_path / "film.mkv"
    shutil.copyfile(tiny_film, film)
    found: list[MediaInfo] = []
    threads = [threading.Thread(target=lambda: found.append(probe(film, route="pyav")))
               for _ in range(4)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 4 and len(set(found)) == 1
    assert scans == [film]


def test_another_process_hands_over_what_it_read(
    scans: list[Path], tiny_film: Path, tmp_path: Path
) -> None:
    """A cluster's worker reads the film it wrote (in its work folder, renamed into the
    cache afterwards); the client takes that answer (`probes_of` there, `adopt` here)
    instead of reading the film again."""
    from screenkit.media.probe import adopt, probes_of

    work, entry = tmp_path / "work", tmp_path / "entry"
    work.mkdir()
    shutil.copyfile(tiny_film, work / "film.mkv")
    read = probe(work / "film.mkv", route="pyav")
    work.rename(entry)
    shutil.copyfile(tiny_film, tmp_path / "never-read.mkv")
    handed = probes_of([entry / "film.mkv", tmp_path / "never-read.mkv", tmp_path / "gone"])
    assert [Path(p.path) for p in handed] == [entry / "film.mkv"]
    assert len(scans) == 1

    forget_probes()  # the client: another process, nothing remembered
    assert adopt(handed) == 1
    assert probe(entry / "film.mkv", route="pyav") == replace(read, path=entry / "film.mkv")
    assert len(scans) == 1

    forget_probes()  # a file that is not the one the worker read is read again
    os.utime(entry / "film.mkv", ns=(3_000_000_000, 3_000_000_000))
    assert adopt(handed) == 0
    probe(entry / "film.mkv", route="pyav")
    assert len(scans) == 2
