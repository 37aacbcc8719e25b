"""Text as people say it: scores, percentages, versions, money and paragraphs (pure functions)."""

from __future__ import annotations

import pytest

from voicecoach.speech.spoken import as_spoken, cardinal, ordinal, spoken_paragraphs, year


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Overall 4.0 out of 5: some good moments.", "Overall four out of five: some good moments."),
        ("You scored 4/5 on data and 2.9 out of 5 overall.", "You scored four out of five on data and two point nine out of five overall."),
        ("clarifying the problem, 5 out of 5, when you said", "clarifying the problem, five out of five, when you said"),
        ("Uploads dropped by 12% last week.", "Uploads dropped by twelve percent last week."),
        ("from about 1% to about 9.5%", "from about one percent to about nine point five percent"),
        ("It started with Android release 5.2 on Tuesday.", "It started with Android release five point two on Tuesday."),
        ("v2.3.1 shipped", "version two point three point one shipped"),
        ("a drop of -5% and +3pp", "a drop of minus five percent and plus three percentage points"),
        ("1,200 orders, then 45,000", "one thousand two hundred orders, then forty-five thousand"),
        ("since 2019 and in 2005", "since twenty nineteen and in two thousand five"),
        ("fees rose by $1.50, or $2 a week; revenue $1.5M", "fees rose by one dollar and fifty cents, or two dollars a week; revenue one point five million dollars"),
        ("20k users, 3x more, p95 at 200ms", "twenty thousand users, three times more, p ninety-five at two hundred milliseconds"),
        ("the 1st, 2nd, 3rd, 12th and 21st week", "the first, second, third, twelfth and twenty-first week"),
        ("2-3 weeks, 24/7 support, iOS/Android", "two to three weeks, twenty-four seven support, iOS or Android"),
        ("**Strongest:** clarify & data, e.g. segments", "Strongest: clarify and data, for example, segments"),
        ("about half a point (0.5) a week", "about half a point (zero point five) a week"),
    ],
)  # fmt: skip
def test_numbers_and_scores_are_said_as_people_say_them(written: str, said: str) -> None:
    assert as_spoken(written) == said


def test_words_for_numbers() -> None:
    assert cardinal(0) == "zero" and cardinal(40) == "forty" and cardinal(99) == "ninety-nine"
    assert cardinal(1_204) == "one thousand two hundred four"
    assert cardinal(3_000_000) == "three million"
    assert ordinal(40) == "fortieth" and ordinal(22) == "twenty-second" and ordinal(100) == "one hundredth"
    assert year(1984) == "nineteen eighty-four" and year(2024) == "twenty twenty-four" and year(1905) == (
        "nineteen oh five"
    )


def test_a_slash_that_is_not_a_score_is_left_alone() -> None:
    assert as_spoken("7/3 split") == "seven / three split"  # not 'seven out of three'
    assert "out of" not in as_spoken("open 9/5 to 5/6")  # more than the whole; no score is out of six


def test_text_without_numbers_is_unchanged() -> None:
    line = "You said \"I'd split the numbers by city size\". What would you not do, even if it worked?"
    assert as_spoken(line) == line


def test_paragraphs_split_at_blank_lines_and_line_breaks_end_sentences() -> None:
    text = "Overall 2.9 out of 5.\n\nStrongest: clarifying\n- asked first\n- then framed it\n\n \n\nWork on edge cases."
    assert spoken_paragraphs(text) == [
        "Overall two point nine out of five.",
        "Strongest: clarifying. asked first. then framed it.",
        "Work on edge cases.",
    ]
    assert spoken_paragraphs("  \n\n ") == []
    assert spoken_paragraphs("One line, no blank lines.") == ["One line, no blank lines."]
