"""Delivery metrics: filler rules (real "like" rules), hedges, pauses, pace, answer length; on real speech too."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_sessions import SPONTANEOUS, corpus_reference, transcribe

from voicecoach.delivery import analyse_session, analyse_turn, pace_series, pause_events, speaking_seconds
from voicecoach.fillers import filler_events, hedge_events, tokens
from voicecoach.model import Segment, Turn, Word


def segs(text: str, start: float = 0.0, step: float = 0.4, gaps: dict[int, float] | None = None) -> tuple[Segment, ...]:
    """One segment whose words are step seconds apart; gaps adds silence before word index i."""
    words: list[Word] = []
    t = start
    for i, w in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        words.append(Word(t, t + step * 0.8, " " + w))
        t += step
    return (Segment(words[0].start_s, words[-1].end_s, text, tuple(words)),)


def fillers(text: str) -> list[str]:
    return [f for _, f in filler_events(segs(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'd like to start with the goal.", []),
        ("I would like to clarify the user.", []),
        ("It looks like a funnel problem.", []),
        ("That sounds like the right metric.", []),
        ("Users like the new upload flow.", []),
        ("We saw something like 20 percent drop.", []),
        ("It behaves like a queue.", []),
        ("Something like that.", []),
        ("It's like, we need to check the logs.", ["like"]),
        ("So like we ship the fix first.", ["like"]),
        ("We were like trying to find it.", ["like"]),
        ("Like, the first thing is retention.", ["like"]),
        ("We should handle abuse like retrying at scale.", []),
        ("Edge cases, like retries, matter.", []),
        ("And like we never tested Android.", ["like"]),
        ("I was like, why now?", ["like"]),
        ("It was like um broken.", ["like", "um"]),
        ("I'd like, um, to look at uploads.", ["um"]),
        ("Um, so, uh, the drop started Monday.", ["um", "uh"]),
        ("Umm I think hmm the er funnel erm broke.", ["um", "hmm", "er", "erm"]),
        ("We should, you know, check Android.", ["you know"]),
        ("Do you know the baseline?", []),
        ("You know what the baseline is.", []),
        ("I mean, the drop is real.", ["i mean"]),
        ("That is what I mean by retention.", []),
        ("It's kind of slow on Android.", ["kind of"]),
        ("What kind of users dropped?", []),
        ("That sort of thing happens.", []),
        ("We sort of need a holdout.", ["sort of"]),
        ("Basically the upload step fails.", ["basically"]),
        ("I hardly know 'er.", []),
        ("We just, y'know, ship it.", ["you know"]),
    ],
)
def test_filler_rules(text: str, expected: list[str]) -> None:
    assert fillers(text) == expected


def test_filler_positions_are_word_start_times() -> None:
    events = filler_events(segs("So um the metric uh moved", start=2.0, step=0.5))
    assert events == [(2.5, "um"), (4.0, "uh")]


def test_tokens_keep_punctuation_as_a_pause_marker_and_fall_back_without_word_times() -> None:
    toks = tokens((Segment(1.0, 3.0, "Right, so we ship."),))
    assert [t.text for t in toks] == ["right", "so", "we", "ship"]
    assert [t.pause_after for t in toks] == [True, False, False, True]
    assert toks[0].start_s == 1.0 and toks[-1].end_s == pytest.approx(3.0)


def test_hedges_and_i_think_only_when_overused() -> None:
    calm = analyse_turn(segs(("we ship the fix now " * 30) + "I think it works"))
    assert "i think" not in calm.hedges  # once in about a minute is not a hedge habit
    heavy = analyse_turn(segs("I think so. I think it works. I think we ship. Maybe. I'm not sure. I guess, probably."))
    assert heavy.hedges["i think"] == 3
    assert heavy.hedges["maybe"] == 1 and heavy.hedges["i'm not sure"] == 1
    assert heavy.hedges["i guess"] == 1 and heavy.hedges["probably"] == 1
    assert any("Hedging" in n for n in heavy.notes)
    assert [h for _, h in hedge_events(segs("Perhaps I suppose"))] == ["perhaps", "i suppose"]


def test_long_pauses_speaking_time_and_pace() -> None:
    s = segs(" ".join(["word"] * 30), step=0.4, gaps={10: 4.0, 20: 2.0})
    pauses = pause_events(s)
    assert len(pauses) == 1 and pauses[0][1] == pytest.approx(4.0 + 0.4 * 0.2)
    span = s[0].words[-1].end_s - s[0].words[0].start_s
    assert speaking_seconds(s) == pytest.approx(span - pauses[0][1])
    d = analyse_turn(s)
    assert d.long_pauses == 1 and d.word_count == 30
    assert d.words_per_minute == pytest.approx(30 / (d.speaking_s / 60), rel=0.01)
    assert any("longer than 3 s" in n for n in d.notes)
    series = pace_series(s, bin_s=5.0)
    assert series[0] == pytest.approx((0.0, 10 * 12.0))  # ten words, then the 4 s pause
    assert series[1] == pytest.approx((5.0, 5 * 12.0))  # words resume at 8.0 s


def test_answer_length_notes() -> None:
    s = segs("we ship the fix " * 10)
    assert any(n == "Answer ran 4 min 10 s; aim for two to three minutes." for n in analyse_turn(s, 250.0).notes)
    short = analyse_turn(s, 45.0, main_answer=True)
    assert "Answer ran 45 s; an execution answer needs two to three minutes." in short.notes
    assert not any("Answer ran" in n for n in analyse_turn(s, 150.0, main_answer=True).notes)
    assert not any("Answer ran" in n for n in analyse_turn(s, 45.0).notes)


def test_pace_notes() -> None:
    fast = analyse_turn(segs("word " * 60, step=0.25))
    assert fast.words_per_minute > 200 and any("fast" in n for n in fast.notes)
    slow = analyse_turn(segs("word " * 30, step=0.8))
    assert slow.words_per_minute < 110 and any("slow" in n for n in slow.notes)


def test_analyse_session_uses_candidate_answers_only() -> None:
    turns = [
        Turn("interviewer", "question", "Uploads dropped. Um, why?", segments=segs("Uploads dropped um why")),
        Turn("candidate", "clarification", "Um, which platform?", segments=segs("Um which platform")),
        Turn(
            "candidate",
            "answer",
            "Um, I'd like to check logs.",
            start_s=5,
            end_s=200,
            segments=segs("Um I'd like to check logs"),
        ),
        Turn("candidate", "answer", "Uh, like, ship it.", start_s=210, end_s=220, segments=segs("Uh like, ship it")),
    ]
    d = analyse_session(turns)
    assert d.fillers == {"um": 1, "uh": 1, "like": 1} and d.filler_count == 3
    assert d.word_count == 10
    assert "Answer ran 3 min 15 s; aim for two to three minutes." in d.notes


@pytest.mark.slow
@pytest.mark.parametrize("name", SPONTANEOUS)
def test_real_spontaneous_speech(corpus_dir: Path, name: str) -> None:
    """On real unscripted speech every detected filler is one the speaker said, at a time inside the audio."""
    tr = transcribe(corpus_dir / name, disfluent=True)
    reference = corpus_reference(corpus_dir, name)
    d = analyse_turn(tr.segments, tr.duration_s)
    assert 90 < d.words_per_minute < 220  # these monologues are at a normal talking pace
    assert d.word_count >= 0.8 * len(reference.split())
    ref_words = reference.replace("yknow", "you know").split()
    for t, filler in filler_events(tr.segments):
        assert 0 <= t <= tr.duration_s
        assert all(w in ref_words for w in filler.split()), (filler, reference)
    assert 20 < d.speaking_s <= tr.duration_s
