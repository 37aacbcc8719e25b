"""Frozen values for a content pack: rubric dimensions, cases, hidden facts, probes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Dimension:
    """A rubric dimension with descriptors of a 1, a 3 and a 5 answer."""

    id: str
    name: str
    question: str  # what the dimension asks, in one line
    descriptors: dict[int, str]  # keys 1, 3, 5


@dataclass(frozen=True)
class HiddenFact:
    """Case data held back until the candidate asks for it."""

    topic: str
    keywords: tuple[str, ...]  # words in a clarifying question that ask for this fact
    answer: str  # what the interviewer says when asked


@dataclass(frozen=True)
class KeyPoint:
    """One point a strong answer makes on this case (its answer key): what it is, how it is spotted, how to say it."""

    id: str  # kebab-case, unique within the case
    dimension: str  # the rubric dimension it shows
    point: str  # what a strong answer does here, in the case's own terms (one line, for feedback and reports)
    anchors: tuple[tuple[str, ...], ...]  # groups of case terms: made when one sentence holds a term of every group
    stronger: str  # a first-person sentence a candidate could say: "a stronger way to put it"


@dataclass(frozen=True)
class Case:
    """One interview case of a pack."""

    id: str
    title: str
    category: str
    question: str  # the opening question as it will be spoken
    hidden_facts: tuple[HiddenFact, ...]
    probes: dict[str, tuple[str, ...]]  # dimension id -> follow-up phrasings for this case
    strong_answer: tuple[str, ...]  # what a strong answer covers
    no_data_answer: str = "We don't have that data; make an assumption, say it out loud, and go on."
    answer_key: tuple[KeyPoint, ...] = ()  # the points a strong answer makes on this case


@dataclass(frozen=True)
class Pack:
    """A loaded, validated content pack."""

    id: str
    title: str
    description: str
    dimensions: tuple[Dimension, ...]
    cases: tuple[Case, ...]
    templates: dict[str, str] = field(default_factory=dict)  # LLM prompt templates by name
    root: Path = Path(".")

    def case(self, case_id: str) -> Case:
        """The case with this id; KeyError lists the valid ids."""
        for c in self.cases:
            if c.id == case_id:
                return c
        raise KeyError(f"unknown case {case_id!r}; cases in {self.id}: {', '.join(c.id for c in self.cases)}")

    def dimension(self, dim_id: str) -> Dimension:
        """The rubric dimension with this id."""
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)


def adhoc_case(question: str, case_id: str = "adhoc") -> Case:
    """A case for a question outside the pack: no hidden facts, generic probes."""
    return Case(
        id=case_id,
        title="Ad-hoc question",
        category="adhoc",
        question=question,
        hidden_facts=(),
        probes={},
        strong_answer=(),
    )
