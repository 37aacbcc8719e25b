"""Test helper: write audio in other formats, rates and channel layouts with PyAV (no sox needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from voicecoach.audio.io import SAMPLE_RATE_HZ, resample

# PyAV's encoder for each file suffix (its FFmpeg build has no libvorbis; its own vorbis encoder is experimental).
CODECS = {"wav": "pcm_s16le", "flac": "flac", "ogg": "vorbis", "mp3": "libmp3lame"}


def encode(audio: np.ndarray, path: Path, rate_hz: int, right_gain: float = 1.0, codec: str | None = None) -> Path:
    """Write 16 kHz mono audio as a stereo file at rate_hz (right channel scaled by right_gain), codec by suffix."""
    import av

    x = resample(audio, SAMPLE_RATE_HZ, rate_hz)
    stereo = np.ascontiguousarray(np.stack([x, right_gain * x]).astype(np.float32))
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec or CODECS[path.suffix.lstrip(".")], rate=rate_hz, layout="stereo")
        assert isinstance(stream, av.AudioStream)
        if stream.codec_context.name == "vorbis":
            stream.codec_context.options = {"strict": "experimental"}
        fmt = stream.codec_context.codec.audio_formats[0].name
        size = stream.codec_context.frame_size or 4096
        for i in range(0, stereo.shape[1], size):
            chunk = np.ascontiguousarray(stereo[:, i : i + size])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
            frame.sample_rate = rate_hz
            if fmt != "fltp":
                frame = _converted(frame, fmt, rate_hz)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def _converted(frame: object, fmt: str, rate_hz: int) -> object:
    """The frame in the sample format the encoder takes (pcm_s16le and flac want s16 interleaved)."""
    import av

    resampler = av.AudioResampler(format=fmt, layout="stereo", rate=rate_hz)
    out = resampler.resample(frame)  # type: ignore[arg-type]
    return out[0]
