"""Music-like sound: what a documentary's score puts under (and between) the dialogue.

Audio sync must not take music for speech, so its test media carry a score that is hard in
the ways real music is: harmonic tones (a chord pad, a bass line, a melody with a little
vibrato) and a drum kit whose hi-hat, on eighth notes, pulses at the same 4 Hz as syllables.
What music keeps and speech does not: each note holds a steady pitch and harmonic series
for a beat or a bar, and the rhythm is exactly periodic.

Everything is seeded, so a film made from the same arguments is always the same film.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from screenkit.media.atomic import atomic_output
from screenkit.media.binaries import FFmpeg
from screenkit.media.runner import output_arg, run_ffmpeg
from screenkit.sample.film import write_wav
from screenkit.sample.speech import Audio
from screenkit.tempdirs import scratch_dir

_PROGRESSIONS = ((0, 7, 9, 5), (0, 5, 7, 0), (9, 5, 0, 7))
"""Chord roots in semitones above the key: I-V-vi-IV and friends."""
_MAJOR = (0, 2, 4, 5, 7, 9, 11)


def _hz(semitones: float, base: float) -> float:
    return float(base * 2.0 ** (semitones / 12.0))


def _tone(
    freq: float, n: int, rate: int, *, harmonics: int, tilt: float, vibrato: float = 0.0
) -> npt.NDArray[np.float64]:
    """A steady harmonic tone: partials at k·freq with amplitude k**-tilt."""
    t = np.arange(n) / rate
    wobble = 1.0 + vibrato * np.sin(2 * np.pi * 5.5 * t)
    phase = 2 * np.pi * np.cumsum(freq * wobble) / rate
    out = np.zeros(n)
    for k in range(1, harmonics + 1):
        if k * freq * (1 + vibrato) >= rate / 2 - 200:
            break
        out += np.sin(k * phase) / k**tilt
    return out


def _envelope(n: int, rate: int, attack: float, release: float) -> npt.NDArray[np.float64]:
    env = np.ones(n)
    a = min(n, max(1, int(attack * rate)))
    r = min(n - a, max(1, int(release * rate)))
    env[:a] = np.linspace(0.0, 1.0, a)
    if r > 0:
        env[n - r :] = np.linspace(1.0, 0.0, r)
    return env


def _add(out: npt.NDArray[np.float64], at: int, sound: npt.NDArray[np.float64]) -> None:
    end = min(len(out), at + len(sound))
    if end > at:
        out[at:end] += sound[: end - at]


def _drums(out: npt.NDArray[np.float64], rng: np.random.Generator, rate: int, beat: float) -> None:
    """Kick on beats 1 and 3, snare on 2 and 4, hi-hat on every eighth note."""
    n_beats = int(len(out) / rate / beat)
    kick_n, snare_n, hat_n = int(0.25 * rate), int(0.18 * rate), int(0.05 * rate)
    tk = np.arange(kick_n) / rate
    kick = np.sin(2 * np.pi * np.cumsum(50 + 90 * np.exp(-tk * 30)) / rate) * np.exp(-tk * 12)
    for b in range(n_beats):
        at = int(b * beat * rate)
        if b % 2 == 0:
            _add(out, at, 0.9 * kick)
        else:
            noise = rng.standard_normal(snare_n) * np.exp(-np.arange(snare_n) / rate * 25)
            _add(out, at, 0.35 * noise)
        for half in (0, 1):
            hat = np.diff(rng.standard_normal(hat_n + 1)) * np.exp(-np.arange(hat_n) / rate * 80)
            _add(out, at + int(half * beat / 2 * rate), 0.12 * hat)


def music_like(duration: float, *, rate: int = 48000, seed: int = 0, bpm: float = 112.0) -> Audio:
    """Mono float32 music of ``duration`` seconds, peak-normalised to 1.

    A chord pad (one chord a bar), a bass note a beat, a melody of eighth and quarter notes
    from the major scale with 5.5 Hz vibrato, and drums.
    """
    rng = np.random.default_rng(seed)
    total = round(duration * rate)
    out = np.zeros(total)
    beat = 60.0 / bpm
    bar = 4 * beat
    key = float(rng.uniform(-4, 4))
    progression = _PROGRESSIONS[int(rng.integers(len(_PROGRESSIONS)))]
    bar_n = int(bar * rate)
    for b in range(int(np.ceil(duration / bar))):
        root = progression[b % len(progression)]
        at = b * bar_n
        third = 3 if root == 9 else 4
        pad = sum(
            _tone(_hz(key + root + step, 220.0), bar_n, rate, harmonics=10, tilt=1.3)
            for step in (0, third, 7)
        )
        _add(out, at, 0.22 * pad * _envelope(bar_n, rate, 0.08, 0.15))
        for q in range(4):  # bass: the root, one a beat
            n = int(beat * rate)
            bass = _tone(_hz(key + root, 55.0), n, rate, harmonics=6, tilt=1.0)
            _add(out, at + q * n, 0.35 * bass * _envelope(n, rate, 0.01, 0.2))
        t = 0.0
        while t < bar - 1e-6:  # melody
            length = beat if rng.random() < 0.4 else beat / 2
            n = int(length * rate)
            degree = _MAJOR[int(rng.integers(len(_MAJOR)))]
            tone = _tone(
                _hz(key + degree + 12, 220.0), n, rate, harmonics=8, tilt=1.1, vibrato=0.004
            )
            _add(out, at + int(t * rate), 0.3 * tone * _envelope(n, rate, 0.02, 0.06))
            t += length
    _drums(out, rng, rate, beat)
    peak = float(np.max(np.abs(out))) or 1.0
    return (out / peak).astype(np.float32)


def rms(audio: Audio, spans: Sequence[tuple[float, float]] = (), *, rate: int = 48000) -> float:
    """Root mean square of ``audio``, inside ``spans`` only when given."""
    if len(spans) == 0:
        return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
    parts = [audio[int(a * rate) : int(b * rate)] for a, b in spans]
    joined = np.concatenate([p for p in parts if len(p)] or [np.zeros(1, np.float32)])
    return float(np.sqrt(np.mean(np.square(joined, dtype=np.float64))))


def score_under(
    dialogue: Audio,
    spans: Sequence[tuple[float, float]],
    *,
    rate: int = 48000,
    seed: int = 0,
    gain_db: float = 0.0,
    loud: Sequence[tuple[float, float]] = (),
    loud_gain_db: float = 6.0,
) -> Audio:
    """``dialogue`` with a score mixed under it.

    The score's RMS is ``gain_db`` relative to the dialogue's RMS inside ``spans`` (0 dB: as
    loud as the voices), raised by ``loud_gain_db`` inside the ``loud`` stretches (a
    music-only scene). The mix is scaled down only if it would clip.
    """
    duration = len(dialogue) / rate
    music = music_like(duration, rate=rate, seed=seed + 100).astype(np.float64)
    music *= rms(dialogue, spans, rate=rate) / (rms(music.astype(np.float32)) or 1.0)
    music *= 10 ** (gain_db / 20)
    for a, b in loud:
        music[int(a * rate) : int(b * rate)] *= 10 ** (loud_gain_db / 20)
    mix = dialogue.astype(np.float64) + music
    peak = float(np.max(np.abs(mix)))
    if peak > 0.99:
        mix *= 0.99 / peak
    return mix.astype(np.float32)


def dialogue_spans(
    duration: float,
    *,
    seed: int = 0,
    quiet: Sequence[tuple[float, float]] = (),
    lengths: tuple[float, float] = (0.8, 5.5),
    gaps: tuple[float, float] = (0.3, 4.0),
) -> list[tuple[float, float]]:
    """Lines of dialogue of ``lengths`` seconds with ``gaps`` between, none inside ``quiet``."""
    rng = np.random.default_rng(seed)
    t, out = 1.0, []
    while t < duration - 3.0:
        inside = [b for a, b in quiet if a <= t < b]
        if inside:
            t = max(inside)
            continue
        length = float(rng.uniform(*lengths))
        if t + length > duration - 1.0:
            break
        if not any(t < b and t + length > a for a, b in quiet):
            out.append((round(t, 3), round(t + length, 3)))
        t += length + float(rng.uniform(*gaps))
    return out


def scored_dialogue(
    spans: Sequence[tuple[float, float]],
    duration: float,
    *,
    rate: int = 48000,
    seed: int = 0,
    gain_db: float | None = 0.0,
    loud: Sequence[tuple[float, float]] = (),
) -> Audio:
    """Speech-like lines in ``spans`` over room tone, with a score (``gain_db`` None: none)."""
    from screenkit.sample.speech import room_tone, speech_like

    dialogue = speech_like(spans, duration, rate=rate, seed=seed) + room_tone(
        duration, rate=rate, seed=seed + 1
    )
    if gain_db is None:
        return dialogue
    return score_under(dialogue, spans, rate=rate, seed=seed, gain_db=gain_db, loud=loud)


def recut(
    audio: Audio,
    *,
    rate: int = 48000,
    remove: tuple[float, float] | None = None,
    insert: tuple[float, float, float] | None = None,
) -> Audio:
    """Another cut of the film: ``remove`` (a, b) drops that scene; ``insert`` (at, a, b)
    puts a copy of (a, b) at ``at`` (times in the original cut, seconds)."""
    out = audio
    if insert is not None:
        at, a, b = (round(x * rate) for x in insert)
        out = np.concatenate([out[:at], audio[a:b], out[at:]])
    if remove is not None:
        a, b = round(remove[0] * rate), round(remove[1] * rate)
        out = np.concatenate([out[:a], out[b:]])
    return out


def write_media(
    out: Path,
    audio: Audio,
    *,
    rate: int = 48000,
    picture: tuple[int, int, int] | None = (320, 180, 25),
    audio_codec: Sequence[str] = ("aac", "-b:a", "160k"),
    ffmpeg: FFmpeg | None = None,
) -> Path:
    """Write ``audio`` (mono) as a film, or as sound only when ``picture`` is None, atomically.

    ``picture`` is (width, height, fps) of a test pattern, H.264 ultrafast. A lossy codec
    delays the sound a little (AAC: 1024 samples of priming): what is then true is what the
    decoder hands out, so truth for a sync test is best measured on the written file, or
    the sound kept as PCM (``audio_codec=("pcm_s16le",)``).
    """
    duration = len(audio) / rate
    with scratch_dir("sample-") as tmp:
        wav = write_wav(Path(tmp) / "sound.wav", audio, rate=rate, channels=2)
        args: list[str] = []
        if picture is not None:
            width, height, fps = picture
            size = f"{width}x{height}"
            args += ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}:duration={duration}"]
        args += ["-i", str(wav)]
        if picture is not None:
            args += ["-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast"]
            args += ["-pix_fmt", "yuv420p", "-g", str(picture[2] * 2)]
        args += ["-c:a", *audio_codec, "-t", f"{duration}"]
        with atomic_output(out) as part:
            run_ffmpeg([*args, output_arg(part)], ffmpeg=ffmpeg, what=f"writing {out.name}")
    return out
