"""The LLM interviewer's caps: what the answers support limits what the model may give, and says so."""
# ruff: noqa: F811 - pytest fixtures imported from the sibling module are named again as test parameters

from __future__ import annotations

import json
import re

from tests.llm_provider import ScriptedProvider
from tests.test_llm_unit import ANSWER, assess_json, ctx_for, llm, pack, provider  # noqa: F401 - shared with test_llm_unit
from voicecoach.brain.llm import LiteLLMInterviewer
from voicecoach.config import LlmOptions
from voicecoach.content import Pack
from voicecoach.model import DIMENSIONS
from voicecoach.ports import Context

# ---- guards: what the answers support caps what the model may give --------------------------------------
CASE_WORDS = re.compile(r"\b(?:photos?|uploads?|uploading|android|ios|release|drop(?:ped)?|app)\b", re.IGNORECASE)
META = re.compile(r"\b(?:repeat the question|say that again|take a moment)\b", re.IGNORECASE)


def grounding_caps(ctx: Context) -> dict[str, int]:
    """A small real check: nothing about this case's own things caps every dimension at 1; a meta turn caps clarify."""
    said = [t.text for t in ctx.turns if t.role == "candidate"]
    if not any(CASE_WORDS.search(s) for s in said):
        return {d: 1 for d in DIMENSIONS}
    return {"clarify": 1} if any(META.search(s) for s in said) else {}


OFF_TOPIC = ("Honestly I'd redesign the checkout flow of our grocery delivery service and reward repeat buyers "
             "with loyalty points, because basket size is what pays the bills.")


def test_caps_lower_what_the_answers_do_not_support_and_say_so(pack: Pack, provider: ScriptedProvider) -> None:
    provider.replies = [assess_json(4, ["redesign the checkout flow of our grocery delivery service"])]
    brain = LiteLLMInterviewer(LlmOptions(model="scripted/x"), caps=grounding_caps)
    verdict = brain.assess(ctx_for(pack, OFF_TOPIC))
    assert [s.score for s in verdict.scores] == [1] * len(DIMENSIONS) and verdict.overall == 1.0
    for s in verdict.scores:
        assert "[lowered from 4 to 1 by the checks for recitation, off-topic answers and meta turns" in s.rationale
        assert [e.quote for e in s.evidence] == ["redesign the checkout flow of our grocery delivery service"]
    assert "Some scores were lowered" in verdict.feedback
    prompt = provider.calls[0].messages[1]["content"]
    assert "- metrics: at most 1" in prompt and "- clarify: at most 1" in prompt, "the model is told the limits too"

    provider.replies = [assess_json(4, ["segment by platform, app version and region"])]
    verdict = brain.assess(ctx_for(pack, ANSWER))
    assert [s.score for s in verdict.scores] == [4] * len(DIMENSIONS), "an answer about this case is not capped"
    assert not any("lowered" in s.rationale for s in verdict.scores) and "lowered" not in verdict.feedback
    assert "apply them to this case" not in verdict.feedback
    assert "Limits the offline checks set" in provider.calls[1].messages[1]["content"]
    assert "(none)" in provider.calls[1].messages[1]["content"].split("Limits the offline checks set")[1][:200]


def test_a_cap_touches_only_its_dimension_and_never_raises(pack: Pack, provider: ScriptedProvider) -> None:
    entry = {"score": 2, "rationale": "Thin.", "quotes": ["line the start up with recent releases"]}
    scores = {d: entry for d in DIMENSIONS} | {"clarify": {"score": 5, "rationale": "Asked well.",
                                                           "quotes": ["could you repeat the question"]}}
    provider.replies = [json.dumps({"scores": scores, "feedback": "Fine."})]
    ctx = ctx_for(pack, "Sorry, could you repeat the question?", ANSWER)
    verdict = LiteLLMInterviewer(LlmOptions(model="scripted/x"), caps=grounding_caps).assess(ctx)
    by_dim = {s.dimension: s for s in verdict.scores}
    assert by_dim["clarify"].score == 1 and "[lowered from 5 to 1" in by_dim["clarify"].rationale
    assert all(s.score == 2 and "lowered" not in s.rationale for d, s in by_dim.items() if d != "clarify")


def test_quotes_kept_are_the_candidates_own_words(pack: Pack, provider: ScriptedProvider) -> None:
    """The model's copy may differ in case and punctuation; the evidence is cut from the transcript, verbatim."""
    provider.replies = [assess_json(3, ["SEGMENT BY PLATFORM APP VERSION AND REGION", "uploads per active user."])]
    ctx = ctx_for(pack, ANSWER)
    verdict = llm().assess(ctx)
    for s in verdict.scores:
        assert [e.quote for e in s.evidence] == ["segment by platform, app version and region", "uploads per active user"]
        assert all(e.quote in ctx.turns[e.turn].text for e in s.evidence)


def test_the_prompts_state_the_guards(pack: Pack) -> None:
    system = pack.templates["llm_system"]
    assess = pack.templates["llm_assess"]
    react = pack.templates["llm_react"]
    assert "A list of rubric terms" in system and "not applied to this case is not judgement" in system
    assert "is not an answer to the question" in system and '"Could you repeat the question?"' in system
    assert "copied word for word" in system and "not a paraphrase" in system
    assert "it scores 2 at most on the dimensions it touches" in assess
    assert "not an answer to it" in assess and "are not answers and earn no credit" in assess
    assert "exact words in their order" in assess
    assert "you did not hear an answer to the question" in react and "Of what, to whom" in react
