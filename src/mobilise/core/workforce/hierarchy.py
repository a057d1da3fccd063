"""Line management: a tree per organisation, each manager a grade above their reports.

People of the next more senior grade present in the organisation manage each grade; as few of them
as spans of SPAN_MIN..SPAN_MAX need. The most senior grade forms a small tree of its own under
the organisation's head, who has no manager.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from mobilise.core.workforce.calibration import SPAN_MAX, SPAN_MIN

IntArray = npt.NDArray[np.int64]

MEAN_SPAN = (SPAN_MIN + SPAN_MAX) / 2


def assign_managers(
    organisation: IntArray, grade: npt.NDArray[np.int8], rng: np.random.Generator
) -> IntArray:
    """Each person's manager (a person index), or -1 for the head of an organisation."""
    n = len(organisation)
    manager = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return manager
    order = np.lexsort((rng.random(n), -grade.astype(np.int64), organisation))
    sorted_org = organisation[order]
    sorted_grade = grade[order]
    org_cuts = np.flatnonzero(np.diff(sorted_org)) + 1
    for begin, end in zip(
        np.concatenate([[0], org_cuts]), np.concatenate([org_cuts, [n]]), strict=True
    ):
        members = order[begin:end]
        grade_cuts = np.flatnonzero(np.diff(sorted_grade[begin:end])) + 1
        groups = np.split(members, grade_cuts)
        top = groups[0]
        # Within the top grade a heap: person i reports to person (i - 1) // SPAN_MAX.
        manager[top[1:]] = top[(np.arange(1, len(top)) - 1) // SPAN_MAX]
        for upper, lower in itertools.pairwise(groups):
            managers = int(np.clip(round(len(lower) / MEAN_SPAN), 1, len(upper)))
            spans = rng.integers(SPAN_MIN, SPAN_MAX + 1, size=managers).astype(np.float64)
            bounds = np.floor(np.cumsum(spans) / spans.sum() * len(lower)).astype(np.int64)
            bounds[-1] = len(lower)
            which = np.searchsorted(bounds, np.arange(len(lower)), side="right")
            manager[lower] = upper[which]
    return manager
