"""Speech-like sound: syllables of a voiced, formant-shaped buzz with noisy onsets.

A voice detector tuned to speech ignores pure tones, so the stand-in film's "dialogue" is
made to look like speech to one: a glottal pulse train at a wandering pitch (90-230 Hz),
shaped by three formant bands that change per syllable, at a syllable rate of 4-6 Hz with
word pauses, and a burst of fricative noise before some syllables.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Audio = npt.NDArray[np.float32]

_VOWELS = (
    (700, 1200, 2600),
    (400, 2000, 2700),
    (300, 900, 2300),
    (550, 1700, 2500),
    (500, 1000, 2400),
)


def _formant_gain(
    freqs: npt.NDArray[np.float64], formants: Sequence[int]
) -> npt.NDArray[np.float64]:
    gain = np.zeros_like(freqs)
    for n, centre in enumerate(formants):
        width = 80.0 + 40.0 * n
        gain += (1.0 / (n + 1)) * np.exp(-0.5 * ((freqs - centre) / width) ** 2)
    return gain


def _syllable(rng: np.random.Generator, rate: int, length: float, pitch: float) -> Audio:
    n = int(length * rate)
    t = np.arange(n) / rate
    # pitch glides a little within the syllable, with jitter
    f0 = (
        pitch
        * (1.0 + 0.08 * np.sin(2 * np.pi * rng.uniform(1.5, 3.0) * t))
        * (1 + 0.01 * rng.standard_normal(n))
    )
    phase = np.cumsum(f0) / rate
    pulses = np.diff(np.floor(phase), prepend=0.0)  # one impulse per glottal cycle
    spectrum = np.fft.rfft(pulses)
    freqs = np.fft.rfftfreq(n, 1.0 / rate).astype(np.float64)
    vowel = _VOWELS[int(rng.integers(len(_VOWELS)))]
    shifted = [int(f * rng.uniform(0.9, 1.1)) for f in vowel]
    voiced = np.fft.irfft(spectrum * _formant_gain(freqs, shifted), n)
    envelope = np.sin(np.pi * np.clip(t / length, 0, 1)) ** 0.6
    voiced *= envelope
    if rng.random() < 0.4:  # a fricative onset: high-passed noise, 30-70 ms
        m = min(n, int(rng.uniform(0.03, 0.07) * rate))
        noise = rng.standard_normal(m)
        noise = np.diff(noise, prepend=0.0) * np.hanning(m)
        voiced[:m] += 0.25 * noise * np.max(np.abs(voiced) + 1e-9)
    peak = float(np.max(np.abs(voiced))) or 1.0
    return (voiced / peak).astype(np.float32)


def speech_like(
    spans: Sequence[tuple[float, float]],
    duration: float,
    *,
    rate: int = 48000,
    seed: int = 0,
    level: float = 0.5,
) -> Audio:
    """Mono float32 audio of ``duration`` seconds with speech-like sound inside each span only."""
    rng = np.random.default_rng(seed)
    out = np.zeros(round(duration * rate), dtype=np.float32)
    for start, end in spans:
        t = max(0.0, start)
        end = min(end, duration)
        pitch = rng.uniform(90, 230)
        while t < end - 0.08:
            length = min(rng.uniform(0.12, 0.26), end - t)
            syl = _syllable(rng, rate, length, pitch * rng.uniform(0.92, 1.08))
            i = int(t * rate)
            j = min(len(out), i + len(syl))
            out[i:j] += level * rng.uniform(0.6, 1.0) * syl[: j - i]
            t += length + rng.uniform(0.02, 0.06)
            if rng.random() < 0.2:  # a pause between words
                t += rng.uniform(0.1, 0.25)
    return out


def room_tone(duration: float, *, rate: int = 48000, seed: int = 1, level: float = 0.003) -> Audio:
    """Quiet low-passed noise, so "silence" is not digital zero (as in any real recording)."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(round(duration * rate)).astype(np.float32)
    kernel = np.ones(24, dtype=np.float32) / 24
    return (np.convolve(noise, kernel, mode="same") * level * 5).astype(np.float32)


def to_pcm16(audio: Audio, channels: int = 1) -> bytes:
    """Interleaved little-endian 16-bit PCM, ``audio`` copied into every channel."""
    clipped = np.clip(audio, -1.0, 1.0)
    pcm = (clipped * 32767).astype("<i2")
    if channels > 1:
        pcm = np.repeat(pcm[:, None], channels, axis=1).reshape(-1)
    return pcm.tobytes()
