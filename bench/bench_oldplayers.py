"""The old-player formats on a 3-minute 720p film: build time and size of a DVD and a DivX AVI.

python -m bench.bench_oldplayers [--rounds N] [--json FILE]

Cases (ratio = ours / bare):
  dvd-pal film     screenkit encode --preset dvd-pal  vs  the command its --dry-run prints
  divx film (it)   screenkit encode --preset divx --burn it.srt  vs  the printed command
  dvd-pal bundle   screenkit build --preset dvd-pal --lang uk, cold (empty cache): film,
                   card VOB, five subpicture streams, dvdauthor, ISO, stills, sheet, poster
                   vs  the bare film encode alone (what any DVD of the film costs at least)
  divx bundle      screenkit build --preset divx --lang it, cold  vs  the bare divx encode
  new appeal       the uk DVD bundle again after the appeal text changed (card VOB,
                   authoring, ISO; the film and its subpictures from the cache)  vs  the
                   bare film encode (what a re-encode would have cost)
Then, timed once in-process: the disc from the film's VOB (`make_dvd`, the library path),
and the sizes of the ISO, the AVI and its sidecar. The kit's tracks (70 s) are tiled to
cover the 3 minutes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pysubs2

from bench.harness import MEDIA_CACHE, Case, cli, media_path, run_case, screenkit_cmd
from screenkit.dvd.build import make_dvd
from screenkit.dvd.card import encode_card_vob
from screenkit.encode import EncodeOptions, SubtitleInput
from screenkit.encode.legacy import burn_format, conform, legacy_format
from screenkit.encode.subs import stage_burn
from screenkit.media.probe import probe
from screenkit.media.runner import output_arg, run_ffmpeg
from screenkit.presets import load_preset
from screenkit.sample.film import render_film
from screenkit.tempdirs import placeholder

REPO = Path(__file__).resolve().parent.parent
LANGS = ("uk", "en", "it", "pl", "de")
MINUTES = 3


def tiled_track(lang: str, folder: Path, seconds: float) -> Path:
    """The kit's track repeated until it covers ``seconds``."""
    track = pysubs2.load(str(REPO / "subtitles" / f"{lang}.srt"))
    span = max(e.end for e in track) + 2000
    out = pysubs2.SSAFile()
    shift = 0
    while shift < seconds * 1000:
        for event in track:
            if event.end + shift < seconds * 1000:
                out.append(pysubs2.SSAEvent(event.start + shift, event.end + shift, event.text))
        shift += span
    path = folder / f"{lang}.srt"
    out.save(str(path))
    return path


def dry_run(args: list[str], staged: Path | None = None) -> list[str]:
    """The printed command; its placeholder work folder replaced by ``staged`` (where the
    burned track and fonts were staged as the real encode stages them)."""
    done = subprocess.run(
        [*screenkit_cmd(*args, "--dry-run")], capture_output=True, text=True, check=True
    )
    lines = [shlex.split(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    if staged is None:
        return lines[0]
    shown = re.escape(str(placeholder("encode")))
    return [re.sub(shown, str(staged), w) for w in lines[0]]


def stage_for_bare(film: Path, track: SubtitleInput, folder: Path) -> Path:
    preset = load_preset("divx")
    fmt = legacy_format(probe(film), preset, EncodeOptions(burn=track))
    folder.mkdir(parents=True, exist_ok=True)
    stage_burn(track, preset, burn_format(fmt, preset), folder, ())
    return folder


def bundle_kit(film: Path, tracks: list[SubtitleInput], dest: Path) -> Path:
    """The sample kit with the 3-minute film as its master and the tiled tracks."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copyfile(REPO / "screenkit.toml", dest / "screenkit.toml")
    shutil.copytree(REPO / "appeal", dest / "appeal")
    (dest / "subtitles").mkdir()
    for track in tracks:
        shutil.copyfile(track.path, dest / "subtitles" / f"{track.lang}.srt")
    (dest / "media").mkdir()
    os.link(film, dest / "media" / "film.mkv")
    return dest


def mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:8.1f} MB"


def main() -> None:
    options = cli(__doc__ or "")
    seconds = MINUTES * 60.0
    film = media_path(f"film-{MINUTES}min-720p.mkv")
    if not film.exists():
        render_film(film, spans=[(t, t + 3.0) for t in range(2, int(seconds) - 3, 5)],
                    duration=seconds)  # fmt: skip
    work = MEDIA_CACHE / "oldplayers-bench"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    os.environ["SCREENKIT_CACHE_DIR"] = str(work / "cache")
    os.chdir(work)
    tracks = [SubtitleInput(tiled_track(lang, work, seconds), lang) for lang in LANGS]
    vob, avi = work / "film.mpg", work / "Film (it, divx).avi"
    dvd_args = ["encode", str(film), "--preset", "dvd-pal", "-o", str(vob), "--quiet"]
    divx_args = ["encode", str(film), "--preset", "divx", "-o", str(avi), "--quiet",
                 "--burn", str(tracks[2].path)]  # fmt: skip
    subprocess.run(screenkit_cmd(*dvd_args), check=True)  # caches the loudness measurement
    cases = [
        Case("dvd-pal film (3 min)", [screenkit_cmd(*dvd_args)], [dry_run(dvd_args)],
             lambda: vob.unlink(missing_ok=True)),
        Case("divx film, it burned (3 min)", [screenkit_cmd(*divx_args)],
             [dry_run(divx_args, stage_for_bare(film, tracks[2], work / "stage"))],
             lambda: avi.unlink(missing_ok=True)),
    ]  # fmt: skip
    kit = bundle_kit(film, tracks, work / "kit")
    dvd_build = ["build", "--kit", str(kit), "--preset", "dvd-pal", "--lang", "uk", "--quiet"]
    divx_build = ["build", "--kit", str(kit), "--preset", "divx", "--lang", "it", "--quiet"]

    def cold() -> None:
        shutil.rmtree(kit / ".screenkit", ignore_errors=True)
        shutil.rmtree(kit / "out", ignore_errors=True)

    appeal = kit / "appeal" / "uk.txt"
    texts = iter(range(1_000_000))

    def new_appeal() -> None:
        appeal.write_text(f"Новий заклик {next(texts)}: дах треба полагодити.\n", "utf-8")

    cases += [
        Case("dvd-pal bundle uk, cold (3 min)", [screenkit_cmd(*dvd_build)], [dry_run(dvd_args)],
             cold),
        Case("divx bundle it, cold (3 min)", [screenkit_cmd(*divx_build)],
             [dry_run(divx_args, stage_for_bare(film, tracks[2], work / "stage"))], cold),
    ]  # fmt: skip
    for case in cases:
        print(run_case(case, rounds=options.rounds, warmup=0).line(), flush=True)
    subprocess.run(screenkit_cmd(*dvd_build), check=True)  # warm: the film and subpictures
    rebuild = Case("dvd-pal new appeal (3 min)", [screenkit_cmd(*dvd_build)], [dry_run(dvd_args)],
                   new_appeal)  # fmt: skip
    print(run_case(rebuild, rounds=options.rounds, warmup=0).line(), flush=True)
    for folder in sorted((kit / "out").iterdir()):
        sizes = {p.name: p.stat().st_size for p in folder.rglob("*") if p.is_file()}
        print(f"{folder.name:<32} {sum(sizes.values()) / 1e6:8.1f} MB in {len(sizes)} files")

    preset = load_preset("dvd-pal")
    info = probe(film)
    fmt = legacy_format(info, preset, EncodeOptions())
    card_png = work / "card.png"
    run_ffmpeg(["-f", "lavfi", "-i", "color=c=0x203040:s=1280x720", "-frames:v", "1",
                output_arg(card_png)])  # fmt: skip
    started = time.monotonic()
    card = encode_card_vob(card_png, 10.0, preset, fmt, work / "card.mpg")
    card_s = time.monotonic() - started
    assert info.video is not None
    disc = make_dvd(
        film=vob, card=card, outro=None, tracks=tracks, screening_lang="uk", preset=preset,
        fmt=fmt, out_dir=work / "bundle", title="Film (uk, dvd-pal)", audio_lang="en",
        speed=conform(info.video, preset).speed,
    )  # fmt: skip
    disc_s = time.monotonic() - started - card_s
    print(f"{'card VOB (10 s)':<32} {card_s:8.2f} s")
    print(f"{'disc: 5 subpicture streams + author + ISO':<44} {disc_s:8.2f} s")
    print(f"{'dvd-pal film VOB':<32} {mb(vob)}")
    print(f"{'dvd-pal ISO':<32} {mb(disc.iso)}  ({disc.fit.disc})")
    print(f"{'divx AVI':<32} {mb(avi)}   sidecar {avi.with_suffix('.srt').stat().st_size} B")


if __name__ == "__main__":
    main()
