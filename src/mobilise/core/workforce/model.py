"""The generated workforce: arrays by person, holding codes into the calibration's label tuples.

People 0..in_post-1 are in post at `as_of`; the rest left during the history. Indices of
organisations, role levels and skills refer to the generator's inputs; -1 means "none".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
SmallArray = npt.NDArray[np.int8]
DayArray = npt.NDArray[np.datetime64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class People:
    organisation: IntArray
    grade: SmallArray  # index into GRADES
    region: SmallArray  # index into REGIONS
    role_level: IntArray  # -1 outside the DDaT profession
    manager: IntArray  # person index, -1 for none
    started_on: DayArray
    left_on: DayArray  # NaT while in post
    first_name: IntArray  # index into FIRST_NAMES
    last_name: IntArray  # index into LAST_NAMES

    def __len__(self) -> int:
        return len(self.organisation)


@dataclass(frozen=True)
class Positions:
    """Dated spells: a person in an organisation, at a grade and role level, from a day to a day."""

    person: IntArray
    organisation: IntArray
    role_level: IntArray
    grade: SmallArray
    region: SmallArray
    started_on: DayArray
    ended_on: DayArray  # NaT for the current spell

    def __len__(self) -> int:
        return len(self.person)


@dataclass(frozen=True)
class Claims:
    person: IntArray
    skill: IntArray
    level: SmallArray  # 1 awareness .. 4 expert
    source: SmallArray  # index into CLAIM_SOURCES
    claimed_on: DayArray
    validated_by: IntArray  # the validating manager's person index, or -1
    required_level: SmallArray  # the person's role level requirement, 0 when not required

    def __len__(self) -> int:
        return len(self.person)


@dataclass(frozen=True)
class Diversity:
    """Sensitive attributes: codes only where the person consented, -1 elsewhere."""

    consent: BoolArray
    consented_on: DayArray
    sex: SmallArray
    ethnic_group: SmallArray
    disability: SmallArray
    age_band: SmallArray


@dataclass(frozen=True)
class Workforce:
    as_of: date
    in_post: int
    people: People
    positions: Positions
    claims: Claims
    diversity: Diversity  # one row per person
