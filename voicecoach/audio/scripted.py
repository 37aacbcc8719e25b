"""Listeners that take the candidate's turns from audio files or a text file instead of a microphone."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from voicecoach.audio.commands import parse_command
from voicecoach.audio.typed import typed_answer
from voicecoach.errors import AudioError, ConfigError
from voicecoach.model import Transcript
from voicecoach.ports import Answer, Transcriber

SEPARATOR = "---"
AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".aac", ".webm", ".mp4")


def answer_prompt(question: str, prompt_tail: str) -> str:
    """The initial prompt for an answer: the question and the tail of what was said before."""
    return " ".join(p for p in (question.strip(), prompt_tail.strip()[-200:]) if p)


def expand_answer_files(files: Sequence[Path]) -> list[Path]:
    """The answer files in order; a folder stands for the audio files in it, sorted by name."""
    out: list[Path] = []
    for f in (Path(p).expanduser() for p in files):
        if f.is_dir():
            inside = sorted(p for p in f.iterdir() if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES)
            if not inside:
                raise ConfigError(f"{f} holds no audio files ({', '.join(AUDIO_SUFFIXES)}); check --answers.")
            out.extend(inside)
        else:
            out.append(f)
    return out


def check_answer_files(files: Sequence[Path]) -> None:
    """Every answer file exists, is readable and decodes to enough audio: checked before the first question."""
    from voicecoach.audio.io import SAMPLE_RATE_HZ, iter_audio_blocks
    from voicecoach.speech.stt import MIN_FILE_S

    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise ConfigError(f"Answer file(s) not found: {', '.join(missing)}. Check the paths given to --answers.")
    for f in files:
        try:
            with open(f, "rb") as fh:
                fh.read(1)
        except OSError as e:
            raise ConfigError(f"Cannot read answer file {f} ({e.strerror or e}); check its permissions.") from e
        blocks = iter_audio_blocks(f, block_s=MIN_FILE_S)
        try:  # decoding the first moments proves the file is audio; the rest is decoded when its turn comes
            first = next(blocks)
        finally:
            close = getattr(blocks, "close", None)  # a generator: closing it closes the file now
            if callable(close):
                close()
        if first.size < MIN_FILE_S * SAMPLE_RATE_HZ:
            raise AudioError(
                f"{f}: only {first.size / SAMPLE_RATE_HZ:.2f} s of audio, too short to hold an answer; "
                "record a longer answer"
            )


class AudioFilesListener:
    """Each listen() takes the next audio file: saved as the turn's WAV first, then transcribed."""

    def __init__(self, files: Sequence[Path], transcriber: Transcriber) -> None:
        self._files = expand_answer_files(files)
        check_answer_files(self._files)
        self._transcriber = transcriber

    def remaining(self) -> int:
        """Answer files not used yet."""
        return len(self._files)

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
        command = parse_command(transcript.text)
        heard = bool(transcript.text.strip())
        return Answer(
            transcript=transcript,
            audio_path=wav_path,
            end_reason="command" if command else ("end_of_input" if heard else "no_speech"),
            command=command,
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
        except UnicodeDecodeError as e:
            raise ConfigError(
                f"--answers-text file {path} is not UTF-8 text (byte {e.start}); save it as UTF-8 plain text."
            ) from e
        except OSError as e:
            raise ConfigError(f"Cannot read --answers-text file {path} ({e.strerror}). Check the path.") from e
        return cls(parse_answers_text(raw, str(path)))

    def remaining(self) -> int:
        """Typed answers not used yet."""
        return len(self._answers)

    def listen(self, question: str, wav_path: Path, prompt_tail: str = "") -> Answer | None:
        """The next typed answer, or None when they have run out."""
        if not self._answers:
            return None
        return typed_answer(self._answers.pop(0), self._wpm)


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
