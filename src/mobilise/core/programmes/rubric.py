"""A selection panel's rubric, each panel member's score sheets, and one score per application
with each member's severity taken out.

A member's total for an application is the weighted share of the rubric's points they gave, on a
scale of 0 to 100. Members differ in how hard they mark; an application scored only by a hard
marker must not lose to one scored only by a generous one. So each member's totals are shifted by
how far that member's mean lies from the mean of all totals (additive severity), and an
application's score is the mean of its shifted totals. Adding the same number to every total of
one member therefore changes no application's place in the order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mobilise.core.problems import InvalidInput, Problem


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    max_points: int = 5
    weight: float = 1.0


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]

    def criterion(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria if c.key == key), None)


def rubric_from_document(items: Any, source: str = "rubric") -> Rubric:
    """Read `[{"key", "name", "max_points", "weight"}]`; InvalidInput names each bad field."""
    problems: list[Problem] = []
    criteria: list[Criterion] = []
    if not isinstance(items, list) or not items:
        raise InvalidInput([Problem(source, None, None, None, "must list one criterion or more")])
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"criteria[{index}]"
        if not isinstance(item, Mapping):
            problems.append(Problem(source, None, where, str(item), "must be an object"))
            continue
        key, name = item.get("key"), item.get("name", item.get("key"))
        points, weight = item.get("max_points", 5), item.get("weight", 1.0)
        if not isinstance(key, str) or not key:
            problems.append(Problem(source, None, where + ".key", str(key), "must be a key"))
            continue
        if key in seen:
            problems.append(Problem(source, None, where + ".key", key, "is repeated"))
        seen.add(key)
        if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 100:
            problems.append(
                Problem(source, None, where + ".max_points", str(points), "must be 1 to 100")
            )
            points = 1
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight > 0:
            problems.append(
                Problem(source, None, where + ".weight", str(weight), "must be above 0")
            )
            weight = 1.0
        criteria.append(Criterion(key, str(name), points, float(weight)))
    if problems:
        raise InvalidInput(problems)
    return Rubric(tuple(criteria))


def rubric_document(rubric: Rubric) -> list[dict[str, Any]]:
    return [
        {"key": c.key, "name": c.name, "max_points": c.max_points, "weight": c.weight}
        for c in rubric.criteria
    ]


def check_sheet(rubric: Rubric, points: Mapping[str, int], source: str = "scores") -> None:
    """A sheet must give every criterion a whole number of points from 0 to its maximum."""
    problems: list[Problem] = []
    for key in sorted(set(points) - {c.key for c in rubric.criteria}):
        problems.append(Problem(source, None, key, str(points[key]), "is not a criterion"))
    for criterion in rubric.criteria:
        given = points.get(criterion.key)
        if given is None:
            problems.append(Problem(source, None, criterion.key, None, "needs a score"))
        elif (
            isinstance(given, bool)
            or not isinstance(given, int)
            or not 0 <= given <= criterion.max_points
        ):
            problems.append(
                Problem(
                    source,
                    None,
                    criterion.key,
                    str(given),
                    f"must be a whole number from 0 to {criterion.max_points}",
                )
            )
    if problems:
        raise InvalidInput(problems)


def sheet_total(rubric: Rubric, points: Mapping[str, int]) -> float:
    """The weighted share of the points available, 0 to 100."""
    weights = sum(c.weight for c in rubric.criteria)
    earned = sum(c.weight * points.get(c.key, 0) / c.max_points for c in rubric.criteria)
    return 100.0 * earned / weights


@dataclass(frozen=True)
class SheetTotal:
    application: str
    judge: str
    total: float


def normalised_scores(totals: Iterable[SheetTotal]) -> dict[str, float]:
    """Each application's mean total after removing each judge's severity (see the module)."""
    sheets = list(totals)
    if not sheets:
        return {}
    grand_mean = sum(s.total for s in sheets) / len(sheets)
    by_judge: dict[str, list[float]] = defaultdict(list)
    for sheet in sheets:
        by_judge[sheet.judge].append(sheet.total)
    severity = {judge: sum(v) / len(v) - grand_mean for judge, v in by_judge.items()}
    adjusted: dict[str, list[float]] = defaultdict(list)
    for sheet in sheets:
        adjusted[sheet.application].append(sheet.total - severity[sheet.judge])
    return {app: sum(values) / len(values) for app, values in adjusted.items()}


def selection_order(scores: Mapping[str, float], applications: Sequence[str]) -> list[str]:
    """Best first; equal scores (to 6 decimal places) in the order `applications` are given."""
    position = {app: index for index, app in enumerate(applications)}
    return sorted(applications, key=lambda app: (-round(scores[app], 6), position[app]))
