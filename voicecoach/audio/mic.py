"""The microphone through sounddevice: capture at the device's rate, resample to 16 kHz, queue frames."""

from __future__ import annotations

import contextlib
import math
import queue
import time
from typing import Any

import numpy as np

from voicecoach.audio.echo import PlaybackClock
from voicecoach.config import TurnOptions
from voicecoach.errors import DeviceError
from voicecoach.ports import AudioArray

SAMPLE_RATE_HZ = 16000
BLOCK_S = 0.032
STALL_S = 2.0  # no frame for this long from a running stream means the device is gone
MAX_QUEUED_BLOCKS = round(120 / BLOCK_S)  # 2 minutes of backlog; beyond that frames are dropped and counted
OPTIONS_HINT = (
    "or practise without a microphone: `--answers FOLDER_OF_WAVS`, `--answers-text FILE`, "
    "or `--input-device file:ANSWER.wav`"
)


def _sounddevice() -> Any:
    """Import sounddevice, turning a missing PortAudio into a DeviceError that says the fix."""
    try:
        import sounddevice
    except OSError as e:  # sounddevice raises OSError when libportaudio is not installed
        raise DeviceError(
            f"PortAudio is not installed ({e}). On Debian/Ubuntu: `sudo apt-get install libportaudio2`; "
            f"on macOS: `brew install portaudio`; {OPTIONS_HINT}"
        ) from e
    return sounddevice


def list_devices() -> list[dict[str, Any]]:
    """Every audio device: index, name, input/output channels, default rate, and which is the default input."""
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        default_in = sd.default.device[0]
    except sd.PortAudioError as e:
        raise DeviceError(f"PortAudio cannot list audio devices ({e}); check your sound system, {OPTIONS_HINT}") from e
    return [
        {
            "index": int(d["index"]),
            "name": str(d["name"]),
            "max_input_channels": int(d["max_input_channels"]),
            "max_output_channels": int(d["max_output_channels"]),
            "default_samplerate": float(d["default_samplerate"]),
            "default_input": int(d["index"]) == default_in,
        }
        for d in devices
    ]


def resolve_device(spec: str | int | None) -> int | None:
    """An input device index from an index or (part of) a name; None means the system default."""
    if spec is None or spec == "":
        return None
    if isinstance(spec, int) or str(spec).strip().isdigit():
        index = int(spec)
        inputs = [d for d in list_devices() if d["max_input_channels"] > 0]
        if any(d["index"] == index for d in inputs):
            return index
        raise DeviceError(f"No input device with index {index}. {_device_list(inputs)}")
    inputs = [d for d in list_devices() if d["max_input_channels"] > 0]
    wanted = str(spec).lower()
    exact = [d for d in inputs if d["name"].lower() == wanted]
    matches = exact or [d for d in inputs if wanted in d["name"].lower()]
    if len(matches) == 1:
        return int(matches[0]["index"])
    what = "matches" if not matches else "is ambiguous between several devices"
    raise DeviceError(f"--input-device {spec!r} {'no device ' + what if not matches else what}. {_device_list(inputs)}")


def _device_list(inputs: list[dict[str, Any]]) -> str:
    names = "; ".join(f"{d['index']}: {d['name']}" for d in inputs) or "none"
    return f"Input devices: {names}. Pass one with --input-device INDEX|NAME (see `voicecoach devices`), {OPTIONS_HINT}"


class StreamResampler:
    """Block-by-block polyphase resampling, sample-for-sample equal to io.resample on the whole stream.

    Same Kaiser-windowed sinc as io.resample (16 zero crossings, cutoff 0.95 of the lower Nyquist), but
    the filter table is computed once and only the new outputs are computed per block, so a 32 ms
    block costs well under a millisecond; it holds back the filter's look-ahead (about 1 ms).
    """

    def __init__(self, from_hz: int, to_hz: int = SAMPLE_RATE_HZ) -> None:
        g = math.gcd(from_hz, to_hz)
        self.from_hz, self.to_hz = from_hz, to_hz
        self.up, self.down = to_hz // g, from_hz // g
        cutoff = min(1.0, self.up / self.down) * 0.95
        self.half = math.ceil(16 / cutoff)
        self._offsets = np.arange(-self.half + 1, self.half + 1)
        dist = self._offsets[None, :] - (np.arange(self.up) / self.up)[:, None]
        arg = np.clip(dist / self.half, -1.0, 1.0)
        window = np.i0(8.6 * np.sqrt(1.0 - arg * arg)) / np.i0(8.6)
        self._table = (cutoff * np.sinc(cutoff * dist) * window).astype(np.float32)
        self.reset()

    def reset(self) -> None:
        """Start a new stream (the samples before it count as zeros, as in io.resample)."""
        self._buf = np.zeros(self.half, dtype=np.float32)
        self._start = -self.half  # absolute input index of _buf[0]
        self._done = 0  # outputs emitted so far

    def push(self, x: AudioArray) -> AudioArray:
        """Feed input samples; returns every output sample whose filter taps are now all known."""
        x = np.asarray(x, dtype=np.float32).reshape(-1)
        if self.up == self.down:
            return x.copy()
        self._buf = np.concatenate([self._buf, x])
        end = self._start + self._buf.size  # absolute input samples known
        last = ((end - 1 - self.half) * self.up) // self.down  # output n needs inputs up to n*down//up + half
        if last < self._done:
            return np.zeros(0, dtype=np.float32)
        n = np.arange(self._done, last + 1, dtype=np.int64)
        base, phase = np.divmod(n * self.down, self.up)
        taps = self._buf[base[:, None] + self._offsets[None, :] - self._start]
        out: AudioArray = np.einsum("ij,ij->i", taps, self._table[phase]).astype(np.float32)
        self._done = last + 1
        keep_from = (self._done * self.down) // self.up - self.half + 1
        if keep_from > self._start:
            self._buf = self._buf[keep_from - self._start :]
            self._start = keep_from
        return out


class SoundDeviceSource:
    """The default (or chosen) microphone; the PortAudio callback only queues frames, never blocks."""

    realtime = True

    def __init__(self, device: str | int | None, options: TurnOptions, echo: PlaybackClock | None = None) -> None:
        self.device = device
        self.options = options
        self.echo = echo
        self._queue: queue.Queue[tuple[float, Any]] = queue.Queue(maxsize=MAX_QUEUED_BLOCKS)
        self._captured = 0.0
        self._stream: Any = None
        self._resampler: StreamResampler | None = None
        self._cutoff = 0.0  # frames captured before this monotonic time are the interviewer's voice
        self._started = False
        self._last_frame = 0.0
        self.rate_hz = 0
        self.overflows = 0

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        if status:
            self.overflows += 1
        try:
            self._queue.put_nowait((time.monotonic(), indata[:, 0].copy()))
        except queue.Full:  # the reader is minutes behind: drop rather than block the audio thread
            self.overflows += 1

    def start(self) -> None:
        """Open the input stream at the device's own rate (idempotent); it starts at the first turn."""
        if self._stream is not None:
            return
        sd = _sounddevice()
        index = resolve_device(self.device)
        try:
            info = sd.query_devices(index, "input")
            self.rate_hz = int(info["default_samplerate"])
            stream = sd.InputStream(
                device=index,
                channels=1,
                samplerate=self.rate_hz,
                dtype="int16",  # what microphones deliver; PortAudio's float path through ALSA's plug lost blocks
                blocksize=max(1, round(self.rate_hz * BLOCK_S)),
                callback=self._callback,
            )
        except (sd.PortAudioError, ValueError) as e:
            raise DeviceError(
                f"No usable microphone ({e}). Plug one in or pick another with --input-device "
                f"(list them with `voicecoach devices`), {OPTIONS_HINT}"
            ) from e
        self._stream = stream
        self._resampler = StreamResampler(self.rate_hz)
        self._last_frame = time.monotonic()

    def begin_turn(self) -> None:
        """Listen from here: frames captured while the interviewer's voice played, plus playback_guard_s, are dropped."""
        self.start()
        if not self._started:  # first turn: start capturing now
            self._started = True
            try:
                self._stream.start()
            except _sounddevice().PortAudioError as e:
                raise DeviceError(f"The microphone could not start ({e}); check it is free, {OPTIONS_HINT}") from e
        played_until = self.echo.until if self.echo is not None else 0.0
        if played_until > 0.0:
            self._cutoff = played_until + self.options.playback_guard_s
            assert self._resampler is not None
            self._resampler.reset()
        self._last_frame = time.monotonic()

    def read(self, timeout_s: float) -> AudioArray | None:
        """The next captured frames at 16 kHz (empty on timeout); DeviceError if the device went away."""
        if not self._started:
            self.begin_turn()
        try:
            self._captured, chunk = self._queue.get(timeout=timeout_s)
        except queue.Empty:
            if not self._stream.active or time.monotonic() - self._last_frame > STALL_S:
                raise DeviceError(
                    f"The microphone stopped delivering audio (unplugged or taken by another program?). "
                    f"Reconnect it and resume the session with `voicecoach resume`, {OPTIONS_HINT}"
                ) from None
            return np.zeros(0, dtype=np.float32)
        self._last_frame = time.monotonic()
        if self._captured < self._cutoff:  # the interviewer's voice (or the guard after it)
            return np.zeros(0, dtype=np.float32)
        assert self._resampler is not None
        return self._resampler.push(chunk.astype(np.float32) / 32768.0)

    def captured_at(self) -> float:
        """Monotonic time at which the last frames returned by read() were captured."""
        return self._captured

    def close(self) -> None:
        """Stop and close the stream (idempotent)."""
        if self._stream is not None:
            sd = _sounddevice()
            with contextlib.suppress(sd.PortAudioError, OSError):  # a vanished device may fail to close
                self._stream.stop()
                self._stream.close()
            self._stream = None
            self._started = False
