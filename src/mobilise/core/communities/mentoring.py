"""How well each mentor fits each mentee: the share of the skills the mentee asked for that the
mentor offers to mentor in and holds above the mentee's own level.

A skill counts in full when the mentor is two or more levels above the mentee, half when one
level above, and not at all when the mentor does not offer it or is not above. The matrix feeds
the allocation engine (mentees rank mentors, mentors rank mentees, both by fit); this module only
scores and explains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FULL_CREDIT_GAP = 2
LEVEL_NAMES = ("none", "awareness", "working", "practitioner", "expert")


def mentoring_fits(
    wanted: NDArray[np.bool_],
    mentee_levels: NDArray[np.integer],
    offered: NDArray[np.bool_],
    mentor_levels: NDArray[np.integer],
) -> NDArray[np.float64]:
    """Fits in [0, 1], mentees by mentors. `wanted` and `mentee_levels` are mentees by skills,
    `offered` and `mentor_levels` mentors by skills; levels 0 (none) to 4 (expert)."""
    gap = mentor_levels[None, :, :].astype(np.int16) - mentee_levels[:, None, :].astype(np.int16)
    credit = np.clip(gap, 0, FULL_CREDIT_GAP) / FULL_CREDIT_GAP
    counted = wanted[:, None, :] & offered[None, :, :]
    total = (credit * counted).sum(axis=2)
    asked = wanted.sum(axis=1, keepdims=True)
    return np.where(asked > 0, total / np.maximum(asked, 1), 0.0)


@dataclass(frozen=True)
class SkillMatch:
    skill: str
    mentor_level: int
    mentee_level: int


def covered_skills(
    skills: Sequence[str],
    wanted: NDArray[np.bool_],
    mentee_levels: NDArray[np.integer],
    offered: NDArray[np.bool_],
    mentor_levels: NDArray[np.integer],
) -> list[SkillMatch]:
    """The asked-for skills (one mentee's row, one mentor's row) the mentor can mentor in."""
    return [
        SkillMatch(skills[i], int(mentor_levels[i]), int(mentee_levels[i]))
        for i in range(len(skills))
        if wanted[i] and offered[i] and mentor_levels[i] > mentee_levels[i]
    ]


def explain_match(
    mentor_name: str, fit: float, covered: Sequence[SkillMatch], choice: int, choices: int
) -> str:
    """Why the mentee has this mentor, in words the mentee and mentor both see."""
    if covered:
        parts = [
            f"{m.skill} ({LEVEL_NAMES[m.mentor_level]}; you: {LEVEL_NAMES[m.mentee_level]})"
            for m in covered
        ]
        skills = "They mentor in " + ", ".join(parts) + "."
    else:
        skills = "They cover none of the skills you asked for above your level."
    ordinal = {1: "1st", 2: "2nd", 3: "3rd"}.get(choice, f"{choice}th")
    return (
        f"Matched with {mentor_name}, fit {fit:.0%}: your {ordinal} best fit of {choices}. {skills}"
    )
