"""Typed practice: each turn is read from the terminal (or a pipe) as the interview goes."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from voicecoach.audio.commands import parse_command
from voicecoach.model import Segment, Transcript
from voicecoach.ports import Answer

TYPING_HINT = "Type your answer; an empty line sends it. Ctrl-D or `stop the interview` ends the interview."


def typed_answer(text: str, words_per_minute: float) -> Answer:
    """A typed turn as an Answer, timed as if spoken at words_per_minute (commands recognised)."""
    duration = max(1.0, len(text.split()) / words_per_minute * 60.0)
    command = parse_command(text)
    return Answer(
        transcript=Transcript(text=text, segments=(Segment(start_s=0.0, end_s=duration, text=text),), duration_s=duration),
        audio_path=None,
        end_reason="command" if command else "end_of_input",
        command=command,
        timings={"last_voice_monotonic": time.monotonic()},
    )


class TypedListener:
    """ports.Listener reading one turn per listen(): lines up to an empty line; end of input ends the interview."""

    def __init__(
        self, stream: TextIO | None = None, prompt: TextIO | None = None, words_per_minute: float = 150.0
    ) -> None:
        self._stream = stream
        self._prompt = prompt
        self._wpm = words_per_minute
        self._ended = False
        self._hinted = False

    def listen(self, question: str, wav_path: Path, prompt_tail: str = "") -> Answer | None:
        """The next typed turn, or None once the input has ended (Ctrl-D, a closed pipe)."""
        if self._ended:
            return None
        out = self._prompt if self._prompt is not None else sys.stdout
        if not self._hinted:  # once: the question is already on screen, this says how to answer it
            print(f"({TYPING_HINT})", file=out, flush=True)
            self._hinted = True
        print("> ", end="", file=out, flush=True)
        lines = self._read_turn()
        text = " ".join(" ".join(lines).split())
        if not text:
            return None
        return typed_answer(text, self._wpm)

    def _read_turn(self) -> list[str]:
        """Lines up to the first empty line after some text; blank lines before the text are skipped."""
        stream = self._stream if self._stream is not None else sys.stdin
        lines: list[str] = []
        while True:
            try:
                line = stream.readline()
            except (OSError, ValueError):  # stdin closed or detached
                line = ""
            if line == "":  # end of input: what was typed so far is the last turn
                self._ended = True
                return lines
            if line.strip():
                lines.append(line.strip())
                if len(lines) == 1 and parse_command(line) is not None:
                    return lines  # a command needs no empty line after it
            elif lines:
                return lines
