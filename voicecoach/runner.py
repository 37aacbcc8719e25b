"""Run a session from the command line: check and build every part, then create the session, run it, report."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from voicecoach.config import Config
from voicecoach.content import Case, Pack
from voicecoach.errors import ConfigError, VoicecoachError
from voicecoach.model import Session
from voicecoach.store import SessionStore

VOICE_FOLDER = "voice"  # inside the session folder: where every speaker keeps the interviewer's lines


@dataclass(frozen=True)
class Inputs:
    """Where the candidate's turns come from: audio files, a text file, the keyboard, or a microphone."""

    answers: Sequence[Path] = ()
    answers_text: Path | None = None
    typed: bool = False
    fast: bool = False

    def check(self) -> None:
        """One way of answering at a time (a configured --input-device is simply not used by the others)."""
        given = [name for name, on in (
            ("--answers", bool(self.answers)), ("--answers-text", self.answers_text is not None), ("--type", self.typed),
        ) if on]  # fmt: skip
        if len(given) > 1:
            raise ConfigError(f"Give one way to answer, not {' and '.join(given)}.")

    def mode(self, cfg: Config) -> str:
        """How the answers come in, as kept in the session's settings."""
        if self.answers:
            return "answers"
        if self.answers_text is not None:
            return "answers-text"
        if self.typed:
            return "typed"
        device = cfg.input_device or ""
        return device if device.startswith("file:") else "microphone"


def out(text: str = "") -> None:
    """Print a line to stdout at once (the conversation shows as it happens)."""
    print(text, flush=True)


def run_new(
    cfg: Config, store: SessionStore, pack: Pack, case: Case, inputs: Inputs,
    demo: bool = False, retake_of: str | None = None,
) -> int:
    """Check everything, then create a session and run it."""
    from voicecoach.interview import make_session

    inputs.check()
    store.check_writable()
    cfg = _check_llm(cfg)  # before the session exists, so it records the interviewer that will really run
    settings = {
        "stt_model": cfg.stt.model, "llm": cfg.llm.model or "offline", "voice_out": cfg.tts.voice_out,
        "input": inputs.mode(cfg),
    }
    interviewer = "offline" if not cfg.llm.model else f"llm:{cfg.llm.model}"
    session = make_session(store, pack, case, interviewer, settings, demo=demo, retake_of=retake_of)
    return run_existing(cfg, store, pack, case, session, inputs, llm_checked=True)


def _check_llm(cfg: Config) -> Config:
    """cfg with the LLM settings that will run (offline when a check failed), after saying who gets the answers or why not."""
    from voicecoach import build

    llm, line = build.check_llm(cfg.llm)
    if line:
        out(line)
    return replace(cfg, llm=llm)


def run_existing(
    cfg: Config, store: SessionStore, pack: Pack, case: Case, session: Session, inputs: Inputs,
    llm_checked: bool = False,
) -> int:
    """Build (and so check) every part; only then create the session on disk, run it, and say where the report is."""
    from voicecoach import build
    from voicecoach.audio.echo import PlaybackClock
    from voicecoach.interview import Parts, run_session

    inputs.check()
    folder = store.dir(session.id)
    cfg, voice_note = _voice_fallback(cfg, folder)
    echo = PlaybackClock()
    speaker = build.build_speaker(cfg.tts, folder, echo)
    if not llm_checked:
        cfg = _check_llm(cfg)
    interviewer = build.build_interviewer(cfg.llm)
    needs_speech = not (inputs.answers_text or inputs.typed)
    transcriber = build.build_transcriber(cfg.stt) if needs_speech else None

    def nudge(line: str) -> None:
        if not session.is_paused():
            _echo("interviewer", line)
            speaker.say(line)

    listener = build.build_listener(
        cfg, transcriber, inputs.answers, inputs.answers_text, nudge=nudge, fast=inputs.fast, echo=echo,
        typed=inputs.typed,
    )
    try:
        if not (folder / "session.json").exists():
            store.create(session)  # every check has passed: only now does the session exist
        if voice_note:
            out(voice_note)
        if transcriber is not None:
            out("Loading the speech model in the background…")
            build.Preload(transcriber, on_ready=lambda s: out(f"[speech model ready in {s:.1f} s]"))
        parts = Parts(
            speaker=speaker, listener=listener, interviewer=interviewer, store=store, pack=pack, case=case,
            max_follow_ups=cfg.interview.max_follow_ups, echo=_echo,
        )
        retake = f" (a retake of {session.retake_of})" if session.retake_of else ""
        out(f"Session {session.id}: {pack.title} — {case.title}{retake}")
        run_session(parts, session)
    finally:
        close = getattr(listener, "close", None)  # the microphone and the transcription threads
        if callable(close):
            close()
    _summary(session)
    _report(session, folder, ("md", "json", "html") if session.demo else ("html",))
    out(str(folder))
    return 0


def _voice_fallback(cfg: Config, folder: Path) -> tuple[Config, str]:
    """No speaker to play the voice: the lines are printed and kept as WAVs in the session's voice folder; say so.

    Every speaker keeps its lines there (line-01.wav, ...; a resumed session numbers on), so writing them to that same
    folder needs no second copy and keeps a resumed session's first lines.
    """
    if cfg.tts.voice_out != "speaker" or has_output_device():
        return cfg, ""
    voice = folder / VOICE_FOLDER
    note = f"No speaker found: the interviewer's lines are printed here and written as WAVs to {voice}"
    return replace(cfg, tts=replace(cfg.tts, voice_out=str(voice))), note


def has_output_device() -> bool:
    """True when PortAudio loads and has an output device."""
    try:
        import sounddevice as sd

        sd.query_devices(kind="output")
        return True
    except Exception:  # noqa: BLE001 - any failure means no usable output device
        return False


def _echo(who: str, text: str) -> None:
    label = {"interviewer": "Interviewer", "candidate": "You", "note": "Note"}.get(who, who)
    out(f"\n{label}: {text}")


def _summary(session: Session) -> None:
    if session.status == "no_answer":
        out("\nNot scored: no answer was heard, so this session stays out of your progress.")
        return
    out("\nScores")
    for dim, score in session.scores.items():
        out(f"  {dim:<11} {score.score}/5  {score.rationale}")
    if session.overall is not None:
        out(f"  overall     {session.overall:.1f}/5")


def _report(session: Session, folder: Path, formats: Sequence[str]) -> None:
    """Write the report and say how to open it; a failure here loses nothing (the session is saved)."""
    if session.status != "completed":
        return
    from voicecoach.export import export_session

    for fmt in formats:
        try:
            paths = export_session(session, folder, fmt, None)
        except VoicecoachError as e:
            out(f"Could not write the {fmt} report ({e}); try `voicecoach export {session.id} --format {fmt}`.")
            continue
        for path in paths:
            if fmt == "html":
                out(f"\nReport: {path}\nOpen it in your browser: {open_command()} {path}")
            else:
                out(f"Exported {path}")


def open_command() -> str:
    """The command that opens a file in the default browser on this system."""
    if sys.platform == "darwin":
        return "open"
    if sys.platform.startswith("win"):
        return "start"
    return "xdg-open"
