"""Audio for the report: a turn's WAV as Opus in Ogg (small enough to embed every turn), or the WAV as it is."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

OPUS_BITRATE_BPS = 24_000  # clear speech at about 3 kB a second, a tenth of 16 kHz PCM
OPUS_RATE_HZ = 24_000  # a rate libopus takes natively; speech has nothing above 12 kHz worth paying for


@dataclass(frozen=True)
class EmbeddedAudio:
    """Bytes ready for a data: URI, with their MIME type."""

    data: bytes
    mime: str


def wav_as_is(path: Path) -> EmbeddedAudio:
    """The WAV file unchanged."""
    return EmbeddedAudio(path.read_bytes(), "audio/wav")


def opus_ogg(path: Path, bitrate_bps: int = OPUS_BITRATE_BPS) -> EmbeddedAudio:
    """Any audio file PyAV reads, re-encoded as mono Opus in Ogg; raises av.error.FFmpegError or ValueError."""
    import av

    out_buf = io.BytesIO()
    with av.open(str(path), mode="r") as source:
        if not source.streams.audio:
            raise ValueError(f"{path} has no audio stream")
        with av.open(out_buf, mode="w", format="ogg") as sink:
            stream = sink.add_stream("libopus", rate=OPUS_RATE_HZ)
            stream.bit_rate = bitrate_bps
            stream.layout = "mono"
            # the resampler also fixes the frame size libopus wants (20 ms), so no frame is rejected
            resampler = av.AudioResampler(format="s16", layout="mono", rate=OPUS_RATE_HZ, frame_size=480)
            for frame in source.decode(source.streams.audio[0]):
                frame.pts = None
                for chunk in resampler.resample(frame):
                    sink.mux(stream.encode(chunk))
            for chunk in resampler.resample(None):
                sink.mux(stream.encode(chunk))
            sink.mux(stream.encode(None))
    return EmbeddedAudio(out_buf.getvalue(), "audio/ogg")


def encode(path: Path, codec: str) -> EmbeddedAudio:
    """The turn's audio for embedding: "opus" (falls back to the WAV when this PyAV cannot encode it) or "wav"."""
    if codec == "wav":
        return wav_as_is(path)
    import av

    try:
        return opus_ogg(path)
    except (av.error.FFmpegError, ValueError, OSError):
        return wav_as_is(path)  # an unreadable file still plays in the browser if it is a WAV it can decode
