"""Streaming Silero VAD: the ONNX model faster-whisper ships, one 32 ms window at a time, state carried."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from voicecoach.errors import ModelNotAvailableError
from voicecoach.ports import AudioArray

SAMPLE_RATE_HZ = 16000
WINDOW_SAMPLES = 512  # 32 ms at 16 kHz: the only window size silero v5/v6 accepts at this rate
CONTEXT_SAMPLES = 64  # the tail of the previous window, prepended to each window (as silero's own wrapper does)
_STATE_SHAPE = (1, 1, 128)


def model_path() -> Path:
    """Where faster-whisper keeps silero_vad_v6.onnx (found without importing faster_whisper)."""
    spec = importlib.util.find_spec("faster_whisper")
    if spec is None or spec.origin is None:
        raise ModelNotAvailableError(
            "faster-whisper is not installed, so its Silero VAD model is missing; run `make setup`"
        )
    path = Path(spec.origin).parent / "assets" / "silero_vad_v6.onnx"
    if not path.exists():
        raise ModelNotAvailableError(
            f"{path} is missing; reinstall faster-whisper (`.venv/bin/pip install --force-reinstall faster-whisper`)"
        )
    return path


class SileroVad:
    """Speech probability per 512-sample window; the LSTM state and the 64-sample context flow across calls."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._session: Any = None
        self._h = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._c = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._context = np.zeros(CONTEXT_SAMPLES, dtype=np.float32)

    def load(self) -> SileroVad:
        """Open the ONNX session (single-threaded: one window is tiny); idempotent."""
        if self._session is not None:
            return self
        try:
            import onnxruntime
        except ImportError as e:
            raise ModelNotAvailableError("onnxruntime is missing (needed for the VAD); run `make setup`") from e
        opts = onnxruntime.SessionOptions()
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = 1
        opts.enable_cpu_mem_arena = False
        opts.log_severity_level = 4
        path = self.path or model_path()
        try:
            self._session = onnxruntime.InferenceSession(
                str(path), providers=["CPUExecutionProvider"], sess_options=opts
            )
        except Exception as e:  # onnxruntime raises its own untyped errors for a corrupt model
            raise ModelNotAvailableError(f"{path}: cannot load the VAD model ({e}); reinstall faster-whisper") from e
        return self

    def reset(self) -> None:
        """Forget the recurrent state and context (call at the start of each turn)."""
        self._h = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._c = np.zeros(_STATE_SHAPE, dtype=np.float32)
        self._context = np.zeros(CONTEXT_SAMPLES, dtype=np.float32)

    def prob(self, window: AudioArray) -> float:
        """Speech probability of one 512-sample window of 16 kHz audio."""
        x = np.asarray(window, dtype=np.float32).reshape(-1)
        if x.size != WINDOW_SAMPLES:
            raise ValueError(f"the VAD takes windows of {WINDOW_SAMPLES} samples, got {x.size}")
        if self._session is None:
            self.load()
        batch = np.concatenate([self._context, x])[None, :]
        out, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        self._context = x[-CONTEXT_SAMPLES:].copy()
        return float(np.asarray(out).reshape(-1)[0])

    def probs(self, audio: AudioArray) -> list[float]:
        """Probabilities for consecutive whole windows of audio (a trailing partial window is ignored)."""
        x = np.asarray(audio, dtype=np.float32).reshape(-1)
        return [self.prob(x[i : i + WINDOW_SAMPLES]) for i in range(0, x.size - WINDOW_SAMPLES + 1, WINDOW_SAMPLES)]
