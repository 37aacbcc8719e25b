"""What a file's decoding adds up to: the statistics kept, and the finished Transcript with its notes."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from voicecoach.model import Segment, Transcript

NOT_ENGLISH_NOTE = "speech may not be English; the transcript may be unreliable"
# What tiny.en "hears" in speech it cannot understand (espeak-ng French and German gave these, a different
# one from run to run: the fallback ladder samples, and CTranslate2's seed does not make that repeatable,
# OpenNMT/CTranslate2#1757); nobody says them in an interview answer.
_VIDEO_OUTROS = (
    "next video",
    "thanks for watching",
    "thank you for watching",
    "very much for watching",
    "subscribe to",
    "go back to the end",
    "end of the video",
    "hope you enjoyed",
    "see you in the next one",
)


# Mean word probability: espeak-ng French 0.42 and German 0.31; English rows of the corpus 0.78-0.95,
# disfluent phrases full of cut-off words down to 0.62. A wider margin than the log-probability's (German
# -1.03 against the -1.0 line), which flipped from machine to machine.
_MIN_MEAN_WORD_PROB = 0.5
_FILLERS = frozenset({"um", "uh", "umm", "uhm", "er", "erm", "hm", "hmm", "mm", "mmm", "ah"})


@dataclass
class DecodeStats:
    """Decoding statistics used to judge whether the speech was English."""

    speech_s: float = 0.0
    words: int = 0
    logprob_x_s: float = 0.0
    decoded_s: float = 0.0
    max_compression: float = 0.0
    notes: list[str] = field(default_factory=list)

    def add(self, other: DecodeStats) -> None:
        """Fold in the statistics of the decodes that were kept."""
        self.words += other.words
        self.logprob_x_s += other.logprob_x_s
        self.decoded_s += other.decoded_s
        self.max_compression = max(self.max_compression, other.max_compression)


def _compression_ratio(text: str) -> float:
    """Whisper's repetition measure: the text's size over its zlib-compressed size."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def text_of(segments: list[Segment]) -> str:
    """The segments' text joined with spaces."""
    return " ".join(s.text for s in segments)


def finish(segments: list[Segment], duration_s: float, stats: DecodeStats) -> Transcript:
    """The complete Transcript, with a note when the speech does not look like English."""
    notes = list(stats.notes)
    if stats.speech_s >= 2.0 and not any(n.startswith(NOT_ENGLISH_NOTE) for n in notes):
        mean_logprob = stats.logprob_x_s / stats.decoded_s if stats.decoded_s else -10.0
        words_per_s = stats.words / stats.speech_s
        outro = any(phrase in text_of(segments).lower() for phrase in _VIDEO_OUTROS)
        # Both judged on the text kept: a loop that was found and cut no longer counts (a repaired loop in
        # an English sonnet gave a compression ratio of 9), and fillers, which Whisper writes with low
        # confidence, do not count against the words around them.
        words = [w for s in segments for w in s.words if w.text.strip(" ,.?!").lower() not in _FILLERS]
        mean_word_prob = sum(w.probability for w in words) / len(words) if words else 1.0
        compression = max((_compression_ratio(s.text) for s in segments), default=0.0)
        doubted = mean_logprob < -1.0 or mean_word_prob < _MIN_MEAN_WORD_PROB
        if words_per_s < 0.5 or doubted or compression > 2.3 or outro:
            notes.append(NOT_ENGLISH_NOTE)
    return Transcript(
        text=text_of(segments), segments=tuple(segments), duration_s=round(duration_s, 3), notes=tuple(notes)
    )
