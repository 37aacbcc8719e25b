"""End of turn for interviews: a pure state machine over 32 ms VAD windows, counted in samples."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from voicecoach.config import TurnOptions
from voicecoach.ports import EndReason

SAMPLE_RATE_HZ = 16000
WINDOW_SAMPLES = 512

NUDGE_LINE = "Take your time — shall I repeat the question?"
INTERRUPTION_LINE = "Sorry to cut in — we're running short on time, so let me stop you there."

_MID_THOUGHT_WORDS = frozenset({"and", "so", "because", "but", "or", "then", "um", "uh", "umm", "uhm", "er", "erm"})
_FINAL_PUNCT = (".", "!", "?")

EventKind = Literal["onset", "utterance", "nudge", "end"]


@dataclass(frozen=True)
class Utterance:
    """A stretch of the answer to transcribe: samples [start, end) counted from the start of listening."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class TurnEvent:
    """Something the listener must act on after a window."""

    kind: EventKind
    utterance: Utterance | None = None
    reason: EndReason | None = None


def seconds_to_samples(seconds: float) -> int:
    """Seconds to a whole number of 16 kHz samples."""
    return round(seconds * SAMPLE_RATE_HZ)


def ends_mid_thought(text: str) -> bool:
    """True when the words so far stop mid-thought: a trailing conjunction or filler, or no final punctuation."""
    stripped = text.strip().rstrip("\"')]”’")
    if not stripped:
        return False
    words = re.findall(r"[a-z']+", stripped.lower())
    if words and words[-1] in _MID_THOUGHT_WORDS:
        return True
    trailing = stripped.rstrip()
    if trailing.endswith(("...", "…", ",", ";", ":", "-", "—")):
        return True
    return not trailing.endswith(_FINAL_PUNCT)


class TurnDetector:
    """Feed one speech probability per 512-sample window; get onset, utterance, nudge and end events.

    Pure and deterministic: the same probabilities (and the same text fed at the same window)
    give the same events at the same sample, whatever the wall clock does.
    """

    def __init__(self, options: TurnOptions) -> None:
        self.options = options
        self._end_silence = seconds_to_samples(options.end_silence_s)
        self._min_speech = seconds_to_samples(options.min_speech_s)
        self._extra = seconds_to_samples(options.mid_thought_extra_s)
        self._max_end = max(self._end_silence, seconds_to_samples(options.max_end_silence_s))
        self._pre_roll = seconds_to_samples(options.pre_roll_s)
        self._utt_pause = seconds_to_samples(options.utterance_pause_s)
        self._long_utt = seconds_to_samples(options.long_utterance_s)
        self._short_pause = min(self._utt_pause, seconds_to_samples(options.short_pause_s))
        self._max_utt = max(WINDOW_SAMPLES, seconds_to_samples(options.max_utterance_s))
        self._nudge_after = seconds_to_samples(options.nudge_after_s)
        self._max_answer = seconds_to_samples(options.max_answer_s)
        self.samples = 0  # samples pushed so far
        self.voiced = False  # the hysteresis state after the last window
        self.onset: int | None = None  # first voiced sample
        self.kept_start = 0  # first sample kept (onset - pre-roll), valid once onset is set
        self.speech_samples = 0
        self.silence_run = 0  # unvoiced samples since the last voiced window
        self.last_voice_end = 0  # sample just after the last voiced window
        self.utt_start: int | None = None  # start of the open utterance, None between utterances
        self.utt_voiced_end = 0
        self.utterances_closed = 0
        self._closed_end = 0  # end of the last closed utterance: the next one starts no earlier
        self.text = ""
        self.text_covers = 0  # how many closed utterances self.text includes
        self.nudged = False
        self.ended: EndReason | None = None
        self.end_sample: int | None = None

    # --- text from the transcriber -------------------------------------------------------------------
    def set_text(self, text: str, covers: int) -> None:
        """The transcript of the answer so far, covering the first `covers` closed utterances."""
        self.text = text
        self.text_covers = covers

    def required_silence(self) -> int:
        """Samples of silence that end the turn given the words so far."""
        need = self._end_silence + (self._extra if ends_mid_thought(self.text) else 0)
        return min(need, self._max_end)

    def needs_text(self) -> bool:
        """True when the next window may end the turn and the text of a closed utterance is still missing."""
        return (
            self.ended is None
            and self.onset is not None
            and self.utterances_closed > self.text_covers
            and self.silence_run + WINDOW_SAMPLES >= self._end_silence
        )

    # --- windows -----------------------------------------------------------------------------------------
    def push(self, prob: float) -> list[TurnEvent]:
        """Advance by one window with its speech probability."""
        if self.ended is not None:
            return []
        start = self.samples
        self.samples += WINDOW_SAMPLES
        threshold = self.options.vad_threshold
        self.voiced = prob >= threshold or (self.voiced and prob >= threshold - self.options.vad_release_gap)
        events: list[TurnEvent] = []
        if self.voiced:
            if self.onset is None:
                self.onset = start
                self.kept_start = max(0, start - self._pre_roll)
                events.append(TurnEvent("onset"))
            if self.utt_start is None:
                self.utt_start = max(start - self._pre_roll, self._closed_end)
            self.speech_samples += WINDOW_SAMPLES
            self.silence_run = 0
            self.last_voice_end = self.samples
            self.utt_voiced_end = self.samples
        else:
            self.silence_run += WINDOW_SAMPLES
        events.extend(self._utterance_events(prob))
        events.extend(self._end_events())
        return events

    def finish(self, reason: EndReason) -> list[TurnEvent]:
        """End now for an outside reason (enter, phrase, command, end_of_input): closes the open utterance."""
        if self.ended is not None:
            return []
        events = self._close_utterance(self.samples)
        self._end(reason)
        return [*events, TurnEvent("end", reason=reason)]

    # --- internals ---------------------------------------------------------------------------------------
    def _close_utterance(self, end: int) -> list[TurnEvent]:
        if self.utt_start is None:
            return []
        utt = Utterance(self.utterances_closed, self.utt_start, end)
        self.utterances_closed += 1
        self._closed_end = end
        self.utt_start = None
        return [TurnEvent("utterance", utterance=utt)]

    def _utterance_events(self, prob: float) -> list[TurnEvent]:
        if self.utt_start is None:
            return []
        length = self.samples - self.utt_start
        pause = self._utt_pause if length < self._long_utt else self._short_pause
        if not self.voiced and self.silence_run >= pause:
            return self._close_utterance(self.samples)
        soft = length >= self._max_utt * self.options.soft_cut_fraction and prob < self.options.vad_threshold
        if length >= self._max_utt or soft:
            return self._close_utterance(self.samples)
        return []

    def _end_events(self) -> list[TurnEvent]:
        if self.onset is not None and self.samples - self.kept_start >= self._max_answer:
            events = self._close_utterance(self.samples)
            self._end("length_cap")
            return [*events, TurnEvent("end", reason="length_cap")]
        enough = self.speech_samples >= self._min_speech
        if enough and not self.voiced and self.silence_run >= self.required_silence():
            events = self._close_utterance(self.samples)
            self._end("silence")
            return [*events, TurnEvent("end", reason="silence")]
        # no speech yet, or only a blip (a cough, "yes"): the nudge and give-up clocks run
        quiet = self.samples if self.onset is None else (0 if enough else self.silence_run)
        if not self.nudged and quiet >= self._nudge_after:
            self.nudged = True
            return [TurnEvent("nudge")]
        if quiet >= self._nudge_after * self.options.no_speech_factor:
            reason: EndReason = "no_speech" if self.onset is None else "silence"
            events = self._close_utterance(self.samples)
            self._end(reason)
            return [*events, TurnEvent("end", reason=reason)]
        return []

    def _end(self, reason: EndReason) -> None:
        self.ended = reason
        self.end_sample = self.samples
