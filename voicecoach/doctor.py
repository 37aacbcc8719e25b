"""`voicecoach doctor`: each piece the interview needs, checked, with the fix for what is missing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from voicecoach.config import Config

Check = tuple[str, bool, str]


def run_checks(cfg: Config) -> list[Check]:
    """Microphone, speaker, TTS, speech model, LLM settings and the data folder."""
    return [
        _audio("microphone", "input"), _audio("speaker", "output"), _tts(cfg), _voices(), _stt(cfg), _llm(cfg),
        _store(cfg),
    ]  # fmt: skip


def _audio(name: str, kind: str) -> Check:
    try:
        import sounddevice as sd

        dev = sd.query_devices(kind=kind)
        return (name, True, str(dev["name"]))
    except OSError as e:
        return (name, False, f"PortAudio is missing ({e}). On Debian/Ubuntu: sudo apt-get install libportaudio2")
    except Exception:  # noqa: BLE001 - doctor reports any failure as a missing piece
        alt = "--answers FILE… or --answers-text FILE" if kind == "input" else "--voice-out none or --voice-out DIR"
        return (name, False, f"no {kind} device found; plug one in (see `voicecoach devices`) or use {alt}")


def _tts(cfg: Config) -> Check:
    try:
        from voicecoach.audio.io import write_wav
        from voicecoach.speech.tts import render_line
        from voicecoach.speech.voices import load_voice

        voice = load_voice(cfg.tts.voice, cfg.tts.rate_wpm)
        with tempfile.TemporaryDirectory() as tmp:
            wav = write_wav(Path(tmp) / "t.wav", *render_line(voice, "Testing.", cfg.tts.paragraph_pause_s))
            size = wav.stat().st_size
        return ("text to speech", True, f"voice {voice.name} ({voice.engine}) wrote a {size} byte WAV")
    except Exception as e:  # noqa: BLE001 - doctor reports any failure as a missing piece
        return ("text to speech", False, f"{e}. On Debian/Ubuntu: sudo apt-get install libespeak-ng1")


def _voices() -> Check:
    """The voices worth choosing with --voice, the natural one first (or how to install it)."""
    from voicecoach.speech.voices import available_voices

    infos = available_voices()
    listed = "; ".join(f"{v.name} ({', '.join(x for x in (v.engine, v.note) if x)})" for v in infos if v.installed)
    missing = "".join(f"; {v.name}: {v.note}" for v in infos if not v.installed)
    return ("voices", any(v.installed for v in infos), f"choose with --voice NAME: {listed}{missing}")


def _stt(cfg: Config) -> Check:
    try:
        from voicecoach.speech.models import resolve_model
        from voicecoach.speech.runtime import choose

        return (
            "speech model",
            True,
            f"{cfg.stt.model} at {resolve_model(cfg.stt.model)}; {choose(cfg.stt.threads).reason}",
        )
    except Exception as e:  # noqa: BLE001 - doctor reports any failure as a missing piece
        return ("speech model", False, str(e))


def _llm(cfg: Config) -> Check:
    if not cfg.llm.model:
        return ("interviewer", True, "offline interviewer (nothing leaves this laptop); --llm MODEL for an LLM")
    provider = cfg.llm.model.split("/", 1)[0]
    key = f"{provider.upper()}_API_KEY"
    if cfg.llm.base_url or provider in ("ollama", "ollama_chat") or os.environ.get(key):
        return ("interviewer", True, f"{cfg.llm.model}" + (f" at {cfg.llm.base_url}" if cfg.llm.base_url else ""))
    return ("interviewer", False, f"{cfg.llm.model} needs {key} in the environment (or --llm-base-url for a server)")


def _store(cfg: Config) -> Check:
    from voicecoach.errors import StorageError
    from voicecoach.store import SessionStore

    try:
        SessionStore(cfg.sessions_dir).check_writable()
        return ("data folder", True, str(cfg.sessions_dir))
    except StorageError as e:
        return ("data folder", False, str(e))
