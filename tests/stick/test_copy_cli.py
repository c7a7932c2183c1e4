"""``screenkit copy``: exit codes, the words printed, --json, --list-drives, and Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from stick_helpers import add_file, part_folders, private_bundle

from screenkit.stick import removable_drives
from support import run_cli


def test_copy_prints_ready_and_what_was_checked(demo_bundle: Path, stick: Path) -> None:
    code, out, err = run_cli("copy", str(demo_bundle), str(stick))
    assert code == 0, err
    assert out == f"ready  {stick / demo_bundle.name}\n"
    assert "sample-demo: 13 files" in err
    assert "copied, read back and checked against manifest.json" in err
    assert "Eject the stick properly" in err
    code, out, err = run_cli("copy", str(demo_bundle), str(stick))
    assert code == 0 and "already there: read back and checked" in err


def test_copy_json_is_one_document(demo_bundle: Path, stick: Path) -> None:
    code, out, err = run_cli("copy", str(demo_bundle), str(stick), "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["verified"] is True and document["already"] is False
    assert document["folder"] == str(stick / demo_bundle.name)
    assert document["files"] == 13 and document["bytes"] > 0
    for warning in document["warnings"]:
        assert set(warning) == {"level", "code", "params", "message"}


def test_a_refusal_is_an_error_with_a_hint_and_replace_overrides_it(
    demo_bundle: Path, stick: Path
) -> None:
    (stick / demo_bundle.name).mkdir()
    (stick / demo_bundle.name / "other.txt").write_text("mine")
    code, out, err = run_cli("copy", str(demo_bundle), str(stick))
    assert code == 1 and out == ""
    assert (
        f"Error: '{stick / demo_bundle.name}' is already on the stick and holds something " in err
    )
    assert "Hint: add --replace to replace it once the new copy is checked" in err
    assert "Traceback" not in err
    code, out, err = run_cli("copy", str(demo_bundle), str(stick), "--replace")
    assert code == 0, err
    assert "copied over the old folder" in err
    assert not (stick / demo_bundle.name / "other.txt").exists()


def test_refusals_before_anything_is_written(
    stick: Path, tmp_path: Path, demo_bundle: Path
) -> None:
    half = tmp_path / "half"
    half.mkdir()
    code, _, err = run_cli("copy", str(half), str(stick))
    assert code == 1
    assert f"Error: {half} is an incomplete bundle: it has no manifest.json" in err
    gone = tmp_path / "STICK2"
    code, _, err = run_cli("copy", str(demo_bundle), str(gone))
    assert code == 1
    assert f"Error: {gone} does not exist: is the stick plugged in?" in err
    assert "Hint: plug in the stick" in err and "--list-drives" in err
    assert list(stick.iterdir()) == [] and not gone.exists()


def test_usage_errors_exit_2(demo_bundle: Path, stick: Path) -> None:
    code, _, err = run_cli("copy")
    assert code == 2 and "give BUNDLE_DIR and DEST" in err
    code, _, err = run_cli("copy", str(demo_bundle), str(stick), "--list-drives")
    assert code == 2 and "--list-drives takes no BUNDLE_DIR" in err


def test_list_drives_json_is_what_the_library_lists() -> None:
    code, out, err = run_cli("copy", "--list-drives", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document == {"drives": [d.to_json() for d in removable_drives()]}


def test_list_drives_for_people(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = Path(__file__).parent / "data" / "lsblk-laptop-with-stick.json"
    fake = tmp_path / "bin" / "lsblk"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\ncat '{data}'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    code, out, _ = run_cli("copy", "--list-drives")
    assert code == 0
    assert out.splitlines() == [
        "/media/anna/KINGSTON\tKINGSTON\tFAT32\t14.8 GB free of 15.4 GB\t/dev/sda1",
        "/media/anna/FILMS\tFILMS\texFAT\t61.4 GB free of 64.0 GB\t/dev/sdb",
    ]


def test_ctrl_c_during_a_copy_exits_130_and_leaves_nothing(
    demo_bundle: Path, stick: Path, tmp_path: Path
) -> None:
    """A real process, interrupted while it writes a 512 MiB film onto the stick."""
    bundle = private_bundle(demo_bundle, tmp_path / "src")
    add_file(bundle, "long-film.mp4", 512 << 20)
    proc = subprocess.Popen(
        [sys.executable, "-m", "screenkit", "copy", str(bundle), str(stick), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # a test run in the background may ignore SIGINT; the copy must get it as Ctrl-C
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )

    def writing() -> bool:
        return any((p / "long-film.mp4").exists() for p in part_folders(stick))

    while not writing():
        assert proc.poll() is None, proc.communicate()[1].decode()[-2000:]
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130, err.decode()[-2000:]
    assert err.decode().strip().endswith("Interrupted.")
    assert list(stick.iterdir()) == []


def test_bars_show_on_a_terminal_only(demo_bundle: Path, stick: Path, tmp_path: Path) -> None:
    from test_progress_pty import _run_in_pty

    bundle = private_bundle(demo_bundle, tmp_path / "src")
    add_file(bundle, "extra.bin", 40 << 20)
    argv = [sys.executable, "-m", "screenkit", "copy", str(bundle), str(stick)]
    code, shown = _run_in_pty(argv, tmp_path, 100)
    assert code == 0, shown
    assert re.search(r"copying: +\d+%\|", shown) and re.search(r"reading back: +\d+%\|", shown)
    assert f"ready  {stick / bundle.name}" in shown
    code, _, err = run_cli("copy", str(bundle), str(stick), "--replace")  # stderr is no terminal
    assert code == 0 and "%|" not in err
