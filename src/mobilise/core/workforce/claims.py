"""Skill claims consistent with each person's role level, with noise, from several sources.

A person claims a handful of distinct skills: mostly those their role level requires, at about the
required level (one below or above now and then), plus some extra skills; people outside DDaT claim
commonly required skills at lower levels. Each skill is claimed by the person; some are validated by
their manager or assessed, on later dates.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from mobilise.core.workforce.calibration import (
    ASSESSMENT_CHANCE,
    CLAIM_SOURCES,
    EXTRA_LEVEL_SHARE_DDAT,
    EXTRA_LEVEL_SHARE_OTHER,
    EXTRA_SKILL_SHARE,
    HISTORY_START,
    MANAGER_VALIDATION_CHANCE,
    REQUIREMENT_NOISE,
    SELF_OPTIMISM_CHANCE,
)
from mobilise.core.workforce.inputs import FrameworkProfile
from mobilise.core.workforce.model import Claims

IntArray = npt.NDArray[np.int64]
DayArray = npt.NDArray[np.datetime64]

SELF, MANAGER, ASSESSED = (CLAIM_SOURCES.index(s) for s in ("self", "manager", "assessed"))
VALIDATION_DELAY_DAYS = 60


def _levels(share: tuple[float, ...], count: int, rng: np.random.Generator) -> IntArray:
    p = np.asarray(share, dtype=np.float64)
    return rng.choice(np.arange(1, len(p) + 1), size=count, p=p / p.sum()).astype(np.int64)


def generate_claims(
    profile: FrameworkProfile,
    role_level: IntArray,
    manager: IntArray,
    started_on: DayArray,
    as_of: np.datetime64,
    claims_per_person: float,
    rng: np.random.Generator,
) -> Claims:
    n = len(role_level)
    skills = len(profile.skill_keys)
    if n == 0 or skills == 0 or claims_per_person <= 0:
        empty = np.empty(0, dtype=np.int64)
        return Claims(
            empty, empty, empty.astype(np.int8), empty.astype(np.int8),
            empty.astype("datetime64[D]"), empty, empty.astype(np.int8),
        )  # fmt: skip
    has_manager = manager >= 0
    sources_per_skill = 1 + MANAGER_VALIDATION_CHANCE * has_manager.mean() + ASSESSMENT_CHANCE
    per_person = rng.poisson(claims_per_person / sources_per_skill, size=n)

    # One slot per claimed skill: the person, and the slot's number among theirs.
    person = np.repeat(np.arange(n, dtype=np.int64), per_person)
    first_slot = np.cumsum(per_person) - per_person
    slot = np.arange(len(person)) - np.repeat(first_slot, per_person)
    level_of_person = role_level[person]
    ddat = level_of_person >= 0
    lv = np.maximum(level_of_person, 0)
    required_count = np.where(ddat, profile.requirement_count[lv], 0)
    rotation = rng.integers(0, 1 << 30, size=n)[person]
    from_requirements = (slot < required_count) & (rng.random(len(person)) >= EXTRA_SKILL_SHARE)
    at = profile.requirement_start[lv] + (rotation + slot) % np.maximum(required_count, 1)
    at = np.minimum(at, max(len(profile.requirement_skill) - 1, 0))

    # Commonly required skills are commonly claimed.
    popularity = np.bincount(profile.requirement_skill, minlength=skills) + 1.0
    extra_skill = rng.choice(skills, size=len(person), p=popularity / popularity.sum())
    skill = np.where(from_requirements, profile.requirement_skill[at], extra_skill)

    noise = rng.choice(np.array([-1, 0, 1]), size=len(person), p=np.asarray(REQUIREMENT_NOISE))
    extra_level = np.where(
        ddat,
        _levels(EXTRA_LEVEL_SHARE_DDAT, len(person), rng),
        _levels(EXTRA_LEVEL_SHARE_OTHER, len(person), rng),
    )
    true_level = np.clip(
        np.where(from_requirements, profile.requirement_level[at] + noise, extra_level), 1, 4
    )
    required = np.where(from_requirements, profile.requirement_level[at], 0)

    # Extra skills may repeat a required one: keep each (person, skill) once.
    _, keep = np.unique(person * skills + skill, return_index=True)
    person, skill, true_level, required = (
        person[keep],
        skill[keep],
        true_level[keep],
        required[keep],
    )
    count = len(person)

    earliest = np.maximum(started_on[person], np.datetime64(HISTORY_START.isoformat(), "D"))
    window = np.maximum((as_of - earliest).astype(np.int64), 0)
    self_on = earliest + np.floor(rng.random(count) * (window + 1)).astype("timedelta64[D]")
    self_level = np.minimum(true_level + (rng.random(count) < SELF_OPTIMISM_CHANCE), 4)

    validated = has_manager[person] & (rng.random(count) < MANAGER_VALIDATION_CHANCE)
    manager_on = np.minimum(
        self_on + rng.integers(1, VALIDATION_DELAY_DAYS, size=count).astype("timedelta64[D]"),
        as_of,
    )
    assessed = rng.random(count) < ASSESSMENT_CHANCE
    assessed_gap = (as_of - self_on).astype(np.int64)
    assessed_on = self_on + np.floor(rng.random(count) * (assessed_gap + 1)).astype(
        "timedelta64[D]"
    )
    assessed_level = np.clip(true_level - (rng.random(count) < 0.1), 1, 4)
    # Same-day claims from two sources are fine: the unique key includes the source.
    v, a = np.flatnonzero(validated), np.flatnonzero(assessed)
    source = np.concatenate(
        [np.full(count, SELF), np.full(len(v), MANAGER), np.full(len(a), ASSESSED)]
    )
    every_person = np.concatenate([person, person[v], person[a]])
    # By person: a store's unique index on (person, skill, ...) then grows at its end.
    order = np.argsort(every_person, kind="stable")
    return Claims(
        person=every_person[order],
        skill=np.concatenate([skill, skill[v], skill[a]])[order],
        level=np.concatenate([self_level, true_level[v], assessed_level[a]])[order].astype(np.int8),
        source=source[order].astype(np.int8),
        claimed_on=np.concatenate([self_on, manager_on[v], assessed_on[a]])[order],
        validated_by=np.concatenate([np.full(count, -1), manager[person[v]], np.full(len(a), -1)])[
            order
        ].astype(np.int64),
        required_level=np.concatenate([required, required[v], required[a]])[order].astype(np.int8),
    )
