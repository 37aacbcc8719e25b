"""The few Protocols the interview loop talks through."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from voicecoach.content import Case, Pack
from voicecoach.model import Move, Transcript, Turn, Verdict

AudioArray = npt.NDArray[np.float32]  # mono float32 in [-1, 1] at 16 kHz

EndReason = Literal["silence", "enter", "phrase", "length_cap", "end_of_input", "command", "no_speech"]
Command = Literal["repeat", "skip", "pause", "resume", "stop"]


@dataclass(frozen=True)
class Spoken:
    """What a Speaker did with one line: where the WAV went, how long it lasts, when it began."""

    text: str
    wav: Path | None
    duration_s: float
    first_sample_latency_s: float = 0.0  # from say() being called to the first sample out


class Speaker(Protocol):
    """Voices interviewer lines; returns only when playback (or writing) has finished."""

    def say(self, text: str) -> Spoken: ...


class Transcriber(Protocol):
    """Speech to text, complete values only."""

    def transcribe(self, audio: AudioArray, prompt: str | None = None) -> Transcript: ...

    def transcribe_file(self, path: Path, prompt: str | None = None) -> Transcript: ...


@dataclass(frozen=True)
class Answer:
    """One candidate turn as captured: its transcript, where its audio was saved, why it ended, timings."""

    transcript: Transcript
    audio_path: Path | None = None  # the WAV written while listening (None for typed answers)
    end_reason: EndReason = "end_of_input"
    command: Command | None = None
    timings: dict[str, float] = field(default_factory=dict)
    # Live listening: waits up to the given seconds for the second pass over the rest of the answer and
    # returns the better transcript (None: not ready, or nothing to improve).
    improved: Callable[[float], Transcript | None] | None = None


class Listener(Protocol):
    """Gets the candidate's next turn; None when there are no more answers (scripted input ran out).

    The audio goes to wav_path as it arrives (or before transcription starts), so nothing spoken is lost.
    """

    def listen(self, question: str, wav_path: Path, prompt_tail: str = "") -> Answer | None: ...


@dataclass(frozen=True)
class Context:
    """What the interviewer brain sees: the pack, the case and the conversation so far."""

    pack: Pack
    case: Case
    turns: tuple[Turn, ...]
    max_follow_ups: int = 2


class Interviewer(Protocol):
    """The interviewer brain: decides the next move, and judges at the end."""

    name: str

    def react(self, ctx: Context) -> Move:
        """The next move after the last candidate turn in ctx.turns."""
        ...

    def assess(self, ctx: Context) -> Verdict:
        """Scores for all seven dimensions with evidence, and the spoken feedback."""
        ...
