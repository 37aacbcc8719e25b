"""Cutting audio into utterances (Silero VAD, faster-whisper's) and joining neighbours into Whisper windows."""

from __future__ import annotations

from dataclasses import dataclass

from voicecoach.audio.io import SAMPLE_RATE_HZ
from voicecoach.ports import AudioArray
from voicecoach.speech import runtime
from voicecoach.speech.checks import loudest_rms

_MIN_RMS = 3e-4  # about -70 dBFS in the loudest 100 ms: below this there is nothing to hear
_MIN_SPEECH_S = 0.25  # VAD speech shorter than this is treated as a click, not words


@dataclass(frozen=True)
class Segmentation:
    """How audio is cut into utterances before Whisper sees it (Silero VAD, faster-whisper's)."""

    vad_threshold: float = 0.5
    min_silence_ms: int = 500  # a pause this long ends an utterance
    speech_pad_ms: int = 200
    max_utterance_s: float = 25.0  # Whisper sees at most one 30 s window: no long-form seeking, no dropped sentences
    group_s: float = 25.0  # join neighbouring utterances up to this span (0 = each utterance alone)


def speech_spans(audio: AudioArray, seg: Segmentation) -> list[tuple[int, int]]:
    """VAD utterances as (start, end) sample indexes."""
    runtime.prepare()  # importing faster_whisper loads CTranslate2's OpenMP: the wait policy goes first
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.size < SAMPLE_RATE_HZ // 10 or loudest_rms(audio) < _MIN_RMS:
        return []
    opts = VadOptions(
        threshold=seg.vad_threshold,
        min_silence_duration_ms=seg.min_silence_ms,
        speech_pad_ms=seg.speech_pad_ms,
        max_speech_duration_s=seg.max_utterance_s,
    )
    spans = [(int(t["start"]), int(t["end"])) for t in get_speech_timestamps(audio, opts)]
    return [(s, e) for s, e in spans if e - s >= _MIN_SPEECH_S * SAMPLE_RATE_HZ]


def join_groups(spans: list[tuple[int, int]], seg: Segmentation) -> list[list[tuple[int, int]]]:
    """Neighbouring utterances joined up to group_s (never past max_utterance_s)."""
    limit = min(seg.group_s, seg.max_utterance_s) * SAMPLE_RATE_HZ
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= limit:
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups
