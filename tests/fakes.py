"""Fakes for the outermost edge only: a speaker that records what it said, a brain with scripted moves."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from voicecoach.model import DIMENSIONS, Move, Score, Verdict
from voicecoach.ports import Context, Spoken


class FakeSpeaker:
    """Records every line instead of playing it."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def say(self, text: str) -> Spoken:
        """Remember the line; it 'lasts' 0.4 s per word."""
        self.lines.append(text)
        return Spoken(text=text, wav=None, duration_s=0.4 * len(text.split()))


class ScriptedInterviewer:
    """Returns scripted moves in order; optionally raises at a given call to simulate a crash."""

    name = "scripted"

    def __init__(self, moves: Sequence[Move], fail_at: int | None = None) -> None:
        self.moves = list(moves)
        self.calls = 0
        self.fail_at = fail_at
        self.contexts: list[Context] = []

    def react(self, ctx: Context) -> Move:
        """The next scripted move."""
        self.calls += 1
        self.contexts.append(ctx)
        if self.fail_at is not None and self.calls == self.fail_at:
            raise KeyboardInterrupt  # what Ctrl-C looks like to the loop
        return self.moves.pop(0) if self.moves else Move(kind="wrap_up", text="Thanks, that's all.")

    def assess(self, ctx: Context) -> Verdict:
        """Threes across the board."""
        scores = tuple(Score(dimension=d, score=3, rationale="scripted") for d in DIMENSIONS)
        return Verdict(scores=scores, overall=3.0, feedback="Scripted feedback.", interviewer=self.name)


def write_answers(path: Path, answers: Sequence[str]) -> Path:
    """A --answers-text file."""
    path.write_text("\n---\n".join(answers) + "\n", encoding="utf-8")
    return path
