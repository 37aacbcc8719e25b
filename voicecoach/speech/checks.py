"""Judging what Whisper returned: segments it invented, speech it skipped, where to split a window again."""

from __future__ import annotations

import itertools

import numpy as np

from voicecoach.audio.io import SAMPLE_RATE_HZ
from voicecoach.model import Segment
from voicecoach.ports import AudioArray
from voicecoach.speech.repeats import copies_prompt, looped

_MAX_CHARS_PER_S = 40.0
_SPEECH_SLACK_S = 0.3
# A segment after real text that Whisper itself doubts (no-speech > 0.4, mean log-probability < -0.7) is made
# up: on 120 s of streamed utterances every such segment was an outro ("Thank you for watching", "Good.",
# "5.") and every real one scored no-speech <= 0.13.
_TRAILING_NO_SPEECH = 0.4
_TRAILING_LOGPROB = -0.7
REDECODE_MIN_S = 1.0  # an utterance Whisper skipped is decoded again on its own if at least this long
_MIN_WORDS_PER_S = 0.6  # fewer recognised words than this per second of VAD speech means Whisper skipped it
_MAX_WORDLESS_S = 5.0  # this long inside one utterance with no word at all: Whisper dropped what was said there


def doubted_after_text(no_speech_prob: float, avg_logprob: float) -> bool:
    """A segment following real text that Whisper itself doubts: an outro made up in the closing pause."""
    return no_speech_prob > _TRAILING_NO_SPEECH and avg_logprob < _TRAILING_LOGPROB


def invented(text: str, duration_s: float, no_speech_prob: float, avg_logprob: float) -> bool:
    """Segments Whisper makes up: punctuation only, Whisper's own no-speech rule, or text too fast to be said.

    The last rule catches "Thank you." / "see you in the next video" squeezed into the final 0.1 s of a
    window cut mid-word (seen with tiny.en); people do not speak 40 characters a second.
    """
    if not any(c.isalnum() for c in text):
        return True
    if no_speech_prob > 0.6 and avg_logprob < -1.0:
        return True
    return len(text) / max(duration_s, 0.01) > _MAX_CHARS_PER_S


def loudest_rms(audio: AudioArray) -> float:
    """RMS of the loudest 100 ms (a whole-block RMS would hide a quiet sentence in minutes of silence)."""
    frame = SAMPLE_RATE_HZ // 10
    n = audio.size // frame
    if n == 0:
        return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
    return float(np.sqrt(np.square(audio[: n * frame], dtype=np.float64).reshape(n, frame).mean(axis=1).max()))


def outside_speech(segment: Segment, spans: list[tuple[int, int]], offset_s: float) -> bool:
    """A short segment away from all VAD speech: Whisper's "Thank you." in the trailing silence."""
    if len(segment.text.split()) > 3:
        return False
    lo, hi = segment.start_s - offset_s - _SPEECH_SLACK_S, segment.end_s - offset_s + _SPEECH_SLACK_S
    return not any(s / SAMPLE_RATE_HZ < hi and e / SAMPLE_RATE_HZ > lo for s, e in spans)


def halves(audio: AudioArray, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Split a long utterance at its quietest 100 ms in the middle third (between words, usually)."""
    start, end = span
    if end - start < 4 * SAMPLE_RATE_HZ:
        return [span]
    frame = SAMPLE_RATE_HZ // 10
    lo, hi = start + (end - start) // 3, start + 2 * (end - start) // 3
    n = (hi - lo) // frame
    energy = np.square(audio[lo : lo + n * frame].astype(np.float64)).reshape(n, frame).mean(axis=1)
    cut = lo + int(np.argmin(energy)) * frame + frame // 2
    return [(start, cut), (cut, end)]


def skipped(segments: list[Segment], span: tuple[int, int], offset_s: float) -> bool:
    """Whether an utterance of at least REDECODE_MIN_S lost words: far too few for its length, or a long wordless stretch.

    The second rule catches a sentence dropped inside one long utterance (the VAD joins speech across pauses
    under 0.5 s, so a utterance holds no silence this long): a loop or a skip leaves the rest of the words
    at the right rate, but none where the dropped sentence was said.
    """
    seconds = (span[1] - span[0]) / SAMPLE_RATE_HZ
    if seconds < REDECODE_MIN_S:
        return False
    lo, hi = offset_s + span[0] / SAMPLE_RATE_HZ - 0.3, offset_s + span[1] / SAMPLE_RATE_HZ + 0.3
    mids = sorted(m for s in segments for w in s.words if lo <= (m := (w.start_s + w.end_s) / 2) <= hi)
    if len(mids) < _MIN_WORDS_PER_S * seconds:
        return True
    edges = [lo + 0.3, *mids, hi - 0.3]
    return any(b - a > _MAX_WORDLESS_S for a, b in itertools.pairwise(edges))


def faults_in(got: list[Segment], spans: list[tuple[int, int]], offset_s: float, prompt: str | None) -> int:
    """How many ways a decode went wrong: a loop, a copy of its prompt, and each utterance it skipped."""
    return fault_count(got, spans, offset_s, prompt)[0]


def fault_count(
    got: list[Segment], spans: list[tuple[int, int]], offset_s: float, prompt: str | None
) -> tuple[int, bool]:
    """faults_in, and whether one of the faults is a copy of the prompt (which calls for an unprompted retry)."""
    copied = copies_prompt(prompt or "", got)
    return int(looped(got)) + int(copied) + sum(skipped(got, span, offset_s) for span in spans), copied
