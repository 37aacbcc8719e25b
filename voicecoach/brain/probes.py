"""Choosing the next follow-up (the weakest dimension not yet covered or probed) and phrasing it."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from voicecoach.brain.analysis import (
    Reading,
    find_signals,
    split_sentences,
    strip_instructions,
)
from voicecoach.brain.evidence import locate, normalise
from voicecoach.brain.followups import by_focus, clause_of, fits, last_follow_up
from voicecoach.brain.relevance import NOT_HEARD
from voicecoach.content import Case
from voicecoach.model import Turn

COVERED = 4  # a dimension scoring this or more is covered well and never probed
WEAK = 2  # a dimension scoring this or less is weak
PROBED_DIMS = ("clarify", "metrics", "technical", "edge_cases", "tradeoffs", "data")
# When scores tie (most often: several dimensions with nothing said at all), probe first where a fair interviewer
# most often finds the answer weak. Success metrics lead: an execution answer with no number to watch is the most
# common gap and the classic follow-up, and a dimension read as missing is rarely one the case doesn't need. Technical
# reasoning and trade-offs next. Edge cases and the use of data come last: many cases barely need abuse or scale, and
# data is the dimension answers most often cover in words the lexicon misses. Chosen leave-one-batch-out over the six
# labelled batches (five of six folds chose this order); see docs/offline_interviewer.md, "Choosing the probe".
PRIORITY = ("metrics", "technical", "tradeoffs", "clarify", "edge_cases", "data")

# Pack-independent phrasings, used for ad-hoc questions and for any dimension a case has no probe for.
GENERIC_PROBES: dict[str, tuple[str, ...]] = {
    "clarify": (
        "Before we go further, what would you want to know about the problem before choosing where to start?",
        "You said {quote}. What would you need to confirm first before acting on that?",
    ),
    "metrics": (
        "How would you know this worked? Give me the one number you'd watch and what could get worse while it improves.",
        "You said {quote}. How would you know it worked, and what guardrail would you set?",
    ),
    "technical": (
        "Walk me through the system behind this. Where does the request or the data go, and where can it fail?",
        "You said {quote}. What would engineering have to build or change for that, and what are the constraints?",
    ),
    "edge_cases": (
        "What could go wrong here: abuse, failures, or what happens at ten times the scale?",
        "You said {quote}. How could someone abuse that, and what happens when it fails halfway?",
    ),
    "tradeoffs": (
        "You can't do everything at once. What would you do first, what would you deliberately not do, and why?",
        "You said {quote}. What does that cost, and what would you give up to do it?",
    ),
    "data": (
        "Which data would you look at first, and what result would make you drop this idea?",
        "You said {quote}. What data would tell you early that this is the wrong call?",
    ),
    "follow_up": (
        "Suppose the first thing you tried made no difference at all. What would you do next?",
        "Forget frameworks for a second. What's the one thing you'd do tomorrow morning, and why?",
    ),
}
CLOSING = "Thanks, that's all I wanted to ask on this one. Let me put together your feedback."

_PROPOSAL = re.compile(
    r"\b(?:i'd|i would|we'd|we would|we could|i could|i'll|we'll|i will|we will|i want to|let's|i'm going to)"
    r"\s+(?:probably\s+|first\s+|just\s+|also\s+|then\s+|definitely\s+)*(?=[a-z])",
    re.IGNORECASE,
)
_QUOTE_WORDS = 8
_LEAD_WORDS = re.compile(r"^(?:(?:and|so|but|then|um|uh|erm|also|okay|well|yeah)\b[\s,]*)+", re.IGNORECASE)
_DANGLING = frozenset(
    ["a", "an", "the", "of", "to", "by", "for", "with", "in", "on", "at", "from", "and", "or", "but", "if", "is", "are", "was", "were", "be", "that", "which", "who", "my", "our", "your", "their", "its", "this", "these", "those", "as", "than", "then", "so", "very", "really", "just", "um", "uh"]
)
_DEFLECTION = re.compile(r"\b(?:like i said|as i said|i don't know|not sure)\b", re.IGNORECASE)
# A probe that asks for something the candidate already said is awkward ("what would you deliberately not do?" right
# after "I would not launch a campaign until..."): (what a probe asks, how an answer already gives it), normalised text.
_ASKED_AND_ANSWERED = tuple(
    (re.compile(asks), re.compile(given))
    for asks, given in (
        ((r"\bnot (?:do|ship|shipping|try|build)\b|leave out|hold back|drop from|choosing not|deliberately|"
         r"stop (?:working on|testing)|not doing"),
         (r"\b(?:would not|wouldn't|won't|will not|not going to|deliberately not|hold off|leave out|park|postpone|"
         r"not (?:build|do|ship|launch|touch|start|run|double|roll))\b")),
        (r"\bguardrail|counter metric|warn you|without hurting|cost us elsewhere|break on the other side",
         (r"\b(?:guard ?rails?|counter ?metrics?|without (?:hurting|harming|tanking)|make sure (?:it|we|that|this) "
         r"(?:doesn't|does not|don't))\b")),
        ((r"\b(?:kill|abandon|shut|cancel)\b|drop (?:this|that) idea|make you (?:stop|pause|delay|change)|change your mind|"
         r"isn't worth expanding|stop and send"),
         (r"\b(?:(?:kill|stop|pause|halt|abandon|drop|roll back) (?:it |this |that |the \w+ )?(?:if|when|unless)|"
         r"stop (?:rule|criteri)\w*|kill criteri\w*)\b")),
        (r"\bthe one (?:number|metric)|which number|what number|success look like",
         (r"\b(?:success (?:is|would be|means)|the (?:one |main )?(?:number|metric) (?:i'd|we'd|i would|we would)|"
         r"north star|primary metric)\b")),
    )
)


def asked_follow_ups(turns: Sequence[Turn]) -> list[Turn]:
    """Follow-up turns asked since the current case's question (clarification answers and re-asks don't count)."""
    out: list[Turn] = []
    for t in turns:
        if t.role == "interviewer" and t.kind == "question":
            out = []
        elif t.role == "interviewer" and t.kind == "follow_up" and not t.text.startswith(NOT_HEARD):
            out.append(t)
    return out


def open_question(turns: Sequence[Turn]) -> str:
    """The question or follow-up the candidate is answering now (a re-ask's own preface dropped)."""
    for t in reversed(turns):
        if t.role == "interviewer" and t.kind in ("question", "follow_up"):
            return strip_reask(t.text)
    return ""


def strip_reask(text: str) -> str:
    """A question without the "I didn't hear an answer" preface of a re-ask."""
    return text[len(NOT_HEARD) :].strip() if text.startswith(NOT_HEARD) else text


def was_reasked(turns: Sequence[Turn]) -> bool:
    """The open question is already a re-ask: a second off-topic turn is not asked a third time."""
    last = next((t for t in reversed(turns) if t.role == "interviewer" and t.kind in ("question", "follow_up")), None)
    return last is not None and last.text.startswith(NOT_HEARD)


def probed_dims(turns: Sequence[Turn]) -> set[str]:
    """Dimensions already targeted by a follow-up in this case."""
    return {d for t in asked_follow_ups(turns) for d in t.targets}


def choose_target(readings: Mapping[str, Reading], already: set[str], keyless: Collection[str] = ()) -> str | None:
    """The weakest dimension not covered well and not yet probed; the follow_up curveball once all are covered.

    Lower score first (a weak dimension the question asked for, or one the candidate said something against, counts a
    point lower), then anything the candidate said against a dimension, then what the question asked for, then PRIORITY.
    keyless: dimensions the case's answer key makes no point on; a gap there costs little on this case, so it counts a
    point less weak ("how would the matching system know?" is a poor first probe on a pricing question).
    """
    open_dims = [d for d in PROBED_DIMS if d in readings and d not in already and readings[d].score < COVERED]
    if open_dims:
        return min(open_dims, key=lambda d: _weakness(readings[d], d, d in keyless))
    if "follow_up" not in already and not already:
        return "follow_up"  # everything covered in one go: test how they adapt instead of asking nothing
    return None


def _weakness(r: Reading, dim: str, keyless: bool = False) -> tuple[float, float, float, int]:
    """Sort key, weakest first. A weak dimension (2 or less) counts a point weaker when the case question asked for it
    by name (an answer that barely touched what it was asked is probed there before on something it was never asked)
    or when the candidate said something against it ("I'd hand that to the engineers" is probed before a silence)."""
    lower = max(r.need, 1.0 if r.negatives else 0.0) if r.score <= WEAK else 0.0
    lower -= 1.0 if keyless and not r.negatives else 0.0
    return (r.score - lower, -1.0 if r.negatives else 0.0, -r.need, PRIORITY.index(dim))


def phrasings(case: Case, dim: str) -> tuple[str, ...]:
    """The case's probes for dim, or the generic ones when the case has none."""
    return case.probes.get(dim) or GENERIC_PROBES[dim]


def quote_for(dim: str, turns: Sequence[Turn]) -> str | None:
    """A short quote from the candidate's latest answer to hang a probe on, located verbatim in the transcript."""
    found = quote_and_source(dim, turns)
    return found[0] if found else None


def quote_and_source(dim: str, turns: Sequence[Turn], on_dim_only: bool = False) -> tuple[str, bool] | None:
    """(a whole-clause quote located in the candidate's words, whether it says something against dim). With
    on_dim_only, only a clause that says something on dim: a probe about the system is not hung on "I'd confirm the
    shape"."""
    said = [(i, t) for i, t in reversed(list(enumerate(turns))) if t.role == "candidate" and t.text.strip()]
    if not said:
        return None
    candidates: list[tuple[str, bool]] = []
    for i, turn in said:  # the latest answer first, then earlier ones
        sigs = find_signals(turn.text, i, opening=False)
        on_dim = sorted((s for s in sigs if s.dim == dim), key=lambda s: s.weight)  # negatives first: they invite probing
        candidates += [(clause_of(s.quote, s.phrase), s.weight < 0) for s in on_dim]
        if not on_dim_only or dim in _PLAN_DIMS:  # what they proposed is what these probes ask about
            candidates += [(c, False) for c in _proposals(turn.text) if not _META_PLAN.search(c)]
    if not on_dim_only:
        candidates += [(clause_of(s), False) for s in split_sentences(strip_instructions(said[0][1].text))]
    for c, against in candidates:
        c = _tidy(c)
        if len(c.split()) >= 2 and not _DEFLECTION.search(c) and not _PSEUDO_CLEFT.match(c):
            ev = locate(c, turns)
            if ev is not None:
                return ev.quote, against
    return None


_PLAN_DIMS = frozenset(["tradeoffs", "clarify"])  # a proposal invites "what would you not do" and "what first"
# A plan about the answer itself, not the case: "I'll just say how I'd think about it", "I'd start by saying".
_META_PLAN = re.compile(r"\b(?:say|saying|think about it|talk|explain|answer|go through|be honest|walk you)\b", re.IGNORECASE)
# "I'd ask is whether ...", cut from "The first thing I'd ask is whether ...": not a clause the candidate said.
_PSEUDO_CLEFT = re.compile(r"^(?:i'd|i would|we'd|i'll|i want|i'm going to)\s+(?:\w+\s+){1,2}(?:is|was)\b", re.IGNORECASE)
_COPULA = frozenset(["is", "are", "was", "were"])
_SUBJECTS = frozenset(["it", "that", "this", "there", "they", "we", "what", "who", "which", "he", "she", "you"])


def _tidy(quote: str) -> str:
    """No leading filler or conjunction, no dangling function word at the end ("the error rate by")."""
    quote = _LEAD_WORDS.sub("", quote).strip(" ,.;:")
    words = quote.split()
    while len(words) > 2 and words[-1].lower().strip(",.;:") in _DANGLING:
        if words[-1].lower().strip(",.;:") in _COPULA and words[-2].lower() in _SUBJECTS:
            break  # "how bad it is" ends whole; "the error rate is" does not
        words.pop()
    return " ".join(words).strip(" ,.;:")


def _proposals(text: str) -> list[str]:
    """What the candidate proposed to do ("I'd roll back the release"), as whole clauses."""
    out: list[str] = []
    for sentence in split_sentences(strip_instructions(text)):
        m = _PROPOSAL.search(sentence)
        if m:
            out.append(clause_of(sentence[m.start() :]))
    return out


def already_answered(probe: str, said: str) -> bool:
    """The probe asks for something the candidate's words (normalised) already give."""
    asked = normalise(probe.replace("{quote}", " "))
    return any(asks.search(asked) and given.search(said) for asks, given in _ASKED_AND_ANSWERED)


def _said_since_question(turns: Sequence[Turn]) -> str:
    """Everything the candidate said on the current case, normalised."""
    start = max((i for i, t in enumerate(turns) if t.role == "interviewer" and t.kind == "question"), default=-1)
    return normalise(" ".join(t.text for t in turns[start + 1 :] if t.role == "candidate"))


def phrase_probe(case: Case, dim: str, turns: Sequence[Turn], pick: int = 0, focus: str = "") -> str:
    """A follow-up for dim in the candidate's own words where one fits.

    A quote that argues against dim is pressed with a plain question ("You said 'I don't think there are big risks'.
    What could go wrong here ...?"); otherwise a case template whose {quote} fits what the quote is (a metric, a fix,
    a risk, a plan); otherwise a plain question, the one closest to the missed key point (focus) first. Phrasings
    that ask for what the candidate already said are skipped while another is left; never the last line again.
    """
    said = _said_since_question(turns)
    options = tuple(p for p in phrasings(case, dim) if not already_answered(p, said)) or phrasings(case, dim)
    last = last_follow_up(turns)
    found = quote_and_source(dim, turns, on_dim_only=True)
    plain = by_focus([p for p in options if "{quote}" not in p], focus)
    if not plain:
        plain = [p for p in GENERIC_PROBES[dim] if "{quote}" not in p and not already_answered(p, said)] or [
            GENERIC_PROBES[dim][0]]
    lines: list[str] = []
    if found is not None:
        quote, against = found
        if against:
            lines += [f'You said "{quote}". {p}' for p in plain]
        fitting = [p for p in options if "{quote}" in p and fits(p, quote)]
        lines += [p.replace("{quote}", f'"{quote}"') for p in _rotate(fitting, pick)]
    lines += _rotate(plain, pick)
    return next((line for line in lines if line != last), lines[0])


def _rotate(items: Sequence[str], pick: int) -> list[str]:
    """items starting from the pick-th (the n-th follow-up of a case varies its phrasing)."""
    if not items:
        return []
    k = pick % len(items)
    return [*items[k:], *items[:k]]
