"""Where a film's sound is speech: one figure per 10 ms, read from ffmpeg as a stream.

Two detectors, because a documentary's score is as loud as its voices:

- webrtcvad (the ``webrtcvad-wheels`` package) decides speech-or-not per 10 ms frame. It is
  crisp at the edges of speech over silence, but it takes music for speech.
- ``tonal change``: the energy in spectral peaks that are *not held steady*. A note of music
  keeps its pitch and harmonic series for a beat or a bar (a horizontal line in the
  spectrogram); a drum hit is broadband (a vertical line); a voice glides in pitch and moves
  its formants from syllable to syllable, so its harmonics neither hold nor spread. Per
  10 ms frame: the log-spectrum's excess over both the steadiest level the cell held for
  90 ms (before or after) and its neighbourhood across frequency, counted only in cells 10 dB
  above the recording's quiet level, averaged over the speech band (250-3500 Hz). Silence,
  room tone, sustained music and drums score near zero; speech, alone or over music, scores.

The audio is decoded by ffmpeg to 16 kHz mono 16-bit PCM on a pipe and processed in blocks
of 10 s; only the per-frame figures are kept (a few bytes per 10 ms), so memory stays flat
however long the film.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from screenkit.errors import FFmpegFailed, InputError
from screenkit.media.binaries import FFmpeg
from screenkit.media.probe import probe
from screenkit.media.runner import safe_input, stream_ffmpeg
from screenkit.progress import Progress, ProgressCallback

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

RATE = 16000
FRAME = 160  # samples per 10 ms frame at RATE
FRAME_S = FRAME / RATE
BLOCK = 1000  # frames processed at once (10 s)
HOLD = 9  # frames a steady cell must hold (90 ms, one side)
MARGIN = HOLD  # frames of context each side of a block
WINDOW = 256  # FFT size at 8 kHz (32 ms)
HALF = WINDOW  # half a window, in 16 kHz samples
BAND = (250.0, 3500.0)
LOUD_NATS = 2.3  # 10 dB above the quiet level
QUIET_SHARE = 0.3  # the quietest 30 % of a block's frames define its quiet level
SPREAD_BINS = 9  # the neighbourhood across frequency (≈ 280 Hz)
VAD_MODE = 2


@dataclass(frozen=True)
class SpeechActivity:
    """Per 10 ms frame of a film's audio: frame ``i`` covers [i·10 ms, (i+1)·10 ms)."""

    tonal_change: FloatArray
    """The speech evidence described in the module docstring (0 for silence and music)."""
    vad: BoolArray
    """webrtcvad's decision: speech or music or noise, not silence."""
    duration: float
    """Seconds of audio decoded."""

    @property
    def frames(self) -> int:
        return len(self.tonal_change)


def decode_args(film: Path, stream: int = 0) -> list[str]:
    """ffmpeg arguments: the film's ``stream``-th audio stream as 16 kHz mono s16le on stdout."""
    return [
        *safe_input(film),
        "-map",
        f"0:a:{stream}",
        "-vn",
        "-sn",
        "-dn",
        "-ac",
        "1",
        "-ar",
        str(RATE),
        "-f",
        "s16le",
        "pipe:1",
    ]


def _sliding_min(x: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.float32]:
    """``out[i] = min(x[i:i+k])`` along axis 0 (rows past the end repeat the last row).

    By doubling: the minimum over 2, 4, 8 … rows, then the rest, in log2(k) + 1 passes.
    """
    n = len(x)
    padded = np.concatenate([x, np.repeat(x[-1:], k, axis=0)])
    span, out = 1, padded
    while span * 2 <= k:
        out = np.minimum(out[:-span], out[span:])
        span *= 2
    if span < k:
        out = np.minimum(out[:n], out[k - span : k - span + n])
    return np.ascontiguousarray(out[:n])


def _spread_mean(x: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.float32]:
    """Mean over ``k`` neighbouring columns (edges repeated)."""
    padded = np.pad(x, ((0, 0), (k // 2 + 1, k - k // 2 - 1)), mode="edge")
    c = np.cumsum(padded, axis=1)
    return np.asarray((c[:, k:] - c[:, :-k]) / k)


class _Spectra:
    """The short-time power spectrum at 8 kHz, one row per 10 ms frame."""

    def __init__(self) -> None:
        self.window = np.hanning(WINDOW)
        freqs = np.fft.rfftfreq(WINDOW, 2.0 / RATE)
        self.band = (freqs >= BAND[0]) & (freqs <= BAND[1])

    def __call__(self, x16: npt.NDArray[np.float64], frames: int) -> npt.NDArray[np.float64]:
        """Rows for ``frames`` frames; ``x16`` starts ``HALF`` samples before the first frame."""
        x8 = 0.5 * (x16[0::2] + x16[1::2])
        # frame i's window is centred on its middle: 8 kHz sample 80·i + 40
        first = FRAME // 4 + HALF // 2 - WINDOW // 2
        windows = np.lib.stride_tricks.sliding_window_view(x8[first:], WINDOW)
        segments = windows[:: FRAME // 2][:frames] * self.window  # a view until here
        spectrum = np.fft.rfft(segments, axis=1)[:, self.band]
        return np.asarray(spectrum.real**2 + spectrum.imag**2)


def tonal_change(power: npt.NDArray[np.float64], margin: int) -> npt.NDArray[np.float32]:
    """Per-frame speech evidence from band power rows; ``margin`` context rows each side."""
    level = np.log(power.astype(np.float32) + np.float32(1e-12))
    forward = _sliding_min(level, HOLD)  # steady from this frame on
    backward = np.empty_like(forward)
    backward[HOLD - 1 :] = forward[: len(forward) - HOLD + 1]  # steady up to this frame
    backward[: HOLD - 1] = forward[: HOLD - 1]
    expected = np.maximum(np.maximum(forward, backward), _spread_mean(level, SPREAD_BINS))
    core = slice(margin, len(level) - margin)
    energy = power[core].sum(axis=1)
    quiet = energy <= np.quantile(energy, QUIET_SHARE)
    floor = np.log(power[core][quiet].mean(axis=0) + 1e-12).astype(np.float32)
    lvl = level[core]
    excess = np.maximum(lvl - expected[core], 0.0) * (lvl > floor + LOUD_NATS)
    return np.asarray(excess.mean(axis=1), dtype=np.float32)


class ActivityReader:
    """Turns 16 kHz mono s16le bytes, fed in any pieces, into per-frame figures."""

    def __init__(self) -> None:
        import webrtcvad

        self._vad = webrtcvad.Vad(VAD_MODE)
        self._spectra = _Spectra()
        self._buf = np.zeros(MARGIN * FRAME + HALF, dtype=np.int16)  # silence before t=0
        self._buf_start = -(MARGIN * FRAME + HALF)  # sample index of _buf[0]
        self._odd = b""
        self._next = 0  # first frame not yet processed
        self._scores: list[FloatArray] = []
        self._vads: list[BoolArray] = []
        self.samples = 0

    def feed(self, data: bytes) -> None:
        data = self._odd + data
        if len(data) % 2:
            self._odd, data = data[-1:], data[:-1]
        else:
            self._odd = b""
        if not data:
            return
        self._buf = np.concatenate([self._buf, np.frombuffer(data, dtype="<i2")])
        self.samples += len(data) // 2
        while self._have(self._next + BLOCK):
            self._block(BLOCK)

    def finish(self) -> SpeechActivity:
        total = self.samples // FRAME
        tail = (total + MARGIN) * FRAME + HALF + WINDOW - (self._buf_start + len(self._buf))
        if tail > 0:
            self._buf = np.concatenate([self._buf, np.zeros(tail, dtype=np.int16)])
        while self._next < total:
            self._block(min(BLOCK, total - self._next))
        score = np.concatenate(self._scores) if self._scores else np.zeros(0, np.float32)
        vad = np.concatenate(self._vads) if self._vads else np.zeros(0, np.bool_)
        return SpeechActivity(tonal_change=score, vad=vad, duration=self.samples / RATE)

    def _have(self, end_frame: int) -> bool:
        return self._buf_start + len(self._buf) >= (end_frame + MARGIN) * FRAME + HALF + WINDOW

    def _block(self, frames: int) -> None:
        first = self._next
        lo = (first - MARGIN) * FRAME - HALF - self._buf_start
        hi = lo + (frames + 2 * MARGIN) * FRAME + 2 * HALF + WINDOW
        x = self._buf[lo:hi].astype(np.float64) / 32768.0
        power = self._spectra(x, frames + 2 * MARGIN)
        self._scores.append(tonal_change(power, MARGIN))
        pcm = self._buf[lo + MARGIN * FRAME + HALF :][: frames * FRAME].tobytes()
        self._vads.append(
            np.fromiter(
                (
                    self._vad.is_speech(pcm[i : i + 2 * FRAME], RATE)
                    for i in range(0, len(pcm), 2 * FRAME)
                ),
                dtype=np.bool_,
                count=frames,
            )
        )
        self._next = first + frames
        keep_from = (self._next - MARGIN) * FRAME - HALF - self._buf_start
        self._buf = self._buf[keep_from:]
        self._buf_start += keep_from


def activity_from_pcm(chunks: Iterable[bytes]) -> SpeechActivity:
    """The figures for raw 16 kHz mono s16le audio (for tests and for piped input)."""
    reader = ActivityReader()
    for chunk in chunks:
        reader.feed(chunk)
    return reader.finish()


_END = object()
QUEUE_CHUNKS = 64  # at most 4 MB of PCM waiting: memory stays flat


def _pump(chunks: Iterator[bytes], out: queue.Queue[object], stop: threading.Event) -> None:
    """Move ffmpeg's output into ``out`` (its own thread, so decoding never waits for us)."""

    def put(item: object) -> None:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    try:
        for chunk in chunks:
            put(chunk)
            if stop.is_set():
                break
        put(_END)
    except BaseException as exc:  # noqa: BLE001 - handed to the reading thread, re-raised there
        put(exc)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # stops ffmpeg if it is still running


def read_concurrently(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks``, produced in a helper thread so that producing and consuming overlap."""
    out: queue.Queue[object] = queue.Queue(maxsize=QUEUE_CHUNKS)
    stop = threading.Event()
    worker = threading.Thread(target=_pump, args=(chunks, out, stop), daemon=True)
    worker.start()
    try:
        while True:
            item = out.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, bytes)
            yield item
    finally:
        stop.set()
        worker.join(timeout=10)


def speech_activity(
    film: Path | str,
    *,
    stream: int = 0,
    ffmpeg: FFmpeg | None = None,
    progress: ProgressCallback | None = None,
) -> SpeechActivity:
    """Decode ``film``'s audio and measure it, frame by frame, without holding the audio.

    The film is probed first only when someone watches the progress (for its total); a
    film ffmpeg cannot decode is probed afterwards, to say what is wrong with it.
    """
    film = Path(film)
    if not film.is_file():
        raise InputError(
            f"{film}: no such file" if not film.exists() else f"{film} is not a file", path=film
        )
    total = probe(film).duration if progress is not None else None
    reader = ActivityReader()
    step = "listening to the film"
    reported = 0.0
    pcm = stream_ffmpeg(decode_args(film, stream), ffmpeg=ffmpeg, what=f"decoding {film.name}")
    try:
        for chunk in read_concurrently(pcm):
            reader.feed(chunk)
            done = reader.samples / RATE
            if progress is not None and done - reported >= 5.0:
                reported = done
                progress(Progress(step=step, done=done, total=total))
    except FFmpegFailed:
        _explain(film, stream)
        raise
    result = reader.finish()
    if progress is not None:
        progress(Progress(step=step, done=result.duration, total=total or result.duration))
    if result.frames == 0:
        raise InputError(f"{film}: its audio stream is empty", path=film)
    return result


def _explain(film: Path, stream: int) -> None:
    """Raise the clear error for a film ffmpeg could not decode, if there is one."""
    info = probe(film)  # raises ProbeError naming the file when it is not media at all
    if len(info.audio) <= stream:
        raise InputError(
            f"{film} has no audio stream" + (f" #{stream + 1}" if stream else ""),
            path=film,
            hint="audio sync listens to the film; use --reference with a timed track instead",
        )
