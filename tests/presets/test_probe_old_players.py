"""`probe -p` says the picture an old player's encode makes: the DVD's fixed frame and
rate, the DivX's size within its limits (not the file presets' sizes)."""

from __future__ import annotations

import json

import support
from support import MakeSource


def test_probe_names_the_dvd_frame_and_the_divx_size(make_media: MakeSource) -> None:
    film = make_media("small.mkv", width=320, height=180, duration=1.0)
    code, out, err = support.run_cli(
        "probe", str(film), "--json", "-p", "dvd-pal", "-p", "dvd-ntsc", "-p", "divx"
    )
    assert code == 0, err
    outputs = json.loads(out)["outputs"]
    assert (outputs["dvd-pal"]["width"], outputs["dvd-pal"]["height"]) == (720, 576)
    assert (outputs["dvd-ntsc"]["width"], outputs["dvd-ntsc"]["height"]) == (720, 480)
    assert outputs["divx"]["width"] % 4 == 0 and outputs["divx"]["width"] <= 720
    code, out, _ = support.run_cli("probe", str(film), "-p", "dvd-pal")
    assert "dvd-pal    encoded at 720x576" in out
