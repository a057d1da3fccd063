"""Where people work: organisation, profession (DDaT or not), role level, grade and region."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from mobilise.core.workforce.calibration import (
    CIVIL_SERVICE_GRADE_SHARE,
    CIVIL_SERVICE_REGION_SHARE,
    DDAT_GRADE_SHARE,
    DDAT_LONDON_SHARE,
    HOME_REGION_SHARE,
    REGIONS,
)
from mobilise.core.workforce.inputs import FrameworkProfile

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

LONDON = REGIONS.index("London")


def apportion(weights: FloatArray, total: int) -> IntArray:
    """Whole counts summing to `total` in proportion to `weights` (largest remainders)."""
    share = weights / weights.sum() * total
    counts: IntArray = np.floor(share).astype(np.int64)
    short = total - int(counts.sum())
    if short:
        counts[np.argsort(-(share - counts), kind="stable")[:short]] += 1
    return counts


def spread_over_organisations(
    headcount: FloatArray, people: int, rng: np.random.Generator
) -> IntArray:
    """Each person's organisation, in exact proportion to headcounts, in random order."""
    counts = apportion(headcount, people)
    return rng.permutation(np.repeat(np.arange(len(headcount), dtype=np.int64), counts))


def weighted_choice_without_replacement(
    weights: FloatArray, count: int, rng: np.random.Generator
) -> IntArray:
    """`count` distinct indices, each drawn with probability proportional to its weight."""
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    # Exponential race: the smallest Exp(1)/w are a weighted sample without replacement.
    keys = rng.exponential(size=len(weights)) / np.maximum(weights, 1e-12)
    return np.argpartition(keys, count - 1)[:count].astype(np.int64)


def role_level_weights(profile: FrameworkProfile) -> FloatArray:
    """Chance of each role level, so that DDaT grades follow DDAT_GRADE_SHARE."""
    grade_share = np.asarray(DDAT_GRADE_SHARE, dtype=np.float64)
    levels_per_grade = np.bincount(profile.grade, minlength=len(grade_share)).astype(np.float64)
    # A grade no role level maps to gives its share to the others in proportion.
    weights: FloatArray = grade_share[profile.grade] / np.maximum(
        levels_per_grade[profile.grade], 1
    )
    normalised: FloatArray = weights / weights.sum()
    return normalised


def choose_grades(count: int, rng: np.random.Generator) -> npt.NDArray[np.int8]:
    share = np.asarray(CIVIL_SERVICE_GRADE_SHARE, dtype=np.float64)
    return rng.choice(len(share), size=count, p=share / share.sum()).astype(np.int8)


def choose_regions(
    organisation: IntArray,
    ddat: BoolArray,
    home_region: IntArray,
    tied_to_home: BoolArray,
    rng: np.random.Generator,
) -> npt.NDArray[np.int8]:
    """Regions of people: councils and devolved bodies at home; others spread like the service."""
    share = np.asarray(CIVIL_SERVICE_REGION_SHARE, dtype=np.float64)
    share /= share.sum()
    ddat_share = share * (1 - DDAT_LONDON_SHARE) / (1 - share[LONDON])
    ddat_share[LONDON] = DDAT_LONDON_SHARE
    n = len(organisation)
    region = np.where(
        ddat,
        rng.choice(len(share), size=n, p=ddat_share),
        rng.choice(len(share), size=n, p=share),
    )
    home = home_region[organisation]
    at_home = tied_to_home[organisation] | ((home != LONDON) & (rng.random(n) < HOME_REGION_SHARE))
    return np.where(at_home, home, region).astype(np.int8)
