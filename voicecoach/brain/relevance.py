"""Relevance: is a turn an answer to this case's question at all, or about another product, or small talk?"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from voicecoach.brain.analysis import Signal, asks, normalised, sentences_of
from voicecoach.brain.grounding import Ground, Vocab, content_stems, rubric_words

NOT_HEARD = "I didn't hear an answer to the question."  # a contract: the reply to an off-topic turn starts with it
MIN_WORDS = 8  # shorter turns are weak answers ("ship it"), not a change of subject
FOREIGN_MIN = 4  # another case's own words needed before a turn counts as about another product
LEAN_MIN = 4  # ... and before reasoning alone stops tying its sentences to this case
ELSEWHERE_WORDS = 25  # a turn this long that names none of this case's things ...
ELSEWHERE_STEMS = 12  # ... and this many words of its own things (not the rubric's) talks about something else
APPLIED_WEIGHT = 3.0  # a turn that names none of the case's things but applies moves worth this much answers it
ANECDOTE_WEIGHT = 1.5  # a turn with no plan and no reasoning whose rubric words add up to less than this is a story

# Of the moves below, the ones that only give an opinion: "I think it's overrated" is as much a story's as an answer's.
_OPINION = (
    r"i (?:think|guess) (?:we|it|the|this|they)|it's (?:probably|likely|because)|(?:probably|likely) (?:a|the|because)|"
    r"means (?:more|less|fewer|we|they|that)|(?:people|users|customers|they|it|this|that) (?:would|will|might|could|"
    r"should|won't|wouldn't)"
)
# A plan or a decision, however blunt: "I'd pause", "first I", "ship it".
_DECIDES = (
    # "we'd both bought one" is "we had", a story's past; "I'll admit" is a way of speaking; "we used to keep the
    # list on the fridge" is a habit, not a plan
    r"(?:i'd|we'd)(?! (?:\w+ )?(?:been|had|done|gone|seen|bought|made|taken|"
    r"got|gotten|left|come|forgotten|\w+ed)\b)|i would|we would|"
    r"(?:i'll|we'll|i will|we will)(?! (?:admit|say|be honest|tell you|confess|grant|give you)\b)|"
    # a step turned down is a decision too: "I wouldn't decide anything on day one alone" ("I won't lie" is not)
    r"(?:i|we) (?:wouldn't|won't|would not|will not)(?! (?:know|say|lie|mind|be surprised|have)\b)|"
    r"let's|i'm going to|we're going to|i want to|we should|"
    r"i should|my (?:plan|approach|first step)|first,? i|step one|(?<!used to )"
    r"(?:ship|launch|roll|fix|kill|cut|drop|pick|choose|test|check|add|build|keep|double|do|go for|run|remove|raise|"
    r"lower|halve|pause|switch|turn|charge) (?:it|this|that|the|a|them)"
)
# A turn that proposes or decides something is an attempt at an answer, however weak.
_PROPOSES = re.compile(rf"\b(?:{_DECIDES}|{_OPINION})\b")
_OPINION_ONLY = re.compile(_OPINION)
# A plan said as instructions, or in the plain present: "Check which checkout step people leave at, then compare the
# fee screen before and after", "then the version idea is dead and I look outside". A step is a plan verb opening the
# sentence and going on to its object ("Look, my partner ..." is a story's aside: the verb is cut off by its comma;
# "check out" is a recommendation), or a plan verb after "I" or "we" ("I go back to splitting it up").
_PLAN_VERB = (
    r"(?:check|compare|split|break|pull|roll|ship|launch|fix|ask|test|measure|track|run|find|talk|call|page|keep|put|send|"
    r"stop|start|try|set|add|remove|cut|drop|pause|turn|switch|show|give|leave|watch|hold|cap|limit|pay|delay|move|"
    r"look at|look outside|look into|dig into|trace|segment|survey|interview|build|offer|raise|lower|price|charge|block|"
    r"flag|verify|confirm|sequence|stage|phase|pilot|double|halve|kill|scrap|revert|go back|bring back)\b"
)
_STEP = re.compile(
    r"^\W*(?:(?:so|then|first|and|okay|ok|well|just|also|step one|next)\W+)*" + _PLAN_VERB + r"(?!,| out\b)"
    + r"|\b(?:i|we) (?:(?:then|just|first|also|probably|usually) )?" + _PLAN_VERB,
    re.IGNORECASE,
)
# A plan in the first person: a turn with one is an attempt at an answer even when it names nothing of the case.
# ("we'll see" is a shrug, not a plan; "I'll see whether the errors ..." is one.)
_PLANS = re.compile(
    r"\b(?:i'd|i would|we'd|we would|(?:i'll|we'll)(?! see\b(?! (?:if|whether|how|what|which|where|who|why)))|let's|"
    r"we should|i should|my (?:plan|approach|first step))\b"
)


def _proposes_here(norm: str, sentences: Sequence[str], grounds: Sequence[Ground]) -> bool:
    """Whether the turn proposes or judges something about the case: a plan or a decision always does; an opinion
    counts where its sentence names the case's things or reasons ("I think it's overrated" of a burger van in a
    story is the story's, "I think it's the fees" an answer's); a short turn's opinion is a weak answer."""
    if any(not _OPINION_ONLY.fullmatch(m.group(0)) for m in _PROPOSES.finditer(norm)):  # a plan or a decision
        return True
    if any(_STEP.search(x) for x, g in zip(sentences, grounds) if g.own):  # steps on the case's things
        return True
    if len(norm.split()) < ELSEWHERE_WORDS:  # a short opinion ("I think people would enjoy it") is a weak answer
        return bool(_PROPOSES.search(norm))
    return any(_PROPOSES.search(normalised(s)) and (g.own or g.reasons) for s, g in zip(sentences, grounds))


def leans_elsewhere(grounds: Sequence[Ground], v: Vocab, key_points: int = 0) -> bool:
    """More of one other case's words than of this case's: reasoning alone no longer ties a sentence to this case."""
    own = set().union(*(g.own for g in grounds)) if grounds else set()
    foreign = set().union(*(g.foreign for g in grounds)) if grounds else set()
    from_one = v.most_from_one_case(foreign)
    return from_one >= LEAN_MIN and from_one > len(own - v.shared) + 2 * key_points


def off_topic(
    text: str, signals: Sequence[Signal], grounds: Sequence[Ground], v: Vocab, key_points: int = 0,
    recites: bool = False, asks_facts: Callable[[], bool] = lambda: False,
) -> str:
    """Why a candidate turn is not an answer to the case ("another product", "small talk"), or "" when it is one.

    Another product: more than twice as many words of one other case as of this one (a key point made counts two).
    Or a long turn that names none of this case's own things (its words, a key point) but many things of its own
    that are not the rubric's (a restaurant's deposit, a fitness watch): fluent, but about another product, unless it
    applies moves worth APPLIED_WEIGHT with few other-case words (a reasoned reply about fraud checks). A list of
    techniques (recites) is read as a list instead.
    Small talk: no rubric signal at all, nothing proposed or judged, no key point: an anecdote, not an answer; or
    no case word, no reasoning, no key point, and no signal beyond questions (clarify) that the case's facts cannot
    answer (asks_facts, asked only when needed): "is that a real plant behind you? how long have you been at the company?".
    """
    norm = normalised(text)
    if len(norm.split()) < MIN_WORDS:
        return ""
    own = set().union(*(g.own for g in grounds)) if grounds else set()
    foreign = set().union(*(g.foreign for g in grounds)) if grounds else set()
    from_one = v.most_from_one_case(foreign)
    ours = len(own - v.shared) + sum(g.key_terms for g in grounds) + 2 * key_points
    if from_one >= FOREIGN_MIN and from_one > 2 * ours:
        return "another product"
    own_things = own - v.shared
    long_enough = len(norm.split()) >= ELSEWHERE_WORDS
    # applied, not a mention: a move the reader grounded in the turn's own reasoning ("honest people get caught in the
    # fraud checks ... so held payouts go to a quick human review, instead of just not paying")
    applied = sum(s.weight for s in signals if s.weight > 0 and s.grounded and s.dim != "clarify")
    content = applied > 0
    answers_anyway = applied >= APPLIED_WEIGHT and from_one < LEAN_MIN
    if not own_things and not key_points and not recites and long_enough and not answers_anyway and (
        len(content_stems(text) - rubric_words() - v.own) >= ELSEWHERE_STEMS
    ):
        return "another product"
    if key_points:
        return ""
    sentences = sentences_of(text)
    proposes = _proposes_here(norm, sentences, grounds)
    # a story has its own becauses ("as long as the queen's in the box, the rest follow"): reasoning is an attempt
    # at an answer when it is about the case's things; with no rubric word at all, about two or more of them
    # ("working offline next, because people shop in basements, then recipe import", not "so we played board games")
    reasons_here = any(g.reasons and g.anchored for g in grounds)
    reasons_on_case = any(g.reasons and len(g.own) >= 2 for g in grounds)  # not "in a coffee shop, because ..."
    if not signals and not proposes and not reasons_on_case:
        return "small talk"
    said = sum(s.weight for s in signals if s.weight > 0)
    if said < ANECDOTE_WEIGHT and not any(asks(x) for x in sentences) and not proposes and not reasons_here:
        return "small talk"  # a story that proposes nothing and reasons about nothing ("my partner wants to go back")
    # questions and nothing applied, about at most one of the case's things: "how's your week going? did you have a
    # good weekend?" in a coffee shop is small talk, however it is reasoned
    if signals and not content and len(own_things) <= 1 and not reasons_on_case and not asks_facts():
        return "" if _PLANS.search(norm) else "small talk"
    return ""
