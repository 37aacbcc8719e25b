"""LiveListener end to end on WAV files: real Silero VAD, real tiny.en, the same path as the microphone."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tests.benches import load_bench
from voicecoach.audio.commands import normalise
from voicecoach.audio.io import load_audio, write_wav
from voicecoach.audio.listener import LiveListener
from voicecoach.audio.sources import FileSource
from voicecoach.audio.turn import INTERRUPTION_LINE, NUDGE_LINE
from voicecoach.audio.vad import SileroVad
from voicecoach.config import SttOptions, TurnOptions
from voicecoach.errors import DeviceError
from voicecoach.ports import Answer, AudioArray
from voicecoach.speech.stt import WhisperTranscriber

SR = 16000
QUESTION = "How would you measure the success of the new onboarding flow?"
PHRASES = {
    "a": "I would first clarify the goal of the feature.",
    "b": "Then I would look at the weekly retention numbers.",
    "c": "The main risk is that new users never come back.",
    "and": "I would look at retention, and",
    "complete": "I would look at retention.",
    "pre": "Personally, I would start with the funnel.",
    "phrase": "That's my answer.",
    "repeat": "Repeat the question, please.",
    "skip": "Skip this question.",
    "pause": "Please pause the interview.",
    "resume": "Resume.",
    "stop": "Please stop.",
}


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, AudioArray]:
    """Each phrase spoken by espeak-ng, decoded to 16 kHz."""
    folder = tmp_path_factory.mktemp("clips")
    out: dict[str, AudioArray] = {}
    for key, text in PHRASES.items():
        path = folder / f"{key}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(path), text], check=True)
        out[key] = load_audio(path)
    return out


@pytest.fixture(scope="module")
def transcriber(speech_model: WhisperTranscriber) -> WhisperTranscriber:
    return speech_model


@pytest.fixture(scope="module")
def vad() -> SileroVad:
    return SileroVad().load()


def silence(seconds: float) -> AudioArray:
    return np.zeros(round(seconds * SR), dtype=np.float32)


def build(tmp_path: Path, name: str, parts: list[AudioArray]) -> Path:
    return write_wav(tmp_path / name, np.concatenate(parts))


def listener(
    path: Path, transcriber: WhisperTranscriber, vad: SileroVad, options: TurnOptions | None = None, **kw: object
) -> LiveListener:
    return LiveListener(FileSource(path, fast=True), transcriber, options or TurnOptions(), vad=vad, **kw)  # type: ignore[arg-type]


def listen(lst: LiveListener, tmp_path: Path, n: int = 0) -> Answer:
    answer = lst.listen(QUESTION, tmp_path / f"turn-{n:02d}.wav")
    assert answer is not None
    return answer


def words(text: str) -> list[str]:
    return normalise(text).split()


def test_thinking_pause_does_not_end_the_turn_and_the_same_wav_ends_at_the_same_sample(
    tmp_path: Path, clips: dict[str, AudioArray], transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    wav = build(tmp_path, "pause.wav", [silence(0.6), clips["a"], silence(1.2), clips["b"], silence(3.0)])
    first = listen(listener(wav, transcriber, vad), tmp_path)
    assert first.end_reason == "silence"
    assert {"clarify", "goal", "weekly", "retention"} <= set(words(first.transcript.text))
    assert first.timings["utterances"] == 2
    weekly = [w for s in first.transcript.segments for w in s.words if normalise(w.text) == "weekly"]
    assert weekly and weekly[0].start_s > clips["a"].size / SR + 1.2  # second utterance shifted to answer time
    assert 2.0 <= first.timings["end_of_turn_wait_s"] < 2.0 + 0.032
    second = listen(listener(wav, transcriber, vad), tmp_path, 1)
    assert second.timings["end_sample"] == first.timings["end_sample"]
    assert second.transcript.text == first.transcript.text


def test_silence_after_a_complete_sentence_ends_and_the_file_continues_next_turn(
    tmp_path: Path, clips: dict[str, AudioArray], transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    wav = build(tmp_path, "two.wav", [clips["a"], silence(2.5), clips["c"], silence(2.5)])
    lst = listener(wav, transcriber, vad)
    one, two = listen(lst, tmp_path, 1), listen(lst, tmp_path, 2)
    assert one.end_reason == "silence" and "clarify" in words(one.transcript.text)
    assert "risk" not in words(one.transcript.text)
    assert two.end_reason in ("silence", "end_of_input") and {"risk", "users"} <= set(words(two.transcript.text))
    assert lst.listen(QUESTION, tmp_path / "turn-03.wav") is None  # the file has ended: the interview wraps up


def test_trailing_and_waits_longer_than_a_complete_sentence(
    tmp_path: Path, clips: dict[str, AudioArray], transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    waits = {}
    for key in ("complete", "and"):
        wav = build(tmp_path, f"{key}.wav", [silence(0.5), clips[key], silence(6.0)])
        answer = listen(listener(wav, transcriber, vad), tmp_path)
        assert answer.end_reason == "silence"
        waits[key] = answer.timings["end_of_turn_wait_s"]
    opts = TurnOptions()
    assert waits["complete"] < opts.end_silence_s + 0.04
    assert waits["and"] >= opts.end_silence_s + opts.mid_thought_extra_s
    assert waits["and"] <= opts.max_end_silence_s + 0.04


def test_nudge_after_twenty_seconds_of_silence_then_the_answer(
    tmp_path: Path, clips: dict[str, AudioArray], transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    wav = build(tmp_path, "late.wav", [silence(22.0), clips["a"], silence(2.5)])
    source = FileSource(wav, fast=True)
    said: list[tuple[str, int]] = []
    lst = LiveListener(
        source, transcriber, TurnOptions(), nudge=lambda line: said.append((line, source.position)), vad=vad
    )
    answer = listen(lst, tmp_path)
    assert [line for line, _ in said] == [NUDGE_LINE]
    assert abs(said[0][1] - 20.0 * SR) <= 512
    assert answer.timings["nudged"] == 1 and "clarify" in words(answer.transcript.text)


def test_length_cap_ends_with_the_interruption_line(
    tmp_path: Path, corpus_dir: Path, transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    speech = load_audio(corpus_dir / "ljspeech_LJ001-0001.wav")
    wav = build(tmp_path, "long.wav", [silence(0.5), speech, silence(2.5)])
    answer = listen(listener(wav, transcriber, vad, replace(TurnOptions(), max_answer_s=5.0)), tmp_path)
    assert answer.end_reason == "length_cap"
    assert INTERRUPTION_LINE in answer.transcript.notes
    assert abs(answer.transcript.duration_s - 5.0) < 0.04
    assert "printing" in words(answer.transcript.text)  # "Printing, in the only sense ..." was kept


def test_enter_ends_the_turn_at_once(
    tmp_path: Path, clips: dict[str, AudioArray], transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    wav = build(tmp_path, "enter.wav", [silence(0.5), clips["a"], silence(0.8), clips["b"], silence(3.0)])
    after = round((0.5 + clips["a"].size / SR + 0.7) * SR / 512)  # Enter during the short pause

    def press() -> Callable[[], bool]:
        calls = iter(range(10**6))
        return lambda: next(calls) == after

    answer = listen(listener(wav, transcriber, vad, enter_pressed=press()), tmp_path)
    assert answer.end_reason == "enter"
    assert answer.timings["end_sample"] == (after + 1) * 512
    assert "clarify" in words(answer.transcript.text) and "weekly" not in words(answer.transcript.text)
    again = listen(listener(wav, transcriber, vad, enter_pressed=press()), tmp_path, 1)
    assert again.timings["end_sample"] == answer.timings["end_sample"]


def test_closing_phrase_ends_before_the_silence_window_and_is_stripped(
    tmp_path: Path, clips: dict[str, AudioArray], transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    wav = build(tmp_path, "done.wav", [silence(0.5), clips["c"], silence(0.7), clips["phrase"], silence(4.0)])
    answer = listen(listener(wav, transcriber, vad), tmp_path)
    assert answer.end_reason == "phrase"
    assert answer.timings["end_of_turn_wait_s"] < 1.0
    assert {"risk", "users"} <= set(words(answer.transcript.text))
    assert "answer" not in words(answer.transcript.text)


@pytest.mark.parametrize("command", ["repeat", "skip", "pause", "resume", "stop"])
def test_spoken_commands(
    command: str, tmp_path: Path, clips: dict[str, AudioArray], transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    wav = build(tmp_path, f"{command}.wav", [silence(0.5), clips[command], silence(3.0)])
    answer = listen(listener(wav, transcriber, vad), tmp_path)
    assert (answer.end_reason, answer.command) == ("command", command), answer.transcript.text


def test_pre_roll_keeps_the_first_word_and_the_wav_holds_exactly_the_kept_audio(
    tmp_path: Path, clips: dict[str, AudioArray], transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    audio = np.concatenate([silence(1.0), clips["pre"], silence(2.5)])
    wav = write_wav(tmp_path / "pre.wav", audio)
    answer = listen(listener(wav, transcriber, vad), tmp_path)
    assert words(answer.transcript.text)[0] == "personally"  # lost if the onset is clipped by 0.1 s
    assert answer.audio_path is not None
    saved = load_audio(answer.audio_path)
    start = int(answer.timings["end_sample"]) - saved.size
    onset = start + round(0.4 * SR)  # the WAV starts 0.4 s before the detected onset (a window boundary)
    assert onset % 512 == 0 and SR <= onset <= 1.2 * SR
    np.testing.assert_allclose(saved, load_audio(wav)[start : start + saved.size], atol=1 / 32767)


def test_sixty_seconds_of_real_speech_loses_no_sentence(
    tmp_path: Path, corpus_dir: Path, transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    import jiwer

    rows = {
        r.split("\t")[0]: r.split("\t")[2]
        for r in (corpus_dir / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    }
    names = [f"ljspeech_LJ001-{i:04d}.wav" for i in range(1, 10)]
    parts: list[AudioArray] = []
    for name in names:
        parts += [load_audio(corpus_dir / name), silence(0.8)]
    wav = build(tmp_path, "sixty.wav", [*parts, silence(2.5)])
    answer = listen(listener(wav, transcriber, vad), tmp_path)
    assert answer.end_reason == "silence" and answer.transcript.duration_s > 60
    hyp = " ".join(words(answer.transcript.text))
    for name in names:  # every sentence is there: most of its words, in the transcript
        ref = words(rows[name])
        found = sum(w in hyp.split() for w in ref) / len(ref)
        assert found >= 0.7, (name, rows[name])
    assert jiwer.wer(" ".join(words(" ".join(rows[n] for n in names))), hyp) < 0.2
    times = [w.start_s for s in answer.transcript.segments for w in s.words]
    assert times == sorted(times) and times[-1] > 55  # word times are in answer time, in order


def test_real_time_pace_timings(
    tmp_path: Path, clips: dict[str, AudioArray], transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    wav = build(tmp_path, "rt.wav", [silence(0.5), clips["a"], silence(3.0)])
    lst = LiveListener(FileSource(wav), transcriber, TurnOptions(), vad=vad)
    t0 = time.monotonic()
    answer = lst.listen(QUESTION, tmp_path / "turn.wav")
    assert answer is not None and answer.end_reason == "silence"
    t = answer.timings
    voice_end = 0.5 + clips["a"].size / SR
    # paced like a microphone: the end of turn cannot be detected before real time reaches its sample
    assert t["turn_end_monotonic"] - t0 >= t["end_sample"] / SR - 0.05
    assert t["end_sample"] / SR >= voice_end + 1.5  # and it came after the silence window, not before
    assert abs(t["last_voice_monotonic"] - (t0 + voice_end)) < 0.5  # when the voice stopped (VAD release)
    # the last utterance closed 0.5 s into the silence, so nothing is left to transcribe at the end;
    # any slowness shows as latency beyond the end-of-turn window instead (measured from the voice)
    assert t["transcribe_tail_s"] < 0.2
    assert t["beyond_window_s"] >= t["transcribe_tail_s"] - 1e-6


class _DyingSource(FileSource):
    """A microphone that is unplugged after `alive_s` seconds."""

    def __init__(self, path: Path, alive_s: float) -> None:
        super().__init__(path, fast=True)
        self.alive = round(alive_s * SR)

    def read(self, timeout_s: float) -> AudioArray | None:
        if self.position >= self.alive:
            raise DeviceError("The microphone stopped delivering audio. Reconnect it")
        return super().read(timeout_s)


def test_device_lost_mid_answer_keeps_what_was_recorded(
    tmp_path: Path, clips: dict[str, AudioArray], transcriber: WhisperTranscriber, vad: SileroVad
) -> None:
    wav = build(tmp_path, "dying.wav", [silence(0.5), clips["a"], clips["b"], silence(3.0)])
    lst = LiveListener(_DyingSource(wav, alive_s=3.0), transcriber, TurnOptions(), vad=vad)
    out = tmp_path / "turn-05.wav"
    with pytest.raises(DeviceError, match="saved in"):
        lst.listen(QUESTION, out)
    kept = load_audio(out)
    assert abs(kept.size - round((3.0 - 0.1) * SR)) <= 1024  # from the pre-roll to the moment it died


@pytest.mark.soak
def test_second_pass_makes_live_transcription_as_accurate_as_the_whole_answer(
    tmp_path: Path, corpus_dir: Path, transcriber: WhisperTranscriber, vad: SileroVad, repo_root: Path
) -> None:
    """The same minute of real speech (spontaneous and read) three ways: per utterance, with the second pass
    over ~20 s stretches, and the whole file decoded at once. The second pass must not be worse than the
    whole file, and must beat utterances alone (6.0 % vs 3.4 % WER when measured)."""
    from voicecoach.build import build_refiner

    bench = load_bench("turn_latency")
    wav, reference, _speech_s = bench.build(bench.ANSWERS["60 s"], tmp_path, "60 s")

    alone = listen(listener(wav, transcriber.greedy(), vad), tmp_path, 1)
    refined = listen(listener(wav, transcriber.greedy(), vad, refiner=build_refiner(SttOptions())), tmp_path, 2)
    whole = transcriber.transcribe_file(wav)

    assert refined.timings["refined_utterances"] >= refined.timings["utterances"] / 2
    assert alone.timings["refined_utterances"] == 0
    wer_alone, wer_refined, wer_whole = (
        bench.wer(reference, t.text) for t in (alone.transcript, refined.transcript, whole)
    )
    assert wer_refined <= wer_whole + 0.01, (wer_refined, wer_whole)
    assert wer_refined < wer_alone, (wer_refined, wer_alone)
    times = [w.start_s for s in refined.transcript.segments for w in s.words]
    assert times == sorted(times) and 55 < times[-1] < refined.transcript.duration_s  # answer time, in order
    assert refined.transcript.text == " ".join(s.text for s in refined.transcript.segments)


@pytest.mark.soak
def test_the_end_of_a_live_answer_gets_its_second_pass_after_the_turn(
    tmp_path: Path, transcriber: WhisperTranscriber, vad: SileroVad, repo_root: Path
) -> None:
    """At real-time pace the turn ends without waiting for the last stretch's second pass; the answer
    offers it once it is done, with every utterance re-decoded and the words still in answer time."""
    from voicecoach.build import build_refiner

    bench = load_bench("turn_latency")
    wav, reference, _speech_s = bench.build(bench.ANSWERS["20 s"], tmp_path, "20 s")
    refiner = build_refiner(SttOptions())
    assert refiner is not None
    lst = LiveListener(FileSource(wav), transcriber.greedy(), TurnOptions(), vad=vad, refiner=refiner)
    answer = lst.listen(QUESTION, tmp_path / "turn.wav")
    assert answer is not None and answer.end_reason == "silence"
    assert answer.timings["refined_utterances"] < answer.timings["utterances"]
    assert answer.improved is not None
    better = answer.improved(120.0)
    lst.close()
    assert better is not None and better.duration_s == answer.transcript.duration_s
    # At most one word of the 55 worse: on this CPU the stretch gives "concern" where the utterance gave
    # "concerned" (the int8 decode differs by CPU; the same happened before issue 13's changes).
    assert bench.wer(reference, better.text) <= bench.wer(reference, answer.transcript.text) + 0.02
    times = [w.start_s for s in better.segments for w in s.words]
    assert times == sorted(times) and 15 < times[-1] < better.duration_s
