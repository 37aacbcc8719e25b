"""The case-grounded reading of a candidate's turns: applied moves, mentions, lists, key points, relevance."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from voicecoach.brain.analysis import MENTION_SHARE, Signal, asks, clear_signal_caches, find_signals, sentences_of
from voicecoach.brain.clarify import matching_facts, presumes_false
from voicecoach.brain.criteria import GUARDRAIL
from voicecoach.brain.grounding import Ground, Vocab, grounds, vocab
from voicecoach.brain.keypoints import LABEL as KEY_LABEL
from voicecoach.brain.keypoints import Made, as_signal, made_points, point_clauses
from voicecoach.brain.meta import is_meta_turn
from voicecoach.brain.recitation import NONE, OUTCOME, Recitation, facts_of, recitation, with_headlines
from voicecoach.brain.relevance import leans_elsewhere, off_topic
from voicecoach.content import Case, Pack, anchor_text
from voicecoach.model import Turn

BARE_KEY_SHARE = 0.25  # a key point matched by the case's words alone, with no word of its dimension
# ... and the same said with its reason ("hurt people who already speak some of it, because their lessons are too
# easy"): a point made in plain words with its why is a move, whatever the rubric would call it
REASONED_KEY_SHARE = 1.0
RECITATION_CAP = 2  # a dimension shown only in a recited list scores at most this


@dataclass(frozen=True)
class TurnReading:
    """One candidate turn read against the case."""

    turn: int
    signals: tuple[Signal, ...]  # what counts, mentions marked ungrounded at a reduced weight; key points included
    grounds: tuple[Ground, ...]
    recitation: Recitation = NONE
    off_topic: str = ""  # why it is not an answer ("another product", "small talk"), or ""
    meta: bool = False  # "could you repeat the question?": no credit at all
    made: tuple[Made, ...] = ()
    false_premise: bool = False  # a clarifying question that presumes something untrue of the case

    @property
    def counts(self) -> bool:
        """Whether the turn earns any rubric credit."""
        return not (self.meta or self.off_topic or self.false_premise)


_MEMO: dict[tuple[str, int, bool, bool, str, str, str, int], TurnReading] = {}


def read_turn(text: str, turn: int, opening: bool, case: Case, pack: Pack | None, asking: bool = False) -> TurnReading:
    """Read one candidate turn: ground each sentence, find lists and key points, decide whether it answers at all."""
    key = (text, turn, opening, asking, pack.id if pack else "", case.id, case.question, len(case.answer_key))
    if key not in _MEMO:
        if len(_MEMO) > 512:
            _MEMO.clear()
        _MEMO[key] = _read_turn(text, turn, opening, case, pack, asking)
    return _MEMO[key]


def clear_caches() -> None:
    """Forget every memoised reading, the lexicon's and the case's (for timing the cold path)."""
    clear_signal_caches()
    _MEMO.clear()


def _read_turn(text: str, turn: int, opening: bool, case: Case, pack: Pack | None, asking: bool) -> TurnReading:
    if is_meta_turn(text):
        return TurnReading(turn, (), (), meta=True)
    if asking and presumes_false(case, text):
        return TurnReading(turn, (), (), false_premise=True)
    sentences = sentences_of(text)
    v = vocab(case, pack)
    g = tuple(grounds(sentences, v))
    raw = find_signals(text, turn, opening=opening)
    against = {(s.sentence, s.dim) for s in raw if s.weight < 0}
    support: dict[tuple[int, str], float] = {}
    for s in raw:
        if s.weight > 0:
            support[(s.sentence, s.dim)] = support.get((s.sentence, s.dim), 0.0) + s.weight
    made = tuple(made_points(case, sentences, turn, g, against, support))
    keyed: dict[int, int] = {}
    for m in made:
        keyed[m.sentence] = keyed.get(m.sentence, 0) + 1
    rec = with_headlines(recitation(raw, g, sentences, keyed), raw, g, keyed)
    if rec.whole:  # a reciting turn: only reasons, the case's numbers or a key point apply a move, not its nouns
        applied = [bool(x.reasons or facts_of(x, keyed.get(n, 0))) and not x.about_other for n, x in enumerate(g)]
    else:
        applied = _applied_sentences(g, leans_elsewhere(g, v, len(made)), rec.sentences)
    # a decision rule or a branch on something the case never names holds nothing of this case ("stop if the app store
    # rating drops" on a payments launch): its own "if" would otherwise ground it as reasoning
    named = [bool(x.own) and not x.about_other for x in g]
    raw = [s for s in raw if not s.needs_case or (0 <= s.sentence < len(named) and named[s.sentence])]
    # a question put to the interviewer in the opening answer, before solving, is asked of this case: "so, how much
    # slower, and for whom?" scopes this problem though it names none of its things
    asking_here = [a or (opening and not rec.whole and n < len(sentences) and asks(sentences[n]))
                   for n, a in enumerate(applied)]
    raw = [_unheld(s, raw, g) for s in raw]
    sigs = [_applied(s, asking_here if s.dim == "clarify" else applied, rec) for s in raw]
    # whether it answers at all is judged on what it applies: a rubric word in a story is a mention, not an answer
    why = off_topic(text, sigs, g, v, len(made), rec.whole, lambda: bool(matching_facts(case, text)))
    if why:
        return TurnReading(turn, (), g, rec, why, made=made)
    # scoping is done before solving: a clarify point counts in the opening answer or a question, not once a solution
    # is on the table ("I'd look at how many weekend bookings get filled" after proposing the fix is measuring)
    credited = [m for m in made if 0 <= m.sentence < len(g) and g[m.sentence].own and not g[m.sentence].generic
                and (m.point.dimension != "clarify" or opening or asking)]
    sigs += [_applied(k, [True] * len(g), rec) for k in _key_credit(credited, sigs, sentences)]
    return TurnReading(turn, tuple(sigs), g, rec, "", made=made)


def _unheld(sig: Signal, raw: Sequence[Signal], g: Sequence[Ground]) -> Signal:
    """A guardrail named with nothing to hold ("define a north star metric and guardrail metrics") is the word, not the
    move: its sentence names no measure and none of the case's things."""
    if sig.label != GUARDRAIL or sig.weight <= 0 or not 0 <= sig.sentence < len(g) or g[sig.sentence].own:
        return sig
    if any(x.sentence == sig.sentence and x.label == OUTCOME and x.weight > 0 for x in raw):
        return sig
    return replace(sig, weight=sig.weight * MENTION_SHARE, grounded=False)


def _key_credit(made: Sequence[Made], sigs: Sequence[Signal], sentences: Sequence[str]) -> list[Signal]:
    """A key point adds what its sentence's words on that dimension did not already earn: "success is the number of
    transfers" is one act of defining success, whether the lexicon or the key reads it. (Only key points said with
    one of the case's own words reach here: a key matched on generic words alone adds nothing to the lexicon.)"""
    out: list[Signal] = []
    seen: set[tuple[int, str]] = set()
    for m in made:
        sig = as_signal(m)
        said = sum(s.weight for s in sigs if s.sentence == m.sentence and s.dim == sig.dim and s.weight > 0)
        if (m.sentence, sig.dim) in seen:  # three options in one breath ("raise prices, pay cleaners to travel, run
            out.append(replace(sig, weight=sig.weight * BARE_KEY_SHARE))  # ads") name options; they choose none
            continue
        seen.add((m.sentence, sig.dim))
        if not said:  # the case's words without any word of the dimension: credit for the point's depth only, and
            # none when the sentence's words make another move ("guardrails would be load time and the share going to
            # new creators" measures; it does not weigh creators against watch time)
            # (in the point's own clauses: "opt-outs rose, because on iOS nobody turns them back on" measures in
            # one clause and knows the platform in the other)
            clauses = point_clauses(m.point, sentences[m.sentence]) if m.sentence < len(sentences) else []
            other = any(s.sentence == m.sentence and s.weight > 0 and s.dim != sig.dim
                        and (not clauses or any(anchor_text(s.phrase) in c for c in clauses)) for s in sigs)
            share = REASONED_KEY_SHARE if (m.deep and not other) or m.rich else BARE_KEY_SHARE
            out.append(replace(sig, weight=sig.weight * share))
        elif sig.weight > said:  # what the sentence's own words did not already earn
            out.append(replace(sig, weight=sig.weight - said))
    return out


def _applied_sentences(g: Sequence[Ground], elsewhere: bool = False, listed: Collection[int] = ()) -> list[bool]:
    """Which sentences apply their moves to the case: their own anchors or reasoning, or a neighbour's anchors (a
    thought that goes on from "if it's Android after release five point two" into "I'd trace the upload service").
    In an answer that leans to another case (elsewhere), only this case's own words tie a sentence to it."""
    if elsewhere:
        return [here.anchored and not here.about_other for here in g]
    out = []
    for n, here in enumerate(g):
        if not here.clause or here.generic:  # a headline or a method in general: applied by its reasons or the
            out.append(bool(here.reasons or facts_of(here)) and not here.about_other)  # case's facts, not by nouns
            continue
        near = any(0 <= k < len(g) and g[k].anchored and not g[k].about_other and not g[k].generic and k not in listed
                   and not g[k].enumerates for k in (n - 1, n + 1))  # a list lends no anchors to its neighbours
        # a reasoned sentence beside this case's things stays applied though it borrows another case's words ("I would
        # not launch an engagement campaign until the bug is fixed, because ..."); the whole answer leaning elsewhere
        # is handled above
        out.append(here.applied or (near and (not here.about_other or bool(here.reasons))))
    return out


def _applied(sig: Signal, applied: Sequence[bool], rec: Recitation) -> Signal:
    """A positive signal keeps its weight only when its sentence applies it to the case; else it is a mention."""
    if sig.weight <= 0 or not 0 <= sig.sentence < len(applied):
        return sig
    if sig.sentence in rec.sentences or not applied[sig.sentence]:
        return replace(sig, weight=sig.weight * MENTION_SHARE, grounded=False)
    return sig


def read_turns(turns: Sequence[Turn], start: int, case: Case, pack: Pack | None, asking: Sequence[int]) -> list[TurnReading]:
    """Every candidate turn from start on, read against the case (asking: indexes of clarifying questions). Once the
    candidate's first answer was about another product, a later turn that names more of that product than of this
    case, or nothing of this case, is about it too ("photos stuck in the queue will all retry at once" on a checkout
    question), however short."""
    out: list[TurnReading] = []
    first_word = True
    for i in range(start, len(turns)):
        t = turns[i]
        if t.role == "interviewer":
            first_word = first_word and t.kind == "question"
            continue
        out.append(read_turn(t.text, i, first_word and i not in asking, case, pack, asking=i in asking))
        first_word = False
    first = next((r for r in out if not r.meta and not r.false_premise), None)
    if first is not None and first.off_topic == "another product":
        v = vocab(case, pack)
        out = [_still_elsewhere(r, v) for r in out]
    elif first is not None and first.recitation.whole:
        out = [r if r is first else _anchored_only(r) for r in out]
    return out


def _anchored_only(r: TurnReading) -> TurnReading:
    """After an answer that recited, a reply earns in full only what it ties to this case's things: "I'd monitor the
    metrics, have a kill switch, and roll back if there's an issue" is the list again, not its application."""
    if not r.counts:
        return r
    anchored = [g.anchored or bool(facts_of(g)) for g in r.grounds]
    sigs = tuple(
        s if s.weight <= 0 or s.label.startswith(KEY_LABEL) or not 0 <= s.sentence < len(anchored) or anchored[s.sentence]
        else replace(s, weight=s.weight * MENTION_SHARE, grounded=False) if s.grounded else s
        for s in r.signals
    )
    return replace(r, signals=sigs)


def _still_elsewhere(r: TurnReading, v: Vocab) -> TurnReading:
    """The turn again as about another product, when it holds more of one other case's words than of this one's, or
    names none of this case's things at all (a reasoned reply about fraud checks answers a probe on this case only
    when the conversation is about this case)."""
    if not r.counts or not r.grounds:
        return r
    own = set().union(*(g.own for g in r.grounds)) - v.shared
    foreign = v.most_from_one_case(set().union(*(g.foreign for g in r.grounds)))
    if (foreign >= 2 and foreign > len(own) + 2 * len(r.made)) or (not own and not r.made):
        return replace(r, signals=(), off_topic="another product")
    return r


def recited_dims(readings: Sequence[TurnReading]) -> set[str]:
    """Dimensions touched by a turn that recites rather than applies."""
    return {d for r in readings if r.counts and r.recitation.whole for d in r.recitation.dims}
