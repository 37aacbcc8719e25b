"""Frozen values for a content pack: rubric dimensions, cases, hidden facts, probes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_NOT_WORD = re.compile(r"[^a-z0-9%$.]+|(?<![0-9])\.|\.(?![0-9])")


def anchor_text(text: str) -> str:
    """Text as anchors are matched: lower case, words between single spaces, decimals ("5.2") and % kept."""
    return " " + " ".join(_NOT_WORD.sub(" ", text.lower().replace("\u2019", "'").replace("'", "")).split()) + " "


def term_in(term: str, normalised: str) -> bool:
    """Whether an anchor term occurs as whole words in anchor_text(...) output; "rollback*" matches a word prefix."""
    if term.endswith("*"):
        return anchor_text(term[:-1])[:-1] in normalised
    return anchor_text(term) in normalised


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

    def made_in(self, text: str) -> bool:
        """Whether this stretch of text (a sentence, or a short window of them) holds a term of every anchor group."""
        norm = anchor_text(text)
        return all(any(term_in(t, norm) for t in group) for group in self.anchors)


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
    barely_tests: tuple[str, ...] = ()  # dimensions the question hardly turns on: they count half in the overall


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
