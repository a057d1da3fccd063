"""The data-ethics self-assessment of a registered project, on the Data Ethics Framework.

The framework's three overarching principles (transparency, accountability, fairness) are
assessed across its five activities, fifteen cells in all. Each cell gets a score on the scale
below and notes saying why (the evidence, or what is still to do). The assessment is complete when
every cell has both; a cell scored 0 or 1 needs action whatever its notes say. docs/ethics.md
describes the scale for users.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from mobilise.core.problems import Problem

PRINCIPLES: tuple[tuple[str, str], ...] = (
    ("transparency", "Transparency"),
    ("accountability", "Accountability"),
    ("fairness", "Fairness"),
)
ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("public-benefit-and-user-need", "Public benefit and user need"),
    ("diverse-expertise", "Diverse expertise"),
    ("compliance-with-the-law", "Compliance with the law"),
    ("data-quality-and-limitations", "Data quality and limitations"),
    ("wider-policy-implications", "Wider policy implications"),
)
SCALE: tuple[tuple[int, str], ...] = (
    (0, "Not yet considered"),
    (1, "Considered, with no action taken yet"),
    (2, "Partly addressed: some actions taken, gaps remain"),
    (3, "Addressed, with evidence recorded"),
)
LOWEST, HIGHEST = SCALE[0][0], SCALE[-1][0]
# Scores at or under this need action before the tool affects the public.
NEEDS_ACTION_AT = 1
MAX_NOTES = 5000
CELLS: tuple[tuple[str, str], ...] = tuple((p, a) for p, _ in PRINCIPLES for a, _ in ACTIVITIES)


class AssessmentStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class EthicsEntry:
    principle: str
    activity: str
    score: int | None  # None: not scored yet
    notes: str


@dataclass(frozen=True, slots=True)
class Gap:
    principle: str
    activity: str
    what: str  # "a score", "notes", "a score and notes"


@dataclass(frozen=True, slots=True)
class AssessmentState:
    status: AssessmentStatus
    answered: int  # cells with a score and notes
    total: int
    missing: tuple[Gap, ...]  # in the framework's order
    needs_action: tuple[EthicsEntry, ...]  # scored at or under NEEDS_ACTION_AT
    by_principle: Mapping[str, float | None]  # mean score of the scored cells
    mean: float | None  # over every scored cell


def cell_field(principle: str, activity: str, part: str) -> str:
    """The name a form and the API give one part (score, notes) of one cell."""
    return f"{principle}.{activity}.{part}"


def entry_problems(entries: Iterable[EthicsEntry], source: str) -> list[Problem]:
    """Every broken rule: an unknown principle or activity, a cell given twice, a score off the
    scale, notes too long."""
    principles = {p for p, _ in PRINCIPLES}
    activities = {a for a, _ in ACTIVITIES}
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        cell = (entry.principle, entry.activity)
        if entry.principle not in principles:
            rule = "is not a principle: " + ", ".join(sorted(principles))
            problems.append(Problem(source, None, "principle", entry.principle, rule))
            continue
        if entry.activity not in activities:
            rule = "is not an activity: " + ", ".join(a for a, _ in ACTIVITIES)
            problems.append(Problem(source, None, "activity", entry.activity, rule))
            continue
        if cell in seen:
            field = cell_field(*cell, "score")
            problems.append(Problem(source, None, field, None, "is given twice"))
        seen.add(cell)
        if entry.score is not None and not LOWEST <= entry.score <= HIGHEST:
            field = cell_field(*cell, "score")
            rule = f"must be a score from {LOWEST} to {HIGHEST}"
            problems.append(Problem(source, None, field, str(entry.score), rule))
        if len(entry.notes) > MAX_NOTES:
            field = cell_field(*cell, "notes")
            rule = f"must be at most {MAX_NOTES:,} characters"
            problems.append(Problem(source, None, field, None, rule))
    return problems


def _mean(scores: list[int]) -> float | None:
    return round(sum(scores) / len(scores), 2) if scores else None


def assessment_state(entries: Iterable[EthicsEntry]) -> AssessmentState:
    """The overall state of an assessment (valid entries, one per cell at most)."""
    by_cell = {(e.principle, e.activity): e for e in entries}
    missing: list[Gap] = []
    answered = 0
    started = False
    for cell in CELLS:
        entry = by_cell.get(cell)
        has_score = entry is not None and entry.score is not None
        has_notes = entry is not None and bool(entry.notes.strip())
        started = started or has_score or has_notes
        if has_score and has_notes:
            answered += 1
        else:
            what = "notes" if has_score else "a score" if has_notes else "a score and notes"
            missing.append(Gap(cell[0], cell[1], what))
    scored = [by_cell[c] for c in CELLS if c in by_cell and by_cell[c].score is not None]
    if not started:
        status = AssessmentStatus.NOT_STARTED
    elif missing:
        status = AssessmentStatus.IN_PROGRESS
    else:
        status = AssessmentStatus.COMPLETE
    return AssessmentState(
        status=status,
        answered=answered,
        total=len(CELLS),
        missing=tuple(missing),
        needs_action=tuple(e for e in scored if (e.score or 0) <= NEEDS_ACTION_AT),
        by_principle={
            p: _mean([e.score for e in scored if e.principle == p and e.score is not None])
            for p, _ in PRINCIPLES
        },
        mean=_mean([e.score for e in scored if e.score is not None]),
    )
