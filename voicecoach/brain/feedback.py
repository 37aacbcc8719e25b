"""The spoken feedback: verdict, strongest and weakest dimensions with quotes, a stronger phrasing, pace."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from voicecoach.brain.analysis import Reading, analyse_text, short_quote
from voicecoach.brain.overall import counts_half_note, low_barely_tested, overall_score
from voicecoach.content import Case, Pack
from voicecoach.model import Delivery, Score, Turn

MAX_WORDS = 230  # about 80 seconds at 175 words a minute
FAST_WPM = 170.0
SLOW_WPM = 105.0
FILLER_SHARE = 0.04
FILLER_MIN = 6

EXEMPLARS: dict[str, str] = {
    "clarify": "Before I propose anything, I'd pin down the goal and the constraints: who is affected, what the "
    "deadline or budget is, and what would change my decision.",
    "metrics": "Success is one outcome metric back to its baseline within two weeks, with a guardrail on "
    "what could get worse while it improves.",
    "technical": "I'd trace the path end to end: the client, the API and the service behind it, and check "
    "error codes, retries and time-outs at each step.",
    "edge_cases": "I'd ask what happens when it fails halfway, how someone could abuse it, and what breaks at "
    "ten times the load.",
    "tradeoffs": "I'd ship the smallest safe fix first and deliberately not start anything else, because it costs "
    "engineering weeks for little user value.",
    "data": "I'd pull the numbers that separate the options, cut them by the segments that matter, and set a "
    "threshold that would make me drop an idea early.",
    "follow_up": "When I'm probed, I answer the question in one sentence first, then say what it changes in my plan.",
}

# What a 5 needs, said plainly, for a weak dimension.
NEEDS: dict[str, str] = {
    "clarify": "pinning down the problem, who it affects and the constraints before proposing anything",
    "metrics": "one outcome metric tied to the business, a target, and a guardrail",
    "technical": "reasoning about how the system works end to end and where it fails",
    "edge_cases": "failure states, abuse and scale, and how you'd catch each",
    "tradeoffs": "saying what you'd do first, what you'd deliberately not do, and what it costs",
    "data": "naming the cuts of the data you'd pull and what result would change your plan",
    "follow_up": "a direct answer to each probe, saying what it changes in your plan",
}
_VERB_FIX = {"says": "say", "does": "do", "has": "have", "is": "am"}


def _name(pack: Pack | None, dim: str) -> str:
    if pack is not None:
        try:
            return pack.dimension(dim).name.lower()
        except KeyError:
            pass
    return dim.replace("_", " ")


def _first_person(line: str) -> str:
    """'Segments the drop by platform.' -> "I'd segment the drop by platform."."""
    words = line.strip().split()
    if not words:
        return line
    verb = words[0].lower()
    if verb in _VERB_FIX:
        verb = _VERB_FIX[verb]
    elif verb.endswith("ies"):
        verb = verb[:-3] + "y"
    elif re.search(r"(?:ches|shes|sses|xes)$", verb):
        verb = verb[:-2]
    elif verb.endswith("s") and not verb.endswith("ss"):
        verb = verb[:-1]
    rest = " ".join(words[1:])
    rest = re.sub(r"\bthey would\b", "I would", rest)
    rest = re.sub(r"\bthey\b", "I", rest)
    rest = re.sub(r"\btheir\b", "my", rest)
    return f"I'd {verb} {rest}".rstrip()


def stronger_phrasing(case: Case, dim: str) -> str:
    """A concrete, case-specific way to say the weakest part, from the case's strong-answer sketch when possible."""
    best: tuple[float, str] | None = None
    for line in case.strong_answer:
        readings = analyse_text(line)
        total = readings[dim].total if dim in readings else 0.0
        others = max((r.total for d, r in readings.items() if d != dim), default=0.0)
        if total > 0 and total >= others and (best is None or total > best[0]):
            best = (total, line)
    return _first_person(best[1]) if best else EXEMPLARS[dim]


def delivery_note(turns: Sequence[Turn]) -> str:
    """A pace or filler note when one is notable, else ''."""
    ds: list[Delivery] = [t.delivery for t in turns if t.role == "candidate" and t.delivery is not None]
    if not ds:
        return ""
    words = sum(d.word_count for d in ds)
    speaking = sum(d.speaking_s for d in ds)
    wpm = words / speaking * 60 if speaking > 0 else sum(d.words_per_minute for d in ds) / len(ds)
    fillers: dict[str, int] = {}
    for d in ds:
        for k, v in d.fillers.items():
            fillers[k] = fillers.get(k, 0) + v
    count = sum(d.filler_count for d in ds)
    notes: list[str] = []
    if wpm > FAST_WPM:
        notes.append(f"You spoke at about {wpm:.0f} words a minute; slow down a little so your key points land.")
    elif 0 < wpm < SLOW_WPM:
        notes.append(f"You spoke at about {wpm:.0f} words a minute; tighten the pauses to keep momentum.")
    if count >= FILLER_MIN or (words and count / words > FILLER_SHARE and count >= 3):
        top = max(fillers, key=lambda k: fillers[k]) if fillers else "um"
        notes.append(f'You used {count} filler words, mostly "{top}"; a silent pause works better.')
    return " ".join(notes)


def _quote(score: Score, reading: Reading | None, words: int) -> str:
    """The first piece of evidence, cut to the clause around its trigger and at most words long."""
    if not score.evidence:
        return ""
    quote = score.evidence[0].quote
    sigs = [s for s in reading.signals if s.quote == quote] if reading else []
    phrase = sigs[0].phrase.lower() if sigs else ""
    pieces = [p.strip() for p in re.split(r"[,;:]", quote) if p.strip()]
    piece = next((p for p in pieces if phrase and phrase in p.lower()), quote)
    at = piece.lower().find(phrase) if phrase else 0
    if len(piece.split()) > words and at > 0:
        before = piece[:at].split()
        keep = max(0, len(before) - max(0, words - len(phrase.split())) // 2)
        piece = " ".join(piece.split()[keep:])
    return f'"{short_quote(piece, words)}"'


def _verdict(overall: float) -> str:
    if overall >= 4.0:
        return "a strong answer you could give in a real interview."
    if overall >= 3.0:
        return "a solid answer with a few clear gaps."
    if overall >= 2.0:
        return "some good moments, but it needs more depth."
    return "this one needs a lot more depth."


_NUMBERS = ("zero", "one", "two", "three", "four", "five")


def spoken_score(value: float) -> str:
    """A score as a listener follows it: 4 -> "four out of five", 2.6 -> "two and a half out of five"."""
    halves = round(value * 2)
    whole, half = divmod(halves, 2)
    words = _NUMBERS[min(whole, 5)] + (" and a half" if half and whole < 5 else "")
    return f"{words} out of five"


@dataclass(frozen=True)
class Notes:
    """What the case reading adds to the feedback: a recited list, an off-topic turn, a stronger line from the key."""

    recited: bool = False
    off_topic: bool = False
    stronger: Mapping[str, str] = field(default_factory=dict)  # per dimension, a stronger line in the case's terms


def compose(
    scores: Sequence[Score],
    readings: dict[str, Reading],
    case: Case,
    turns: Sequence[Turn],
    pack: Pack | None = None,
    notes: Notes | None = None,
) -> str:
    """Spoken feedback of at most MAX_WORDS words, in short paragraphs (a blank line between) the voice pauses at."""
    notes = notes or Notes()
    overall = overall_score(scores, case)
    by_strength = sorted(scores, key=lambda s: (-s.score, -readings[s.dimension].total if s.dimension in readings else 0))
    strong = [s for s in by_strength if s.score >= 3 and s.evidence][:2]
    # A low score on what the case barely tests is said in one clause by the verdict, so the weak are what it tests.
    low_barely = low_barely_tested(scores, case)
    weak = [s for s in sorted(scores, key=lambda s: (s.dimension in low_barely, s.score, readings[s.dimension].total))
            if s not in strong][:2]
    half = counts_half_note(low_barely, {d: _name(pack, d) for d in low_barely})
    opening = f"Overall, {spoken_score(overall)}: {_verdict(overall)}" + (f" {half}" if half else "")
    text = ""
    for quote_words in (12, 8, 5):
        text = _assemble(opening, strong, weak, readings, case, turns, pack, quote_words, notes)
        if len(text.split()) <= MAX_WORDS:
            return text
    return _cut(text, MAX_WORDS)


def _cut(text: str, limit: int) -> str:
    """The first limit words, keeping the paragraph breaks."""
    out: list[str] = []
    left = limit
    for para in text.split("\n\n"):
        words = para.split()
        if left <= 0:
            break
        out.append(" ".join(words[:left]))
        left -= len(words)
    return "\n\n".join(out)


def _assemble(
    opening: str,
    strong: list[Score],
    weak: list[Score],
    rd: dict[str, Reading],
    case: Case,
    turns: Sequence[Turn],
    pack: Pack | None,
    qw: int,
    notes: Notes,
) -> str:
    paras = [opening]
    if notes.off_topic:
        paras.append("I didn't hear an answer to the question for most of it. Answer the case in front of you first.")
    elif notes.recited:
        paras.append("You listed techniques; say which one you'd use here, on what, and why.")
    if strong:
        bits = [f"{_name(pack, s.dimension)}, {spoken_score(s.score)}, when you said {_quote(s, rd.get(s.dimension), qw)}"
                for s in strong]
        paras.append("Your strongest areas were " + "; and ".join(bits) + ".")
    else:
        paras.append("Nothing stood out as strong yet.")
    weak_bits: list[str] = []
    for n, s in enumerate(weak):
        lead = "Weakest was" if n == 0 else "Also weak:"
        q = _quote(s, rd.get(s.dimension), qw)
        said = f"you said {q}, but" if q else "I heard nothing on it;"
        weak_bits.append(f"{lead} {_name(pack, s.dimension)}, {spoken_score(s.score)}: {said} a five needs "
                         f"{NEEDS[s.dimension]}.")
    if weak_bits:
        paras.append(" ".join(weak_bits))
        line = notes.stronger.get(weak[0].dimension) or stronger_phrasing(case, weak[0].dimension)
        paras.append(f'A stronger way to put it: "{line}"')
    note = delivery_note(turns)
    if note:
        paras.append(note)
    return "\n\n".join(paras)
