"""A plan that branches on what the data shows, read from the sentence's shape rather than the rubric's words.

"If it turns out to be one kind of phone, starting with one release, I'd look at how often uploads fail on that
version": a finding, then what the candidate would do about it. That is using data to decide, whatever it is called.
The condition must be a finding (what something turns out to be, is mostly, or only), not a wish ("if we have time"),
and the next step the speaker's own.
"""

from __future__ import annotations

import re

# Read on normalised text (lower case, no punctuation): "if it turns out", "if it's only", "if most of them", "if the
# drop is mostly", "say it's regulars in the big cities"
_FINDING = re.compile(
    r"^(?:[\w']+ ){0,2}(?:if|when|say) (?:it turns out|they turn out|it's|it is|that's|they're|they are|"
    r"the \w+(?: \w+)? (?:is|are|turns out|comes back|shows)|most of (?:them|those|the \w+)) "
)
# the speaker's next step: "I'd look at", "then we check", "I'll ask"
_NEXT = re.compile(
    r"\b(?:i'd|i would|i'll|i will|we'd|we would|we'll) (?:[\w']+ )?(?:look|check|ask|pull|dig|go|compare|split|trace|test|"
    r"try|call|talk|want|read|find|see|turn|roll|fix|move|start|focus|put|send|have)\b"
)
LABEL = "used data to discover or decide"
WEIGHT = 1.0


def branches_on_a_finding(norm: str) -> re.Match[str] | None:
    """Where a normalised sentence plans its next step on a finding, or None."""
    found = _FINDING.search(norm)
    if found is None:
        return None
    return found if _NEXT.search(norm, found.end()) else None
