"""Scores for the seven dimensions, each with a rationale and evidence located in the candidate's words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from voicecoach.brain.analysis import (
    Reading,
    Signal,
    clarification_signals,
    find_signals,
    question_needs,
    read,
    score_total,
    sentences_of,
    short_quote,
    strip_instructions,
)
from voicecoach.brain.clarify import is_clarifying_question
from voicecoach.brain.evidence import locate, normalise
from voicecoach.brain.grounding import stem, words_of
from voicecoach.brain.keypoints import LABEL as KEY_LABEL
from voicecoach.brain.keypoints import as_signal
from voicecoach.brain.lexicon import CONCEPTS
from voicecoach.brain.probes import COVERED, PROBED_DIMS
from voicecoach.brain.reading import RECITATION_CAP, TurnReading, read_turns, recited_dims
from voicecoach.content import Case, Pack
from voicecoach.model import DIMENSIONS, Evidence, Score, Turn

NO_EVIDENCE_CAP = 2
_DEFLECT = re.compile(
    r"\b(?:as i (?:said|mentioned)|like i (?:said|mentioned)|i (?:already|just) (?:said|covered|answered)|"
    r"going back to my (?:framework|structure|plan)|let me (?:go back|start again|restart)|that's not (?:really )?my|"
    r"i'd leave that to|i'm not sure,? (?:honestly|really)|i don't know)\b"
)
_ADAPT = re.compile(
    r"\b(?:in that case|that changes|then i'd|then i would|so instead|that means|that would mean|if that's (?:true|the case)|"
    r"i'd change|i would change|i'd switch|i'd drop|rules out|that tells me|given that)\b"
)
_MIN_REPLY_WORDS = 8


@dataclass(frozen=True)
class Assessment:
    """Everything assess() works out: readings per dimension and the scores built from them."""

    readings: dict[str, Reading]
    scores: tuple[Score, ...]
    turns: tuple[TurnReading, ...] = ()  # each candidate turn read against the case (empty without a case)


def is_clarification(turn: Turn) -> bool:
    """A candidate turn that asked rather than answered (relabelled by the loop, or recognised here)."""
    return turn.role == "candidate" and (
        turn.kind == "clarification" or (turn.kind == "answer" and is_clarifying_question(turn.text))
    )


def case_start(turns: Sequence[Turn]) -> int:
    """Index just after the last interviewer question: where the current case begins."""
    for i in range(len(turns) - 1, -1, -1):
        if turns[i].role == "interviewer" and turns[i].kind == "question":
            return i + 1
    return 0


def case_readings(turns: Sequence[Turn], start: int, case: Case, pack: Pack | None) -> list[TurnReading]:
    """Every candidate turn from start on, read against the case, the clarifying questions marked as such."""
    return read_turns(turns, start, case, pack, [i for i in range(start, len(turns)) if is_clarification(turns[i])])


def all_signals(
    turns: Sequence[Turn], start: int = 0, case: Case | None = None, pack: Pack | None = None,
    read: Sequence[TurnReading] | None = None,
) -> list[Signal]:
    """Signals from every candidate turn from start on; clarifying questions also earn clarify credit.

    With a case, each turn is read against it (reading.read_turn): terms not applied to the case count as mentions,
    key points made count, and meta turns, off-topic turns and questions on a false premise earn nothing. read: the
    turns already read (case_readings), so a conversation is read once.
    """
    asking = [i for i in range(start, len(turns)) if is_clarification(turns[i])]
    if case is not None:
        readings = read if read is not None else case_readings(turns, start, case, pack)
        sigs = [s for r in readings for s in r.signals]
        counted = {r.turn for r in readings if r.counts}
        return sigs + clarification_signals(turns, [i for i in asking if i in counted])
    sigs = []
    first_word = True  # only the candidate's first turn on a case can "jump straight to solutions"
    for i in range(start, len(turns)):
        t = turns[i]
        if t.role == "interviewer":
            first_word = first_word and t.kind == "question"
            continue
        sigs.extend(find_signals(t.text, i, opening=first_word and i not in asking))
        first_word = False
    return sigs + clarification_signals(turns, asking)


def answer_readings(
    turns: Sequence[Turn], start: int = 0, case: Case | None = None, pack: Pack | None = None, keys: bool = True,
    turn_readings: Sequence[TurnReading] | None = None,
) -> dict[str, Reading]:
    """Readings of the six content dimensions over the candidate's turns from start on, each with whether the case
    question (the interviewer's last question before start) asks for it; lists of terms cap what they touch.

    keys=False leaves out the answer key's credit (choosing a probe: a loose key match must not hide a gap).
    turn_readings: case_readings(turns, start, case, pack) when the caller already has them."""
    if case is not None and turn_readings is None:
        turn_readings = case_readings(turns, start, case, pack)
    sigs = all_signals(turns, start, case, pack, turn_readings)
    readings = read(sigs if keys else [s for s in sigs if not s.label.startswith(KEY_LABEL)], PROBED_DIMS)
    if case is not None and turn_readings is not None:
        for d in recited_dims(turn_readings):
            r = readings.get(d)
            if r is None:
                continue
            if not any(s.weight > 0 and s.grounded for s in r.signals):
                readings[d] = replace(r, score=min(r.score, RECITATION_CAP))
            else:  # what the answer applied, without the room its mentions add elsewhere: here they are the list
                applied = read([s for s in r.signals if s.grounded or s.weight < 0], (d,))[d]
                readings[d] = replace(r, score=min(r.score, applied.score))
    asked = next((t.text for t in reversed(turns[:start]) if t.role == "interviewer" and t.kind == "question"), "")
    needs = question_needs(asked)
    return {d: replace(r, need=needs.get(d, 0.0)) for d, r in readings.items()}


def _replies(turns: Sequence[Turn]) -> list[tuple[Turn, int]]:
    """(follow-up, index of the candidate's reply) for every follow-up that got a real answer."""
    pairs: list[tuple[Turn, int]] = []
    for i, t in enumerate(turns):
        if t.role == "interviewer" and t.kind == "follow_up":
            j = next((k for k in range(i + 1, len(turns)) if turns[k].role == "candidate" and not is_clarification(turns[k])), None)
            if j is not None and not any(turns[k].kind in ("follow_up", "question") for k in range(i + 1, j)):
                pairs.append((t, j))
    return pairs


def _reply_signals(turns: Sequence[Turn], j: int, read: TurnReading | None, recited: bool) -> list[Signal] | None:
    """What a reply to a follow-up showed: the lexicon's signals plus the case's key points made in it (a reply is
    about the case by being a reply, so its terms count in full). None when the reply earns nothing: a meta turn, an
    off-topic turn. A reply that recites, or any reply once the answer recited, is read as the case reader reads it:
    what it does not tie to the case is a mention."""
    sigs = find_signals(turns[j].text, j, opening=False)
    if read is None:
        return sigs
    if not read.counts:
        return None
    if recited or read.recitation.whole:
        return list(read.signals)
    return sigs + [as_signal(m) for m in read.made]


ENGAGED = 3  # a reply that takes up the follow-up's own question and reasons about it answers it, at least in part
_QUOTED = re.compile(r"[\"\u201c][^\"\u201d]*[\"\u201d]")


def taken_up(question: str, reply: str, read: TurnReading | None, opening: set[str], turn: int) -> Signal | None:
    """Whether a reply takes up what the follow-up asked, with a reason: two or more of the question's own words
    (not the words it quoted back, nor the case's opening question) and reasoning in the reply. "Stricter checks stop
    fraud but make honest friends wait for their credit; where do you land?" is answered by "I'd hold the credit two
    days and tighten the checks, because ...", in no word of the rubric. opening: _asked(the case's question). The
    signal quotes the reasoned sentence."""
    if read is None or not read.counts:
        return None
    asked = _asked(_QUOTED.sub(" ", question)) - opening
    if len(asked & _asked(reply)) < 2:
        return None
    sentences = sentences_of(reply)
    k = next((n for n, g in enumerate(read.grounds) if g.reasons and n < len(sentences)), None)
    if k is None:
        return None
    quote = short_quote(sentences[k], 24)
    return Signal("follow_up", "took up the question it was asked, with a reason", 1.0, "for", quote, quote, turn, k)


# Words of four letters or more that ask rather than say: left out when matching a reply to its question.
_ASKING_WORDS = frozenset([
    "what", "where", "when", "which", "would", "could", "should", "your", "yours", "their", "they", "them", "then",
    "than", "that", "this", "these", "those", "with", "from", "have", "about", "into", "there", "here", "does",
    "make", "makes", "just", "like", "said", "says", "want", "know", "think", "mean", "tell", "land", "walk", "more",
    "most", "much", "many", "some", "still", "even", "only", "also", "very", "really", "before", "after", "other",
    "each", "every", "over", "under", "being", "been", "were", "will", "people", "thing", "things", "doing", "going",
    "happens", "happen"
])


def _asked(text: str) -> set[str]:
    """The stems of a text's words that carry its content, generic verbs ("check", "stop") included."""
    return {stem(w) for w in words_of(text) if len(w) > 3 and w not in _ASKING_WORDS}


def follow_up_reading(
    turns: Sequence[Turn], readings: dict[str, Reading], turn_readings: Sequence[TurnReading] = ()
) -> tuple[Reading, str]:
    """How the candidate handled follow-ups: did each reply address the dimension it was asked about? turn_readings:
    the conversation read against its case (case_readings), empty without a case."""
    pairs = _replies(turns)
    if not pairs:
        asked = any(t.role == "interviewer" and t.kind == "follow_up" for t in turns)
        if asked:
            return Reading("follow_up", 1, 0.0, ()), "A follow-up was asked but never answered."
        covered = sum(1 for d in PROBED_DIMS if readings[d].score >= COVERED)
        best = max((s for r in readings.values() for s in r.positives), key=lambda s: s.weight, default=None)
        score = 3 if covered >= 5 else 2 if covered >= 3 else 1
        why = f"No follow-up was asked; judged on how much the answer pre-empted ({covered} of 6 dimensions covered well)."
        return Reading("follow_up", score, float(covered), (best,) if best else ()), why
    per_pair: list[int] = []
    used: list[Signal] = []
    notes: list[str] = []
    by_turn = {r.turn: r for r in turn_readings}
    recited = any(r.recitation.whole for r in turn_readings)
    opening = _asked(next((t.text for t in turns if t.role == "interviewer" and t.kind == "question"), ""))
    for follow, j in pairs:
        reply = strip_instructions(turns[j].text)
        target = follow.targets[0] if follow.targets else "follow_up"
        found = _reply_signals(turns, j, by_turn.get(j), recited)
        sigs = found or []
        norm = normalise(reply)
        if target == "follow_up" or target not in PROBED_DIMS:
            # a curveball: new substance (capped) plus whether the plan visibly changed ("in that case I'd ...")
            substance = min(sum(read(sigs, PROBED_DIMS)[d].total for d in PROBED_DIMS if d in {x.dim for x in sigs}), 3.0)
            s = score_total(max(substance, 0.0) + (2.0 if _ADAPT.search(norm) else 0.0))
        else:
            s = read(sigs, (target,))[target].score
        # a reply that makes another of the case's points engaged with the case, if not with the question: a 2, not
        # the 1 of a reply that says nothing
        elsewhere = s <= 1 and any(x.label.startswith(KEY_LABEL) and x.dim != target for x in sigs)
        s = 2 if elsewhere else s
        took = taken_up(follow.text, reply, by_turn.get(j), opening, j) if s < ENGAGED else None
        s = ENGAGED if took is not None else s
        if _DEFLECT.search(norm):
            s -= 1
        if len(norm.split()) < _MIN_REPLY_WORDS or found is None:
            s = 1
        s = max(1, min(5, s))
        per_pair.append(s)
        on_target = sorted((x for x in sigs if x.dim == target or target == "follow_up"), key=lambda x: -abs(x.weight))
        used.extend(on_target[:2] or ([took] if took is not None else []))
        name = target.replace("_", " ")
        notes.append(f"the {name} follow-up was answered head on" if s >= 4 else
                     f"the reply to the {name} follow-up only partly addressed it" if s == 3 else
                     f"the reply to the {name} follow-up made another point of the case instead" if elsewhere and s == 2 else
                     f"the reply to the {name} follow-up did not address it")
    score = round(sum(per_pair) / len(per_pair) + 1e-9)
    return Reading("follow_up", score, float(score), tuple(used)), "; ".join(notes).capitalize() + "."


# What a 5 needs on each dimension, most important first, in words that fit any case.
NEEDED: dict[str, tuple[str, ...]] = {
    "clarify": ("asked a specific scoping question", "wanted to understand before solving", "framed hypotheses before solving"),
    "metrics": ("defined success", "set a guardrail or counter-metric", "tied the metric to a business outcome",
                "set a target or baseline"),
    "technical": ("followed the data flow", "reasoned about APIs and client/server", "named system constraints",
                  "used reliability patterns"),
    "edge_cases": ("considered failure states", "considered abuse or fraud", "considered scale",
                   "said how to detect or limit it"),
    "tradeoffs": ("stated an explicit trade-off", "prioritised and said what not to do", "made a call",
                  "named the stakeholders"),
    "data": ("segmented the data", "used data to discover or decide", "ran an experiment", "walked the funnel"),
}
assert all(label in {c.label for c in CONCEPTS} for labels in NEEDED.values() for label in labels)


def locate_signals(
    signals: Sequence[Signal], turns: Sequence[Turn], memo: dict[tuple[str, int], Evidence | None] | None = None
) -> tuple[Evidence, ...]:
    """Evidence for each signal's quote, located (evidence.locate) in the very turn it came from; deduplicated.

    memo shares look-ups between dimensions that quote the same clause.
    """
    memo = {} if memo is None else memo
    found: list[Evidence] = []
    tried: set[tuple[str, int]] = set()
    for sig in signals:
        key = (sig.quote, sig.turn)
        if not 0 <= sig.turn < len(turns) or key in tried:
            continue
        tried.add(key)
        if key not in memo:
            memo[key] = locate(sig.quote, (turns[sig.turn],))
        ev = memo[key]
        if ev is not None and all((e.quote, e.turn) != (ev.quote, sig.turn) for e in found):
            found.append(Evidence(quote=ev.quote, turn=sig.turn))
    return tuple(found)


def _missing(dim: str, reading: Reading) -> list[str]:
    have = {s.label for s in reading.signals}
    return [label for label in NEEDED.get(dim, ()) if label not in have][:2]


def _rationale(dim: str, reading: Reading, evidence: tuple[Evidence, ...], capped: bool) -> str:
    parts: list[str] = []
    pos = list(dict.fromkeys(s.label for s in reading.positives))
    neg = list(dict.fromkeys(s.label for s in reading.negatives))
    if pos:
        parts.append("Showed: " + "; ".join(pos[:3]) + ".")
    if neg:
        parts.append("Against: " + "; ".join(neg[:2]) + ".")
    drops = [s.phrase for s in reading.name_drops]
    if drops and not pos:
        parts.append(f"Named {drops[0]} without saying what it would measure or decide (reciting, not reasoning).")
    missing = _missing(dim, reading)
    if capped or not evidence:
        parts.append("No evidence in the answer; missing: " + ("; ".join(missing) if missing else "any concrete point") + ".")
    elif missing and reading.score < 5:
        parts.append("Missing: " + "; ".join(missing) + ".")
    return " ".join(parts)


def assess_turns(turns: Sequence[Turn], case: Case | None = None, pack: Pack | None = None) -> Assessment:
    """Readings and scores for all seven dimensions over a whole conversation (read against case when given)."""
    turn_readings = case_readings(turns, 0, case, pack) if case is not None else []
    readings = answer_readings(turns, 0, case, pack, turn_readings=turn_readings)
    fu, fu_why = follow_up_reading(turns, readings, turn_readings)
    readings["follow_up"] = fu
    scores: list[Score] = []
    memo: dict[tuple[str, int], Evidence | None] = {}
    for dim in DIMENSIONS:
        r = readings[dim]
        chosen = [*r.positives[:2], *r.negatives[:1]] if dim != "follow_up" else list(r.signals)
        evidence = locate_signals(chosen, turns, memo)
        score = r.score if evidence else min(r.score, NO_EVIDENCE_CAP)
        rationale = _rationale(dim, r, evidence, not evidence)
        if dim == "follow_up":
            rationale = fu_why + ("" if evidence else " No quote could be located for it.")
        scores.append(Score(dim, score, rationale, evidence))
    return Assessment(readings, tuple(scores), tuple(turn_readings))
