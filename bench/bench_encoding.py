"""Legacy code pages read with no hint: the language x code page table (issue 9 item 3).

python -m bench.bench_encoding [--short]

Each test paragraph (tests/subtitles/legacy_texts.py: 15 languages, 3-5 sentences each) is
written as an SRT in every code page its language is kept in and read back by screenkit with
no language given. A cell is right when the text comes back as written; flagged when the
reader names another plausible code page (what `subs check` and `subs convert` then show).
``margin`` is how much likelier (natural log) the chosen reading is than the next different
one. ``--short`` does the same with each paragraph's first sentence only (harder, shown for
information: the acceptance is on the paragraphs). Times are medians of 5 reads.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "subtitles"))

from legacy_texts import CODE_PAGES, as_srt, text_for

from screenkit.subtitles.encoding import decode_bytes, letter_choice

_FOLD = str.maketrans("şţŞŢ", "șțȘȚ")


def main() -> None:
    short = "--short" in sys.argv[1:]
    decode_bytes(b"warm up the letter models: \xe8")
    rows = []
    for lang, pages in CODE_PAGES.items():
        for codec in pages:
            text = text_for(lang, codec)
            if short:
                text = text.split(". ")[0].rstrip(".") + "."
            srt = as_srt(text)
            data = srt.encode(codec)
            times = []
            for _ in range(5):
                started = time.perf_counter()
                found = decode_bytes(data)
                times.append(time.perf_counter() - started)
            choice = letter_choice(data)
            right = found.text.translate(_FOLD) == srt.translate(_FOLD)
            also = ", ".join(f"{c} ({lang_})" for c, lang_ in found.alternatives) or "-"
            if choice is None:
                margin = "      -"
            elif choice.margin == float("inf"):
                margin = "    >40"  # every other reading fell behind on the sample
            else:
                margin = f"{choice.margin:7.1f}"
            rows.append(
                (
                    lang,
                    codec,
                    found.codec,
                    found.reads_as or "-",
                    right,
                    also,
                    margin,
                    statistics.median(times) * 1000,
                )
            )
    print(
        f"{'lang':4} {'written in':11} {'read as':11} {'letters':7} {'result':8} {'margin':>7} "
        f"{'ms':>5}  also plausible"
    )
    for lang, codec, read, reads_as, right, also, margin, ms in rows:
        result = "right" if right else ("FLAGGED" if also != "-" else "WRONG")
        print(f"{lang:4} {codec:11} {read:11} {reads_as:7} {result:8} {margin} {ms:5.1f}  {also}")
    n = len(rows)
    right_n = sum(1 for r in rows if r[4])
    wrong_flagged = sum(1 for r in rows if not r[4] and r[5] != "-")
    silent = n - right_n - wrong_flagged
    flagged_right = sum(1 for r in rows if r[4] and r[5] != "-")
    print(
        f"\n{n} cells ({len(CODE_PAGES)} languages): {right_n} right ({100 * right_n / n:.1f} %), "
        f"{wrong_flagged} wrong but flagged, {silent} silently wrong; "
        f"{flagged_right} right and flagged; "
        f"median read {statistics.median(r[7] for r in rows):.1f} ms"
    )


if __name__ == "__main__":
    main()
