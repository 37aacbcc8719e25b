"""Pure delivery metrics from word timestamps: pace, fillers, hedges, pauses, answer length."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from voicecoach.model import Delivery, Segment, Turn

LONG_PAUSE_S = 3.0
ANSWER_MIN_S = 120.0  # an execution answer needs two to three minutes
ANSWER_MAX_S = 180.0
SLOW_WPM = 110.0
FAST_WPM = 175.0
FILLERS_PER_MIN_NOTE = 3.0
I_THINK_PER_MIN = 3.0  # "I think" counts as a hedge only above this rate


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


def pause_events(segments: Sequence[Segment], min_s: float = LONG_PAUSE_S) -> list[tuple[float, float]]:
    """(start, length) of every silence between words longer than min_s."""
    toks = tokens(segments)
    return [(a.end_s, b.start_s - a.end_s) for a, b in pairwise(toks) if b.start_s - a.end_s > min_s]


def speaking_seconds(segments: Sequence[Segment]) -> float:
    """From the first word to the last, minus the long pauses."""
    toks = tokens(segments)
    if not toks:
        return 0.0
    span = toks[-1].end_s - toks[0].start_s
    return max(0.0, span - sum(length for _, length in pause_events(segments)))


def pace_series(segments: Sequence[Segment], bin_s: float = 10.0) -> list[tuple[float, float]]:
    """(bin start, words per minute in that bin) across the answer, for a timeline."""
    toks = tokens(segments)
    if not toks:
        return []
    end = toks[-1].end_s
    counts: Counter[int] = Counter(int(t.start_s // bin_s) for t in toks)
    bins = int(end // bin_s) + 1
    out = []
    for b in range(bins):
        width = min(bin_s, end - b * bin_s) if b == bins - 1 else bin_s
        out.append((b * bin_s, counts[b] * 60.0 / max(width, 1.0)))
    return out


def mmss_words(seconds: float) -> str:
    """4 min 10 s, 45 s."""
    m, s = divmod(round(seconds), 60)
    return f"{m} min {s} s" if m else f"{s} s"


def _count(events: Sequence[tuple[float, str]]) -> dict[str, int]:
    return dict(Counter(label for _, label in events).most_common())


def _build(segment_groups: Sequence[Sequence[Segment]], answer_s: Sequence[float], main_answer: bool) -> Delivery:
    """Figures and notes over one or more answers."""
    fillers: list[tuple[float, str]] = []
    hedges: list[tuple[float, str]] = []
    speaking = 0.0
    words = 0
    pauses = 0
    for segs in segment_groups:
        fillers += filler_events(segs)
        hedges += hedge_events(segs)
        speaking += speaking_seconds(segs)
        words += len(tokens(segs))
        pauses += len(pause_events(segs))
    minutes = speaking / 60.0
    wpm = words / minutes if minutes > 0 else 0.0
    hedge_counts = _count(hedges)
    i_think = hedge_counts.get("i think", 0)
    if i_think < 2 or minutes <= 0 or i_think / minutes <= I_THINK_PER_MIN:
        hedge_counts.pop("i think", None)  # "I think" is only a hedge when overused
    filler_counts = _count(fillers)
    notes = _notes(wpm, words, fillers, filler_counts, hedge_counts, pauses, minutes, answer_s, main_answer)
    return Delivery(
        words_per_minute=round(wpm, 1),
        filler_count=len(fillers),
        fillers=filler_counts,
        hedges=hedge_counts,
        long_pauses=pauses,
        speaking_s=round(speaking, 2),
        word_count=words,
        notes=tuple(notes),
    )


def _notes(
    wpm: float,
    words: int,
    fillers: Sequence[tuple[float, str]],
    filler_counts: dict[str, int],
    hedge_counts: dict[str, int],
    pauses: int,
    minutes: float,
    answer_s: Sequence[float],
    main_answer: bool,
) -> list[str]:
    """Plain-language coaching notes."""
    notes: list[str] = []
    if words >= 20 and wpm > FAST_WPM:
        notes.append(f"Pace {wpm:.0f} words a minute is fast; slow down so the interviewer can follow.")
    elif words >= 20 and wpm < SLOW_WPM:
        notes.append(f"Pace {wpm:.0f} words a minute is slow; aim for about 130-160.")
    if fillers and minutes > 0 and len(fillers) / minutes > FILLERS_PER_MIN_NOTE:
        top = ", ".join(f'"{w}" \u00d7{n}' for w, n in list(filler_counts.items())[:3])
        notes.append(f"{len(fillers)} fillers ({top}), {len(fillers) / minutes:.1f} a minute; pause silently instead.")
    if sum(hedge_counts.values()) >= 2:
        top = ", ".join(f'"{w}" \u00d7{n}' for w, n in hedge_counts.items())
        notes.append(f"Hedging ({top}); state your recommendation and your assumptions plainly.")
    if pauses:
        notes.append(f"{pauses} pause{'s' if pauses > 1 else ''} longer than {LONG_PAUSE_S:.0f} s.")
    for i, length in enumerate(answer_s):
        if length > ANSWER_MAX_S:
            notes.append(f"Answer ran {mmss_words(length)}; aim for two to three minutes.")
        elif i == 0 and main_answer and 0 < length < ANSWER_MIN_S:
            notes.append(f"Answer ran {mmss_words(length)}; an execution answer needs two to three minutes.")
    return notes


def _answer_length(segments: Sequence[Segment], duration_s: float | None) -> float:
    """The answer's length: the audio's duration when known, else the span of its words."""
    if duration_s is not None and duration_s > 0:
        return duration_s
    toks = tokens(segments)
    return toks[-1].end_s - toks[0].start_s if toks else 0.0


def analyse_turn(
    segments: Sequence[Segment], duration_s: float | None = None, *, main_answer: bool = False
) -> Delivery:
    """Delivery of one answer; main_answer also flags an answer shorter than two minutes."""
    return _build([segments], [_answer_length(segments, duration_s)], main_answer)


def analyse_session(turns: Sequence[Turn]) -> Delivery:
    """Delivery over the candidate's answer turns; the first one is judged as the main answer."""
    answers = [t for t in turns if t.role == "candidate" and t.kind == "answer"]
    lengths = [_answer_length(t.segments, t.end_s - t.start_s if t.end_s > t.start_s else None) for t in answers]
    return _build([t.segments for t in answers], lengths, main_answer=True)
