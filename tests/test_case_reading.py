"""The case-grounded reading (issue 12): recitation, relevance, meta turns, against-signals, follow-ups, fixes, guards.

Candidate answers here are written in plain, varied words, except the lists, which recite rubric terms on purpose.
"""

from __future__ import annotations

import re

import pytest

from tests.conversations import ctx
from voicecoach.brain.analysis import asks, find_signals
from voicecoach.brain.evidence import normalise
from voicecoach.brain.guards import is_meta_turn, off_topic, score_caps
from voicecoach.brain.relevance import NOT_HEARD
from voicecoach.brain.rubric import OfflineInterviewer
from voicecoach.content import Pack
from voicecoach.packs import load_pack

LISTS = (
    ("I'd segment by platform, version and cohort, walk the funnel, pick a north star metric with a guardrail on crash "
    "rate, run an A/B test, and think about fraud, abuse, a kill switch, retries and a staged rollout, weighing speed "
    "versus quality."),
    ("So my approach is to clarify the goal first, define a north star and some counter metrics, do a root cause "
    "analysis, segment the data and run experiments, consider edge cases like abuse and scale, use feature flags and "
    "canaries, and prioritise with RICE, looking at the trade-offs between impact and effort."),
    ("There's a lot to think about here. Metrics, guardrails, segmentation, funnels, cohorts. On the technical side, "
    "APIs, latency, caching, retries, idempotency. Risks like fraud, spam and outages at peak load. And the "
    "trade-offs, cost versus speed, build versus buy."),
)
UPLOADS = (
    "First thing, I want to know if this is real or if we broke how we count uploads, so I'd check nothing changed "
    "in the logging. Then I'd split it by iPhone, Android and web, and by app version. If it turns out to be only "
    "Android and it lines up with the five point two release, I'd pull the upload error logs for that release, "
    "because that release moved uploads to a background service and phones kill background work to save battery. "
    "I'd pick a hot-fix over a full rollback if engineering can do it in a day, since a rollback means people "
    "re-downloading. I'd measure recovery as completed uploads per active user back to where it was, and keep an "
    "eye on crashes and on photos getting posted twice when the retries kick in. And I'd release the fix to a small "
    "slice of Android users first."
)
UPLOADS_REPLY = (
    "If the Android error rate were normal after all, I'd stop blaming the release and split the drop by country and "
    "by new versus returning people instead, because then the cause is outside the app."
)
SEARCH = (
    "The median is fine but the slowest searches went from four hundred milliseconds to two and a half seconds, "
    "mostly the ones with several filters, so I'd look at the two things the release changed: the move to the new "
    "index cluster and the personalised ranking call on every query. The ranking call is behind a flag, so I'd "
    "switch it off for a slice of traffic and see if the slow tail disappears, since that's cheap and reversible. "
    "If it's the index, I'd ask the team to hold off shutting the old cluster down on Friday, because we'd lose our "
    "way back. I'd measure success as the ninety-fifth percentile search time back under half a second and search "
    "conversion recovering, especially on mobile, and I'd deprioritise any new ranking work until the tail is fixed."
)
# Strong answers that make most of the case's answer key in plain words, with almost none of the rubric's vocabulary.
# Issue 12's target is 3.5; they read 2.1-2.9 today (docs/offline_interviewer.md says why), so this holds a floor.
PLAIN_UPLOADS = (
    "My first worry is whether the twelve percent is even real, so I'd make sure nobody changed how we log an "
    "upload last week. Then I'd look at phones separately, and if it's only Android starting the day five point "
    "two shipped, that release is my suspect. That build moved uploads into a background uploader, and Android "
    "likes to kill background work to save battery, so I'd have the engineers look at where those uploads die. "
    "I'd roll the uploader back today rather than wait for a patch, because every day it's broken people lose "
    "photos, and a week of rework costs less. I'd call it fixed when uploads per active user on Android are back "
    "where they were before five point two, as long as crashes and battery drain stay flat. And photos stuck in "
    "the queue on people's phones will all retry at once after the fix, so each one has to go up exactly once, no "
    "doubles and none lost."
)
PLAIN_SEARCH = (
    "Customers feel the slow ones, not the average, so I'd look at the slowest searches, and those went from "
    "under half a second to two and a half. They're mostly searches with several filters at once, so my guess is "
    "the new index cluster struggles with filtered queries, or the personalised ranking call that now runs on "
    "every query. The ranking call is behind a flag, so I'd turn it off for part of the traffic today and see if "
    "the slow searches get faster, because that's cheap and easy to undo. I'd ask infra not to shut the old "
    "cluster down on Friday until we know, since that's our only way back. Success is the slowest searches back "
    "under half a second with an alert if they cross it, and conversion from search, which is down three percent, "
    "recovering on mobile too."
)
SMALL_TALK = (
    "Honestly it's been a long week, I just got back from a trip to Lisbon and the weather was lovely, the food was "
    "great and I'm still a bit jet-lagged."
)


@pytest.fixture(scope="module")
def pack() -> Pack:
    """The real pack."""
    return load_pack("pm-execution")


def scores(pack: Pack, case_id: str, *lines: str | tuple[str, str, tuple[str, ...]]) -> tuple[float, dict[str, int]]:
    verdict = OfflineInterviewer().assess(ctx(pack, case_id, *lines))
    return verdict.overall, {s.dimension: s.score for s in verdict.scores}


@pytest.mark.parametrize("text", LISTS)
def test_a_list_of_rubric_terms_scores_low_on_every_case(pack: Pack, text: str) -> None:
    for case in pack.cases:
        overall, by_dim = scores(pack, case.id, text)
        assert overall <= 2.5, (case.id, overall, by_dim)
        assert sum(1 for s in by_dim.values() if s >= 4) <= 1, (case.id, by_dim)


def test_a_recited_list_is_named_in_the_feedback_and_pinned_down(pack: Pack) -> None:
    brain = OfflineInterviewer()
    c = ctx(pack, "uploads-drop", LISTS[0])
    verdict = brain.assess(c)
    assert "you listed techniques" in verdict.feedback.lower()
    assert verdict.fixes and "listed techniques" in verdict.fixes[0].why
    move = brain.react(c)
    assert move.kind == "follow_up"
    assert move.text == 'You mentioned "a staged rollout". Of what, to whom, and what would make you stop it?'


def test_in_a_recited_answer_the_listed_terms_add_nothing_to_what_it_applied(pack: Pack) -> None:
    # one choice made with its reason ("rather than the mean"), the rest a list: the list's "effort versus impact" and
    # "stakeholders aligned" must not lift trade-offs beside that one applied choice
    said = ("So for slow search I'd go with the standard playbook. Tracing, dashboards, alerting. Bisect the deploys, roll "
            "back, feature flags. Caching, indexing, query tuning. I'd rank by p50 and p99 rather than the mean. Then effort "
            "versus impact, get the stakeholders aligned, write SLOs.")
    scores = {s.dimension: s.score for s in OfflineInterviewer().assess(ctx(pack, "search-latency", said)).scores}
    assert scores["tradeoffs"] <= 2


def test_a_strong_answer_scores_well_on_its_own_case_and_low_on_another(pack: Pack) -> None:
    own, _ = scores(pack, "uploads-drop", UPLOADS, ("follow_up", "Suppose the error rate is normal.", ("follow_up",)),
                    UPLOADS_REPLY)
    assert own >= 3.5
    assert scores(pack, "search-latency", SEARCH)[0] >= 3.3  # measured 3.43; see docs/offline_interviewer.md
    for case in pack.cases:
        if case.id != "uploads-drop":
            assert scores(pack, case.id, UPLOADS)[0] <= 2.5, case.id
        if case.id != "search-latency":
            assert scores(pack, case.id, SEARCH)[0] <= 2.5, case.id


def test_an_answer_about_something_else_is_not_an_answer(pack: Pack) -> None:
    brain = OfflineInterviewer()
    for case_id, text in (("uploads-drop", SMALL_TALK), ("japan-launch", UPLOADS), ("referral-credits", SEARCH)):
        c = ctx(pack, case_id, text)
        assert brain.assess(c).overall <= 1.5
        move = brain.react(c)
        assert move.text.startswith(NOT_HEARD) and move.text.endswith(c.case.question)
        assert move.kind == "next_question"
        assert off_topic(c) and set(score_caps(c).values()) == {1}
    # asked again once; a second off-topic turn is not met with the same line a third time
    again = ctx(pack, "uploads-drop", SMALL_TALK, ("question", f"{NOT_HEARD} x", ()), SMALL_TALK)
    assert not brain.react(again).text.startswith(NOT_HEARD)


# A list with the case's subject sprinkled in is still a list (the case's nouns alone tie no list to the case).
NAMED_LISTS = {
    "japan-launch": "For the Japanese market I'd do localisation, pricing research, a beta, A/B tests, partnerships, "
    "a north star metric, guardrails and a phased rollout, then retrospectives on Japan.",
    "cleaner-marketplace": "On the weekend cleaners side, supply and demand, surge pricing, incentives, cohorts, "
    "funnels, a pilot city, NPS surveys, fraud checks and a kill switch for the cleaners.",
    "feed-ranking": "So for the ranking model: offline evaluation, online A/B, holdouts, guardrails, exploration, "
    "cold start, popularity bias, caching, distillation and a gradual ramp of the model.",
}


@pytest.mark.parametrize("case_id", sorted(NAMED_LISTS))
def test_a_list_that_names_the_case_subject_is_still_a_list(pack: Pack, case_id: str) -> None:
    overall, by_dim = scores(pack, case_id, NAMED_LISTS[case_id])
    assert overall <= 2.5, by_dim
    assert sum(1 for s in by_dim.values() if s >= 4) <= 1, by_dim


# Fluent answers about something that is not this case: another product entirely, or chat with the interviewer.
ELSEWHERE = [
    ("uploads-drop", (
        "For the hotel chain's loyalty scheme I'd give members a free breakfast after their third "
        "stay, a late checkout on weekends, and a birthday upgrade to a suite. The front desk would greet returning "
        "guests by name, and I'd count repeat bookings per property every quarter."
    )),
    ("checkout-fees", (
        "Lovely to meet you. Are you calling from the London office? I visited last spring, the view "
        "over the river was wonderful. Do you get much time to travel yourself?"
    )),
    # a story about the case's own subject, whose only judgement is an opinion of a restaurant
    ("checkout-fees", (
        "Ha, funny, food delivery. On Sunday I ordered from the noodle bar by my office, and the rider went to the wrong "
        "door and rang me three times, and the soup had leaked all over the bag. The dumplings were lovely though, so I "
        "let it go. I've ordered from them since I moved here. My flatmate prefers the burger van round the corner, but "
        "I think it's overrated."
    )),
    # the same kind of story, whose only question mark is a tag on a statement
    ("checkout-fees", (
        "Oh, food delivery, ha, okay. Back in March I ordered pho from a spot near the station and it turned up an hour "
        "late, the driver had gone to the wrong street. I still gave him a good tip because it was pouring, you know? My "
        "sister says I'm too soft. These days I mostly just pick up tacos on my way home."
    )),
]


@pytest.mark.parametrize(("case_id", "text"), ELSEWHERE)
def test_fluent_talk_about_something_else_is_not_heard_and_earns_no_clarify(pack: Pack, case_id: str, text: str) -> None:
    brain = OfflineInterviewer()
    c = ctx(pack, case_id, text)
    verdict = brain.assess(c)
    assert verdict.overall <= 1.5
    assert {s.dimension: s.score for s in verdict.scores}["clarify"] <= 1
    assert brain.react(c).text.startswith(NOT_HEARD)


def test_a_question_tag_on_a_statement_asks_nothing() -> None:
    assert not asks("I still gave him a good tip because it was pouring, you know?")
    assert not asks("That's the fees talking, right?")
    assert asks("Is the drop on every platform, or just one?")


def test_an_opinion_about_the_case_is_an_attempt_at_an_answer(pack: Pack) -> None:
    brain = OfflineInterviewer()
    c = ctx(pack, "checkout-fees", "Checkout probably just looks tired to people. I think it's the last screen, where "
            "the fees jump out, that puts them off.")
    assert not brain.react(c).text.startswith(NOT_HEARD)


@pytest.mark.parametrize(
    ("case_id", "said"),
    [
        ("checkout-fees", ("Check which checkout step people give up at, then compare the fee screen from before and after "
                          "the fee went up.")),
        ("feed-ranking", ("Show the new ranking to one in twenty viewers, leave everybody else on the current feed, and "
                         "watch both groups.")),
    ],
)
def test_a_plan_said_as_instructions_is_an_answer(pack: Pack, case_id: str, said: str) -> None:
    """No "I'd" and no rubric word, but steps on the case's own things: probed as an answer, never "not heard"."""
    c = ctx(pack, case_id, said)
    assert not off_topic(c)
    assert not OfflineInterviewer().react(c).text.startswith(NOT_HEARD)


def test_a_reply_that_reasons_about_the_cases_things_in_plain_words_is_heard(pack: Pack) -> None:
    """A follow-up reply with no rubric word and no "I'd" is still an answer when it reasons about two or more of the
    case's things; a holiday story with a stray "so we" about one of them is not."""
    opening = "I'd keep the shared list and ticking items off for launch, and cut comments and price estimates."
    probe = ("What would you build right after launch?", ("tradeoffs",))
    reply = ("Straight after launch comes making it work deep inside big stores, because plenty of people shop where the "
             "phone has no bars, then recipe import once folks ask for it.")
    c = ctx(pack, "shared-lists-deadline", opening, probe, reply)
    assert not off_topic(c)
    assert not OfflineInterviewer().react(c).text.startswith(NOT_HEARD)
    story = ("We drove up to the coast for the weekend, and it poured on Sunday so we played cards all day in the "
             "cabin, and my niece won every single game.")
    assert off_topic(ctx(pack, "referral-credits", story))


def test_an_aside_that_opens_a_story_is_not_an_instruction(pack: Pack) -> None:
    said = "Look, my cousin runs a taco truck and last summer he tried charging a delivery fee, and honestly it was chaos."
    assert off_topic(ctx(pack, "checkout-fees", said))


def test_a_plain_clarifying_question_is_still_answered(pack: Pack) -> None:
    """Small talk is told from a question the case's facts answer ("how many people use search?")."""
    brain = OfflineInterviewer()
    c = ctx(pack, "uploads-drop", "Before I dive in, which platforms are affected, and when did it start?", kind="clarification")
    assert brain.react(c).kind == "clarification_answer"
    assert not off_topic(c)


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("Could you repeat the question?", "Sure. "),
        ("Sorry, can you say that again?", "Sure. "),
        ("Um, sorry, I didn't quite catch that.", "Sure. "),
        ("Can I take a moment to think?", "Take your time."),
        ("Give me a second.", "Take your time."),
    ],
)
def test_meta_turns_get_the_question_or_a_pause_and_no_credit(pack: Pack, said: str, reply: str) -> None:
    assert is_meta_turn(said)
    c = ctx(pack, "uploads-drop", said, kind="clarification")
    move = OfflineInterviewer().react(c)
    assert move.kind == "clarification_answer" and move.text.startswith(reply)
    if reply.startswith("Sure"):
        assert move.text.endswith(c.case.question)
    _, by_dim = scores(pack, "uploads-drop", said)
    assert by_dim["clarify"] <= 2 and max(by_dim.values()) <= 2
    assert score_caps(c)["clarify"] <= 2


def test_a_long_answer_that_asks_for_a_moment_is_still_an_answer() -> None:
    assert not is_meta_turn(UPLOADS + " Let me think about the rest.")
    assert not is_meta_turn("Let me think. I'd first check whether the drop is only on one kind of phone.")


def test_a_question_on_a_false_premise_is_corrected_and_earns_nothing(pack: Pack) -> None:
    c = ctx(pack, "japan-launch", "Is the drop on all platforms?", kind="clarification")
    move = OfflineInterviewer().react(c)
    assert move.text.startswith("Nothing has dropped in this case.")
    assert scores(pack, "japan-launch", "Is the drop on all platforms?")[1]["clarify"] <= 2
    # the same question where something did drop is a good one and gets the fact
    fair = OfflineInterviewer().react(ctx(pack, "uploads-drop", "Is the drop on all platforms?", kind="clarification"))
    assert "only on Android" in fair.text


def test_against_signals_a_real_interviewer_catches() -> None:
    def labels(text: str) -> dict[str, float]:
        return {f"{s.dim}:{s.label}": s.weight for s in find_signals(text)}

    assert labels("Honestly I don't see any real risks here.").get("edge_cases:dismissed edge cases", 0) < 0
    assert labels("We'd just push it out to everybody on day one.")[
        "technical:shipped to everyone at once with no stop condition"] < 0
    assert "technical:shipped to everyone at once with no stop condition" not in labels(
        "We'd open it to everyone at once but kill it if complaints spike.")
    assert labels("The devs will sort out the technical details.")["technical:left the technical side to others"] < 0
    assert labels("I wouldn't pick one, we should fund all of them.")["tradeoffs:refused to make a decision"] < 0
    vanity = labels("Not installs or page views, those are vanity numbers here.")
    assert vanity.get("metrics:rejected a vanity metric", 0) > 0 and all(w >= 0 for w in vanity.values())


def test_follow_up_quotes_whole_clauses_and_never_repeats_itself(pack: Pack) -> None:
    brain = OfflineInterviewer()
    answer = "I'd look at the opt-in screen, the crash rate and the opt-out flow, then roll back if needed."
    first = brain.react(ctx(pack, "uploads-drop", answer))
    for quote in re.findall(r'"([^"]+)"', first.text):
        assert normalise(quote) in normalise(answer)
        assert not quote.endswith(("opt", "the", "and"))  # whole words, a whole clause
    second = brain.react(ctx(pack, "uploads-drop", answer, ("follow_up", first.text, first.targets), answer))
    assert second.text != first.text


def test_fixes_come_with_located_quotes_and_the_case_key(pack: Pack) -> None:
    c = ctx(pack, "uploads-drop", LISTS[0], ("follow_up", "Of what?", ("technical",)), "We'd just push it out to "
            "everybody on day one, the devs will sort out the technical details.")
    verdict = OfflineInterviewer().assess(c)
    keys = {kp.id: kp for kp in c.case.answer_key}
    assert 1 <= len(verdict.fixes) <= 3
    assert len({f.dimension for f in verdict.fixes}) == len(verdict.fixes)
    for fix in verdict.fixes:
        assert fix.why and fix.stronger
        if fix.quote:
            assert fix.turn is not None and fix.quote in c.turns[fix.turn].text
        if fix.key_point:
            assert fix.stronger == keys[fix.key_point].stronger
    assert any(f.key_point for f in verdict.fixes)


def test_spoken_feedback_is_paragraphs_with_scores_in_words(pack: Pack) -> None:
    text = OfflineInterviewer().assess(ctx(pack, "uploads-drop", UPLOADS)).feedback
    assert "\n\n" in text and not re.search(r"\d(?:\.\d)?\s*(?:/|out of)\s*5\b", text)
    assert re.search(r"\b(?:one|two|three|four|five)(?: and a half)? out of five\b", text)


def test_score_caps_leave_a_good_answer_alone_and_cap_a_list(pack: Pack) -> None:
    assert score_caps(ctx(pack, "uploads-drop", UPLOADS)) == {}
    caps = score_caps(ctx(pack, "uploads-drop", LISTS[0]))
    assert caps and max(caps.values()) <= 3 and {"technical", "edge_cases", "data"} <= set(caps)


def test_plain_word_answers_are_read_on_their_case_and_nowhere_else(pack: Pack) -> None:
    for case_id, text, floor in (("uploads-drop", PLAIN_UPLOADS, 2.5), ("search-latency", PLAIN_SEARCH, 3.3)):
        assert scores(pack, case_id, text)[0] >= floor, case_id  # regression floor; the target (3.5) is not met
        for case in pack.cases:
            if case.id != case_id:
                assert scores(pack, case.id, text)[0] <= 2.5, (case_id, case.id)


def test_judging_the_evidence_is_not_refusing_the_call() -> None:
    refused = "refused to make a decision"
    assert refused not in {s.label for s in find_signals("We wouldn't pick a winner on the first week's numbers alone.")}
    assert refused in {s.label for s in find_signals("Honestly, I can't choose between the three of them.")}


@pytest.mark.parametrize(
    ("case_id", "said"),
    [
        # questions to the interviewer and one reasoned aside that happens to name a word of the case
        ("search-latency", ("Hello, can you hear me all right? I'm sat in a shop down the road because the flat has no "
                           "wifi today. How has your morning been? Did you get any sun at the weekend?")),
        # a story's past ("we'd both bought"), a habit ("used to keep the list") and "I'll admit" are not plans
        ("shared-lists-deadline", ("Ha, lists. My brother and I used to keep the list on a whiteboard by the door, and "
                                  "on two Saturdays running we'd each bought milk. I'll admit I still love wandering the "
                                  "aisles on a Sunday more than the list itself. My gran writes hers on old receipts "
                                  "and never forgets a thing.")),
        # "the list" and "both" once made the case's point about households adding to one list each week
        ("shared-lists-deadline", ("Honestly it's chaos at our place. Last month we'd both bought the eggs on the list, "
                                   "my flatmate and I, since neither of us checked the fridge door. My dad still "
                                   "keeps his in his head and never forgets anything, which drives us mad.")),
    ],
)
def test_small_talk_and_a_household_story_are_not_heard_as_answers(pack: Pack, case_id: str, said: str) -> None:
    c = ctx(pack, case_id, said)
    assert off_topic(c)
    assert OfflineInterviewer().react(c).text.startswith(NOT_HEARD)


_FRAUD_REPLY = ("What could break: honest folk get snagged by the fraud checks, like a couple sharing one tablet, and they "
                "get annoyed, so held payouts go to a quick human review, and we explain the delay instead of just not "
                "paying anything.")
_PROBE = ("What could go wrong with those checks?", ("edge_cases",))


def test_a_reasoned_reply_that_names_no_word_of_the_case_is_heard_in_a_conversation_about_it(pack: Pack) -> None:
    opening = "I'd pay the twenty dollars only after the friend's first paid ride, and cap referrals per rider each month."
    c = ctx(pack, "referral-credits", opening, _PROBE, _FRAUD_REPLY)
    assert not OfflineInterviewer().react(c).text.startswith(NOT_HEARD)


def test_after_an_answer_about_another_product_a_reply_about_nothing_of_this_case_is_still_elsewhere(
    pack: Pack,
) -> None:
    opening = ("I'd open person-to-person transfers to staff first, with identity checks through the banking partner, "
               "hold the first transfer from any new account for a day, cap what a new account can send each week, and "
               "have support ready for disputes and chargebacks before the first outside user.")
    assert off_topic(ctx(pack, "onboarding-experiment", opening, _PROBE, _FRAUD_REPLY))


def test_a_reply_that_turns_a_step_down_is_an_answer(pack: Pack) -> None:
    opening = "I'd split day seven by learners who already know some of the language and complete beginners."
    probe = ("Day one went up. Would you ship it?", ("tradeoffs",))
    reply = ("And we wouldn't call it on week one by itself. It's a pleasant early sign, but what counts is learners "
             "still turning up in week three. A nudge can pump up the first day without anyone learning more.")
    assert not OfflineInterviewer().react(ctx(pack, "onboarding-experiment", opening, probe, reply)).text.startswith(
        NOT_HEARD
    )
