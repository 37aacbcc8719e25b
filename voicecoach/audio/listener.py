"""LiveListener: frames → Silero VAD → end-of-turn → Whisper per utterance while the candidate speaks."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from voicecoach.audio.assemble import assemble
from voicecoach.audio.commands import is_closing_phrase, parse_command
from voicecoach.audio.io import WavWriter
from voicecoach.audio.refine import GroupRefiner, Stretch
from voicecoach.audio.sources import FrameSource
from voicecoach.audio.turn import (
    NUDGE_LINE,
    SAMPLE_RATE_HZ,
    WINDOW_SAMPLES,
    TurnDetector,
    TurnEvent,
    Utterance,
)
from voicecoach.audio.vad import SileroVad
from voicecoach.config import TurnOptions
from voicecoach.errors import DeviceError
from voicecoach.model import Transcript
from voicecoach.ports import Answer, AudioArray, Command, Transcriber

READ_TIMEOUT_S = 0.1
PROMPT_QUESTION_CHARS = 300
PROMPT_TAIL_CHARS = 200


def _disfluent_prompt() -> str:
    """speech.stt.DISFLUENT_PROMPT if that module defines it (it keeps Whisper writing "um" and "uh")."""
    try:
        return str(getattr(importlib.import_module("voicecoach.speech.stt"), "DISFLUENT_PROMPT", ""))
    except ImportError:
        return ""


class _Turn:
    """The mutable state of one listen() call."""

    def __init__(self, options: TurnOptions) -> None:
        self.detector = TurnDetector(options)
        self.windows: list[AudioArray] = []
        self.leftover = np.zeros(0, dtype=np.float32)
        self.writer: WavWriter | None = None
        self.written = 0
        self.jobs: list[tuple[Utterance, Future[Transcript]]] = []
        self.done: list[Transcript] = []
        self.texts: list[str] = []  # filled by the worker in utterance order (prompts for the next one)
        self.command: Command | None = None
        self.delivered = 0  # samples handed out by the source this turn
        self.captured_at: float | None = None  # monotonic time the last delivered sample was captured

    def audio(self, start: int, end: int) -> AudioArray:
        a, b = start // WINDOW_SAMPLES, -(-end // WINDOW_SAMPLES)
        joined = np.concatenate(self.windows[a:b]) if b > a else np.zeros(0, dtype=np.float32)
        return joined[start - a * WINDOW_SAMPLES : end - a * WINDOW_SAMPLES]


class LiveListener:
    """ports.Listener over a FrameSource (microphone or file) with interview end-of-turn rules."""

    def __init__(
        self,
        source: FrameSource,
        transcriber: Transcriber,
        options: TurnOptions,
        nudge: Callable[[str], None] | None = None,
        enter_pressed: Callable[[], bool] | None = None,
        vad: SileroVad | None = None,
        refiner: GroupRefiner | None = None,
    ) -> None:
        self.source = source
        self.refiner = refiner  # second pass over ~20 s stretches (audio/refine.py); None: per utterance only
        self.transcriber = transcriber
        self.options = options
        self.nudge = nudge
        self.enter_pressed = enter_pressed
        self.vad = vad or SileroVad()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voicecoach-stt")
        self._prefix = _disfluent_prompt()

    def close(self) -> None:
        """Stop the worker and release the source."""
        self._pool.shutdown(wait=True)
        if self.refiner is not None:
            self.refiner.close()
        self.source.close()

    def listen(self, question: str, wav_path: Path, prompt_tail: str = "") -> Answer | None:
        """Capture one answer; None when the input has ended and nothing more was said."""
        self.vad.load()
        self.source.start()
        self.source.begin_turn()
        self.vad.reset()
        if self.refiner is not None:
            self.refiner.begin()
        turn = _Turn(self.options)
        try:
            return self._run(turn, question, Path(wav_path), prompt_tail)
        except DeviceError as e:
            for _, job in turn.jobs:
                job.cancel()
            kept = f" The answer so far is saved in {wav_path}." if turn.writer is not None else ""
            raise DeviceError(f"{e}{kept}") from e
        finally:
            if turn.writer is not None:
                turn.writer.close()

    # --- the loop ----------------------------------------------------------------------------------------
    def _run(self, turn: _Turn, question: str, wav_path: Path, prompt_tail: str) -> Answer | None:
        det = turn.detector
        sync = not self.source.realtime
        while det.ended is None:
            if det.needs_text():
                self._collect(turn, wait=True)
                if det.ended is not None:
                    break
            chunk = self.source.read(READ_TIMEOUT_S)
            if chunk is None:
                if det.onset is None:
                    return None
                self._handle(turn, det.finish("end_of_input"), question, wav_path, prompt_tail)
                break
            if chunk.size:
                turn.delivered += int(chunk.size)
                turn.captured_at = self._captured_at()
            elif self.enter_pressed is not None and self.enter_pressed():
                self._handle(turn, det.finish("enter"), question, wav_path, prompt_tail)
                break
            buf = np.concatenate([turn.leftover, chunk]) if turn.leftover.size else chunk
            n = (buf.size // WINDOW_SAMPLES) * WINDOW_SAMPLES
            turn.leftover = buf[n:]
            for i in range(0, n, WINDOW_SAMPLES):
                window = buf[i : i + WINDOW_SAMPLES]
                turn.windows.append(window)
                events = det.push(self.vad.prob(window))
                if self.enter_pressed is not None and det.ended is None and self.enter_pressed():
                    events += det.finish("enter")
                self._handle(turn, events, question, wav_path, prompt_tail)
                self._collect(turn, wait=sync)
                if det.ended is not None:
                    break
        t_end = time.monotonic()
        self._collect(turn, wait=True)
        stretches: list[Stretch] = []
        if self.refiner is not None:  # the rest of the answer gets its second pass too, after the turn
            stretches = self.refiner.finish(
                [u for u, _ in turn.jobs], turn.audio, lambda first: self._prompt(turn, question, prompt_tail, first)
            )
            if sync:  # not real time: waiting costs the candidate nothing and keeps runs repeatable
                self.refiner.wait(stretches)
        t_final = time.monotonic()
        return self._answer(turn, wav_path, t_end, t_final, stretches)

    def _captured_at(self) -> float | None:
        at = getattr(self.source, "captured_at", None)
        return at() if callable(at) else None

    def _handle(self, turn: _Turn, events: list[TurnEvent], question: str, wav_path: Path, prompt_tail: str) -> None:
        det = turn.detector
        for ev in events:
            if ev.kind == "onset":
                turn.writer = WavWriter(wav_path)
                turn.written = det.kept_start
            elif ev.kind == "nudge":
                if self.nudge is not None:
                    self.nudge(NUDGE_LINE)
                    self.source.begin_turn()  # do not hear our own nudge
                    turn.leftover = np.zeros(0, dtype=np.float32)
            elif ev.kind == "utterance" and ev.utterance is not None:
                self._submit(turn, ev.utterance, question, prompt_tail)
        if turn.writer is not None and det.samples > turn.written:
            turn.writer.write(turn.audio(turn.written, det.samples))
            turn.written = det.samples

    def _prompt(self, turn: _Turn, question: str, prompt_tail: str, upto: int) -> str:
        """The disfluent prefix, the question, and the tail of the text before utterance `upto`."""
        before = " ".join(t for t in [prompt_tail.strip(), *turn.texts[:upto]] if t)
        q = question.strip()[:PROMPT_QUESTION_CHARS]
        return " ".join(p for p in (self._prefix, q, before[-PROMPT_TAIL_CHARS:]) if p)

    def _submit(self, turn: _Turn, utt: Utterance, question: str, prompt_tail: str) -> None:
        audio = turn.audio(utt.start, utt.end)

        def job() -> Transcript:
            result = self.transcriber.transcribe(audio, self._prompt(turn, question, prompt_tail, utt.index) or None)
            turn.texts.append(result.text.strip())
            return result

        turn.jobs.append((utt, self._pool.submit(job)))
        if self.refiner is not None:
            self.refiner.closed(
                [u for u, _ in turn.jobs], turn.audio, lambda first: self._prompt(turn, question, prompt_tail, first)
            )

    def _collect(self, turn: _Turn, wait: bool) -> None:
        """Take finished transcripts in order; feed the text to the detector; act on commands and phrases."""
        det = turn.detector
        while len(turn.done) < len(turn.jobs):
            utt, job = turn.jobs[len(turn.done)]
            if not wait and not job.done():
                return
            turn.done.append(job.result())
            text = " ".join(t.text.strip() for t in turn.done if t.text.strip())
            det.set_text(text, len(turn.done))
            if det.ended is not None:
                continue
            if utt.index == 0 and (cmd := parse_command(text)) is not None:
                turn.command = cmd
                det.finish("command")
            elif len(turn.done) == det.utterances_closed and det.utt_start is None and is_closing_phrase(text):
                det.finish("phrase")

    # --- the result --------------------------------------------------------------------------------------
    def _transcript(self, turn: _Turn, stretches: list[Stretch]) -> tuple[Transcript, int]:
        """The answer's transcript, second passes swapped in where finished; how many utterances they replaced."""
        pieces = self.refiner.pieces(len(turn.jobs), stretches) if self.refiner is not None else []
        return assemble(turn.detector, [u for u, _ in turn.jobs], turn.done, pieces)

    def _answer(self, turn: _Turn, wav_path: Path, t_end: float, t_final: float, stretches: list[Stretch]) -> Answer:
        det = turn.detector
        transcript, refined = self._transcript(turn, stretches)
        end = det.end_sample if det.end_sample is not None else det.samples

        def improved(timeout_s: float) -> Transcript | None:
            if self.refiner is None or not self.refiner.wait(stretches, timeout_s):
                return None
            better, now = self._transcript(turn, stretches)
            return better if now > refined else None

        wait_s = det.silence_run / SAMPLE_RATE_HZ
        since_voice_s = (det.samples - det.last_voice_end) / SAMPLE_RATE_HZ
        if self.source.realtime and turn.captured_at is not None:
            behind_s = (turn.delivered - det.samples) / SAMPLE_RATE_HZ  # delivered but not yet analysed
            last_voice = turn.captured_at - behind_s - since_voice_s
        else:
            last_voice = t_end - since_voice_s
        timings = {
            "end_of_turn_wait_s": wait_s,
            "transcribe_tail_s": t_final - t_end,
            "turn_end_monotonic": t_end,
            "last_voice_monotonic": last_voice,
            "final_transcript_monotonic": t_final,
            "beyond_window_s": t_final - (last_voice + wait_s),  # latency past the end-of-turn silence
            "speech_s": det.speech_samples / SAMPLE_RATE_HZ,
            "answer_s": transcript.duration_s,
            "end_sample": float(end),
            "utterances": float(len(turn.jobs)),
            "refined_utterances": float(refined),
            "nudged": 1.0 if det.nudged else 0.0,
        }
        return Answer(
            transcript=transcript,
            audio_path=wav_path if turn.writer is not None else None,
            end_reason=det.ended or "end_of_input",
            command=turn.command,
            timings=timings,
            improved=improved if self.refiner is not None and refined < len(turn.jobs) else None,
        )
