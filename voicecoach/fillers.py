"""Fillers and hedges in timed words: "um", filler "like" / "you know" / "I mean", "I'm not sure", "maybe"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from voicecoach.model import Segment


def _set(words: str) -> frozenset[str]:
    """A frozen set of the space-separated words."""
    return frozenset(words.split())


# Spelling variants Whisper (and transcribers) use for the same hesitation sound.
_SOUNDS = {
    "um": "um",
    "umm": "um",
    "ummm": "um",
    "uhm": "um",
    "mm": "hmm",
    "mmm": "hmm",
    "uh": "uh",
    "uhh": "uh",
    "uhhh": "uh",
    "er": "er",
    "err": "er",
    "erm": "erm",
    "hmm": "hmm",
    "hm": "hmm",
    "hmmm": "hmm",
    "yknow": "you know",
    "y'know": "you know",
    "ya'know": "you know",
}
_DETERMINERS = _set(
    "a an the this that these those what which any some every each one no same different other another "
    "certain my your our their his her its"
)
# "like" is a verb or comparison (not a filler) after these words: "I'd like", "looks like", "something like".
_LIKE_NOT_FILLER_AFTER = _set(
    "would wouldn't i'd we'd you'd they'd he'd she'd it'd feel feels felt look looks looked seem seems seemed "
    "sound sounds sounded something anything nothing everything things stuff more much exactly lot "
    "act acts acted behave behaves taste tastes smell smells i we you they users people customers teams team "
    "do does did don't doesn't didn't to will might may can could should really also not who"
)
# "like" followed by an object is a comparison or preposition: "like a funnel", "like the old flow".
# After these words a bare "like" is a discourse filler: "and like we", "it's like we", "was like trying".
_LIKE_FILLER_AFTER = _set(
    "and so but or just then um uh er erm hmm it's that's there's was is were are am i'm we're they're you're "
    "he's she's be been being literally actually totally kinda"
)
_LIKE_OBJECTS = _DETERMINERS | _set("it him them me us someone something anyone")
# "you know"/"I mean" are literal after these words: "do you know", "what I mean".
_LITERAL_BEFORE = _set(
    "do does did don't didn't doesn't if as because would could should will can might when whether what how "
    "that which who let"
)
_YOU_KNOW_OBJECTS = _set(
    "that what how the a an it him her them why whether if about where when who which this those these "
    "your our their my"
)
_I_MEAN_OBJECTS = _set("it that to what by")
_HEDGES = (
    ("i'm", "not", "sure"),
    ("i", "am", "not", "sure"),
    ("i", "guess"),
    ("i", "suppose"),
    ("maybe",),
    ("probably",),
    ("perhaps",),
    ("i", "think"),
)
_WORD = re.compile(r"[a-z0-9']+")
_NUMBER = re.compile(r"^\d|^(one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred)")


@dataclass(frozen=True)
class Token:
    """One spoken word: session-free times (seconds in its audio), bare text, whether punctuation follows."""

    start_s: float
    end_s: float
    text: str
    pause_after: bool  # a comma, full stop, dash or other punctuation follows the word


def tokens(segments: Sequence[Segment]) -> list[Token]:
    """Words with times; segments without word timestamps get times spread evenly over the segment."""
    out: list[Token] = []
    for seg in segments:
        if seg.words:
            pieces = [(float(w.start_s), float(w.end_s), w.text) for w in seg.words]
        else:
            raw = seg.text.split()
            start0 = float(seg.start_s)
            step = (float(seg.end_s) - start0) / len(raw) if raw else 0.0
            pieces = [(start0 + i * step, start0 + (i + 1) * step, r) for i, r in enumerate(raw)]
        for start, end, text in pieces:
            cleaned = text.strip().lower().replace("\u2019", "'")
            parts = _WORD.findall(cleaned)
            for j, part in enumerate(parts):
                punct_after = j == len(parts) - 1 and bool(re.search(r"[,.;:!?\u2014\u2026-]$", cleaned))
                out.append(Token(start, end, part.rstrip("'") or part, punct_after))
    return out


def _prev(toks: Sequence[Token], i: int) -> str:
    return toks[i - 1].text if i > 0 else ""


def _next(toks: Sequence[Token], i: int) -> str:
    return toks[i + 1].text if i + 1 < len(toks) else ""


def _like_is_filler(toks: Sequence[Token], i: int) -> bool:
    """Real rules for "like": only its filler contexts count; verb, comparison and "such as" uses do not."""
    prev_tok = toks[i - 1] if i > 0 else None
    prev = prev_tok.text if prev_tok is not None and not prev_tok.pause_after else ""
    if prev in _LIKE_NOT_FILLER_AFTER:
        return False  # "I'd like to", "looks like", "users like it", "something like that"
    if toks[i].pause_after:
        return True  # "it's like, we ..."
    nxt = _next(toks, i)
    if nxt in _SOUNDS or nxt == "like":
        return True  # "like um", "like like"
    if not nxt or nxt in _LIKE_OBJECTS or _NUMBER.match(nxt):
        return False  # "like a funnel", "like the old flow", "like 20 percent"
    return prev in _LIKE_FILLER_AFTER  # "so like we ship", "we were like trying"; not "abuse like retries"


def _two_word_filler(toks: Sequence[Token], i: int, second: str) -> bool:
    """Rules for "you know", "I mean", "sort of", "kind of" starting at token i."""
    first = toks[i].text
    prev_tok = toks[i - 1] if i > 0 else None
    prev = prev_tok.text if prev_tok is not None and not prev_tok.pause_after else ""
    after = toks[i + 2].text if i + 2 < len(toks) else ""
    comma = toks[i + 1].pause_after
    if first in ("sort", "kind"):
        return prev not in _DETERMINERS and prev not in ("of", "all")  # "what kind of", "a sort of"
    if prev in _LITERAL_BEFORE:
        return False  # "do you know", "what I mean"
    objects = _YOU_KNOW_OBJECTS if second == "know" else _I_MEAN_OBJECTS
    return comma or not after or after not in objects


def filler_events(segments: Sequence[Segment]) -> list[tuple[float, str]]:
    """(start time in the audio, canonical filler) for every filler, in order."""
    toks = tokens(segments)
    found: list[tuple[float, str]] = []
    i = 0
    while i < len(toks):
        word, nxt = toks[i].text, _next(toks, i)
        pair = f"{word} {nxt}"
        if pair in ("you know", "i mean", "sort of", "kind of") and _two_word_filler(toks, i, nxt):
            found.append((toks[i].start_s, pair))
            i += 2
            continue
        if word in _SOUNDS:
            found.append((toks[i].start_s, _SOUNDS[word]))
        elif word == "basically" or (word == "like" and _like_is_filler(toks, i)):
            found.append((toks[i].start_s, word))
        i += 1
    return found


def hedge_events(segments: Sequence[Segment]) -> list[tuple[float, str]]:
    """(start time, hedge phrase) for every hedge, "I think" included (rate is judged later)."""
    toks = tokens(segments)
    texts = [t.text for t in toks]
    found: list[tuple[float, str]] = []
    i = 0
    while i < len(toks):
        for phrase in _HEDGES:
            if tuple(texts[i : i + len(phrase)]) == phrase:
                label = "i'm not sure" if phrase[-1] == "sure" else " ".join(phrase)
                found.append((toks[i].start_s, label))
                i += len(phrase) - 1
                break
        i += 1
    return found
