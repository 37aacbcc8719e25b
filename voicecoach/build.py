"""The one place that turns configuration into concrete parts (adapters are imported lazily)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from voicecoach.audio.echo import PlaybackClock
from voicecoach.audio.refine import GroupRefiner
from voicecoach.config import Config, LlmOptions, SttOptions, TtsOptions
from voicecoach.errors import ConfigError, DeviceError, VoicecoachError
from voicecoach.ports import Answer, Interviewer, Listener, Speaker, Transcriber


def build_transcriber(stt: SttOptions) -> Transcriber:
    """The Whisper transcriber; the model loads on first use or through preload()."""
    from voicecoach.speech.models import resolve_model
    from voicecoach.speech.stt import WhisperTranscriber

    resolve_model(stt.model)  # a missing model is a clear error now, not after the first question
    return WhisperTranscriber(stt)


class Preload:
    """Loads the speech model in a background thread while the first question is spoken."""

    def __init__(self, transcriber: Transcriber, on_ready: Callable[[float], None] | None = None) -> None:
        self.error: BaseException | None = None
        self.seconds = 0.0
        self._transcriber = transcriber
        self._on_ready = on_ready
        self._thread = threading.Thread(target=self._load, name="voicecoach-stt-load", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        started = time.monotonic()
        try:
            load = getattr(self._transcriber, "load", None)
            if load is not None:
                load()
        except BaseException as e:  # noqa: BLE001 - re-raised by wait(), on the main thread
            self.error = e
        self.seconds = time.monotonic() - started
        if self._on_ready is not None and self.error is None:
            self._on_ready(self.seconds)

    def wait(self) -> None:
        """Block until the model is loaded; re-raise a load failure on this thread."""
        self._thread.join()
        if self.error is not None:
            if isinstance(self.error, VoicecoachError):
                raise self.error
            raise VoicecoachError(f"The speech model failed to load: {self.error}") from self.error


def build_speaker(tts: TtsOptions, session_dir: Path, echo: PlaybackClock | None = None) -> Speaker:
    """speaker: play through the sound card; none: print only; anything else: a folder for WAVs too.

    Playing or writing, each line is kept as <session_dir>/voice/line-NN.wav (Spoken.wav); the voice loads
    here, so an unknown or missing voice fails before anything is said. Give the same PlaybackClock to
    build_listener: the microphone then drops what it heard of the voice.
    """
    from voicecoach.speech.tts import SilentSpeaker, SounddeviceSpeaker, WavDirSpeaker
    from voicecoach.speech.voices import load_voice

    if tts.voice_out == "none":
        return SilentSpeaker(tts)
    voice = load_voice(tts.voice, tts.rate_wpm)
    if tts.voice_out == "speaker":
        return SounddeviceSpeaker(tts, session_dir / "voice", echo, voice=voice)
    return WavDirSpeaker(tts, Path(tts.voice_out).expanduser(), session_dir / "voice", voice=voice)


def build_interviewer(llm: LlmOptions) -> Interviewer:
    """The offline interviewer, or an LLM one that hands any failed turn to the offline interviewer."""
    from voicecoach.brain.rubric import OfflineInterviewer

    offline = OfflineInterviewer()
    if not llm.model:
        return offline
    from voicecoach.brain.fallback import FallbackInterviewer
    from voicecoach.brain.guards import score_caps
    from voicecoach.brain.llm import LiteLLMInterviewer

    primary = LiteLLMInterviewer(llm, caps=score_caps)  # the offline reader's limits: recitation, off-topic, meta
    return FallbackInterviewer(primary, offline, llm.turn_deadline_s, primary.scoring_deadline_s)


def provider_notice(llm: LlmOptions) -> str | None:
    """The one sentence saying who receives the transcript, or None when nothing leaves the laptop."""
    if not llm.model:
        return None
    from voicecoach.brain.llm_client import provider_notice as notice

    return notice(llm)


def check_llm(llm: LlmOptions) -> tuple[LlmOptions, str | None]:
    """The LLM settings to run with, and the line to show first: who receives the answers, or what is wrong.

    What can be checked before the first question is (the provider's key is set, a self-hosted server answers
    within 2 s); when a check fails the session runs with the offline interviewer instead of failing every turn.
    """
    if not llm.model:
        return llm, None
    from dataclasses import replace

    from voicecoach.brain.llm_preflight import preflight

    problem = preflight(llm)
    if problem:
        return replace(llm, model=None, base_url=None), problem
    return llm, provider_notice(llm)


def build_listener(
    cfg: Config,
    transcriber: Transcriber | None,
    answers: Sequence[Path] = (),
    answers_text: Path | None = None,
    nudge: Callable[[str], None] | None = None,
    fast: bool = False,
    echo: PlaybackClock | None = None,
    typed: bool = False,
) -> Listener:
    """Scripted files, typed answers (from a file or the keyboard), an audio file as microphone, or the microphone.

    Everything that can be checked is checked here (files decoded, the device opened), before any session exists.
    """
    from voicecoach.audio.scripted import AudioFilesListener, TextAnswersListener

    if answers and answers_text:
        raise ConfigError("Give either --answers or --answers-text, not both.")
    if answers_text is not None:
        return TextAnswersListener.from_file(answers_text)
    if typed:
        from voicecoach.audio.typed import TypedListener

        return TypedListener()
    if transcriber is None:
        raise ConfigError("Listening to speech needs a speech model; none was built.")
    if answers:
        return AudioFilesListener(answers, transcriber)
    import sys

    from voicecoach.audio.listener import LiveListener
    from voicecoach.audio.sources import EnterKey, open_source

    source = open_source(cfg.input_device, cfg.turn, fast=fast, echo=echo)
    try:
        source.start()  # open the microphone (or decode the file) now: a missing one is an error before the question
    except DeviceError as e:
        raise DeviceError(f"{e}; or type your answers as the interview goes: `voicecoach practice --type`") from e
    greedy = getattr(transcriber, "greedy", None)  # first pass at temperature 0: the wait must stay short
    first_pass: Transcriber = greedy() if callable(greedy) else transcriber
    try:
        refiner = build_refiner(cfg.stt)
    except BaseException:
        source.close()
        raise
    live = LiveListener(source, first_pass, cfg.turn, nudge=nudge, refiner=refiner)
    if sys.stdin is None or not sys.stdin.isatty():
        return live
    return _EnterClearing(live, EnterKey().start())


def build_refiner(stt: SttOptions) -> GroupRefiner | None:
    """The second pass of live listening: a low-priority process with its own copy of the model, one thread."""
    if stt.second_pass_s <= 0:
        return None
    from dataclasses import replace

    from voicecoach.audio.refine import GroupRefiner
    from voicecoach.speech.models import resolve_model

    resolve_model(stt.model)  # a missing model is a clear error here, not a silent worker failure
    refiner = GroupRefiner(group_s=stt.second_pass_s, stt=replace(stt, threads=1))
    refiner.preload()
    return refiner


class _EnterClearing:
    """Forgets an Enter pressed while the question was spoken, so it cannot end the next answer at once."""

    def __init__(self, listener: Listener, key: EnterKeyLike) -> None:
        self._listener = listener
        self._key = key
        setattr(listener, "enter_pressed", key.pressed)  # noqa: B010 - not part of the Listener port

    def close(self) -> None:
        """Release the listener's microphone and threads."""
        close = getattr(self._listener, "close", None)
        if callable(close):
            close()

    def listen(self, question: str, wav_path: Path, prompt_tail: str = "") -> Answer | None:
        """Clear earlier presses, then listen."""
        self._key.clear()
        return self._listener.listen(question, wav_path, prompt_tail)


class EnterKeyLike(Protocol):
    """What _EnterClearing needs of audio.sources.EnterKey."""

    def clear(self) -> None: ...

    def pressed(self) -> bool: ...
