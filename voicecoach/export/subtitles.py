"""SRT and WebVTT of the whole session: speaker-labelled cues of at most 2 x 42 characters and 7 s."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from voicecoach.export.summary import SPEAKER
from voicecoach.model import Session, Turn

MAX_LINE_CHARS = 42
MAX_LINES = 2
MAX_CUE_S = 7.0
MIN_CUE_S = 0.2
SPLIT_GAP_S = 1.5  # a silence this long between words starts a new cue
CHARS_PER_S = 15.0  # reading speed used when an interviewer line has no recorded length


@dataclass(frozen=True)
class Cue:
    """One subtitle: session-time bounds, the speaker, and its (at most two) lines."""

    start_s: float
    end_s: float
    speaker: str
    lines: tuple[str, ...]  # "Speaker: text" wrapped, as SRT shows it (SRT has no voice tags)
    text: str = ""  # the words alone, for WebVTT's <v Speaker> voice span


def _timed_words(turn: Turn) -> list[tuple[float, float, str]]:
    """(start, end, word) in session time: word timestamps when present, else spread over the turn."""
    out: list[tuple[float, float, str]] = []
    for seg in turn.segments:
        if seg.words:
            out += [
                (turn.start_s + w.start_s, turn.start_s + w.end_s, w.text.strip()) for w in seg.words if w.text.strip()
            ]
        else:
            out += _spread(seg.text, turn.start_s + seg.start_s, turn.start_s + seg.end_s)
    if not out:
        end = turn.end_s if turn.end_s > turn.start_s else turn.start_s + max(1.0, len(turn.text) / CHARS_PER_S)
        out = _spread(turn.text, turn.start_s, end)
    return out


def _spread(text: str, start: float, end: float) -> list[tuple[float, float, str]]:
    """Words of text spread over [start, end] in proportion to their length."""
    words = text.split()
    total = sum(len(w) + 1 for w in words)
    out, t = [], start
    for w in words:
        step = (end - start) * (len(w) + 1) / total
        out.append((t, t + step, w))
        t += step
    return out


def _wrap(text: str) -> list[str]:
    """Lines of at most MAX_LINE_CHARS."""
    return textwrap.wrap(text, MAX_LINE_CHARS, break_long_words=True, break_on_hyphens=False)


def _turn_cues(turn: Turn) -> list[Cue]:
    """Greedy cues for one turn: a cue closes when the text or the time would overflow, or at a long gap."""
    speaker = SPEAKER[turn.role]
    words = [(s, e, w.replace("-->", "\u2192")) for s, e, w in _timed_words(turn)]
    cues: list[Cue] = []
    group: list[tuple[float, float, str]] = []

    def close() -> None:
        if group:
            said = " ".join(w for _, _, w in group)
            end = min(group[-1][1], group[0][0] + MAX_CUE_S)
            if turn.end_s > turn.start_s:
                end = min(end, turn.end_s)
            lines = tuple(_wrap(f"{speaker}: {said}"))
            cues.append(Cue(group[0][0], max(end, group[0][0] + MIN_CUE_S), speaker, lines, said))
            group.clear()

    for word in words:
        if group:
            candidate = f"{speaker}: " + " ".join(w for _, _, w in [*group, word])
            too_long = len(_wrap(candidate)) > MAX_LINES or word[1] - group[0][0] > MAX_CUE_S
            sentence_end = group[-1][2].endswith((".", "?", "!")) and len(candidate) > MAX_LINE_CHARS
            if too_long or sentence_end or word[0] - group[-1][1] > SPLIT_GAP_S:
                close()
        group.append(word)
    close()
    return cues


def cues(session: Session) -> list[Cue]:
    """Every cue of the session, in order, with monotonic non-overlapping times."""
    raw = [c for t in session.turns if t.text.strip() for c in _turn_cues(t)]
    out: list[Cue] = []
    prev_end = 0.0
    for c in sorted(raw, key=lambda c: c.start_s):
        start = max(c.start_s, prev_end)
        end = min(max(c.end_s, start + MIN_CUE_S), start + MAX_CUE_S)
        out.append(Cue(round(start, 3), round(end, 3), c.speaker, c.lines, c.text))
        prev_end = round(end, 3)
    return out


def _clock(seconds: float, sep: str) -> str:
    """HH:MM:SS<sep>mmm."""
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(session: Session) -> str:
    """SubRip: numbered cues, HH:MM:SS,mmm times."""
    blocks = [
        f"{i}\n{_clock(c.start_s, ',')} --> {_clock(c.end_s, ',')}\n" + "\n".join(c.lines)
        for i, c in enumerate(cues(session), 1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _vtt_escape(text: str) -> str:
    """WebVTT cue text escapes & < >."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(session: Session) -> str:
    """WebVTT: the same cues and times as the SRT; the speaker is the <v Speaker> voice span, not repeated in the text."""
    blocks = ["WEBVTT"]
    for i, c in enumerate(cues(session), 1):
        body = "\n".join(_vtt_escape(line) for line in _wrap(c.text))
        blocks.append(f"{i}\n{_clock(c.start_s, '.')} --> {_clock(c.end_s, '.')}\n<v {c.speaker}>{body}")
    return "\n\n".join(blocks) + "\n"
