"""Listeners that take the candidate's turns from audio files or a text file instead of a microphone."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from voicecoach.errors import ConfigError
from voicecoach.model import Segment, Transcript
from voicecoach.ports import Answer, Transcriber

SEPARATOR = "---"


def answer_prompt(question: str, prompt_tail: str) -> str:
    """The initial prompt for an answer: the question and the tail of what was said before."""
    return " ".join(p for p in (question.strip(), prompt_tail.strip()[-200:]) if p)


class AudioFilesListener:
    """Each listen() takes the next audio file: saved as the turn's WAV first, then transcribed."""

    def __init__(self, files: Sequence[Path], transcriber: Transcriber) -> None:
        missing = [str(f) for f in files if not Path(f).is_file()]
        if missing:
            raise ConfigError(f"Answer file(s) not found: {', '.join(missing)}. Check the paths given to --answers.")
        self._files = [Path(f) for f in files]
        self._transcriber = transcriber

    def listen(self, question: str, wav_path: Path, prompt_tail: str = "") -> Answer | None:
        """The next file's answer, or None when the files have run out."""
        if not self._files:
            return None
        from voicecoach.audio.io import SAMPLE_RATE_HZ, load_audio, write_wav

        source = self._files.pop(0)
        audio = load_audio(source)
        write_wav(wav_path, audio)  # the answer is on disk before anything can fail
        started = time.monotonic()
        transcript = self._transcriber.transcribe_file(wav_path, answer_prompt(question, prompt_tail))
        took = time.monotonic() - started
        if not transcript.duration_s:
            transcript = Transcript(
                text=transcript.text,
                segments=transcript.segments,
                duration_s=len(audio) / SAMPLE_RATE_HZ,
                language=transcript.language,
                notes=transcript.notes,
            )
        return Answer(
            transcript=transcript,
            audio_path=wav_path,
            end_reason="end_of_input",
            timings={"transcribe_s": took, "last_voice_monotonic": started},
        )


class TextAnswersListener:
    """Each listen() takes the next typed answer; no audio."""

    def __init__(self, answers: Sequence[str], words_per_minute: float = 150.0) -> None:
        self._answers = list(answers)
        self._wpm = words_per_minute

    @classmethod
    def from_file(cls, path: Path) -> TextAnswersListener:
        """Answers from a text file whose turns are separated by a line `---`."""
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as e:
            raise ConfigError(f"Cannot read --answers-text file {path} ({e.strerror}). Check the path.") from e
        return cls(parse_answers_text(raw, str(path)))

    def listen(self, question: str, wav_path: Path, prompt_tail: str = "") -> Answer | None:
        """The next typed answer, or None when they have run out."""
        if not self._answers:
            return None
        text = self._answers.pop(0)
        duration = max(1.0, len(text.split()) / self._wpm * 60.0)
        segment = Segment(start_s=0.0, end_s=duration, text=text)
        return Answer(
            transcript=Transcript(text=text, segments=(segment,), duration_s=duration),
            audio_path=None,
            end_reason="end_of_input",
            timings={"last_voice_monotonic": time.monotonic()},
        )


def parse_answers_text(raw: str, where: str) -> list[str]:
    """Split on lines that are exactly `---`; an empty turn is an error that names it."""
    turns: list[list[str]] = [[]]
    for line in raw.splitlines():
        if line.strip() == SEPARATOR:
            turns.append([])
        else:
            turns[-1].append(line)
    answers = [" ".join(" ".join(t).split()) for t in turns]
    if len(answers) == 1 and not answers[0]:
        raise ConfigError(f"{where} has no answers. Write one answer per turn, separated by a line `---`.")
    for i, a in enumerate(answers, start=1):
        if not a:
            raise ConfigError(
                f"{where}: turn {i} of {len(answers)} is empty. Remove the extra `---` line or write that answer."
            )
    return answers
