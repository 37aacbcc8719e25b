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
    # Words with no letters or digits ("%" after "1", "-off" split as "-") are not part of a run: kept in,
    # they hid "stage rollout. 1% 10%" said three times from this check on the demo's own strong answer.
    keys = [k for s in segments for k in _segment_keys(s) if k]
    return any(_loop_at(keys, i) for i in range(len(keys)))


def _kept(keys: list[str]) -> list[int]:
    """Indexes of keys to keep: each looping run once, and a trailing partial copy of it dropped."""
    kept: list[int] = []
    i = 0
    while i < len(keys):
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
    return kept


def _trimmed(segment: Segment, keep: list[bool]) -> Segment | None:
    """The segment with only the words marked to keep (None when none are left)."""
    words = [w for w, k in zip(segment.words, keep, strict=True) if k]
    if len(words) == len(segment.words):
        return segment
    if not words:
        return None
    start = segment.start_s if keep[0] else words[0].start_s
    end = segment.end_s if keep[-1] else words[-1].end_s
    return Segment(start, end, " ".join(w.text for w in words), tuple(words))


def _keep_slots(segments: list[Segment]) -> list[bool]:
    """For each word (or each segment without words), whether it survives the loop cut.

    Loops are looked for in one flat run of word keys; a segment without word timings is a break no loop
    can span, and a word with no letters or digits ("%") goes with the word before it.
    """
    keys: list[str] = []  # the words that count, and "" for a break
    owner: list[int] = []  # for each slot: its index in keys (-1: a mark before any word, always kept)
    for s in segments:
        if not s.words:
            keys.append("")
            owner.append(len(keys) - 1)
            continue
        for w in s.words:
            k = _key(w.text)
            if k:
                keys.append(k)
            owner.append(len(keys) - 1 if k or keys else -1)
    kept = set(_kept(keys))
    return [o < 0 or o in kept for o in owner]


def collapse_loops(segments: list[Segment]) -> list[Segment]:
    """Segments without Whisper's copies: a long segment equal to the one before it, and looping runs of words.

    A run is looked for across segment boundaries too: a window decoded in pieces came back in CI as
    "Nenship the fix in a staged rollout. 1%, 10%," three times, one copy per segment.
    """
    keep = _keep_slots(segments)
    trimmed: list[Segment] = []
    position = 0
    for s in segments:
        size = len(s.words) or 1
        kept = _trimmed(s, keep[position : position + size]) if s.words else s
        position += size
        if kept is not None:
            trimmed.append(kept)
    # Then a long sentence segment said again whole (longer than any run looked for above).
    out: list[Segment] = []
    previous = ""
    for s in trimmed:
        sentence = " ".join(k for k in _segment_keys(s) if k)
        if len(sentence.split()) >= _LONG_RUN[0] and sentence == previous:
            continue
        previous = sentence
        out.append(s)
    return out


def copies_prompt(prompt: str, segments: list[Segment], run: int = 6) -> bool:
    """Whether most of the decoded words are runs of `run` words or more copied from the prompt Whisper was given.

    With the text so far in its prompt, tiny.en sometimes writes that text out again instead of the new
    audio ("Nenship the fix in a staged rollout. 1%, 10%," once per piece); the new words are lost, not
    only doubled. People do restate the question or repeat themselves, but as part of what they say, not
    as most of an utterance. (The third copy CI saw was seven words long.)
    """
    said = [k for k in (_key(w) for w in prompt.split()) if k][-60:]
    runs = {tuple(said[i : i + run]) for i in range(len(said) - run + 1)}
    keys = [k for s in segments for k in _segment_keys(s) if k]
    copied = [False] * len(keys)
    for i in range(len(keys) - run + 1):
        if tuple(keys[i : i + run]) in runs:
            copied[i : i + run] = [True] * run
    return 2 * sum(copied) > len(keys)
