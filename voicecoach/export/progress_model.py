"""Progress as values: scored sessions oldest first, the comparison window, and the case to practise next."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean

from voicecoach.content import Pack
from voicecoach.model import DIMENSIONS

WINDOW = 5  # trends compare the last five sessions with the five before (fewer when there are fewer)
STEADY_BELOW = 0.25  # a change of the mean smaller than this is "steady"


@dataclass(frozen=True)
class ProgressPoint:
    """One scored session on the progress chart."""

    session_id: str
    created_at: str
    case: str
    overall: float | None
    scores: dict[str, int] = field(default_factory=dict)
    pack: str = ""
    case_title: str = ""


@dataclass(frozen=True)
class NextCase:
    """The case that trains the weakest dimension: most answer-key points on it, practised least."""

    dimension: str
    case: str
    title: str
    key_points: int  # points of the case's answer key on that dimension (0 when the pack has no key)
    practised: int  # sessions of this case so far


@dataclass(frozen=True)
class Trend:
    """One dimension's mean over the earlier and the recent window."""

    dimension: str
    before: float
    after: float

    @property
    def direction(self) -> int:
        """+1 rose, -1 fell, 0 steady."""
        delta = self.after - self.before
        return 0 if abs(delta) < STEADY_BELOW else 1 if delta > 0 else -1


@dataclass(frozen=True)
class Progress:
    """Scored sessions, oldest first, and the dimensions they were scored on."""

    pack: str | None
    points: tuple[ProgressPoint, ...]
    dimensions: tuple[str, ...]
    next_case: NextCase | None = None

    def series(self, dimension: str) -> list[int | None]:
        """The dimension's score in each session (None where it was not scored)."""
        return [p.scores.get(dimension) for p in self.points]

    def window(self) -> int:
        """How many sessions each side of the trend comparison holds: five, or half the sessions when fewer."""
        return min(WINDOW, len(self.points) // 2)

    def trends(self) -> list[Trend]:
        """Each dimension's mean over the last window() sessions against the window() before them."""
        k = self.window()
        if k == 0:
            return []
        recent, earlier = self.points[-k:], self.points[-2 * k : -k]
        out = []
        for dim in self.dimensions:
            after = [p.scores[dim] for p in recent if dim in p.scores]
            before = [p.scores[dim] for p in earlier if dim in p.scores]
            if after and before:
                out.append(Trend(dim, mean(before), mean(after)))
        return out

    def overall_trend(self) -> Trend | None:
        """The overall score's mean over the same two windows as trends()."""
        k = self.window()
        after = [p.overall for p in self.points[-k:] if p.overall is not None] if k else []
        before = [p.overall for p in self.points[-2 * k : -k] if p.overall is not None] if k else []
        return Trend("overall", mean(before), mean(after)) if after and before else None

    def spread(self) -> list[tuple[float, float] | None]:
        """The lowest and highest dimension score of each session."""
        return [(min(p.scores.values()), max(p.scores.values())) if p.scores else None for p in self.points]

    def weakest(self) -> tuple[str, float] | None:
        """The dimension with the lowest mean over the recent window (all sessions when there is one), rubric order on ties."""
        recent = self.points[-max(1, self.window()) :]
        means = []
        for dim in self.dimensions:
            values = [p.scores[dim] for p in recent if dim in p.scores]
            if values:
                means.append((mean(values), _order(dim), dim))
        if not means:
            return None
        low, _, dim = min(means)
        return dim, low


def _order(dim: str) -> int:
    return DIMENSIONS.index(dim) if dim in DIMENSIONS else len(DIMENSIONS)


def next_case(pack: Pack, dimension: str, practised: dict[str, int]) -> NextCase | None:
    """The pack's case with most answer-key points on the dimension, then the least practised, then pack order."""
    if not pack.cases:
        return None
    ranked = sorted(
        enumerate(pack.cases),
        key=lambda ic: (-sum(kp.dimension == dimension for kp in ic[1].answer_key), practised.get(ic[1].id, 0), ic[0]),
    )
    case = ranked[0][1]
    points = sum(kp.dimension == dimension for kp in case.answer_key)
    return NextCase(dimension, case.id, case.title, points, practised.get(case.id, 0))
