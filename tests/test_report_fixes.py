"""What to fix first, when the grader saved none: derived from the weakest scores and the case's answer key."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from corpus_sessions import build_session
from report_sessions import UPLOADS_KEY, keyed_case

from voicecoach.content import adhoc_case
from voicecoach.export.context import ReportContext, find_case
from voicecoach.export.fixes import derive_fixes, fix_outcomes, key_point_made, top_fixes
from voicecoach.export.html import to_html
from voicecoach.export.json_export import to_json_dict
from voicecoach.export.md import to_markdown
from voicecoach.model import Evidence, Fix, Score, Session

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def session(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Session:
    return build_session(corpus_dir, tmp_path_factory.mktemp("s"))


def test_key_point_is_found_in_the_candidates_own_sentence(session: Session) -> None:
    levels, platform = UPLOADS_KEY[1], UPLOADS_KEY[0]
    made = key_point_made(levels, session.turns)
    assert made == Evidence("Alright, so this is the sick corpus, uh, hopefully the recording levels are okay.", 5)
    assert key_point_made(platform, session.turns) is None
    interviewer_only = [t for t in session.turns if t.role == "interviewer"]
    assert key_point_made(levels, interviewer_only) is None  # the interviewer's words never count


def test_derived_fixes_use_the_answer_key_point_still_missing(session: Session) -> None:
    pack, case = find_case("pm-execution", "uploads-drop")
    assert case is not None
    fixes = derive_fixes(session, keyed_case(case), pack)
    assert [(f.dimension, f.key_point) for f in fixes] == [
        ("clarify", "platform-split"),  # "recording-levels" is made in answer 3, so the missing point comes first
        ("edge_cases", "retry-storm"),
        ("metrics", "baseline"),
    ]
    clarify = fixes[0]
    assert clarify.stronger == UPLOADS_KEY[0].stronger
    assert clarify.why == (
        "Clarify scored 2 of 5. You did not ask which platform dropped. A strong answer here asks which platform "
        "and app version the drop sits in before proposing causes."
    )
    assert (clarify.quote, clarify.turn) == ("This is the acoustic", 1)  # the evidence the grader located
    assert fixes[1].quote == "" and fixes[1].turn is None  # edge cases had no evidence: nothing was said


def test_without_an_answer_key_the_rubric_says_what_a_five_sounds_like(session: Session) -> None:
    pack, case = find_case("pm-execution", "uploads-drop")
    assert pack is not None and case is not None
    bare = dataclasses.replace(case, answer_key=())
    fixes = derive_fixes(session, bare, pack)
    five = pack.dimension("edge_cases").descriptors[5]
    assert fixes[1].stronger == f"What a 5 sounds like: {five[0].lower()}{five[1:]}"
    assert all(f.key_point == "" for f in fixes)
    adhoc = derive_fixes(session, adhoc_case("How would you launch dark mode?"), None)
    assert [f.dimension for f in adhoc] == ["clarify", "edge_cases", "metrics"]
    assert all(f.stronger == "" for f in adhoc) and adhoc[0].why.endswith("You did not ask which platform dropped.")


def test_only_weak_dimensions_and_saved_fixes_win(session: Session) -> None:
    strong = dataclasses.replace(
        session, scores={"clarify": Score("clarify", 4, "Good."), "data": Score("data", 5, "")}
    )
    assert derive_fixes(strong, None, None) == []
    saved = [Fix("data", "why", "stronger")] * 4
    assert top_fixes(dataclasses.replace(session, fixes=saved), None, None) == (saved[:3], False)


def test_the_report_shows_key_point_fixes_in_every_format(session: Session, tmp_path: Path) -> None:
    pack, case = find_case("pm-execution", "uploads-drop")
    ctx = ReportContext(pack, keyed_case(case) if case else None)
    html = to_html(session, tmp_path, context=ctx)
    top = html.split('<section id="top-fixes">', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'data-key-point="([\w-]*)"', top) == ["platform-split", "retry-storm", "baseline"]
    assert "the answer key of this case" in top
    assert (
        "On a flaky connection the app retries, so I&#x27;d make sure a retried upload isn&#x27;t counted twice." in top
    )
    md = to_markdown(session, ctx)
    assert "1. **Clarify.** Clarify scored 2 of 5." in md and f"   Stronger: {UPLOADS_KEY[0].stronger}" in md
    data = to_json_dict(session, ctx)["summary"]
    assert [f["key_point"] for f in data["top_fixes"]] == ["platform-split", "retry-storm", "baseline"]
    assert data["top_fixes"][0]["answer"] == 1 and data["top_fixes"][1]["at_s"] is None


def test_fix_outcomes_fixed_by_key_point_by_score_or_not_yet(session: Session) -> None:
    _, case = find_case("pm-execution", "uploads-drop")
    keyed = keyed_case(case) if case else None
    earlier = [
        Fix("clarify", "w", "s", key_point="recording-levels"),
        Fix("metrics", "w", "s", key_point="baseline"),
        Fix("edge_cases", "w", "s", key_point="retry-storm"),
        Fix("data", "w", "s"),
    ]
    before = dataclasses.replace(session, scores={**session.scores, "data": Score("data", 3, "")})
    after = dataclasses.replace(
        session,
        scores={
            "clarify": Score("clarify", 2, ""),
            "metrics": Score("metrics", 4, ""),
            "edge_cases": Score("edge_cases", 1, ""),
        },
    )
    got = [(o.fix.dimension, o.fixed, o.reason) for o in fix_outcomes(earlier, before, after, keyed)]
    assert got == [
        (
            "clarify",
            True,
            (
                "you made the point this time: \u201cAlright, so this is the sick corpus, uh, hopefully the recording "
                "levels are okay.\u201d"
            ),
        ),
        ("metrics", True, "metrics rose from 3 to 4"),
        ("edge_cases", False, "edge cases fell from 2 to 1 and the point is still missing"),
        ("data", False, "data was not scored this time"),
    ]
