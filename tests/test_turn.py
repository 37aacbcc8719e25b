"""The end-of-turn state machine and the spoken-command parser, on exact sample counts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from voicecoach.audio.commands import is_closing_phrase, parse_command, strip_closing_phrase
from voicecoach.audio.turn import WINDOW_SAMPLES, TurnDetector, TurnEvent, ends_mid_thought, seconds_to_samples
from voicecoach.config import TurnOptions

OPTS = TurnOptions()
W_S = WINDOW_SAMPLES / 16000


def windows(seconds: float) -> int:
    """Whole windows covering seconds."""
    return round(seconds / W_S)


def run(det: TurnDetector, probs: list[float]) -> list[tuple[int, TurnEvent]]:
    """Push probabilities; return (sample after the window, event) pairs."""
    out: list[tuple[int, TurnEvent]] = []
    for p in probs:
        for ev in det.push(p):
            out.append((det.samples, ev))
    return out


def speech(seconds: float) -> list[float]:
    return [0.9] * windows(seconds)


def silence(seconds: float) -> list[float]:
    return [0.05] * windows(seconds)


def test_thinking_pause_does_not_end_but_two_seconds_after_enough_speech_does() -> None:
    det = TurnDetector(OPTS)
    events = run(det, silence(1) + speech(2) + silence(1.2) + speech(2) + silence(3))
    ends = [(s, e) for s, e in events if e.kind == "end"]
    assert len(ends) == 1 and ends[0][1].reason == "silence"
    last_voice = len(silence(1) + speech(2) + silence(1.2) + speech(2)) * WINDOW_SAMPLES
    # ends at the first window boundary with >= 2.0 s of silence, not during the 1.2 s pause
    assert ends[0][0] == last_voice + -(-seconds_to_samples(2.0) // WINDOW_SAMPLES) * WINDOW_SAMPLES
    utts = [e.utterance for _, e in events if e.kind == "utterance"]
    assert len(utts) == 2 and utts[0] is not None and utts[1] is not None
    assert utts[0].start == det.kept_start == windows(1) * WINDOW_SAMPLES - seconds_to_samples(0.4)
    second_onset = len(silence(1) + speech(2) + silence(1.2)) * WINDOW_SAMPLES
    assert utts[1].start == second_onset - seconds_to_samples(0.4) >= utts[0].end  # pre-roll, no overlap


def test_mid_thought_text_extends_the_silence_up_to_the_cap() -> None:
    complete, trailing = TurnDetector(OPTS), TurnDetector(OPTS)
    complete.set_text("I would look at retention.", 1)
    trailing.set_text("I would look at retention and...", 1)
    for det in (complete, trailing):
        run(det, speech(2) + silence(6))
    assert complete.end_sample is not None and trailing.end_sample is not None
    assert trailing.end_sample - complete.end_sample >= seconds_to_samples(OPTS.mid_thought_extra_s) - WINDOW_SAMPLES
    capped = TurnDetector(replace(OPTS, mid_thought_extra_s=10.0, max_end_silence_s=3.0))
    capped.set_text("so", 1)
    run(capped, speech(2) + silence(8))
    assert capped.silence_run == -(-seconds_to_samples(3.0) // WINDOW_SAMPLES) * WINDOW_SAMPLES


@pytest.mark.parametrize(
    ("text", "mid"),
    [
        ("I would start with the funnel and", True),
        ("We could raise the price, but...", True),
        ("because", True),
        ("Um, I think we should launch it. So...", True),
        ("I'd look at uh", True),
        ("and then I would", True),
        ("The main metric is weekly retention.", False),
        ("Would you ship it?", False),
        ("", False),
    ],
)
def test_ends_mid_thought(text: str, mid: bool) -> None:
    assert ends_mid_thought(text) is mid


def test_short_speech_below_min_speech_does_not_end_on_silence() -> None:
    det = TurnDetector(OPTS)
    run(det, speech(0.5) + silence(5))
    assert det.ended is None  # "yes" then silence: wait (the nudge clock runs instead)


def test_nudge_fires_once_after_twenty_seconds_of_nothing_then_gives_up() -> None:
    det = TurnDetector(OPTS)
    events = run(det, silence(70))
    nudges = [s for s, e in events if e.kind == "nudge"]
    assert nudges == [-(-seconds_to_samples(20.0) // WINDOW_SAMPLES) * WINDOW_SAMPLES]
    assert det.ended == "no_speech"


def test_length_cap_counts_from_the_first_kept_sample() -> None:
    det = TurnDetector(replace(OPTS, max_answer_s=10.0))
    events = run(det, silence(1) + speech(30))
    ends = [(s, e.reason) for s, e in events if e.kind == "end"]
    assert len(ends) == 1 and ends[0][1] == "length_cap"
    assert ends[0][0] - det.kept_start == -(-seconds_to_samples(10.0) // WINDOW_SAMPLES) * WINDOW_SAMPLES - (
        det.kept_start % WINDOW_SAMPLES
    )


def test_long_speech_is_cut_into_utterances_no_longer_than_the_cap() -> None:
    det = TurnDetector(OPTS)
    events = run(det, speech(60) + silence(3))
    utts = [e.utterance for _, e in events if e.kind == "utterance" and e.utterance]
    assert len(utts) == 3
    assert all(u.end - u.start <= seconds_to_samples(OPTS.max_utterance_s) + WINDOW_SAMPLES for u in utts)
    assert [u.start for u in utts[1:]] == [u.end for u in utts[:-1]]


def test_needs_text_before_deciding_and_finish_closes_open_utterance() -> None:
    det = TurnDetector(OPTS)
    run(det, speech(2) + silence(1.9))
    assert det.utterances_closed == 1 and not det.needs_text()  # the end is not yet one window away
    run(det, silence(0.1))
    assert det.needs_text() and det.ended is None
    det.set_text("so", 1)
    assert not det.needs_text()
    det2 = TurnDetector(OPTS)
    run(det2, speech(1.5))
    events = det2.finish("enter")
    assert [e.kind for e in events] == ["utterance", "end"] and det2.ended == "enter"
    assert det2.finish("phrase") == []


def test_hysteresis_keeps_speech_through_a_dip_above_neg_threshold() -> None:
    det = TurnDetector(OPTS)
    run(det, speech(1) + [0.4] * 30)
    assert det.voiced and det.silence_run == 0


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("Repeat the question, please.", "repeat"),
        (" can you repeat the question?", "repeat"),
        ("Sorry, could you say that again?", "repeat"),
        ("Skip.", "skip"),
        ("Skip this question.", "skip"),
        ("Pause.", "pause"),
        ("Resume", "resume"),
        ("Stop the interview.", "stop"),
        ("STOP THE INTERVIEW!", "stop"),
        ("Skip the details, I would first clarify the goal.", None),
        ("I would stop the interview loop early.", None),
        ("We repeat the question to users every week.", None),
        ("", None),
    ],
)
def test_parse_command(text: str, command: str | None) -> None:
    assert parse_command(text) == command


def test_closing_phrases() -> None:
    assert is_closing_phrase("We ship it. That's my answer.")
    assert is_closing_phrase("I'm done.")
    assert is_closing_phrase("and that's it, thanks")
    assert is_closing_phrase("End of answer")
    assert not is_closing_phrase("I'm done with the metrics, now the trade-offs")
    assert not is_closing_phrase("That's my answer to the first part, and next")
    assert strip_closing_phrase("We ship on Monday. That’s my answer.") == "We ship on Monday."
    assert strip_closing_phrase("We ship on Monday, I'm done") == "We ship on Monday"
    assert strip_closing_phrase("No phrase here.") == "No phrase here."


def test_every_threshold_comes_from_the_options() -> None:
    """Long utterances close at a short pause; both lengths, the release gap and the give-up factor are options."""
    phrase = speech(5) + silence(0.3)  # five seconds of speech, then a 0.3 s breath
    det = TurnDetector(OPTS)
    events = run(det, phrase * 3 + silence(3))
    default_cuts = [e.utterance for _, e in events if e.kind == "utterance"]
    det = TurnDetector(replace(OPTS, long_utterance_s=4.0, short_pause_s=0.25))
    events = run(det, phrase * 3 + silence(3))
    early_cuts = [e.utterance for _, e in events if e.kind == "utterance"]
    assert len(default_cuts) == 2 and len(early_cuts) == 3  # 8 s rule: cut after the 2nd breath; 4 s: every breath

    dip = speech(1) + [0.37] * windows(0.6) + speech(1)
    strict = TurnDetector(replace(OPTS, vad_release_gap=0.1))
    loose = TurnDetector(OPTS)
    run(strict, dip)
    run(loose, dip)
    assert strict.speech_samples < loose.speech_samples  # 0.37 < 0.5 - 0.1 leaves speech; 0.37 >= 0.5 - 0.15 stays

    quick = TurnDetector(replace(OPTS, no_speech_factor=1.5))
    run(quick, silence(31))
    assert quick.ended == "no_speech"
    assert TurnDetector(OPTS).push(0.0) == [] and OPTS.no_speech_factor * OPTS.nudge_after_s > 31
