"""Frozen values that cross the ports, and the one mutable record: Session."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

DIMENSIONS: tuple[str, ...] = (
    "clarify",
    "metrics",
    "technical",
    "edge_cases",
    "tradeoffs",
    "data",
    "follow_up",
)

Role = Literal["interviewer", "candidate"]
TurnKind = Literal[
    "question",
    "follow_up",
    "clarification",
    "clarification_answer",
    "answer",
    "feedback",
    "note",
]
MoveKind = Literal["follow_up", "clarification_answer", "next_question", "wrap_up"]
Status = Literal["in_progress", "completed", "aborted", "no_answer"]  # no_answer: nothing heard, not scored


@dataclass(frozen=True)
class Word:
    """One recognised word with its timing (seconds from the start of the audio)."""

    start_s: float
    end_s: float
    text: str
    probability: float = 1.0


@dataclass(frozen=True)
class Segment:
    """A stretch of recognised speech; times are seconds from the start of the audio."""

    start_s: float
    end_s: float
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Transcript:
    """The complete, materialised result of transcribing one piece of audio."""

    text: str
    segments: tuple[Segment, ...] = ()
    duration_s: float = 0.0
    language: str = "en"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """A quote located verbatim in the candidate's transcript; turn is its index in Session.turns."""

    quote: str
    turn: int


@dataclass(frozen=True)
class Score:
    """One rubric dimension scored 1-5 with a rationale and its evidence."""

    dimension: str
    score: int
    rationale: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Move:
    """What the interviewer brain decides to do next, already phrased."""

    kind: MoveKind
    text: str
    targets: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Fix:
    """One of "what to fix first": the quote it comes from, why it costs points, and a stronger version."""

    dimension: str
    why: str  # why it costs points, in one or two sentences
    stronger: str  # a stronger version in the case's own terms (from the case's answer key where it has one)
    quote: str = ""  # verbatim from the candidate's transcript, or "" when the fix is about something never said
    turn: int | None = None  # index in Session.turns of the quote's turn
    key_point: str = ""  # id of the answer-key point it comes from, if any


@dataclass(frozen=True)
class Verdict:
    """The end-of-interview judgement: scores per dimension and the spoken feedback."""

    scores: tuple[Score, ...]
    overall: float
    feedback: str
    interviewer: str = "offline"
    fixes: tuple[Fix, ...] = ()  # what to fix first, most costly first, at most three


@dataclass(frozen=True)
class Delivery:
    """How something was said, computed from word timestamps."""

    words_per_minute: float = 0.0
    filler_count: int = 0
    fillers: dict[str, int] = field(default_factory=dict)
    hedges: dict[str, int] = field(default_factory=dict)
    long_pauses: int = 0
    speaking_s: float = 0.0
    word_count: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    """One line of the conversation, by the interviewer or the candidate."""

    role: Role
    kind: TurnKind
    text: str
    targets: tuple[str, ...] = ()
    audio: str | None = None
    start_s: float = 0.0
    end_s: float = 0.0
    segments: tuple[Segment, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    delivery: Delivery | None = None
    interviewer: str | None = None
    note: str = ""


@dataclass
class Session:
    """The one mutable record of an interview; saved after every turn."""

    id: str
    pack: str
    case: str
    question: str
    status: Status = "in_progress"
    interviewer: str = "offline"
    created_at: str = ""
    turns: list[Turn] = field(default_factory=list)
    scores: dict[str, Score] = field(default_factory=dict)
    overall: float | None = None
    delivery: Delivery | None = None
    feedback: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    fixes: list[Fix] = field(default_factory=list)  # what to fix first (from the verdict)
    demo: bool = False  # made by `voicecoach demo`: kept out of sessions and progress unless asked for
    retake_of: str | None = None  # id of the session whose case this one asks again
    schema_version: int = SCHEMA_VERSION

    def candidate_turns(self) -> list[tuple[int, Turn]]:
        """Index and turn of every candidate turn, in order."""
        return [(i, t) for i, t in enumerate(self.turns) if t.role == "candidate"]

    def elapsed_s(self) -> float:
        """Session-time of the end of the last turn."""
        return self.turns[-1].end_s if self.turns else 0.0

    def last_interviewer_line(self) -> str:
        """What "repeat" says again: the last question, follow-up or answer to a clarifying question."""
        return self._last_line(("question", "follow_up", "clarification_answer"))

    def open_question(self) -> str:
        """The question or follow-up the candidate is answering now."""
        return self._last_line(("question", "follow_up"))

    def _last_line(self, kinds: tuple[str, ...]) -> str:
        for t in reversed(self.turns):
            if t.role == "interviewer" and t.kind in kinds:
                return t.text
        return self.question

    def is_paused(self) -> bool:
        """True between a spoken "pause" and the "resume" that ends it (the nudge stays quiet then)."""
        commands = [e["command"] for e in self.events if e.get("type") == "command"]
        return bool(commands) and commands[-1] == "pause"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (schema_version 1)."""
        d = asdict(self)
        d["scores"] = {k: asdict(v) for k, v in self.scores.items()}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Session:
        """Rebuild a session from its JSON form."""
        version = d.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"unsupported session schema_version {version!r} (expected {SCHEMA_VERSION})")
        delivery = d.get("delivery")
        return cls(
            id=d["id"],
            pack=d["pack"],
            case=d["case"],
            question=d["question"],
            status=d["status"],
            interviewer=d.get("interviewer", "offline"),
            created_at=d.get("created_at", ""),
            turns=[turn_from_dict(t) for t in d.get("turns", [])],
            scores={k: score_from_dict(v) for k, v in d.get("scores", {}).items()},
            overall=d.get("overall"),
            delivery=delivery_from_dict(delivery) if delivery else None,
            feedback=d.get("feedback", ""),
            events=list(d.get("events", [])),
            settings=dict(d.get("settings", {})),
            fixes=[Fix(**f) for f in d.get("fixes", ())],
            demo=bool(d.get("demo", False)),
            retake_of=d.get("retake_of"),
        )


def segment_from_dict(d: dict[str, Any]) -> Segment:
    """Rebuild a Segment from JSON."""
    words = tuple(Word(**w) for w in d.get("words", ()))
    return Segment(start_s=d["start_s"], end_s=d["end_s"], text=d["text"], words=words)


def score_from_dict(d: dict[str, Any]) -> Score:
    """Rebuild a Score from JSON."""
    ev = tuple(Evidence(quote=e["quote"], turn=e["turn"]) for e in d.get("evidence", ()))
    return Score(dimension=d["dimension"], score=d["score"], rationale=d["rationale"], evidence=ev)


def delivery_from_dict(d: dict[str, Any]) -> Delivery:
    """Rebuild a Delivery from JSON."""
    return Delivery(
        words_per_minute=d.get("words_per_minute", 0.0),
        filler_count=d.get("filler_count", 0),
        fillers=dict(d.get("fillers", {})),
        hedges=dict(d.get("hedges", {})),
        long_pauses=d.get("long_pauses", 0),
        speaking_s=d.get("speaking_s", 0.0),
        word_count=d.get("word_count", 0),
        notes=tuple(d.get("notes", ())),
    )


def turn_from_dict(d: dict[str, Any]) -> Turn:
    """Rebuild a Turn from JSON."""
    delivery = d.get("delivery")
    return Turn(
        role=d["role"],
        kind=d["kind"],
        text=d["text"],
        targets=tuple(d.get("targets", ())),
        audio=d.get("audio"),
        start_s=d.get("start_s", 0.0),
        end_s=d.get("end_s", 0.0),
        segments=tuple(segment_from_dict(s) for s in d.get("segments", ())),
        timings=dict(d.get("timings", {})),
        delivery=delivery_from_dict(delivery) if delivery else None,
        interviewer=d.get("interviewer"),
        note=d.get("note", ""),
    )
