"""Sensitive attributes for aggregate statistics: given by about 80%, absent for the others."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from mobilise.core.workforce.calibration import (
    AGE_BAND_SHARE,
    CONSENT_SHARE,
    DISABILITY_SHARE,
    ETHNIC_GROUP_SHARE,
    HISTORY_START,
    SEX_SHARE,
)
from mobilise.core.workforce.model import Diversity

DayArray = npt.NDArray[np.datetime64]


def _codes(
    share: tuple[float, ...], consent: npt.NDArray[np.bool_], rng: np.random.Generator
) -> npt.NDArray[np.int8]:
    p = np.asarray(share, dtype=np.float64)
    drawn = rng.choice(len(p), size=len(consent), p=p / p.sum())
    return np.where(consent, drawn, -1).astype(np.int8)


def generate_diversity(
    started_on: DayArray, until: DayArray, rng: np.random.Generator
) -> Diversity:
    """`until` is each person's last day (the leaving day, or the as-of day)."""
    n = len(started_on)
    consent = rng.random(n) < CONSENT_SHARE
    earliest = np.maximum(started_on, np.datetime64(HISTORY_START.isoformat(), "D"))
    window = np.maximum((until - earliest).astype(np.int64), 0)
    consented_on = earliest + np.floor(rng.random(n) * (window + 1)).astype("timedelta64[D]")
    return Diversity(
        consent=consent,
        consented_on=np.where(consent, consented_on, np.datetime64("NaT", "D")),
        sex=_codes(SEX_SHARE, consent, rng),
        ethnic_group=_codes(ETHNIC_GROUP_SHARE, consent, rng),
        disability=_codes(DISABILITY_SHARE, consent, rng),
        age_band=_codes(AGE_BAND_SHARE, consent, rng),
    )
