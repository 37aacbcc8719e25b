"""Grouped options; precedence: defaults < config.toml < VOICECOACH_* env < command-line flags."""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from voicecoach.errors import ConfigError


@dataclass(frozen=True)
class TurnOptions:
    """End-of-turn thresholds, tuned for interviews rather than chat."""

    end_silence_s: float = 2.0
    min_speech_s: float = 1.0
    mid_thought_extra_s: float = 1.5  # added when the words so far end mid-thought
    max_end_silence_s: float = 4.0  # cap on the extended silence
    pre_roll_s: float = 0.4
    utterance_pause_s: float = 0.5  # a pause this long closes an utterance for transcription
    max_utterance_s: float = 25.0
    nudge_after_s: float = 20.0
    max_answer_s: float = 300.0
    playback_guard_s: float = 0.25
    vad_threshold: float = 0.5
    vad_release_gap: float = 0.15  # once in speech, stay there until the probability falls below threshold - gap
    no_speech_factor: float = 3.0  # give up after nudge_after_s x this without any speech
    soft_cut_fraction: float = 0.8  # past this share of max_utterance_s, cut at the first unvoiced window
    long_utterance_s: float = 8.0  # an utterance this long closes at a short pause between phrases ...
    short_pause_s: float = 0.25  # ... of this length, so the last one (decoded after the turn ends) stays short


@dataclass(frozen=True)
class SttOptions:
    """Speech to text."""

    model: str = "tiny.en"  # a name (tiny.en, base.en, small.en ...) or a CTranslate2 folder
    threads: int = 0  # 0 = automatic: all cores but one, at most 4 (speech/runtime.py says why)
    compute_type: str = "int8"
    beam_size: int = 5
    language: str = "en"
    second_pass_s: float = 20.0  # live listening: decode each finished stretch this long again as one window (0 = off)
    verbatim: bool = True  # keep "um" and "uh" as said (delivery counts them); False: Whisper's clean text


@dataclass(frozen=True)
class TtsOptions:
    """Voice out: where interviewer lines go and how they sound."""

    voice_out: str = "speaker"  # speaker | none | a folder for one WAV per line
    voice: str | None = None  # None: joe (natural) if installed, else espeak en-us; or an espeak voice; or a .onnx
    rate_wpm: int = 160  # a pace people follow (espeak's own 175 was misheard more: docs/benchmarks.md)
    paragraph_pause_s: float = 0.7  # silence between the paragraphs of a line (feedback is several)


@dataclass(frozen=True)
class LlmOptions:
    """The LLM interviewer; model None means the offline interviewer."""

    model: str | None = None
    base_url: str | None = None
    timeout_s: float = 30.0  # one call, and the final scoring in total
    retries: int = 1
    turn_deadline_s: float = 8.0  # the longest wait for a reply to one answer, retries and streaming included


@dataclass(frozen=True)
class InterviewOptions:
    """What to practise."""

    pack: str = "pm-execution"
    case: str | None = None
    question: str | None = None
    max_follow_ups: int = 2


@dataclass(frozen=True)
class Config:
    """Every option, grouped."""

    home: Path = field(default_factory=lambda: default_home())
    turn: TurnOptions = field(default_factory=TurnOptions)
    stt: SttOptions = field(default_factory=SttOptions)
    tts: TtsOptions = field(default_factory=TtsOptions)
    llm: LlmOptions = field(default_factory=LlmOptions)
    interview: InterviewOptions = field(default_factory=InterviewOptions)
    input_device: str | None = None

    @property
    def sessions_dir(self) -> Path:
        """Where sessions are kept."""
        return self.home / "sessions"


def default_home() -> Path:
    """The per-user data directory; VOICECOACH_HOME overrides it."""
    env = os.environ.get("VOICECOACH_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "voicecoach"


_GROUPS = {"turn": TurnOptions, "stt": SttOptions, "tts": TtsOptions, "llm": LlmOptions, "interview": InterviewOptions}


# Numbers that must be above zero; every other number may be zero (0 threads = all cores, 0 = off) but not below.
_POSITIVE = frozenset({
    "end_silence_s", "max_end_silence_s", "max_utterance_s", "nudge_after_s", "max_answer_s",
    "no_speech_factor", "long_utterance_s", "beam_size", "rate_wpm", "timeout_s",
})  # fmt: skip


def _coerce(value: Any, current: Any, key: str, where: str) -> Any:
    if current is None or isinstance(current, str):
        return str(value)
    try:
        if isinstance(current, bool):
            return str(value).lower() in ("1", "true", "yes", "on") if isinstance(value, str) else bool(value)
        if isinstance(current, int):
            number: float = int(value)
        elif isinstance(current, float):
            number = float(value)
        else:
            return value
    except (TypeError, ValueError) as e:
        kind = "whole number" if isinstance(current, int) else "number"
        raise ConfigError(f"{where}: {key} = {value!r} is not a {kind}; fix the value (the default is {current!r})") from e
    if not math.isfinite(number) or number < 0 or (number == 0 and key in _POSITIVE):
        least = "above 0" if key in _POSITIVE else "0 or more"
        raise ConfigError(
            f"{where}: {key} = {value!r} is out of range; it must be {least} (the default is {current!r})"
        )
    return number


def _apply(cfg: Config, group: str, key: str, value: Any, where: str) -> Config:
    if group == "" and key == "home":
        return replace(cfg, home=Path(str(value)).expanduser())
    if group == "" and key == "input_device":
        return replace(cfg, input_device=str(value))
    cls = _GROUPS.get(group)
    if cls is None:
        raise ConfigError(f"{where}: unknown section [{group}]; valid sections: {', '.join(_GROUPS)}")
    names = {f.name for f in fields(cls)}
    if key not in names:
        raise ConfigError(f"{where}: unknown key {key!r} in [{group}]; valid keys: {', '.join(sorted(names))}")
    obj = getattr(cfg, group)
    new = replace(obj, **{key: _coerce(value, getattr(obj, key), key, where)})
    return replace(cfg, **{group: new})


def load_config(path: Path | None = None, env: dict[str, str] | None = None) -> Config:
    """Defaults, then config.toml (home/config.toml unless path is given), then VOICECOACH_* variables."""
    env = dict(os.environ) if env is None else env
    cfg = Config()
    path = path or (cfg.home / "config.toml")
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as e:
            line = path.read_bytes()[: e.start].count(b"\n") + 1
            raise ConfigError(f"{path}: line {line} is not UTF-8 text; save the file as UTF-8") from e
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: malformed TOML ({e}); fix that line") from e
        except OSError as e:
            raise ConfigError(f"{path}: cannot be read ({e.strerror or e}); fix its permissions") from e
        for group, body in data.items():
            if isinstance(body, dict):
                for key, value in body.items():
                    cfg = _apply(cfg, group, key, value, str(path))
            else:
                cfg = _apply(cfg, "", group, body, str(path))
    for name, value in env.items():
        if not name.startswith("VOICECOACH_") or name == "VOICECOACH_HOME":
            continue
        parts = name[len("VOICECOACH_") :].lower().split("_", 1)
        if len(parts) == 2 and parts[0] in _GROUPS:
            _check_text(value, name)
            cfg = _apply(cfg, parts[0], parts[1], value, name)
    return cfg


def _check_text(value: str, name: str) -> None:
    """An environment value with bytes that are not UTF-8 (Python keeps them as surrogates) is an error."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ConfigError(f"{name} is not UTF-8 text; set it again in UTF-8 (or unset it)") from e


def override(cfg: Config, group: str, **values: Any) -> Config:
    """Apply command-line values that were given (None means not given)."""
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        return cfg
    return replace(cfg, **{group: replace(getattr(cfg, group), **given)})
