"""Pure parts of the bundle layer: requests, names, manifest, folder swap, sheet, tracks, argv."""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path

import pytest

from screenkit.bundle.compose.model import safe_filename
from screenkit.bundle.compose.request import Organiser, check_name, resolve_requests
from screenkit.bundle.documents.assemble import BUILDING, exchange, partial_bundle, publish, recover
from screenkit.bundle.documents.manifest import (
    MANIFEST_NAME,
    preset_from_json,
    preset_to_json,
    read_manifest,
)
from screenkit.bundle.documents.mediaops import cut_args, mux_args, still_args
from screenkit.bundle.documents.sheet import SheetData, SheetFile, render_html, render_text
from screenkit.bundle.documents.sheet_words import device_kind
from screenkit.bundle.documents.tracks import busiest_window, showcase_event, sidecar_names
from screenkit.bundle.engine.errors import BundleError, IncompleteBundle
from screenkit.encode import SubtitleInput
from screenkit.kit import load_kit
from screenkit.media.info import AudioStream, MediaInfo, VideoStream
from screenkit.presets import STANDARD, load_preset, standard_presets

REPO = Path(__file__).resolve().parents[2]


# -- requests -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../evil", "/abs", "a/b", "..", "x/../../y"])
def test_names_that_would_escape_are_refused(name: str) -> None:
    with pytest.raises(BundleError) as caught:
        check_name(name)
    assert "would escape the output folder" in caught.value.message
    assert caught.value.value == name


def test_requests_from_the_kit_options_and_matrix() -> None:
    kit = load_kit(REPO)
    demo = resolve_requests(kit, ["demo"], organiser=Organiser(venue="Bar Z"))
    assert [(r.name, r.preset, r.lang, r.burn, r.venue) for r in demo] == [
        ("demo", "usb-player", "en", "en", "Bar Z")
    ]
    adhoc = resolve_requests(kit, [], preset="laptop", lang="uk")
    assert [(r.name, r.preset, r.lang) for r in adhoc] == [("uk-laptop", "laptop", "uk")]
    matrix = resolve_requests(kit, [], all_bundles=True)
    files = standard_presets("file")
    assert len(matrix) == len(kit.languages) * len(files) and len(files) == 5
    assert {r.preset for r in matrix} == set(files)
    assert set(STANDARD) - set(files) == {"dvd-pal", "dvd-ntsc", "divx"}  # by name only
    assert len({r.name for r in matrix}) == len(matrix)
    assert {r.name for r in resolve_requests(kit, [])} == set(kit.bundles)


def test_bad_requests_say_what_is_wrong() -> None:
    kit = load_kit(REPO)
    with pytest.raises(BundleError, match=r"no bundle named 'dmeo' .did you mean 'demo'"):
        resolve_requests(kit, ["dmeo"])
    with pytest.raises(BundleError, match="not both"):
        resolve_requests(kit, ["demo"], preset="laptop")
    with pytest.raises(BundleError, match="'fr' is not one of the kit's languages"):
        resolve_requests(kit, [], lang="fr")
    with pytest.raises(BundleError, match="would escape"):
        resolve_requests(kit, [], preset="../../etc")


def test_file_names_are_safe_on_a_fat32_stick() -> None:
    assert safe_filename('AC/DC: "Live" <1978>?') == "AC-DC- -Live- -1978--"
    assert safe_filename("..hidden. ") == "hidden"
    assert safe_filename("...") == "film"
    assert "/" not in safe_filename("../../etc/passwd")


# -- manifest -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", STANDARD)
def test_preset_survives_the_manifest(name: str) -> None:
    preset = load_preset(name)
    document = json.loads(json.dumps(preset_to_json(preset)))
    assert preset_from_json(document) == preset


def test_a_folder_without_manifest_is_an_incomplete_bundle(tmp_path: Path) -> None:
    (tmp_path / "film.mp4").write_bytes(b"x")
    with pytest.raises(IncompleteBundle) as caught:
        read_manifest(tmp_path)
    assert "incomplete bundle" in caught.value.message
    assert caught.value.path == tmp_path


# -- the folder swap ----------------------------------------------------------------------
def _fill(folder: Path, text: str) -> None:
    (folder / "film.mp4").write_text(text)
    (folder / MANIFEST_NAME).write_text("{}")


def test_a_new_bundle_replaces_the_old_only_when_complete(tmp_path: Path) -> None:
    final = tmp_path / "kit-demo"
    with partial_bundle(final) as part:
        _fill(part.folder, "old")
        publish(part)
    assert (final / "film.mp4").read_text() == "old"
    with pytest.raises(RuntimeError), partial_bundle(final) as part:
        (part.folder / "film.mp4").write_text("half")
        raise RuntimeError("killed")
    assert (final / "film.mp4").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["kit-demo"]
    with partial_bundle(final) as part:
        _fill(part.folder, "new")
        publish(part)
    assert (final / "film.mp4").read_text() == "new"
    assert not (final / BUILDING).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["kit-demo"]


def test_publishing_needs_the_manifest(tmp_path: Path) -> None:
    with partial_bundle(tmp_path / "b") as part, pytest.raises(BundleError):
        publish(part)


def test_a_folder_that_is_not_a_bundle_is_never_replaced(tmp_path: Path) -> None:
    final = tmp_path / "kit-demo"
    final.mkdir()
    (final / "holiday.jpg").write_bytes(b"mine")
    with pytest.raises(BundleError, match="is not a screenkit bundle"), partial_bundle(final):
        pass
    assert (final / "holiday.jpg").read_bytes() == b"mine"


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("b")
    if not exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("no renameat2 here")
    assert (tmp_path / "a" / "x").read_text() == "b"
    assert (tmp_path / "b" / "x").read_text() == "a"


def test_recover_removes_abandoned_partials_only(tmp_path: Path) -> None:
    final = tmp_path / "kit-demo"
    abandoned = tmp_path / ".kit-demo.partial-dead"
    abandoned.mkdir()
    (abandoned / BUILDING).write_text("")
    with partial_bundle(final) as live:
        recover(final)
        assert live.folder.exists()
        assert not abandoned.exists()
    parked = tmp_path / ".kit-demo.old-1234"
    parked.mkdir()
    _fill(parked, "old")
    recover(final)  # a crash between the two renames of the fallback swap: put it back
    assert (final / "film.mp4").read_text() == "old"


# -- the sheet ----------------------------------------------------------------------------
def _info(path: Path) -> MediaInfo:
    video = VideoStream(
        0,
        "h264",
        "High",
        41,
        1920,
        1080,
        Fraction(1),
        Fraction(25),
        Fraction(25),
        False,
        "yuv420p",
        0,
        "progressive",
    )
    audio = AudioStream(1, "aac", "LC", 2, "stereo", 48000, "eng")
    return MediaInfo(path, "mov,mp4,m4a,3gp,3g2,mj2", 4260.0, 3_000_000_000, None, video, (audio,))


def _sheet(preset: str, lang: str = "en", **texts: str) -> SheetData:
    defaults = {"title": "Film", "appeal_text": "Give.", "beneficiary": "Coll", "venue": "Bar"}
    defaults.update(texts)
    return SheetData(
        kit_name="kit",
        title=defaults["title"],
        bundle="demo",
        lang=lang,
        burned="uk",
        soft=("uk", "en"),
        preset=load_preset(preset),
        video=_info(Path("x.mp4")),
        video_name="Film (uk).mp4",
        clip_name="test-clip.mp4",
        files=(SheetFile("subtitles/Film.uk.vtt", "sidecar", "uk", "utf-8"),),
        appeal_text=defaults["appeal_text"],
        beneficiary=defaults["beneficiary"],
        link="https://example.org/?a=1&b=2",
        venue=defaults["venue"],
        date=None,
        contact=None,
        card_image="images/card.png",
        frame_image="images/subtitled-frame.png",
    )


def test_every_kit_text_is_escaped_in_the_html() -> None:
    data = _sheet(
        "web",
        title="<script>alert(1)</script>",
        appeal_text='Give & share "now" <b onclick=x>',
        beneficiary="A&B <Collective>",
        venue="<img src=x onerror=alert(1)>",
    )
    page = render_html(data)
    assert "<script>" not in page and "<img src=x" not in page and "<b onclick" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Give &amp; share &quot;now&quot; &lt;b onclick=x&gt;" in page
    assert "A&amp;B &lt;Collective&gt;" in page
    assert 'href="https://example.org/?a=1&amp;b=2"' in page
    assert '<img src="images/card.png"' in page and "images/subtitled-frame.png" in page
    assert "<track " not in page and "index.html" in page  # the page plays it, not the sheet


def test_the_sheet_says_how_to_play_on_each_kind_of_device() -> None:
    kinds = {name: device_kind(load_preset(name)) for name in standard_presets("file")}
    assert kinds == {
        "usb-player": "usb",
        "usb-player-legacy": "usb",
        "laptop": "laptop",
        "web": "browser",
        "archive": "archive",
    }
    text = render_text(_sheet("laptop"))
    assert "VLC" in text and "Sub Track" in text and "mpv" in text
    usb = render_text(_sheet("usb-player"))
    assert "USB stick" in usb and "burned into the picture" in usb
    for check in ("test clip (test-clip.mp4)", "back row", "sound level", "QR code", "fundraiser"):
        assert check in usb
    assert "1920x1080 at 25 fps" in usb and "High @ level 4.1" in usb


# -- tracks and argv ----------------------------------------------------------------------
def test_the_test_clip_shows_the_busiest_stretch() -> None:
    spans = [(100.0, 102.0), (300.0, 302.0), (303.0, 305.0), (306.0, 307.0)]
    assert busiest_window(spans, 48.0) == 299.0
    assert busiest_window([], 48.0) == 0.0
    assert showcase_event([(1.0, 3.0, "short"), (10.0, 14.0, "a much longer line")]) == 12.0


def test_sidecars_in_utf8_and_the_legacy_code_page() -> None:
    legacy = sidecar_names("Film (uk, usb-player-legacy)", "uk", load_preset("usb-player-legacy"))
    assert legacy == [
        ("subtitles/Film (uk, usb-player-legacy).uk.srt", "utf-8"),
        ("subtitles/Film (uk, usb-player-legacy).uk.cp1251.srt", "cp1251"),
    ]
    assert sidecar_names("F", "de", load_preset("web")) == [("subtitles/F.de.vtt", "utf-8")]
    assert sidecar_names("F", "de", load_preset("laptop")) == [("subtitles/F.de.srt", "utf-8")]


def test_mux_cut_and_still_argv(tmp_path: Path) -> None:
    video = tmp_path / "-odd: name.mkv"
    args = mux_args(
        video,
        [
            SubtitleInput(tmp_path / "soft0.srt", "pt-BR"),
            SubtitleInput(tmp_path / "soft1.srt", "uk"),
        ],
        tmp_path / "out.mkv",
        container="mkv",
        faststart=False,
        default="pt-BR",
    )
    assert args[:4] == ["-protocol_whitelist", "file,pipe", "-i", f"file:{video}"]
    joined = " ".join(args)
    assert "-metadata:s:s:0 language=por -metadata:s:s:0 title=Portuguese (pt-BR)" in joined
    assert "-disposition:s:0 default" in joined and "-disposition:s:1 0" in joined
    assert "-c:s:1 srt" in joined and args[-1] == f"file:{tmp_path / 'out.mkv'}"
    mp4 = mux_args(
        video,
        [SubtitleInput(tmp_path / "s.srt", "en")],
        tmp_path / "o.mp4",
        container="mp4",
        faststart=True,
        default=None,
    )
    assert "mov_text" in mp4 and "+faststart" in mp4
    cut = cut_args(video, tmp_path / "c.mkv", start=30.0, duration=48.0)
    assert cut[cut.index("-ss") + 1] == "30.000000" and cut[cut.index("-t") + 1] == "48.000000"
    head = cut_args(video, tmp_path / "c.mkv", start=0.0, duration=60.0)
    assert "-ss" not in head and head[head.index("-map") + 1] == "0"  # every stream
    still = still_args(
        video,
        tmp_path / "s.png",
        at=3.5,
        subtitles=Path("/tmp/x/burn.ass"),
        fontsdir=Path("/tmp/x/fonts"),
    )
    graph = still[still.index("-filter_complex") + 1]
    assert graph == "[0:v]subtitles=filename=/tmp/x/burn.ass:fontsdir=/tmp/x/fonts[s0]"
    assert still[0] == "-copyts"
    assert os.fspath(video) not in graph
