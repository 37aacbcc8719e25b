"""A measure held to a standard, read from the shape of the sentence rather than the measure's name.

"Fixed means Android uploads per active person back to the week before", "crashes and battery complaints haven't
gone up", "if return visits don't improve we don't ship": a candidate defines success, sets a guardrail or a stop rule
in whatever words their case gives them. The lexicon knows the rubric's names for these moves; this reads their
grammar: a verdict frame (what will count as working), a hold frame (a measure that must not get worse) and a level
frame (a baseline, a threshold, a result that reverses the plan). A frame earns the move only around a measure: the
lexicon read one in the sentence, or the words before a hold frame name a thing (not "it" or "nothing").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEG = r"(?:can't|cannot|mustn't|must not|shouldn't|should not|doesn't|does not|don't|do not|didn't|did not|hasn't|has not|haven't|have not|won't|will not|isn't|aren't)"
_WORSE = (
    r"(?:(?:get|gets|getting|got|gone|go|going|goes) (?:any )?(?:worse|up|down)|worsen|rise|climb|creep up|drop|dip|"
    r"fall|slip|spike|jump|suffer|collapse|tank|grow|increase)"
)
# What will count as the plan working: "fixed means", "it worked if", "call it done when", "my measure of better is".
_VERDICT = re.compile(
    r"\b(?:(?:fixed|recovered|healthy|done|success|better|a win|working|solved|good)(?: for me| here| to me)? "
    r"(?:means|would mean|is when|would be when|looks like)|(?:it|this|that)(?: has| have)? work(?:ed|s)? (?:if|when|once)|"
    r"(?:call|count|consider|declare) (?:it|this|that) (?:fixed|done|a success|a win|working|recovered|solved|healthy)|"
    r"(?:my|the|our) (?:main |real |primary |one )?(?:measure|yardstick|test|bar) (?:of|for) (?:better|success|whether|working)|"
    r"(?:the thing|what) (?:i|we) (?:actually |really )?care about is|judg(?:e|ed|ing) (?:(?:it|this|that|them|the(?: \w+){1,2}) )?(?:on|by))\b"
)
# A measure that must not get worse: "crashes haven't gone up", "must stay near zero", "no burst of duplicates".
_HOLD = re.compile(
    r"\b(?:" + _NEG + r" (?:[\w']+ )?" + _WORSE + r"|(?:stay|stays|staying|stayed|remain|remains|kept|held) (?:[\w']+ )?"
    r"(?:near|close to|under|below|within|flat|low|steady|level)|no (?:burst|spike|rise|jump|surge|increase|wave|flood) (?:of|in)|"
    r"(?:close to|near|at) zero|while (?:i |we )?(?:watch|watching|keeping an eye on|checking|tracking))\b"
)
# A level to hold it to, or a result that reverses the plan: "back to the week before", "at least a point up",
# "under forecast", "if beginners' day seven isn't up ... I reverse it".
_LEVEL = re.compile(
    r"\b(?:back (?:to|where|under|below|above|in line)|the (?:week|month|day|quarter|year) before|"
    r"(?:at least|at most|no more than|more than|less than|under|below|above) (?:a |the |an )?(?:set |agreed )?(?:[\w']+ )?"
    r"(?:point|points|percent|share|half|third|quarter|forecast|target|baseline|level|line|bar)|"
    r"if (?:[\w']+ ){1,6}" + _NEG + r" (?:[\w']+ )?(?:improve|move|rise|recover|get better|go up|beat|hold|come back)|"
    r"(?:reverse|flip|roll|pull|switch|turn) (?:it |that |this |them )?(?:back|off) (?:if|when|unless))\b"
)
# Words before a hold frame that name no measure ("it doesn't get worse", "nothing goes up").
_VAGUE = frozenset(
    ["it", "this", "that", "nothing", "anything", "everything", "things", "we", "i", "they", "you", "which", "and", "or",
     "but", "to", "then", "actually", "just", "also", "still", "really"]
)
# A concession is not a guardrail: "even if day seven stays flat I'd count it a win" waves the measure away.
_CONCEDED = re.compile(r"\beven (?:if|though|when)\b")
# A stop rule: the plan ends when a named measure moves the wrong way, or fails to move. "I'd stop if after a month the
# share of weekend requests that get a cleaner hasn't moved, or if cleaners' pay per hour goes down": the first
# condition is what success had to look like, the second a measure held while the plan runs.
_STOP = re.compile(
    r"\b(?:stop|stops|pause|halt|reverse|revert|undo|scrap|abandon|(?:pull|kill) (?:it|this|that|them|the plug)|"
    r"(?:roll|turn|switch|call) (?:(?:it|this|that|them|the(?: \w+){1,3}) )?(?:back|off)|shut (?:[\w']+ )?down|back out|"
    r"go back|going back|return to the (?:old|previous|current))\b"
)
# "if" after a verb of looking asks a question ("see if declines went up"); it sets no condition
_IF = re.compile(r"\b(?<!see )(?<!check )(?<!look )(?<!know )(?<!ask )(?<!out )(?<!tell )(?:if|unless|once|the moment|as soon as|should)\b")
_NOT_BETTER = re.compile(
    r"\b" + _NEG + r" (?:[\w']+ )?(?:up|better|moved?|moving|improved?|rise|risen|recover(?:ed)?|come back|came back|budged?|"
    r"picked up|pick up|shifted|shift|changed?|grow|grown)\b|\b(?:no better|(?:stays?|is|are|stayed) flat)\b|"
    # what was won goes away: "if the beginners' gain vanishes over the next month, I'd go back to the old flow"
    r"\b(?:vanish|disappear|fade|evaporat|wash(?:es|ed)? out|wear(?:s)? off|wore off)\w*"
)
_WORSENS = re.compile(
    r"\b(?:(?:go|goes|went|gone|going) (?:[\w']+ )?(?:down|up|over|past)|drops?|dropped|falls?|fell|rises?|rose|climbs?|"
    r"climbed|jumps?|jumped|spikes?|spiked|doubles?|doubled|slips?|slipped|sinks?|sank|shrinks?|shrank|"
    r"pass(?:es|ed)? (?:the|our|a|an)|exceeds?|exceeded|cross(?:es|ed)? (?:the|our|a|an)|"
    r"(?:start|starts|begin|begins) (?:losing|to lose|dropping|falling|climbing|rising))\b"
)
# A go rule, the stop rule's other face: "if the new model wins on returning users and doesn't crush small creators,
# we ship it" says what success is, and what must hold while it is won.
_GO = re.compile(
    r"\b(?:ship|launch|expand|scale (?:it |this |that )?up|go wider|roll (?:it |this |that )?out|keep (?:it|this|that|going)|"
    r"(?:turn|switch) (?:[\w']+ ){0,3}?on)\b"
)
_BETTER = re.compile(
    r"\b(?:wins?|winning|won|improves?|improved|beats?|beat|holds? up|recovers?|recovered|comes? back|came back|"
    r"(?:is|are|goes|go|went) up|rises?|grows?|grew|better|faster|quicker|sooner|higher|more often|"
    r"as (?:[\w']+ ){1,2}or (?:more|better|higher))\b"
)
# What must hold while it is won, said as a harm that does not happen: "doesn't crush creators", "without hurting
# margin", a change denied ("the feed isn't noticeably slower", "what they pay doesn't end up higher") or a thing not
# done to someone ("new creators aren't getting buried", "aren't being pushed aside").
_SPARES = re.compile(
    r"\b(?:" + _NEG + r"|without) (?:[\w']+ ){0,3}?(?:hurt\w*|los(?:e|es|ing)|crush\w*|harm\w*|damag\w*|break\w*|cost\w*|"
    r"cannibali[sz]\w*|eat\w* into|drop\w*|fall\w*|dip\w*|suffer\w*|tank\w*|shrink\w*|slip\w*|"
    r"worse|slower|lower|higher|longer|bigger|smaller|fewer|less|pricier|costlier|more expensive|"
    r"(?:getting|being|get|be|got) \w+(?:ed|en))\b"
)
# the plan's voice before a stop or go verb: "i'd", "we'll", "then", "it doesn't", "just" (imperative), "and"
_PLAN_SUBJECT = re.compile(
    r"(?:^|\b(?:i|i'd|i'll|i'm|we|we'd|we'll|we're|let's|then|it|it'll|it'd|and|or|would|will|to) )"
    r"(?:(?:would|will|just|then|simply|immediately|quickly|also|probably|definitely|should|can|could|not|don't|"
    r"doesn't|won't|wouldn't|really|happily|gladly|straight|at|once) ){0,3}$"
)
_ADVERBS = frozenset(["actually", "still", "really", "just", "also", "even", "suddenly", "then"])
GUARDRAIL = "set a guardrail or counter-metric"
TARGET = "set a target or baseline"
ROLES = (
    ("defined success", 1.5, _VERDICT),
    (GUARDRAIL, 2.0, _HOLD),
    (TARGET, 1.0, _LEVEL),
)

CRITERIA = frozenset(label for label, _, _ in ROLES)


@dataclass(frozen=True)
class Role:
    """One criterion found: the move it makes (a lexicon label), its weight and where it is in the normalised text."""

    label: str
    weight: float
    start: int
    end: int
    needs_case: bool = False  # a stop rule: its condition is its reason, so only the case's own things apply it


def criteria(norm: str, has_measure: bool) -> list[Role]:
    """The criterion moves in one normalised sentence. has_measure: the lexicon read a measure in it."""
    out: list[Role] = []
    for label, weight, pattern in ROLES:
        m = pattern.search(norm)
        if m is None:
            continue
        if label == GUARDRAIL and (
            (not has_measure and _vague_subject(norm, m.start())) or _CONCEDED.search(norm[max(m.start() - 60, 0) : m.start()])
        ):
            continue
        if label == TARGET and not (has_measure or out):  # a verdict names its own measure
            continue
        out.append(Role(label, weight, m.start(), m.end()))
    return out + _stop_rule(norm, {r.label for r in out})


def takes_a_side(norm: str) -> bool:
    """Whether a normalised sentence judges by what it names ("I'd judge it on ...", "fixed means ..."): the measures
    it then lists are chosen, not recited."""
    return bool(_VERDICT.search(norm))


def _stop_rule(norm: str, have: set[str]) -> list[Role]:
    """Success and guardrail moves carried by a decision rule: a stop (or go) verb and a condition on a named measure."""
    cond = _IF.search(norm)
    if cond is None:
        return []
    tail = norm[cond.start() :]
    spared = _SPARES.search(tail)
    if _ours(norm, _STOP):
        frames = (("defined success", 1.5, _NOT_BETTER), (GUARDRAIL, 2.0, _WORSENS))
    elif _ours(norm, _GO) and spared:
        # "if watch time goes up, we ship it" is the naive rule; a go rule shows judgement when something must hold
        frames = (("defined success", 1.5, _BETTER), (GUARDRAIL, 2.0, _SPARES))
    else:
        return []
    out: list[Role] = []
    for label, weight, pattern in frames:
        # in a go rule, what gets better is read before what must be spared ("pays doesn't end up higher" is no win)
        m = pattern.search(tail, 0, spared.start() if spared and pattern is _BETTER else len(tail))
        if m is None or label in have:
            continue
        object_follows = pattern is _SPARES and bool(_HARMS_AFTER.match(m.group(0)))  # "doesn't crush creators"
        if not _names_what_moves(tail, m, after=object_follows):
            continue
        start = cond.start() + m.start()
        out.append(Role(label, weight, start, cond.start() + m.end(), needs_case=True))
    return out


def _ours(norm: str, verbs: re.Pattern[str]) -> bool:
    """Whether the speaker's plan does it ("I'd pause", "we switch it off", "it doesn't ship"), not its users ("people who
    turn off pushes")."""
    return any(_PLAN_SUBJECT.search(norm[max(m.start() - 40, 0) : m.start()]) for m in verbs.finditer(norm))


# a spared harm whose object follows ("doesn't crush creators"), not whose subject precedes ("the page isn't slower")
_HARMS_AFTER = re.compile(r"\S+ (?:[\w']+ ){0,3}?(?:hurt|los|crush|harm|damag|break|cost|cannibali|eat)")


def _names_what_moves(tail: str, m: re.Match[str], after: bool = False) -> bool:
    """Whether a change names what moves: the word before it ("pay per hour actually goes down"), or after it when the
    speaker is the subject ("we start losing money") or it is what must be spared (after: "doesn't crush creators")."""
    if after or m.group(0).startswith(("start", "begin")):
        rest = tail[m.end() :].split()
        return bool(rest) and rest[0] not in _VAGUE
    before = [w for w in tail[: m.start()].split() if w not in _ADVERBS]
    return len(before) >= 2 and before[-1] not in _VAGUE and before[-1] not in ("if", "unless", "once", "should")


def _vague_subject(norm: str, start: int) -> bool:
    """Whether the word before a hold frame names no measure."""
    before = norm[:start].split()
    return not before or before[-1] in _VAGUE
