"""Audio files in and out: decode any common format to 16 kHz mono, resample, write crash-safe WAVs."""

from __future__ import annotations

import math
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from voicecoach.errors import AudioError
from voicecoach.ports import AudioArray

SAMPLE_RATE_HZ = 16000
_HEADER_BYTES = 44
_FSYNC_EVERY_S = 0.5  # fsync at most this often (in audio time); the header is flushed on every write
_CONVERT_HINT = (
    "convert it with e.g. `ffmpeg -i INPUT -ar 16000 -ac 1 out.wav` (or `sox INPUT -r 16000 -c 1 out.wav`), "
    "or record it again"
)


def _open_container(path: Path) -> Any:
    """Open path with PyAV, turning every failure into an AudioError that names the file."""
    import av

    path = Path(path)
    if not path.exists():
        raise AudioError(f"{path}: no such audio file; check the path")
    if path.is_dir():
        raise AudioError(f"{path}: is a folder, not an audio file; pass a WAV/FLAC/MP3/OGG file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}: the file is empty (0 bytes); record it again or pass another file")
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, OSError, UnicodeDecodeError, ValueError) as e:
        raise AudioError(f"{path}: not a readable audio file ({e}); {_CONVERT_HINT}") from e
    if not container.streams.audio:
        container.close()
        raise AudioError(f"{path}: contains no audio stream; pass a WAV/FLAC/MP3/OGG file")
    return container


def iter_audio_blocks(path: Path, block_s: float = 30.0) -> Iterator[AudioArray]:
    """Decode path block by block (16 kHz mono float32), so memory stays bounded for hours of audio."""
    import av

    block = max(1, round(block_s * SAMPLE_RATE_HZ))
    container = _open_container(path)
    total = 0
    try:
        stream = container.streams.audio[0]
        # keep the channels and average them here: swresample's stereo->mono mix adds them with gain > 1
        resampler = av.AudioResampler(format="fltp", rate=SAMPLE_RATE_HZ)
        pending: list[AudioArray] = []
        pending_n = 0
        try:
            frames = container.decode(stream)
            for frame in _with_flush(frames):
                for out in resampler.resample(frame):
                    planes = out.to_ndarray()
                    chunk = np.ascontiguousarray(planes.mean(axis=0) if planes.ndim == 2 else planes, np.float32)
                    pending.append(chunk)
                    pending_n += chunk.size
                while pending_n >= block:
                    joined = np.concatenate(pending)
                    total += block
                    yield joined[:block]
                    rest = joined[block:]
                    pending, pending_n = ([rest], rest.size) if rest.size else ([], 0)
        except (av.error.FFmpegError, ValueError) as e:
            raise AudioError(f"{Path(path)}: the audio data is corrupt ({e}); {_CONVERT_HINT}") from e
        if pending_n:
            total += pending_n
            yield np.concatenate(pending)
    finally:
        container.close()
    if total == 0:
        raise AudioError(f"{Path(path)}: contains no audio samples; record it again or pass another file")


def _with_flush(frames: Iterator[Any]) -> Iterator[Any]:
    """The decoded frames followed by None, which flushes the resampler."""
    yield from frames
    yield None


def load_audio(path: Path) -> AudioArray:
    """Decode a whole file (any common format, rate, channels) to 16 kHz mono float32 in [-1, 1]."""
    blocks = list(iter_audio_blocks(path, block_s=60.0))
    audio = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
    return np.clip(audio, -1.0, 1.0).astype(np.float32, copy=False)


def resample(audio: AudioArray, from_hz: int, to_hz: int) -> AudioArray:
    """Band-limited polyphase resampling (Kaiser-windowed sinc, 16 zero crossings) in numpy."""
    x = np.asarray(audio, dtype=np.float32).reshape(-1)
    if from_hz <= 0 or to_hz <= 0:
        raise ValueError(f"sample rates must be positive, got {from_hz} -> {to_hz}")
    if from_hz == to_hz or x.size == 0:
        return x.copy()
    g = math.gcd(int(from_hz), int(to_hz))
    up, down = int(to_hz) // g, int(from_hz) // g
    cutoff = min(1.0, up / down) * 0.95  # a little below the new Nyquist frequency, against aliasing
    half = math.ceil(16 / cutoff)  # kernel half-width in input samples
    offsets = np.arange(-half + 1, half + 1)
    n_out = (x.size * up) // down
    padded = np.concatenate([np.zeros(half, np.float32), x, np.zeros(half + 1, np.float32)])
    table = _kernel(np.arange(up) / up, offsets, cutoff, half) if up <= 4096 else None
    out = np.empty(n_out, dtype=np.float32)
    step = max(1, 1_000_000 // offsets.size)  # bounded memory per chunk
    for start in range(0, n_out, step):
        n = np.arange(start, min(n_out, start + step), dtype=np.int64)
        base, phase = np.divmod(n * down, up)
        kernel = table[phase] if table is not None else _kernel(phase / up, offsets, cutoff, half)
        out[start : start + n.size] = np.einsum("ij,ij->i", padded[base[:, None] + offsets[None, :] + half], kernel)
    return out


def _kernel(
    frac: npt.NDArray[np.float64], offsets: npt.NDArray[np.int64], cutoff: float, half: int
) -> npt.NDArray[np.float32]:
    """Windowed-sinc taps for fractional input positions frac (one row per position)."""
    dist = offsets[None, :] - frac[:, None]
    arg = np.clip(dist / half, -1.0, 1.0)
    beta = 8.6
    window = np.i0(beta * np.sqrt(1.0 - arg * arg)) / np.i0(beta)
    return (cutoff * np.sinc(cutoff * dist) * window).astype(np.float32)


def _pcm16(samples: AudioArray) -> bytes:
    """Float samples to little-endian 16-bit PCM bytes."""
    x = np.clip(np.asarray(samples, dtype=np.float32).reshape(-1), -1.0, 1.0)
    return (np.round(x * 32767.0)).astype("<i2").tobytes()


def _header(sample_rate_hz: int, data_bytes: int) -> bytes:
    """A canonical 44-byte PCM WAV header for mono 16-bit audio."""
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + data_bytes,
        b"WAVE",
        b"fmt ",
        16,
        1,
        1,
        sample_rate_hz,
        sample_rate_hz * 2,
        2,
        16,
        b"data",
        data_bytes,
    )


class WavWriter:
    """Appends mono 16-bit PCM to a WAV that is valid on disk after every write() (mode 0o600).

    Each write() appends the samples, rewrites the RIFF and data sizes in the header and flushes to
    the OS, so a SIGKILL leaves a playable file holding everything up to the last write. fsync (for
    power loss) happens at most every 0.5 s of audio and on close().
    """

    def __init__(self, path: Path, sample_rate_hz: int = SAMPLE_RATE_HZ) -> None:
        self.path = Path(path)
        self.sample_rate_hz = sample_rate_hz
        self._samples = 0
        self._unsynced = 0
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)
        except OSError as e:
            raise AudioError(
                f"{self.path}: cannot create the WAV file ({e}); check the folder exists and is writable"
            ) from e
        self._file = os.fdopen(fd, "wb")
        self._file.write(_header(sample_rate_hz, 0))
        self._file.flush()

    @property
    def samples_written(self) -> int:
        """How many samples are in the file so far."""
        return self._samples

    @property
    def closed(self) -> bool:
        """Whether close() was called."""
        return self._file.closed

    def write(self, samples: AudioArray) -> None:
        """Append samples and leave a valid WAV on disk."""
        if self._file.closed:
            raise AudioError(f"{self.path}: write after close; open a new WavWriter")
        data = _pcm16(samples)
        if not data:
            return
        try:
            self._file.seek(0, os.SEEK_END)
            self._file.write(data)
            self._samples += len(data) // 2
            self._unsynced += len(data) // 2
            self._file.seek(0)
            self._file.write(_header(self.sample_rate_hz, self._samples * 2))
            self._file.flush()
            if self._unsynced >= _FSYNC_EVERY_S * self.sample_rate_hz:
                os.fsync(self._file.fileno())
                self._unsynced = 0
        except OSError as e:
            raise AudioError(f"{self.path}: writing audio failed ({e}); free some disk space and try again") from e

    def close(self) -> None:
        """Flush, fsync and close (idempotent)."""
        if self._file.closed:
            return
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
        finally:
            self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def write_wav(path: Path, audio: AudioArray, sample_rate_hz: int = SAMPLE_RATE_HZ) -> Path:
    """Write mono audio as a 16-bit PCM WAV readable only by the user; returns the path."""
    with WavWriter(Path(path), sample_rate_hz) as w:
        w.write(audio)
    return Path(path)
