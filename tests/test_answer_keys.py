"""The shipped answer keys: each point is made by plain case talk, by its own stronger sentence, and by nothing else."""

from __future__ import annotations

import functools
import re

import pytest

from voicecoach import content
from voicecoach.content import KeyPoint, Pack, anchor_text, term_in
from voicecoach.pack_keys import KEY_DIMENSIONS, generic_term
from voicecoach.packs import load_pack

# Candidates in plain, varied words (not the rubric's): each sentence must make the named point of its case.
PLAIN: dict[str, list[tuple[str, str]]] = {
    "uploads-drop": [
        ("drop-is-real", "Did anything change in how we log an upload last week?"),
        ("drop-is-real", "I'd first confirm uploads actually fell and it isn't just a tracking bug in analytics."),
        ("android-only", "First thing, I'd see whether iPhone and web are flat and it's just Android."),
        ("android-only", "Is this happening on Android phones only, and did it start with the new update?"),
        (
            "upload-steps",
            "Do people still open the photo picker and then the upload dies, or do they just stop trying?",
        ),
        ("release-errors", "If the new Android build is failing way more uploads than the old one, that's our answer."),
        ("background-service", "The background uploader might be getting killed by the phone to save battery."),
        ("rollback-or-hotfix", "I'd go back to the old build on Android while the team writes a proper patch."),
        ("recovery-measure", "I'd know we're fine when uploads per user look like they did before the release."),
        (
            "stuck-and-duplicates",
            "Some photos may be sitting stuck on people's phones, and they shouldn't get posted twice.",
        ),
        ("staged-fix", "Ship the repaired Android version to a small group first and keep an eye on failures."),
    ],
    "group-video-launch": [
        ("goal-first", "Why are we building group calls in the first place?"),
        (
            "goal-first",
            "What problem are we solving here, is it that friend groups are moving their calls to some other app?",
        ),
        (
            "groups-calling-weekly",
            "The number I care about is how many groups get on a call together again the following week.",
        ),
        (
            "one-to-one-baseline",
            "Fifteen percent already do one-on-one video, so group calls should grow on top of that.",
        ),
        (
            "bandwidth-budget",
            "Groups burn so much more bandwidth that I'd keep daily call minutes inside what was budgeted.",
        ),
        (
            "frozen-video",
            "On cheap phones with a bad connection the call should fall back to voice, not a frozen picture.",
        ),
        (
            "week-one-versus-month",
            "Early on I'd see if calls even connect; by the end of the month, whether groups keep using it.",
        ),
        (
            "pause-or-expand",
            "If groups stop using it after a couple of weeks, I'd hold off on more countries until we know why.",
        ),
    ],
    "shared-lists-deadline": [
        ("partner-needs", "Is the six weeks fixed, or could it slip?"),
        (
            "partner-needs",
            "Why can't the deadline move, and what does the partner really need to have working on that day?",
        ),
        (
            "core-job",
            "From the interviews, people mostly want the whole house adding to one list and seeing what's been bought.",
        ),
        ("cut-the-extras", "Comments and recipe import can wait until after launch."),
        ("simpler-sync", "We don't need true real time, the list can just reload when someone opens it."),
        ("keep-the-test-week", "I'd leave the final week for QA and the security check no matter what."),
        (
            "judge-the-launch",
            "I'd call it working if in most households more than one person adds to the list every week.",
        ),
        (
            "clashing-edits",
            "If my partner and I both add items at once and one phone has no signal, nothing should vanish.",
        ),
        ("tell-the-partner", "I'd be upfront with the partner about what ships on day one and what comes after."),
    ],
    "search-latency": [
        ("slowest-not-average", "How much slower are the worst searches, compared with a typical one?"),
        (
            "slowest-not-average",
            "The average hides it, so I'd look at the tail, the worst searches, which went to two and a half.",
        ),
        (
            "filtered-searches",
            "Are the slow ones mostly searches where people stack a bunch of filters like color and size?",
        ),
        (
            "two-changes",
            "I'd want to know whether it's the new index or the extra personalization step that adds the time.",
        ),
        ("flag-off-first", "Since the personalization piece has a toggle, I'd turn it off and see if things speed up."),
        (
            "keep-the-old-cluster",
            "I wouldn't let them shut down the old servers on Friday while we still don't know the cause.",
        ),
        (
            "target-and-conversion",
            "I'd watch how many search visits end in a purchase, and page someone when the slow ones cross a line.",
        ),
        (
            "load-test-filters",
            "Next time we should replay real shopper queries with lots of filters against the new backend first.",
        ),
    ],
    "friend-payments": [
        ("where-and-who-holds-money", "Are there legal rules on where we can let people send money?"),
        (
            "where-and-who-holds-money",
            "Which countries can we do this in, and is it us or a licensed provider holding people's money?",
        ),
        (
            "employees-then-trusted",
            "I'd have our own staff send each other money for a couple of weeks before anyone outside tries it.",
        ),
        (
            "transfer-limits",
            "I'd put a ceiling on how much each person can transfer, maybe the two fifty a week the partner suggests.",
        ),
        (
            "stolen-cards-and-scams",
            "Someone could open a fresh account with a stolen card, or pose as your cousin asking for cash.",
        ),
        (
            "partner-interface",
            "If their API only takes fifty requests a second we need a queue, and never pay the same thing twice.",
        ),
        (
            "success-and-stop",
            "If more than a handful of transfers end in a dispute, I'd halt and look before going further.",
        ),
        (
            "disputes-before-launch",
            "The support folks need training on disputes before day one, since legally we have ten days to answer.",
        ),
    ],
    "stakeholder-roadmap": [
        ("company-goal-first", "Before anything, what is the company's goal for the year?"),
        (
            "company-goal-first",
            "What is leadership trying to hit this year? If it's growing existing accounts, the NRR target decides.",
        ),
        ("size-each-option", "The deal is six hundred thousand a year, and sync problems are a third of tickets."),
        ("effort-against-value", "The free plan isn't just ten weeks, it also drags billing into it."),
        (
            "test-the-free-plan",
            "Growth's free plan idea is a guess until we know free teams ever pay, so I'd run a small pilot first.",
        ),
        ("make-the-call", "I'd go with fixing the calendar problems and park single sign-on for now."),
        (
            "tell-each-team",
            "I'd sit down with the sales lead, explain why the deal waits, and see if a firm date keeps the prospect.",
        ),
        (
            "check-at-quarter-end",
            "By the end of the quarter, calendar complaints should be way down and those accounts should stop leaving.",
        ),
    ],
    "onboarding-experiment": [
        (
            "numbers-and-power",
            "Was the test even large enough to pick up a one point move at day 7, or is flat just what noise looks like?",
        ),
        (
            "day-seven-decides",
            "Day one is nice, but the thing I care about is whether people are still around on day seven.",
        ),
        ("what-the-flow-changed", "What exactly is different in the new flow?"),
        ("what-the-flow-changed", "What did the new version do differently, did it drop the placement quiz?"),
        (
            "beginners-versus-advanced",
            "My guess is beginners did better and advanced folks did worse, which washes out to flat.",
        ),
        (
            "beginners-get-the-new-flow",
            "Newcomers could get the new path while people who know some already still take the placement quiz.",
        ),
        ("cost-of-two-flows", "Running both flows side by side costs a few days every month, which seems worth it."),
        ("too-easy-for-advanced", "Strong learners were bored by easy lessons, so let them jump ahead."),
        ("rule-to-reverse", "If the beginners' day seven gain fades by day thirty, I'd switch back."),
    ],
    "notification-volume": [
        ("opt-outs-behind-the-lift", "Sure, opens went up, but a lot more people switched off notifications."),
        ("readers-who-stay", "What I'd track is whether readers are still coming back a few months from now."),
        ("ios-is-one-way", "On iPhones, once someone says no to notifications, you basically never get them back."),
        (
            "holdout-for-months",
            "I'd leave a slice of readers on the current number of pushes for a quarter and compare.",
        ),
        ("better-not-more", "Instead of sending more, send fewer pushes that actually match what each person reads."),
        (
            "caps-and-quiet-hours",
            "Nobody wants a buzz at three in the morning, so hold pushes overnight and let people pick how many.",
        ),
        (
            "recommend-and-what-changes-it",
            "I wouldn't double the notifications yet, unless the long test shows people stick around.",
        ),
    ],
    "referral-credits": [
        ("goal-and-cost-per-rider", "What's the goal behind the referral push?"),
        (
            "goal-and-cost-per-rider",
            "What does a rider normally cost us through ads, and is forty bucks per referral cheaper?",
        ),
        (
            "last-promo-abuse",
            "The old promo code blowup, people making fake accounts on burner numbers, is what I'd guard against.",
        ),
        ("pay-after-a-real-trip", "Nobody gets the credits until the friend actually takes a ride."),
        ("fake-account-signals", "If ten new accounts all sign up from the same phone, that's a ring."),
        (
            "incremental-riders",
            "What matters is extra riders we wouldn't have gotten anyway, and whether they're still riding in a month.",
        ),
        (
            "drivers-at-peak",
            "If we flood Friday night with new people, waits get even worse, since drivers are already maxed out.",
        ),
        ("budget-pace-and-stop", "I'd watch how fast the referral money goes and shut it off if fake sign-ups spike."),
    ],
    "cleaner-marketplace": [
        ("size-the-gap", "How bad is it, what share of Saturday and Sunday jobs never get a cleaner?"),
        (
            "separate-local-markets",
            "The places with spare cleaners are too far away to help, so shipping people across the country is out.",
        ),
        (
            "why-not-weekends",
            "I'd talk to cleaners about what keeps them from working Saturdays, like family or another job.",
        ),
        (
            "weekend-premium",
            "Cleaners could earn extra on Sundays, and we'd figure out whether customers or we cover it.",
        ),
        (
            "nudge-to-weekdays",
            "People with flexible schedules could get a little discount for booking midweek instead.",
        ),
        (
            "protect-first-bookings",
            "A new customer stood up on their first booking is gone for good, so those get filled before anyone else.",
        ),
        (
            "weekend-fill-rate",
            "I'd track how many weekend jobs actually get filled, and whether cleaners' take-home stays healthy.",
        ),
        ("one-city-test", "Try the Saturday bonus in just one city and see if it moves the needle before doing both."),
        (
            "no-waiting-for-the-bonus",
            "If the extra pay climbs when we're short, people will start hiding their Sunday slots, so keep it one set amount.",
        ),
    ],
    "feed-ranking": [
        ("what-offline-measured", "Better at what, exactly? What was it scored on offline, and which month of data?"),
        (
            "offline-is-a-hypothesis",
            "Looking good offline doesn't mean people will watch more, so the model has to prove itself live.",
        ),
        (
            "beyond-watch-time",
            "More minutes watched can just mean more clickbait, so I'd rather see whether people come back.",
        ),
        (
            "serving-cost",
            "Triple the compute is a real bill, and 80 extra milliseconds on the feed is something people feel.",
        ),
        ("stale-batch-feature", "If the overnight job that builds watch history fails, the recommendations go stale."),
        (
            "fallback-ranking",
            "If the new model times out, we should quietly serve the old ordering instead of a blank feed.",
        ),
        ("new-creators", "I'm worried small creators get buried while the big channels soak up everything."),
        ("what-kills-it", "I'd agree up front what result means we scrap the model."),
        (
            "room-in-the-traffic",
            "With two other feed tests live and a tenth of traffic to play with, I'd make sure they don't overlap.",
        ),
    ],
    "japan-launch": [
        ("why-japan-and-who", "Who is the customer in Japan, young professionals or families?"),
        (
            "bank-coverage-first",
            "If most people's banks aren't supported yet, the app can't do its main job, so bank coverage is job one.",
        ),
        ("local-formats", "Japanese users write the family name first and dates year first, and yen has no decimals."),
        (
            "price-against-free-apps",
            "The local players charge nothing and run ads, so eight bucks a month is a hard sell.",
        ),
        (
            "data-stays-in-japan",
            "Financial records have to be stored in Japan, so engineering needs a separate database there.",
        ),
        (
            "support-in-japanese",
            "We'd need people who can answer support tickets in Japanese, or users will get stuck.",
        ),
        (
            "linked-banks-that-return",
            "The real win is people who connect their bank and keep opening the app every week.",
        ),
        (
            "checkpoint-to-narrow",
            "If Japan looks weak after the first quarter, we pull back instead of pouring more money in.",
        ),
    ],
    "checkout-fees": [
        (
            "gradual-means-slow-cause",
            "Because the checkout decline has been slow and steady, it's probably pricing or a rival, not a bug.",
        ),
        ("existing-users-big-cities", "Is it mostly our regulars in the big cities?"),
        ("fees-on-the-last-screen", "People add food, hit the last screen, see the total with fees and bail."),
        ("fees-and-competitor-timing", "When exactly did the slide start, and does it match when fees went up?"),
        (
            "fee-revenue-against-orders",
            "Fees bring in money, but if they cost us more orders than they earn, they're not worth it.",
        ),
        ("test-fee-changes", "I'd try putting the fees right on the menu so nobody is surprised at the end."),
        ("rule-out-breakage", "First I'd check nothing's broken, like payment errors on some phones."),
        ("orders-and-margin", "I'd want people ordering as often as before, without losing money on each order."),
    ],
}

# Rubric words strung together with nothing of any case in them: they must make no point anywhere.
BUZZWORDS = [
    "I'd segment by cohort, set a guardrail metric and do a staged rollout with an A/B test.",
    "Segment by platform, version and cohort, define a north star metric, guardrail on crash rate, run an A/B test.",
    "Think about fraud, abuse, a kill switch, retries, a staged rollout, and speed versus quality.",
    "I'd align stakeholders, prioritise with a framework, and track engagement and retention on a dashboard.",
    "We need to consider edge cases, failure states, scale constraints and API rate limits.",
    "Define success metrics, counter metrics, leading and lagging indicators, and monitor them closely.",
    "I'd do a root cause analysis and check seasonality, external factors and internal changes.",
    "Then a phased rollout behind feature flags, a canary release, monitoring and alerts, and a rollback plan.",
    "I would look at the data, form a hypothesis, run an experiment and iterate on the MVP.",
    "The trade-off is user value versus engineering cost versus business priorities, so I'd pick the highest impact.",
]


# What a reciter knows from the question alone: each case's subject, dropped into the rubric lists below.
SUBJECTS = {
    "uploads-drop": "photo uploads",
    "group-video-launch": "group video calls",
    "shared-lists-deadline": "shared shopping lists",
    "search-latency": "search on the shopping site",
    "friend-payments": "sending money to friends",
    "stakeholder-roadmap": "single sign-on, the support complaints and the free plan",
    "onboarding-experiment": "the new onboarding flow",
    "notification-volume": "push notifications",
    "referral-credits": "the twenty dollar referral",
    "cleaner-marketplace": "cleaners on weekends",
    "feed-ranking": "the new ranking model for the feed",
    "japan-launch": "the Japan launch",
    "checkout-fees": "checkout conversion",
}
NAMED_LISTS = [
    "For {s}, I'd segment by platform, version and cohort, set a north star metric with a guardrail on crash rate.",
    "For {s}, think about fraud, abuse, a kill switch, retries, a staged rollout, and speed versus quality.",
    "For {s}, I'd align stakeholders, prioritise, track engagement and retention on a dashboard, monitor and alert.",
    "With {s}, define success metrics and counter metrics, do a root cause analysis, and check seasonality.",
    "On {s}: edge cases, failure states, scale constraints, API rate limits, a feature flag and a rollback plan.",
    "About {s}, it's user value versus engineering cost versus business priorities, so build an MVP and iterate.",
    "So for {s} I'd look at the funnel, form a hypothesis, run an A/B test with a holdout, check significance.",
]


# What a speech engine could misread, as in the case's other spoken text: points and stronger sentences are spoken too.
MANGLED = re.compile(r"%|&|\be\.g\.|\bi\.e\.|\bvs\b|\bPM\b|\bKPI|\bp9\d|\d+(\.\d+)+|[•*#]")


@pytest.fixture(scope="module")
def pack() -> Pack:
    """The shipped pack, loaded (and so validated) once."""
    return load_pack("pm-execution")


def keyed(pack: Pack) -> list[tuple[str, KeyPoint]]:
    """(case id, point) for every key point of every case."""
    return [(c.id, p) for c in pack.cases for p in c.answer_key]


def made_elsewhere(pack: Pack, case_id: str, sentence: str) -> list[str]:
    """The points of other cases that this sentence makes."""
    return [f"{cid}/{p.id}" for cid, p in keyed(pack) if cid != case_id and p.made_in(sentence)]


def test_every_shipped_case_has_a_key_over_four_dimensions(pack: Pack) -> None:
    keyed_cases = [c for c in pack.cases if c.answer_key]
    assert {c.id for c in keyed_cases} >= set(PLAIN)
    for case in keyed_cases:
        assert 6 <= len(case.answer_key) <= 9, case.id
        dims = {p.dimension for p in case.answer_key}
        assert len(dims) >= 4 and dims <= set(KEY_DIMENSIONS), (case.id, dims)


def test_each_point_has_a_group_of_case_terms_only(pack: Pack) -> None:
    for cid, p in keyed(pack):
        assert 1 <= len(p.anchors) <= 3, (cid, p.id)
        assert any(not any(generic_term(t) for t in g) for g in p.anchors), (cid, p.id)


def test_stronger_is_a_spoken_first_person_sentence_that_makes_its_point(pack: Pack) -> None:
    bad = []
    for cid, p in keyed(pack):
        if not 15 <= len(p.stronger.split()) <= 35:
            bad.append((cid, p.id, f"{len(p.stronger.split())} words"))
        if not re.search(r"\b(I|I'd|I'll|I'm|me|we|we'd|we'll|my|our)\b", p.stronger):
            bad.append((cid, p.id, "not first person"))
        if re.search(r"[;:()/•]|\be\.g\.|\bvs\b", p.stronger):
            bad.append((cid, p.id, "not plain spoken English"))
        bad += [
            (cid, p.id, f"{field} would be misread aloud") for field in (p.point, p.stronger) if MANGLED.search(field)
        ]
        if not p.made_in(p.stronger):
            bad.append((cid, p.id, "does not make its own point"))
    assert not bad


def test_no_stronger_sentence_makes_another_cases_point(pack: Pack) -> None:
    wrong = {f"{cid}/{p.id}": made_elsewhere(pack, cid, p.stronger) for cid, p in keyed(pack)}
    assert not {k: v for k, v in wrong.items() if v}


def test_plain_sentences_make_their_point_and_no_other_cases(pack: Pack) -> None:
    missed, elsewhere = [], []
    for cid, sentences in PLAIN.items():
        points = {p.id: p for p in pack.case(cid).answer_key}
        assert set(points) == {pid for pid, _ in sentences}, (cid, "every point needs a plain sentence")
        missed += [(cid, pid, s) for pid, s in sentences if not points[pid].made_in(s)]
        elsewhere += [(cid, s, made_elsewhere(pack, cid, s)) for _, s in sentences if made_elsewhere(pack, cid, s)]
    assert not missed
    assert not elsewhere


def test_strong_answer_lines_make_no_other_cases_point(pack: Pack) -> None:
    wrong = [(c.id, line, made_elsewhere(pack, c.id, line)) for c in pack.cases for line in c.strong_answer]
    assert not [w for w in wrong if w[2]]


def test_two_sentences_of_one_case_make_no_other_cases_point(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader may look at a short window of sentences: no pair from one case may make another case's point."""
    monkeypatch.setattr(
        content, "anchor_text", functools.lru_cache(maxsize=None)(content.anchor_text)
    )  # same rule, faster
    every = keyed(pack)
    wrong = []
    for case in pack.cases:
        said = [p.stronger for p in case.answer_key] + [s for _, s in PLAIN.get(case.id, [])] + list(case.strong_answer)
        for i, first in enumerate(said):
            for second in said[i + 1 :]:
                norm = anchor_text(f"{first} {second}")
                wrong += [
                    (case.id, cid, p.id, first, second)
                    for cid, p in every
                    if cid != case.id and all(any(term_in(t, norm) for t in g) for g in p.anchors)
                ]
    assert not wrong


@pytest.mark.parametrize("sentence", BUZZWORDS)
def test_buzzwords_make_no_point_on_any_case(pack: Pack, sentence: str) -> None:
    made = [f"{cid}/{p.id}" for cid, p in keyed(pack) if p.made_in(sentence)]
    assert not made, made
    assert not any(p.made_in(" ".join(BUZZWORDS)) for _, p in keyed(pack))


def test_a_rubric_list_that_names_the_case_makes_no_point(pack: Pack) -> None:
    """Naming the case's subject does not turn a recited list into applied points: the move must be said too."""
    assert set(SUBJECTS) == {c.id for c in pack.cases}
    made = [
        (c.id, p.id, line.format(s=SUBJECTS[c.id]))
        for c in pack.cases
        for line in NAMED_LISTS
        for p in c.answer_key
        if p.made_in(line.format(s=SUBJECTS[c.id]))
    ]
    assert not made
