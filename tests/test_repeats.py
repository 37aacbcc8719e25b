"""Whisper's repetition loops are found and cut; people repeating themselves are left alone."""

from __future__ import annotations

from voicecoach.model import Segment, Word
from voicecoach.speech.repeats import collapse_loops, copies_prompt, looped


def _segment(text: str, start_s: float = 0.0) -> Segment:
    words = tuple(Word(start_s + i * 0.3, start_s + i * 0.3 + 0.25, w) for i, w in enumerate(text.split()))
    return Segment(start_s, start_s + len(words) * 0.3, text, words)


# What tiny.en wrote for demo-03 in a CI run: one segment, a nine-word run four times over.
LOOP = (
    "Menship the fix in a staged rollout. 1%, 10%. Menship the fix in a staged rollout. 1%. 10%. "
    "Menship the fix in a staged rollout. 1%. 10%. Menship the fix in a staged rollout. 1%. "
    "As guardrail, I'd watch crash rate, matter use and duplicate uploads."
)


def test_a_loop_inside_one_segment_is_found_and_kept_once() -> None:
    segments = [_segment(LOOP)]
    assert looped(segments)
    (fixed,) = collapse_loops(segments)
    assert fixed.text == (
        "Menship the fix in a staged rollout. 1%, 10%. As guardrail, I'd watch crash rate, matter use and duplicate uploads."
    )
    assert [w.text for w in fixed.words] == fixed.text.split()
    assert fixed.words[0] == segments[0].words[0] and fixed.words[-1] == segments[0].words[-1]


def test_a_segment_said_twice_in_a_row_is_a_loop() -> None:
    sentence = "Then I would ship the fix in a staged rollout."
    segments = [_segment(sentence), _segment(sentence, 3.0), _segment("As guardrails, crash rate.", 6.0)]
    assert looped(segments)
    assert [s.text for s in collapse_loops(segments)] == [sentence, "As guardrails, crash rate."]


def test_people_repeating_themselves_are_not_loops() -> None:
    for text in (
        "I think, I think the drop is on Android.",
        "We need to, we need to check the funnel first.",
        "Segment it by platform, by platform and by version.",
        "Is it all platforms? Is it all platforms or just Android?",
    ):
        segments = [_segment(text)]
        assert not looped(segments), text
        assert collapse_loops(segments) == segments, text


def test_a_short_sentence_said_twice_is_kept() -> None:
    segments = [_segment("I'm not sure."), _segment("I'm not sure.", 2.0)]
    assert collapse_loops(segments) == segments


# What tiny.en wrote for demo-03 in the next CI run: the window decoded in pieces, one copy per piece.
PIECES = (
    "Nenship the fix in a staged rollout. 1%, 10%,",
    "Nenship the fix in a staged rollout. 1%, 10%,",
    "Nenship the fix in a staged rollout.",
    "The trade-off is rolling back out versus hot fixing.",
)


def test_a_loop_across_segments_is_found_and_kept_once() -> None:
    segments = [_segment(text, 4.0 * n) for n, text in enumerate(PIECES)]
    assert looped(segments)
    fixed = collapse_loops(segments)
    assert [s.text for s in fixed] == [PIECES[0], PIECES[3]]
    assert fixed[1] == segments[3]


def test_a_loop_that_starts_mid_segment_keeps_the_words_before_it() -> None:
    segments = [
        _segment("I'd roll back first. " + PIECES[0]),
        _segment(PIECES[1], 4.0),
        _segment("Then everyone.", 8.0),
    ]
    fixed = collapse_loops(segments)
    assert " ".join(s.text for s in fixed) == "I'd roll back first. " + PIECES[0] + " Then everyone."
    assert [s.start_s for s in fixed] == [0.0, 8.0]


def test_a_decode_that_writes_out_its_prompt_again_is_a_copy() -> None:
    prompt = "Um, so. If error jumped, I'd roll back. Nenship the fix in a staged rollout. 1%, 10%,"
    assert copies_prompt(prompt, [_segment("Nenship the fix in a staged rollout. 1%, 10%,")])
    assert copies_prompt(prompt, [_segment("Nenship the fix in a staged rollout.")])  # CI's third, shorter copy
    # The question restated, or the candidate's own phrase said once more, as part of an answer is speech.
    question = "Uploads on Android dropped twenty percent last week. What would you do?"
    restated = "So uploads on Android dropped twenty percent last week, and first I'd segment it by app version."
    assert not copies_prompt(question, [_segment(restated)])
    assert copies_prompt(question, [_segment("Uploads on Android dropped twenty percent last week.")])
    assert not copies_prompt(prompt, [_segment("As guardrails, crash rate and duplicate uploads.")])
    assert not copies_prompt("", [_segment(PIECES[0])])


def _whisper_words(tokens: list[str], start_s: float = 0.0) -> Segment:
    """A segment whose words are split as Whisper's word timestamps split them ("1", "%" as two words)."""
    words = tuple(Word(start_s + i * 0.3, start_s + i * 0.3 + 0.25, w) for i, w in enumerate(tokens))
    return Segment(start_s, start_s + len(words) * 0.3, " ".join(tokens), words)


def test_a_loop_through_punctuation_only_words_is_found_and_cut() -> None:
    """The demo's strong answer: Whisper's words were '1', '%', '10', '%'; a '%' inside the run hid the loop."""
    run = ["Nenship", "the", "fix", "in", "a", "stage", "rollout.", "1", "%", "10", "%"]
    tokens = run + run + run[:7]  # as decoded: twice, then a copy cut short, and nothing of the next 15 s
    segments = [_whisper_words(tokens)]
    assert looped(segments)
    (fixed,) = collapse_loops(segments)
    assert [w.text for w in fixed.words] == run  # the '%' words stay with the words they follow
    more = [_whisper_words([*run, "As", "guardrails", "I'd", "watch", "crash", "rate."])]
    assert collapse_loops(more) == more  # said once, with its '%', nothing is cut


def test_a_leading_punctuation_word_is_kept() -> None:
    segments = [_whisper_words(["-", "so", "we", "would", "roll", "back", "first."])]
    assert not looped(segments)
    assert collapse_loops(segments) == segments
