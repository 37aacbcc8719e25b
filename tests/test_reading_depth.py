"""How deep a move goes (issue 12, second round): headlines and method-in-general talk are mentions, mentions never
carry a dimension, a point named only to be dropped is not made, a key point said with its why counts in plain
words, options in one breath choose nothing, scoping counts before solving, replies to follow-ups are read against
the case, and the probe goes where the case needs it.

Answers are written for this file in plain, varied words (the playbook answers recite on purpose).
"""

from __future__ import annotations

import pytest

from tests.conversations import ctx
from voicecoach.brain.analysis import Signal, find_signals, read
from voicecoach.brain.keypoints import KEY_WEIGHT, LABEL
from voicecoach.brain.probes import choose_target
from voicecoach.brain.reading import read_turn
from voicecoach.brain.rubric import OfflineInterviewer
from voicecoach.content import Pack
from voicecoach.packs import load_pack


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack("pm-execution")


def _scores(pack: Pack, case_id: str, *lines: str | tuple[str, tuple[str, ...]]) -> dict[str, int]:
    return {s.dimension: s.score for s in OfflineInterviewer().assess(ctx(pack, case_id, *lines)).scores}


def _key_weight(pack: Pack, case_id: str, text: str, point: str, opening: bool = True) -> float:
    """The credit one key point earned in a turn (0 when not credited)."""
    r = read_turn(text, 1, opening, pack.case(case_id), pack)
    return sum(s.weight for s in r.signals if s.label == LABEL + point)


# A playbook in headlines: fragments with no one doing anything, the case's words sprinkled in.
HEADLINES = (
    "For the checkout slide I'd lean on a proven diagnostic playbook. Pin down the definition, the window and the "
    "scope. Splits by region, device, plan type and acquisition source. Funnel analysis to locate the leaking step. "
    "Internal causes such as pricing, UX and bugs, and outside ones such as rivals and seasonality. Hypotheses, "
    "prioritisation, A/B tests, a success metric with guardrails, then iterate."
)


def test_a_playbook_in_headlines_scores_low(pack: Pack) -> None:
    by_dim = _scores(pack, "checkout-fees", HEADLINES)
    assert max(by_dim.values()) <= 3, by_dim
    assert sum(by_dim.values()) / len(by_dim) <= 2.0, by_dim


def test_a_headline_beside_the_cases_facts_stays_a_mention(pack: Pack) -> None:
    case = pack.case("checkout-fees")
    fact = "The slide began when the big-city delivery fee went up by a dollar."
    headline = read_turn(f"{fact} Splits by region, device, plan type and acquisition source.", 1, True, case, pack)
    clause = read_turn(f"{fact} I'd split it by region, device, plan type and acquisition source.", 1, True, case, pack)
    assert not headline.grounds[1].clause and clause.grounds[1].clause
    assert [s.grounded for s in headline.signals if s.sentence == 1 and s.weight > 0] == [False] * len(
        [s for s in headline.signals if s.sentence == 1 and s.weight > 0]) != []
    assert any(s.grounded for s in clause.signals if s.sentence == 1 and s.weight > 0)


def test_a_method_for_any_problem_is_not_applied_by_the_cases_nouns(pack: Pack) -> None:
    general = "The way I approach any search slowdown is to look at the slowest queries by platform and region."
    applied = "I'd look at the slowest searches by platform and region, since the median hardly moved."
    case = pack.case("search-latency")
    g_general = read_turn(general, 1, True, case, pack)
    g_applied = read_turn(applied, 1, True, case, pack)
    assert g_general.grounds[0].generic and not g_applied.grounds[0].generic
    assert all(not s.grounded for s in g_general.signals if s.weight > 0)
    assert any(s.grounded for s in g_applied.signals if s.weight > 0)


def test_mentions_add_at_most_a_little_to_what_was_applied() -> None:
    applied = Signal("data", "segmented the data", 0.75, "for", "split", "split", 1, 0, True)
    mentions = [Signal("data", f"concept {n}", 1.0, "for", f"term {n}", f"term {n}", 1, 1, False) for n in range(6)]
    assert read([applied, *mentions], ("data",))["data"].score == 2
    assert read([applied], ("data",))["data"].score == 2
    grounded = [Signal("data", f"concept {n}", 1.0, "for", f"term {n}", f"term {n}", 1, 1, True) for n in range(6)]
    assert read(grounded, ("data",))["data"].score == 5  # the same weight applied to the case is a five


def test_a_point_named_only_to_be_dropped_is_not_made(pack: Pack) -> None:
    case = "shared-lists-deadline"
    squeeze = ("To land the date I'd have the team skip the separate security review and squeeze testing in alongside "
               "the build, and we patch bugs after launch.")
    keep = "Whatever else goes, I'd hold the final week for testing and the security review, because losing items is worse."
    made = {m.point.id for m in read_turn(squeeze, 1, True, pack.case(case), pack).made}
    assert "keep-the-test-week" not in made
    skip_last_week = "To hit the date I'd skip the security review in that last week."
    assert "keep-the-test-week" not in {m.point.id for m in read_turn(skip_last_week, 1, True, pack.case(case), pack).made}
    assert _scores(pack, case, squeeze)["edge_cases"] <= 1
    from voicecoach.brain.analysis import find_signals

    against = [s for s in find_signals(squeeze, 1) if s.dim == "edge_cases" and s.weight < 0]
    assert against, "cutting the security review and testing to ship is counted against edge cases"
    kept = "Whatever else slips, I'd never squeeze out the testing week."
    assert not [s for s in find_signals(kept, 1) if s.dim == "edge_cases" and s.weight < 0]
    assert "keep-the-test-week" in {m.point.id for m in read_turn(keep, 1, True, pack.case(case), pack).made}


def test_a_key_point_in_plain_words_counts_with_its_why(pack: Pack) -> None:
    bare = "The new build put sending into a background uploader and the phone shuts that down when the battery is low."
    why = ("The new build put sending into a background uploader, and that matters because the phone shuts that down "
           "when the battery is low.")
    case = pack.case("uploads-drop")

    def technical(text: str) -> float:
        return sum(s.weight for s in read_turn(text, 1, True, case, pack).signals if s.dim == "technical")

    assert technical(why) >= KEY_WEIGHT
    assert technical(bare) < KEY_WEIGHT


def test_options_in_one_breath_choose_none(pack: Pack) -> None:
    options = ("We bump the weekend price, pay cleaners from the quiet towns to travel, and nudge flexible customers to "
               "weekdays with a cheaper slot, because the gap is only on weekends.")
    r = read_turn(options, 1, True, pack.case("cleaner-marketplace"), pack)
    assert len([m for m in r.made if m.point.dimension == "tradeoffs"]) >= 2
    keys = [s for s in r.signals if s.label.startswith(LABEL) and s.dim == "tradeoffs"]
    assert sum(1 for s in keys if s.weight >= KEY_WEIGHT / 2) <= 1
    everything = options.replace("because the gap is only on weekends", "no reason to pick just one")
    assert _scores(pack, "cleaner-marketplace", everything)["tradeoffs"] <= 2


def test_scoping_counts_before_solving_not_after(pack: Pack) -> None:
    line = ("First I'd size it: of the weekend jobs in those two cities, how many sit there with nobody taking them, "
            "next to weekdays.")
    assert _key_weight(pack, "cleaner-marketplace", line, "size-the-gap", opening=True) > 0
    assert _key_weight(pack, "cleaner-marketplace", line, "size-the-gap", opening=False) == 0


FIRST = ("It's Android only and it starts with the five point two release, so I'd dig into that build first and put the "
         "fix out to a small group of phones before everyone.")
PROBE = ("What in that build would you look at, and how could it fail?", ("technical",))


def test_a_reply_that_makes_the_cases_point_answers_the_follow_up(pack: Pack) -> None:
    plain = ("That build moved sending into a background uploader, and I'd check whether the phone kills it, because "
             "Android stops background work to save battery and the upload just never finishes.")
    elsewhere = ("Honestly my weekend was great, we went hiking up in the hills and had a long lunch with friends after.")
    assert _scores(pack, "uploads-drop", FIRST, PROBE, plain)["follow_up"] >= 3
    assert _scores(pack, "uploads-drop", FIRST, PROBE, elsewhere)["follow_up"] == 1


def test_the_probe_goes_where_the_case_needs_it() -> None:
    from voicecoach.brain.analysis import Reading

    readings = {d: Reading(d, 4, 3.0, ()) for d in ("clarify", "metrics", "tradeoffs", "data")}
    readings |= {"technical": Reading("technical", 1, 0.0, ()), "edge_cases": Reading("edge_cases", 1, 0.0, ())}
    assert choose_target(readings, set()) == "technical"  # priority order when nothing says otherwise
    assert choose_target(readings, set(), keyless={"technical"}) == "edge_cases"


def test_the_first_probe_on_a_marketplace_answer_is_not_about_systems(pack: Pack) -> None:
    answer = ("First I'd find out how many weekend requests go unfilled in those two cities against weekdays, and ask "
              "cleaners why they skip weekends. I'd rather pay cleaners a weekend bonus than raise what customers pay, "
              "because customers who get no cleaner never come back, and I'd try it in one of the two cities first. "
              "Success is the weekend fill rate up by ten points, with our margin per booking as the guardrail.")
    c = ctx(pack, "cleaner-marketplace", answer)
    assert not any(kp.dimension == "technical" for kp in c.case.answer_key)
    move = OfflineInterviewer().react(c)
    assert move.kind == "follow_up" and move.targets == ("edge_cases",), move  # technical is as weak, and not needed


def test_a_reply_that_makes_another_point_of_the_case_earns_a_two_not_a_one(pack: Pack) -> None:
    other_point = ("I'd call it fixed once completed uploads per active user on Android are back where they were the "
                   "week before five point two, since that's what people actually feel.")
    vague = "Yeah, I think that is a really good question and I would definitely look into it with the team soon."
    assert _scores(pack, "uploads-drop", FIRST, PROBE, other_point)["follow_up"] == 2
    assert _scores(pack, "uploads-drop", FIRST, PROBE, vague)["follow_up"] == 1


def test_a_probe_is_hung_only_on_words_about_what_it_asks(pack: Pack) -> None:
    from voicecoach.brain.probes import phrase_probe

    case = pack.case("checkout-fees")
    answer = ("The first thing I'd ask is whether it's gradual or sudden. I'd want to know how bad it is in the big "
              "cities, and I'd confirm the shape week by week.")
    turns = ctx(pack, "checkout-fees", answer).turns
    technical = phrase_probe(case, "technical", turns)
    assert '"' not in technical and technical in case.probes["technical"]  # nothing technical was said to quote
    for dim in ("clarify", "tradeoffs"):
        line = phrase_probe(case, dim, turns)
        for quote in line.split('"')[1:2]:
            assert not quote.lower().startswith("i'd ask is"), line  # never a clause cut out of "the thing I'd ask is"
            assert not quote.endswith("how bad it"), line  # "how bad it is" is whole


def test_a_plan_about_the_answer_itself_is_never_quoted(pack: Pack) -> None:
    from voicecoach.brain.probes import phrase_probe

    answer = "I'm fairly new, so I'll just say how I'd think about it. Um, fewer pushes that match what people read."
    line = phrase_probe(pack.case("notification-volume"), "tradeoffs", ctx(pack, "notification-volume", answer).turns)
    assert "think about it" not in line, line


UPLOADS_ON_CHECKOUT = (
    "A twelve percent fall in one week smells like a release, so I'd check the upload event first and then split photo "
    "uploads by iPhone and Android and by app version. If it's the Android build that moved uploading to the "
    "background, the phone may be killing the job to save battery, and I'd roll that uploader back today because it's "
    "cheap to undo. Recovered means photo uploads per active user back at last month's level."
)


def test_later_turns_about_the_same_other_product_earn_nothing(pack: Pack) -> None:
    reply = ("Stuck photos will all retry at once after the Android fix, so the uploader needs an id to drop "
             "duplicates, and staged releases for Android builds.")
    own = _scores(pack, "uploads-drop", UPLOADS_ON_CHECKOUT, PROBE, reply)
    moved = _scores(pack, "checkout-fees", UPLOADS_ON_CHECKOUT, ("Which step of checkout?", ("technical",)), reply)
    assert sum(own.values()) / len(own) >= 3.0, own
    assert max(v for k, v in moved.items() if k != "follow_up") <= 1, moved


def test_a_holiday_story_that_names_the_country_is_not_an_answer(pack: Pack) -> None:
    from voicecoach.brain.relevance import NOT_HEARD

    story = ("Oh, Japan! I was in Osaka last spring with my brother. We ate our way through the covered market and took "
             "a day trip to Nara to see the deer. My partner wants us to go back when the leaves turn red.")
    move = OfflineInterviewer().react(ctx(pack, "japan-launch", story))
    assert move.text.startswith(NOT_HEARD), move
    assert max(_scores(pack, "japan-launch", story).values()) <= 1


RECITED = ("Phased release, feature flags, a kill switch. Identity checks and compliance. Fraud scoring, velocity caps, "
           "idempotent retries. North star, guardrails, cohorts, experiments. Risks, abuse, scale. Speed versus safety.")


def test_after_a_recited_answer_a_generic_reply_is_still_a_list(pack: Pack) -> None:
    generic = "Basically I'd keep an eye on the numbers, keep a kill switch ready, and roll back if something goes wrong."
    applied = ("Our own employees in one country first, capped at fifty dollars a transfer, and I'd stop the staged "
               "rollout if failed transfers through the partner go over one in a thousand, because each one is "
               "somebody's rent money.")
    probe = ("Of what, to whom, and what would make you stop it?", ("technical",))
    after_list = _scores(pack, "friend-payments", RECITED, probe, generic)
    assert after_list["technical"] <= 2 and after_list["follow_up"] <= 2, after_list
    assert _scores(pack, "friend-payments", RECITED, probe, applied)["follow_up"] >= 3


def test_turning_down_a_metric_with_its_reason_is_metric_judgement() -> None:
    from voicecoach.brain.analysis import find_signals

    reasoned = "I wouldn't judge it on raw watch time, because the new model was trained to push exactly that up."
    refused = "Honestly we won't define success for this one, we'll just see."
    assert sum(s.weight for s in find_signals(reasoned, 1) if s.dim == "metrics") > 0
    assert sum(s.weight for s in find_signals(refused, 1) if s.dim == "metrics") < 0


def test_techniques_stacked_in_one_breath_are_a_list(pack: Pack) -> None:
    case = pack.case("friend-payments")
    stacked = "For sending money I'd go with a phased rollout behind feature flags and a kill switch."
    applied = ("I'd open it to staff in one country first behind a flag, because a bug there costs us little and we "
               "can switch it off in minutes.")
    assert 0 in read_turn(stacked, 1, True, case, pack).recitation.sentences
    assert not read_turn(applied, 1, True, case, pack).recitation.sentences


def test_a_condition_that_says_nothing_is_not_a_reason(pack: Pack) -> None:
    v_case = pack.case("search-latency")
    empty = read_turn("Then we roll back if needed and fix whatever broke if there's an issue.", 1, True, v_case, pack)
    real = read_turn("We roll back if the slowest searches stay above a second after the flag is off.", 1, True, v_case, pack)
    guess = read_turn("My guess is the new index chokes on searches with several filters.", 1, True, v_case, pack)
    assert not empty.grounds[0].reasons
    assert real.grounds[0].reasons and guess.grounds[0].reasons


def test_a_list_lends_no_anchors_to_the_sentence_after_it(pack: Pack) -> None:
    case = pack.case("search-latency")
    text = ("For the slow searches, first a root cause analysis, the five whys, segmenting by cohort and an A/B test. "
            "We would also set guardrails on it.")
    r = read_turn(text, 1, True, case, pack)
    assert 0 in r.recitation.sentences
    assert all(not s.grounded for s in r.signals if s.sentence == 1 and s.weight > 0)


def test_a_story_about_home_is_not_an_answer_but_a_blunt_order_is(pack: Pack) -> None:
    from voicecoach.brain.relevance import NOT_HEARD

    story = ("Ha, estimates. Our garage conversion was meant to take a month and it's on month three, the electrician "
             "keeps not turning up, so that's another fortnight at least.")
    blunt = "Just drop the new service charge. People hate surprise charges and orders will come straight back."
    assert OfflineInterviewer().react(ctx(pack, "shared-lists-deadline", story)).text.startswith(NOT_HEARD)
    assert read_turn(blunt, 1, True, pack.case("checkout-fees"), pack).off_topic == ""


def test_a_point_said_with_its_price_is_deep(pack: Pack) -> None:
    priced = "Running both flows side by side costs a few days a month, and I'd pay that for the beginners' gain."
    bare = "Both flows would be running side by side for the beginners' gain."
    case = pack.case("onboarding-experiment")
    deep = {m.point.id: m.deep for m in read_turn(priced, 1, True, case, pack).made}
    assert deep.get("cost-of-two-flows") is True, deep
    assert not any(m.deep for m in read_turn(bare, 1, True, case, pack).made)


def test_measures_named_in_a_row_are_a_list_that_picks_none(pack: Pack) -> None:
    # each measure is its own item: naming four of them picks none (one item per kind would read one move here)
    said = "For tracking I'd have bookings filled, GMV, churn, NPS from both sides, plus guardrails."
    r = read_turn(said, 1, False, pack.case("cleaner-marketplace"), pack)
    assert 0 in r.recitation.sentences
    assert all(not s.grounded for s in r.signals if s.dim == "metrics" and s.weight > 0)


def test_measures_named_in_a_verdict_that_turns_one_down_are_chosen_not_recited(pack: Pack) -> None:
    # short items in a row, but said as what the launch is judged on, with one measure turned down: it takes a side
    said = "I'd judge it on folks who link a bank and keep using it for a few months, not installs, and watch reviews and support load."
    r = read_turn(said, 1, False, pack.case("japan-launch"), pack)
    assert 0 not in r.recitation.sentences
    assert any(s.grounded for s in r.signals if s.dim == "metrics" and s.weight > 0)


def test_a_reply_that_takes_up_the_question_with_a_reason_answers_it_in_part(pack: Pack) -> None:
    probe = ("Stricter checks stop fraud but make honest friends wait days for their credit. Where do you land?",
             ("tradeoffs",))
    first = ("I'd pay the credit only after the new rider finishes a first trip, and cap payouts per inviter each month, "
             "since the last promo code lost a lot of money to fake sign-ups.")
    lands = ("I'd hold the credit for two days and tighten the checks. Waiting a little annoys a few honest "
             "friends, because losing another fifth of the budget hurts everyone.")
    no_reason = "Friends wait for credit, checks on fraud, stricter checks, honest friends, and more checks on credit."
    elsewhere = ("I'd judge it by new riders still riding two months later against similar cities without the offer, "
                 "because sign-ups alone flatter any promotion.")
    case = "referral-credits"
    assert _scores(pack, case, first, probe, lands)["follow_up"] >= 3
    assert _scores(pack, case, first, probe, no_reason)["follow_up"] <= 2
    assert _scores(pack, case, first, probe, elsewhere)["follow_up"] <= 2


def test_a_point_said_in_detail_counts_beside_another_move(pack: Pack) -> None:
    # both sentences also weigh fraud (edge cases); the first spells the case's point out, the second names it
    detailed = ("Fraud is the worry here, so we'd tie accounts together when they share a device, a phone number or a "
                "payment card, and catch rings whose trips start at the same pickup spot.")
    passing = "Fraud is the worry here, so we'd flag accounts sharing a phone number."
    assert _key_weight(pack, "referral-credits", detailed, "fake-account-signals") == KEY_WEIGHT
    assert 0 < _key_weight(pack, "referral-credits", passing, "fake-account-signals") < KEY_WEIGHT / 2


def test_a_story_with_a_rubric_word_in_it_is_still_not_an_answer(pack: Pack) -> None:
    # "stuck" is a failure state in an answer; in a story about an uncle's van it is a mention, and the turn is
    # judged on what it applies to the case (nothing), so it is small talk and the question is asked again
    story = ("My uncle fixed boats for a living. His old van got stuck on every hill in the county, and he would sit "
             "by the road whistling for help. He kept a flask of tea under the seat for exactly that. Anyway, "
             "deadlines always remind me of him, he never once made one.")
    assert [s for s in find_signals(story) if s.weight >= 1.5]  # the story does hold a rubric phrase
    assert read_turn(story, 1, True, pack.case("shared-lists-deadline"), pack).off_topic == "small talk"


def test_weighing_named_in_the_abstract_is_not_a_trade_off_made() -> None:
    named = "On the trade-off side I'd balance the near term with the long term, plus riders against drivers."
    made = ("I'd balance it by paying the weekend bonus out of our own cut rather than raising prices, because a "
            "customer with no cleaner on Saturday doesn't come back.")
    assert all(not s.grounded for s in find_signals(named) if s.dim == "tradeoffs" and s.weight > 0)
    assert read(find_signals(named))["tradeoffs"].score <= 2
    assert read(find_signals(made))["tradeoffs"].score >= 3


def test_a_story_with_its_own_because_is_still_small_talk(pack: Pack) -> None:
    # the story reasons about a cat and a roof, not the case: its "because" is no attempt at an answer
    story = ("Funny, group calls. Our cat climbed onto the garage roof last July, because the ladder had blown over in "
             "the night, and she sat up there yowling for an hour. My brother climbed up with a tin of tuna and she "
             "came down on her own the moment he opened it. Half the street stood in a queue to watch. She still "
             "sleeps on that roof most afternoons.")
    assert read_turn(story, 1, True, pack.case("group-video-launch"), pack).off_topic == "small talk"


def test_a_chat_about_the_weather_that_shrugs_we_will_see_is_not_a_plan(pack: Pack) -> None:
    chat = ("Hello, sorry, is the sound coming through all right? My flat is freezing, the boiler packed in again and "
            "the agency says a repairman might turn up Thursday, which, we'll see. Did you have a nice Sunday? "
            "My list of errands is endless lately. Whatever the forecast says, I'm hoping for sunshine.")
    assert read_turn(chat, 1, True, pack.case("shared-lists-deadline"), pack).off_topic == "small talk"


def test_a_run_of_named_items_lends_no_anchors_even_when_the_lexicon_knows_none_of_them(pack: Pack) -> None:
    # the first sentence names the case's things (weekend, cleaners) only as items of a run; the sentence after it
    # names methods in general and should stay a mention, not borrow the run's anchors
    case = pack.case("cleaner-marketplace")
    run = ("The levers are weekend bonuses, cleaner referrals, flexible slots, loyalty perks and "
           "neighbourhood radius. I'd break it down by region and by signup month.")
    applied = ("Weekend requests in the two cities go unfilled far more than weekdays. I'd break it down by region and "
               "by signup month.")
    r_run = read_turn(run, 1, True, case, pack)
    r_applied = read_turn(applied, 1, True, case, pack)
    assert r_run.grounds[0].enumerates
    assert all(not s.grounded for s in r_run.signals if s.sentence == 1 and s.weight > 0)
    assert any(s.grounded for s in r_applied.signals if s.sentence == 1 and s.weight > 0)


def test_a_point_said_just_after_its_reason_is_reasoned(pack: Pack) -> None:
    case = pack.case("referral-credits")
    after = ("Last spring a fifth of the promo money went to fake sign-ups, because nobody checked who was behind them. "
             "We'd flag accounts sharing a phone number. Then the launch goes ahead in the three cities.")
    alone = ("The launch goes ahead in the three cities. We'd flag accounts sharing a phone number. "
             "Then we'd print the posters.")
    made_after = {m.point.id: m for m in read_turn(after, 1, True, case, pack).made}
    made_alone = {m.point.id: m for m in read_turn(alone, 1, True, case, pack).made}
    assert made_after["fake-account-signals"].reasoned
    assert not made_alone["fake-account-signals"].reasoned


def test_a_plain_scoping_question_in_the_opening_answer_is_asked_of_this_case(pack: Pack) -> None:
    # it names none of the case's things, yet put to the interviewer before solving it scopes this problem
    said = ("Okay, before anything, slower for everybody or just some people, and since when exactly? Then I'd pull the "
            "timings of the slowest requests from before and after the release.")
    opening = read_turn(said, 1, True, pack.case("search-latency"), pack)
    later = read_turn(said, 3, False, pack.case("search-latency"), pack)
    asked = [s for s in opening.signals if s.dim == "clarify" and s.sentence == 0 and s.weight > 0]
    assert asked and all(s.grounded for s in asked)
    assert not any(s.grounded for s in later.signals if s.dim == "clarify" and s.sentence == 0 and s.weight > 0)


def test_a_point_said_in_passing_then_in_detail_is_quoted_where_it_is_made_in_full(pack: Pack) -> None:
    said = ("Last time emulators made fake accounts by the hundred. So this time any accounts coming from the same phone "
            "or the same card get linked, and we flag the whole cluster before a cent is paid.")
    read = read_turn(said, 1, True, pack.case("referral-credits"), pack)
    made = {m.point.id: m for m in read.made}
    assert made["fake-account-signals"].sentence == 1


def test_a_point_made_in_its_own_clause_counts_beside_another_move_in_the_sentence(pack: Pack) -> None:
    # measuring in one clause, knowing the platform in the next: the second clause makes the technical point whole
    said = "If opt-outs jumped, that's the real bill, because on iPhones people almost never turn them back on."
    read = read_turn(said, 1, True, pack.case("notification-volume"), pack)
    key = [s for s in read.signals if s.label == LABEL + "ios-is-one-way"]
    assert key and key[0].weight == KEY_WEIGHT


def test_a_point_pieced_together_across_clauses_beside_another_move_stays_bare(pack: Pack) -> None:
    # a sizing question whose clauses happen to hold a nudge's words ("weekdays", "customers") nudges nobody
    said = ("How many weekend requests in those two cities go unfilled, compared with weekdays, and what happens to "
            "customers whose first booking fails?")
    read = read_turn(said, 1, True, pack.case("cleaner-marketplace"), pack)
    key = [s for s in read.signals if s.label == LABEL + "nudge-to-weekdays"]
    assert all(s.weight < KEY_WEIGHT / 2 for s in key)


def test_a_question_then_the_answer_supposed_makes_a_point_of_asking(pack: Pack) -> None:
    said = ("Who's this meant to bring in? Say the aim is a few thousand new riders where we're behind, and a rider from ads "
            "runs us about thirty-five dollars, then forty dollars a pair has to buy better riders than that.")
    made = {m.point.id for m in read_turn(said, 1, True, pack.case("referral-credits"), pack).made}
    assert "goal-and-cost-per-rider" in made


def test_a_guardrail_named_with_nothing_to_hold_is_the_word_not_the_move(pack: Pack) -> None:
    case = pack.case("cleaner-marketplace")
    bare = read_turn("Surge pricing and incentives on both sides. I'd set up a north star and some guardrail metrics, and "
                     "test per market.", 1, True, case, pack)
    held = read_turn("Surge pricing and incentives on both sides. I'd keep cleaners' weekly pay as the guardrail while we "
                     "test per market.", 1, True, case, pack)
    assert not any(s.grounded for s in bare.signals if s.label == "set a guardrail or counter-metric")
    assert any(s.grounded for s in held.signals if s.label == "set a guardrail or counter-metric")


def test_the_marketplace_key_holds_the_gaming_its_probe_asks_about(pack: Pack) -> None:
    # the case's edge-case probe asks what stops cleaners hiding weekend slots for a bonus; its key now holds the answer
    said = ("A weekend bonus that grows when it's scarce just teaches cleaners to hold back their Saturday slots, so I'd "
            "announce one fixed weekend rate.")
    made = {m.point.id for m in read_turn(said, 1, True, pack.case("cleaner-marketplace"), pack).made}
    assert "no-waiting-for-the-bonus" in made
