"""Reasoning in a sentence, in three strengths: a reason that applies a move to the case (REASON), the why or the price
of a point (WHY, stricter: no narrative "so I'd"), and a reason for turning a metric down (WHY_NOT). All three run over
text put through content.anchor_text (lower case, apostrophes dropped: "id", "thats"), except WHY_NOT, which the
lexicon runs over its own normalised words (apostrophes kept)."""

from __future__ import annotations

import re

# A condition that says nothing: "roll back if needed", "if there's an issue", "if anything goes wrong".
VACUOUS_IF = (
    r"(?:needed|necessary|required|possible|appropriate|applicable|so|need be|any|anything goes wrong|something goes "
    r"wrong|things go wrong|there(?:s| is| are) (?:an? |any )?(?:issues?|problems?))\b"
)
# Reasoning that applies a move (a cause, a condition, a consequence, a decision and its price): normalised text.
REASON = re.compile(
    r"\b(?:because|since (?:the|it|we|they|that|this|most|our)|so that|(?<=[a-z0-9] )so (?:i|id|ill|we|wed|well|it|they|theyd|that|the)\b|which means|"
    r"that means|this means|it means|meaning|in order to|otherwise|unless|rather than|instead of|at the cost of|my (?:guess|bet|hunch) is|i suspect|"
    r"in exchange|the price (?:is|of)|costs? us|if(?! " + VACUOUS_IF + r")|whether|only (?:once|after|when)|as long as|until|given that|"
    r"(?:which|that|this) (?:tells|would tell|rules|leads|drives|shows)|thats why|the reason|"
    r"or (?:we|they|it|you|people)(?:d|ll| would| will| could)|"
    r"(?:would|could|will|might) (?:[\w']+ ){0,2}(?:fail|break|leave|lose|cause|create|end up|mean|hurt|cost)|"
    r"to (?:rule out|see (?:if|whether|which|what|how)|check (?:if|whether)|make sure|confirm|tell))\b"
)
# The point's why or its price, not a narrative "so I'd": a cause, a condition, a consequence, a choice against another.
WHY = re.compile(
    r"\b(?:because|so that|which means|that means|this means|rather than|instead of|otherwise|unless|in order to|"
    r"at the cost of|the price|costs?|worth it|worth paying|(?:id|i would|wed|we would) pay (?:that|it|for)|"
    r"only (?:once|after|when|if)|until|given that|if(?! " + VACUOUS_IF + r")|whether)\b"
)
# A reason given for turning a metric down ("not on watch time, because the model was trained to push it up").
WHY_NOT = re.compile(r"\b(?:because|since|as (?:it|that|they)|which (?:would|is|just)|it (?:rewards|favours|favors|hides|misses))\b")


def reasons_in(norm: str) -> tuple[str, ...]:
    """The reasoning words of a sentence already put through anchor_text: "because", "if ...", "rather than"."""
    return tuple(m.group(0) for m in REASON.finditer(" ".join(norm.split())))
