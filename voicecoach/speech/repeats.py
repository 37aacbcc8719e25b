"""Whisper's repetition loops: finding them in a decoded window and cutting the copies out."""

from __future__ import annotations

from voicecoach.model import Segment

# A run of words said again straight after itself: a loop when it is this long and repeated this often.
# People do repeat themselves ("we need to, we need to"), but not a 3-5 word phrase three times running,
# nor six words or more twice in a row.
_SHORT_RUN = (3, 3)  # (minimum words, copies)
_LONG_RUN = (6, 2)
_MAX_RUN_WORDS = 20


def _key(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalnum())


def _copies_at(keys: list[str], i: int, n: int) -> int:
    """How many times keys[i:i+n] occurs back to back from i."""
    copies = 1
    while keys[i + copies * n : i + (copies + 1) * n] == keys[i : i + n]:
        copies += 1
    return copies


def _is_loop(n: int, copies: int) -> bool:
    return (n >= _LONG_RUN[0] and copies >= _LONG_RUN[1]) or (n >= _SHORT_RUN[0] and copies >= _SHORT_RUN[1])


def _loop_at(keys: list[str], i: int) -> tuple[int, int] | None:
    """(run length, copies) of the shortest looping run starting at i, if any."""
    for n in range(_SHORT_RUN[0], min(_MAX_RUN_WORDS, (len(keys) - i) // 2) + 1):
        if not all(keys[i : i + n]):
            continue
        copies = _copies_at(keys, i, n)
        if _is_loop(n, copies):
            return n, copies
    return None


def _segment_keys(segment: Segment) -> list[str]:
    return [_key(w.text) for w in segment.words] if segment.words else [_key(w) for w in segment.text.split()]


def looped(segments: list[Segment]) -> bool:
    """Whether a window holds a loop: a sentence segment said twice, or a run of words repeated back to back."""
    seen: set[str] = set()
    for s in segments:
        sentence = " ".join(k for k in _segment_keys(s) if k)
        if len(sentence.split()) >= 3 and sentence in seen:
            return True
        seen.add(sentence)
    keys = [k for s in segments for k in _segment_keys(s)]
    return any(_loop_at(keys, i) for i in range(len(keys)))


def _collapse_words(segment: Segment) -> Segment:
    """The segment with each looping run kept once (and a trailing partial copy of it dropped)."""
    if not segment.words:
        return segment
    words = list(segment.words)
    keys = [_key(w.text) for w in words]
    kept: list[int] = []
    i = 0
    while i < len(words):
        found = _loop_at(keys, i)
        if found is None:
            kept.append(i)
            i += 1
            continue
        n, copies = found
        kept.extend(range(i, i + n))
        i += n * copies
        partial = 0  # a copy cut short where the loop broke off: "rollout. 1%, 10%. Then ship the fix in a"
        while partial < n and i + partial < len(keys) and keys[i + partial] == keys[i - n + partial]:
            partial += 1
        if partial >= _SHORT_RUN[0]:
            i += partial
    if len(kept) == len(words):
        return segment
    new_words = tuple(words[k] for k in kept)
    return Segment(segment.start_s, segment.end_s, " ".join(w.text for w in new_words), new_words)


def collapse_loops(segments: list[Segment]) -> list[Segment]:
    """Segments without Whisper's copies: a long segment equal to the one before it, and runs inside one."""
    out: list[Segment] = []
    previous = ""
    for s in segments:
        sentence = " ".join(k for k in _segment_keys(s) if k)
        if len(sentence.split()) >= _LONG_RUN[0] and sentence == previous:
            continue
        previous = sentence
        out.append(_collapse_words(s))
    return out
