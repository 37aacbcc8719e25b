"""Speech to text with faster-whisper: one utterance at a time, VAD-split files, no invented words on silence."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from voicecoach.audio.io import SAMPLE_RATE_HZ, iter_audio_blocks
from voicecoach.config import SttOptions
from voicecoach.errors import AudioError, ModelNotAvailableError
from voicecoach.model import Segment, Transcript, Word
from voicecoach.ports import AudioArray
from voicecoach.speech import runtime
from voicecoach.speech.checks import doubted_after_text, fault_count, faults_in, halves, invented, outside_speech
from voicecoach.speech.models import resolve_model
from voicecoach.speech.outcome import NOT_ENGLISH_NOTE, DecodeStats, finish, text_of
from voicecoach.speech.repeats import collapse_loops
from voicecoach.speech.segmenting import Segmentation, join_groups, speech_spans

runtime.prepare()  # before anything imports ctranslate2: its OpenMP reads the wait policy once, when loaded

# Put first in every prompt when SttOptions.verbatim (the default), so Whisper writes the fillers it would
# otherwise clean away; callers may also pass it themselves.
DISFLUENT_PROMPT = "Um, so, uh, I think, you know, we'd, like, look at the funnel first."
PROMPT_TAIL_CHARS = 200  # how much of the text so far is carried into the next utterance's prompt
PROMPT_CALLER_CHARS = 400  # how much of the caller's prompt (question, earlier answers) is kept
MIN_FILE_S = 0.25  # a file shorter than this cannot hold an answer
_FILE_BLOCK_S = 120.0
_WHOLE_WINDOW_S = 29.5  # audio up to this long is decoded as one window, untrimmed


@dataclass
class _Shared:
    """One loaded model, shared by a transcriber and its greedy() view."""

    model: Any = None
    load_lock: threading.Lock = field(default_factory=threading.Lock)
    run_lock: threading.Lock = field(default_factory=threading.Lock)


class WhisperTranscriber:
    """ports.Transcriber on faster-whisper (CTranslate2, int8 on CPU)."""

    def __init__(self, options: SttOptions, segmentation: Segmentation | None = None) -> None:
        self.options = options
        self.segmentation = segmentation or Segmentation()
        self._shared = _Shared()

    def greedy(self) -> WhisperTranscriber:
        """The same loaded model, decoding greedily (beam 1): live listening's first pass.

        The candidate waits for the last utterance's first pass, and beam 1 decodes an 8 s utterance in
        half the time of beam 5 (1.0 s -> 0.55 s on the shared 2-core machine, same text there); the second
        pass (beam 5) then rewrites the answer in ~20 s stretches. Decoding stays at temperature 0.
        """
        view = WhisperTranscriber(replace(self.options, beam_size=1), self.segmentation)
        view._shared = self._shared
        return view

    @property
    def _model(self) -> Any:
        return self._shared.model

    @property
    def _run_lock(self) -> threading.Lock:
        return self._shared.run_lock

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        return self._model is not None

    def load(self, warm: bool = True) -> None:
        """Load the model once; safe to call from a background thread while the first question plays.

        warm: also run one throwaway decode, so that CTranslate2's slow first decode is not a real one.
        """
        with self._shared.load_lock:
            if self._model is not None:
                return
            path = resolve_model(self.options.model)
            runtime.prepare()
            from faster_whisper import WhisperModel

            threads = runtime.choose(self.options.threads).threads
            try:
                model = WhisperModel(path, device="cpu", compute_type=self.options.compute_type, cpu_threads=threads)
            except (RuntimeError, ValueError, OSError) as e:
                raise ModelNotAvailableError(
                    f"speech model at {path} could not be loaded ({e}); re-download it or pass "
                    "--stt-model tiny.en (built in)"
                ) from e
            if warm:  # in the background, so it does not land on the candidate's first answer
                first, _info = model.transcribe(np.zeros(SAMPLE_RATE_HZ, np.float32), temperature=0.0, vad_filter=False)
                list(first)
            self._shared.model = model

    def transcribe(self, audio: AudioArray, prompt: str | None = None) -> Transcript:
        """Transcribe one utterance (or any in-memory audio); silence gives Transcript(text="")."""
        x = np.asarray(audio, dtype=np.float32).reshape(-1)
        stats = DecodeStats()
        segments = self._transcribe_block(x, 0.0, prompt, "", stats)
        return finish(segments, x.size / SAMPLE_RATE_HZ, stats)

    def transcribe_file(self, path: Path, prompt: str | None = None) -> Transcript:
        """Transcribe a whole file utterance by utterance, block by block, with file-time timestamps."""
        stats = DecodeStats()
        segments: list[Segment] = []
        carry = np.zeros(0, np.float32)
        carry_start = 0  # file sample index of carry[0]
        total = 0
        for block in iter_audio_blocks(Path(path), block_s=_FILE_BLOCK_S):
            total += block.size
            audio = np.concatenate([carry, block]) if carry.size else block
            cut = self._last_safe_cut(audio)
            done = self._transcribe_block(audio[:cut], carry_start / SAMPLE_RATE_HZ, prompt, text_of(segments), stats)
            segments.extend(done)
            carry, carry_start = audio[cut:], carry_start + cut
        if total < MIN_FILE_S * SAMPLE_RATE_HZ:
            raise AudioError(
                f"{path}: only {total / SAMPLE_RATE_HZ:.2f} s of audio, too short to hold an answer; "
                "record a longer answer"
            )
        if carry.size:
            segments.extend(
                self._transcribe_block(carry, carry_start / SAMPLE_RATE_HZ, prompt, text_of(segments), stats)
            )
        return finish(segments, total / SAMPLE_RATE_HZ, stats)

    def _last_safe_cut(self, audio: AudioArray) -> int:
        """Where a block can be cut without splitting an utterance: its end, or the start of an open utterance."""
        spans = speech_spans(audio, self.segmentation)
        if not spans or audio.size - spans[-1][1] >= SAMPLE_RATE_HZ:  # the last utterance is closed
            return int(audio.size)
        return spans[-1][0]

    def _transcribe_block(
        self, audio: AudioArray, offset_s: float, prompt: str | None, before: str, stats: DecodeStats
    ) -> list[Segment]:
        """Transcribe each VAD group of audio; times are offset_s + position in audio."""
        spans = speech_spans(audio, self.segmentation)
        if not spans:
            return []
        self.load(warm=False)  # loaded on first use: the warm-up would only add to this wait
        self._check_language(audio, spans, stats)
        out: list[Segment] = []
        if audio.size <= _WHOLE_WINDOW_S * SAMPLE_RATE_HZ:
            # Short audio (most single utterances) goes to Whisper whole, as plain Whisper would see it:
            # trimming to the VAD spans lost whispered or trailing words that Silero does not hear as speech.
            groups, windows = [spans], [(0, int(audio.size))]
        else:
            groups = join_groups(spans, self.segmentation)
            windows = [(g[0][0], g[-1][1]) for g in groups]
        for group, window in zip(groups, windows, strict=True):
            stats.speech_s += sum(e - s for s, e in group) / SAMPLE_RATE_HZ
            trial = DecodeStats()
            out.extend(self._decode_checked(audio, group, offset_s, prompt, before, out, trial, 0, window))
            stats.add(trial)
        return out

    def _decode_checked(
        self,
        audio: AudioArray,
        spans: list[tuple[int, int]],
        offset_s: float,
        prompt: str | None,
        before: str,
        done: list[Segment],
        stats: DecodeStats,
        depth: int,
        window: tuple[int, int] | None = None,
    ) -> list[Segment]:
        """Decode spans as one window; if Whisper skipped speech or looped, decode smaller pieces instead.

        tiny.en dropped a 10 s sentence inside a window, and looped on "then ship the fix..." three times
        while dropping the next 15 s; smaller windows (each utterance, or halves split at the quietest
        moment) recover the words. A decode that is mostly a copy of its prompt (the text so far, written
        out again instead of the new audio) is first tried again without the prompt; so is a piece that
        still fails when it can be split no further.
        """
        trial = DecodeStats()
        start, end = window or (spans[0][0], spans[-1][1])
        given = _prompt(prompt, (before + " " + text_of(done)).strip(), self.options.verbatim)
        got = self._decode(audio, start, end, offset_s, given, trial)
        got = [g for g in got if not outside_speech(g, spans, offset_s)]
        faults, copied = fault_count(got, spans, offset_s, given)
        retried = False
        if faults and given and copied:
            got, trial, faults = self._unprompted(audio, (start, end), spans, offset_s, given, (got, trial, faults))
            retried = True
        pieces = spans if len(spans) > 1 else halves(audio, spans[0])
        if faults and depth < 2 and len(pieces) > 1:
            got, trial = [], DecodeStats()
            for piece in pieces:
                got.extend(self._decode_checked(audio, [piece], offset_s, prompt, before, done + got, trial, depth + 1))
        elif faults and given and not retried:
            got, trial, faults = self._unprompted(audio, (start, end), spans, offset_s, given, (got, trial, faults))
        stats.add(trial)
        return collapse_loops(got)

    def _unprompted(
        self,
        audio: AudioArray,
        window: tuple[int, int],
        spans: list[tuple[int, int]],
        offset_s: float,
        given: str,
        first: tuple[list[Segment], DecodeStats, int],
    ) -> tuple[list[Segment], DecodeStats, int]:
        """The same window decoded with no prompt, if that has fewer faults than the first decode."""
        retry = DecodeStats()
        again = self._decode(audio, window[0], window[1], offset_s, None, retry)
        again = [g for g in again if not outside_speech(g, spans, offset_s)]
        faults = faults_in(again, spans, offset_s, given)
        return (again, retry, faults) if faults < first[2] else first

    def _decode(
        self, audio: AudioArray, start: int, end: int, offset_s: float, prompt: str | None, stats: DecodeStats
    ) -> list[Segment]:
        """One call to Whisper on audio[start:end] (at most one 30 s window)."""
        base = offset_s + start / SAMPLE_RATE_HZ
        language = "en" if not self._model.model.is_multilingual else self.options.language
        with self._run_lock:
            raw, _info = self._model.transcribe(
                audio[start:end],
                language=language,
                beam_size=self.options.beam_size,
                word_timestamps=True,
                condition_on_previous_text=False,
                initial_prompt=prompt or None,
                vad_filter=False,
                # Temperature 0 only. Whisper's fallback re-decodes a doubtful window by sampling at 0.2 ... 1.0,
                # and CTranslate2's sampling is not repeatable (OpenNMT/CTranslate2#1757): the demo's strong
                # answer came out right in one run and looped in the next. Loops and skipped speech are caught
                # by our own checks instead, and repaired by decoding smaller windows, the same way every time.
                temperature=0.0,
            )
            raw = list(raw)  # faster-whisper's segments are lazy: decode inside the lock
        out: list[Segment] = []
        for s in raw:
            text = s.text.strip()
            if invented(text, s.end - s.start, s.no_speech_prob, s.avg_logprob):
                continue
            if (
                len(s.words or ()) <= 3
                and s.no_speech_prob > 0.4
                and min((w.probability for w in s.words or ()), default=1.0) < 0.05
            ):
                continue  # "Thank you." after the last word: first word at ~1 % probability, no-speech ~0.55
            if out and doubted_after_text(s.no_speech_prob, s.avg_logprob):
                continue  # "Thanks for watching." / "We'll see you next time." in the pause after an utterance
            words = tuple(
                Word(round(base + w.start, 3), round(base + w.end, 3), w.word.strip(), round(w.probability, 4))
                for w in (s.words or ())
                if w.word.strip()
            )
            out.append(Segment(round(base + s.start, 3), round(base + s.end, 3), text, words))
            stats.words += len(words)
            stats.decoded_s += s.end - s.start
            stats.logprob_x_s += s.avg_logprob * (s.end - s.start)
            stats.max_compression = max(stats.max_compression, s.compression_ratio)
        return out

    def _check_language(self, audio: AudioArray, spans: list[tuple[int, int]], stats: DecodeStats) -> None:
        """With a multilingual model, ask Whisper which language the first utterances are in."""
        if not self._model.model.is_multilingual or NOT_ENGLISH_NOTE in stats.notes:
            return
        speech = np.concatenate([audio[s:e] for s, e in spans])[: 30 * SAMPLE_RATE_HZ]
        with self._run_lock:
            language, probability, _all = self._model.detect_language(speech)
        if language != "en" and probability > 0.5:
            stats.notes.append(NOT_ENGLISH_NOTE + f" (it sounds like '{language}')")


def _prompt(prompt: str | None, so_far: str, verbatim: bool) -> str | None:
    """The disfluent prefix (verbatim), the end of the caller's prompt, and the tail of the text so far.

    Whisper keeps only the last 223 tokens of a prompt, so a long question must not push the prefix out:
    the prefix goes first and the caller's part is cut from its start.
    """
    given = prompt or ""
    prefix = DISFLUENT_PROMPT if verbatim or DISFLUENT_PROMPT in given else ""
    caller = given.replace(DISFLUENT_PROMPT, " ").strip()[-PROMPT_CALLER_CHARS:]
    joined = " ".join(p for p in (prefix, caller, so_far[-PROMPT_TAIL_CHARS:]) if p)
    return joined or None
