"""The ``subs compare --html`` report: self-contained, escaped, in the translator's language,
with the film's frames (real ffmpeg) at the flagged cues."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pysubs2
import pytest
from PIL import Image

from screenkit.errors import SubtitleError
from screenkit.fonts import shipped_font
from screenkit.i18n import translator
from screenkit.subtitles.compare import compare_files
from screenkit.subtitles.compare_frames import frames_for
from screenkit.subtitles.compare_report import render_report, write_report
from screenkit.subtitles.preview import burned_frames

RunCli = Callable[..., tuple[int, str, str]]
DATA = Path(__file__).resolve().parent / "data"

PAIR = DATA / "compare"


def planted_sample(folder: Path) -> Path:
    """The sample kit's Finnish translation with four problems planted."""
    subs = pysubs2.load(str(PAIR / "sample.fi.srt"))
    subs[0].text = "Welcome. Tonight we show a film together."  # left in English
    subs[6].text = r"USB-tikku, läppäri, selain ja vanha DVD-soitin:\Nkokeilkaa kaikki ensin."
    subs[9].text += " ✓"  # a check mark Noto Sans does not have
    del subs[11]  # dropped
    path = folder / "fi.srt"
    subs.save(str(path))
    return path


def test_the_report_is_self_contained_and_escapes_every_text(tmp_path: Path) -> None:
    track = tmp_path / 'a&b"<i>.fi.ass'
    subs = pysubs2.load(str(PAIR / "clean.fi.srt"))
    subs[2].text = "</p><script>alert(1)</script> & <img src=x onerror=alert(2)>"
    subs.save(str(track))
    c = compare_files(PAIR / "en.srt", track)
    page = render_report(c, translator("en"))
    assert "<script" not in page and "<img src=x" not in page and "<i>" not in page
    assert "&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img" in page
    assert "a&amp;b&quot;&lt;i&gt;.fi.ass" in page
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and "default-src &#x27;none&#x27;" in csp.group(1)
    assert "img-src data:" in csp.group(1) and "script-src" not in csp.group(1)
    # nothing to fetch: the only address is the link to the reading norms' source
    assert re.findall(r'(?:src|href)="(?!#|data:)([^"]+)"', page) == [c.norms.url]  # type: ignore[union-attr]


def test_the_report_speaks_the_translation_language_or_english(tmp_path: Path) -> None:
    c = compare_files(PAIR / "en.srt", PAIR / "planted.fi.srt")
    english = write_report(c, tmp_path / "en.html")
    assert english.ui_lang == "en"  # no Finnish catalogue: English
    page = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Missing cue" in page and "What to do:" in page
    assert '<p lang="fi"><span class="ln">Vuonna 1998 tehdas sulki porttinsa.</span></p>' in page
    polish = write_report(c, tmp_path / "pl.html", ui_lang="pl")
    page = (tmp_path / "pl.html").read_text(encoding="utf-8")
    assert polish.ui_lang == "pl" and '<html lang="pl">' in page
    assert "Brak napisu" in page and "Co zrobić:" in page and "fiński" in page
    assert page.count('class="cue ') == 4 and polish.frames == 0
    klingon = write_report(c, tmp_path / "tlh.html", ui_lang="tlh")  # no catalogue: English
    assert klingon.ui_lang == "en" and '<html lang="en">' in (tmp_path / "tlh.html").read_text()
    with pytest.raises(SubtitleError):
        write_report(c, PAIR / "planted.fi.srt")


@pytest.mark.slow
def test_each_flagged_cue_shows_the_film_with_the_translation_burned_in(
    sample_kit: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    fi = planted_sample(sample_kit / "subtitles")
    film = sample_kit / "media" / "film.mkv"
    out = tmp_path / "review.html"
    code, _, err = run_cli(
        "subs", "compare", str(sample_kit / "subtitles" / "en.srt"), str(fi),
        "--film", str(film), "--html", str(out),
    )  # fmt: skip
    assert code == 1 and f"wrote {out}" in err
    page = out.read_text(encoding="utf-8")
    embedded = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', page)
    assert len(embedded) == page.count('class="cue ') == 4
    assert len(page.encode("utf-8")) < 400_000

    c = compare_files(sample_kit / "subtitles" / "en.srt", fi)
    frames = frames_for(c, film)
    assert [base64.b64encode(f).decode() for f in frames.values()] == embedded
    flagged = [(i, p) for i, p in enumerate(c.pairs) if p.problems]
    bare = burned_frames(
        pysubs2.SSAFile(), film, [p.moment for _, p in flagged], (320, 180), [shipped_font()]
    )
    for (i, pair), plain in zip(flagged, bare, strict=True):
        with Image.open(io.BytesIO(frames[i])) as picture:
            assert picture.size == (320, 180)  # the film's own size: smaller than 480
            burned = np.asarray(picture.convert("RGB"), dtype=np.int16)
        # where the subtitle sits (the bottom third) the frame differs only if a cue shows
        difference = np.abs(burned[120:] - plain[120:].astype(np.int16)).mean()
        assert (difference > 8) == bool(pair.translation), (pair, difference)
