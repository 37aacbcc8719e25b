"""What a case barely tests counts half in the overall: one weighted mean for the offline interviewer, the LLM and
the spoken verdict, said in the feedback and the reports, and ranked last in what to fix first."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conversations import ctx
from tests.fakes import FakeSpeaker
from tests.llm_provider import ChatServer
from voicecoach.audio.scripted import TextAnswersListener
from voicecoach.brain.feedback import compose
from voicecoach.brain.fixes import what_to_fix
from voicecoach.brain.llm import LiteLLMInterviewer
from voicecoach.brain.overall import BARELY_WEIGHT, overall_score
from voicecoach.brain.rubric import OfflineInterviewer
from voicecoach.brain.scoring import assess_turns
from voicecoach.config import LlmOptions
from voicecoach.content import Pack
from voicecoach.export.fixes import derive_fixes
from voicecoach.export.html import to_html
from voicecoach.export.md import to_markdown
from voicecoach.interview import Parts, new_session, run_session
from voicecoach.model import DIMENSIONS, Score, Verdict
from voicecoach.packs import load_pack
from voicecoach.store import SessionStore

# A strong answer to checkout-fees in plain words: it never goes near the technical side or what could go wrong.
CHECKOUT = (
    "Since it slid slowly over two months rather than falling off a cliff, I doubt a bad release did this, so my first "
    "suspects are the fee rise in the big cities and the rival's free delivery. I'd split the slide by city and by new "
    "versus returning customers, and walk the checkout screen by screen to see where people bail. If they mostly leave "
    "on the final screen where the full price with fees first shows, the fee surprise is hurting us. I wouldn't just "
    "undo the fees though, I'd weigh what they earn per order against the orders we're losing. I'd try showing the "
    "full fees up front on the menu in one large city, and stop if orders per customer fall. I'd judge it by completed "
    "orders per customer each week, with margin per order so we don't buy orders at a loss."
)
HALF = "This case barely tests technical reasoning or edge cases and risk, so they count half in the overall."
AUTHORED = {
    "checkout-fees": ("technical", "edge_cases"),
    "cleaner-marketplace": ("technical",),
    "onboarding-experiment": ("technical",),
    "stakeholder-roadmap": ("technical", "edge_cases"),
}


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack("pm-execution")


def scores(**by_dim: int) -> tuple[Score, ...]:
    """Seven scores in rubric order, without evidence."""
    return tuple(Score(d, by_dim[d], "hand-built") for d in DIMENSIONS)


def test_the_pack_says_what_four_cases_barely_test_and_the_rest_test_everything(pack: Pack) -> None:
    assert {c.id: c.barely_tests for c in pack.cases if c.barely_tests} == AUTHORED
    assert len(pack.cases) - len(AUTHORED) == 9


def test_a_barely_tested_dimension_counts_half(pack: Pack) -> None:
    assert BARELY_WEIGHT == 0.5
    hand = scores(clarify=5, metrics=4, technical=1, edge_cases=2, tradeoffs=5, data=4, follow_up=3)
    # (5 + 4 + 0.5 * 1 + 0.5 * 2 + 5 + 4 + 3) / (5 + 2 * 0.5) = 22.5 / 6; the plain mean would be 24 / 7 = 3.43
    assert overall_score(hand, pack.case("checkout-fees")) == 3.75
    # one barely-tested dimension: (5 + 4 + 0.5 + 2 + 5 + 4 + 3) / 6.5 = 23.5 / 6.5
    assert overall_score(hand, pack.case("cleaner-marketplace")) == 3.62
    # the weight also lifts nothing that was already high: a 5 on technical counts half too
    assert overall_score(scores(clarify=3, metrics=3, technical=5, edge_cases=5, tradeoffs=3, data=3, follow_up=3),
                         pack.case("stakeholder-roadmap")) == 3.33


def test_a_case_without_barely_tests_gives_exactly_the_plain_mean(pack: Pack) -> None:
    case = pack.case("uploads-drop")
    assert case.barely_tests == ()
    for n in range(50):
        values = [1 + (n * 7 + i * 3) % 5 for i in range(len(DIMENSIONS))]
        given = scores(**dict(zip(DIMENSIONS, values, strict=True)))
        assert overall_score(given, case) == round(sum(values) / len(values), 2)
    assert overall_score((), case) == 0.0


def test_offline_and_llm_give_the_same_weighted_overall_for_the_same_scores(pack: Pack) -> None:
    conversation = ctx(pack, "checkout-fees", CHECKOUT)
    offline = OfflineInterviewer().assess(conversation)
    plain = round(sum(s.score for s in offline.scores) / len(offline.scores), 2)
    assert offline.overall == overall_score(offline.scores, conversation.case) > plain
    by_dim = {s.dimension: s for s in offline.scores}
    assert by_dim["technical"].score <= 2 and by_dim["edge_cases"].score <= 2  # the case hardly asks for them

    def same_scores(body: dict[str, Any]) -> str:
        """The LLM scores what the offline interviewer did, quoting the same words."""
        entries = {d: {"score": s.score, "rationale": "Judged on the answer.", "quotes": [e.quote for e in s.evidence]}
                   for d, s in by_dim.items()}
        return json.dumps({"scores": entries, "feedback": "Clear reasoning about the fees."})

    with ChatServer(reply=same_scores) as server:
        llm = LiteLLMInterviewer(LlmOptions(model="openai/test-model", base_url=server.base_url, retries=1))
        verdict: Verdict = llm.assess(conversation)
        assert server.chat_requests(), "the LLM path never reached the server"
    assert [(s.dimension, s.score) for s in verdict.scores] == [(s.dimension, s.score) for s in offline.scores]
    assert verdict.overall == offline.overall
    assert HALF in verdict.feedback and HALF in offline.feedback


def test_fixes_rank_what_the_case_tests_before_what_it_barely_tests(pack: Pack) -> None:
    conversation = ctx(pack, "checkout-fees", CHECKOUT)
    result = assess_turns(conversation.turns, conversation.case, pack)
    names = {d.id: d.name.lower() for d in pack.dimensions}

    def fix_dims(case_barely: tuple[str, ...]) -> list[str]:
        case = dataclasses.replace(conversation.case, barely_tests=case_barely)
        fixes = what_to_fix(result.scores, result.readings, result.turns, case, conversation.turns, names)
        return [f.dimension for f in fixes]

    ranked = fix_dims(AUTHORED["checkout-fees"])
    unweighted = fix_dims(())
    assert unweighted[0] in ("technical", "edge_cases"), unweighted  # the costliest gap is on what it barely tests
    assert ranked[0] not in ("technical", "edge_cases"), ranked
    tested = [d not in AUTHORED["checkout-fees"] for d in ranked]
    assert tested == sorted(tested, reverse=True), ranked  # every tested dimension before any barely-tested one


def test_the_spoken_verdict_says_a_low_barely_tested_dimension_counted_half(pack: Pack) -> None:
    conversation = ctx(pack, "checkout-fees", CHECKOUT)
    result = assess_turns(conversation.turns, conversation.case, pack)
    text = compose(result.scores, result.readings, conversation.case, conversation.turns, pack)
    opening = text.split("\n\n")[0]
    assert opening.startswith("Overall, ") and opening.endswith(HALF)
    weak = next(p for p in text.split("\n\n") if p.startswith("Weakest was"))
    assert "technical" not in weak and "edge cases" not in weak  # the weak points are what the case tests
    # one barely-tested dimension low, the other fine: only the low one is named
    high_edges = tuple(dataclasses.replace(s, score=4) if s.dimension == "edge_cases" else s for s in result.scores)
    one = compose(high_edges, result.readings, conversation.case, conversation.turns, pack).split("\n\n")[0]
    assert one.endswith("This case barely tests technical reasoning, so it counts half in the overall.")
    # the same scores on a case that tests everything: no clause, and the plain mean is spoken
    uploads = dataclasses.replace(conversation.case, barely_tests=())
    plain = compose(result.scores, result.readings, uploads, conversation.turns, pack).split("\n\n")[0]
    assert "barely tests" not in plain and "counts half" not in plain


def test_reports_say_which_dimensions_count_half(pack: Pack, tmp_path: Path) -> None:
    case = pack.case("checkout-fees")
    store = SessionStore(tmp_path / "sessions")
    interviewer = OfflineInterviewer()
    session = new_session(store, pack, case, interviewer.name, {})
    parts = Parts(speaker=FakeSpeaker(), listener=TextAnswersListener([CHECKOUT]), interviewer=interviewer,
                  store=store, pack=pack, case=case, max_follow_ups=0)
    session = run_session(parts, session)
    listed = [Score(d, s.score, s.rationale, s.evidence) for d, s in session.scores.items()]
    assert session.overall == overall_score(listed, case)
    clause = "This case barely tests it, so it counts half in the overall."
    md_rows = [line for line in to_markdown(session).splitlines() if line.startswith("| ") and "/5 |" in line]
    assert [clause in row for row in md_rows] == [d in case.barely_tests for d in session.scores]
    html = to_html(session, tmp_path / "sessions" / session.id)
    assert html.count(clause) == 2
    # a report of a session without saved fixes (an LLM session) ranks fixes the same way
    derived = derive_fixes(dataclasses.replace(session, fixes=[]), case, pack)
    tested = [f.dimension not in case.barely_tests for f in derived]
    assert tested == sorted(tested, reverse=True) and tested[0], [f.dimension for f in derived]
