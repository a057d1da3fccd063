"""A team-formation problem: people with attributes, criteria, team size, groups never to isolate.

Every criterion is scored on pairs of people, so a team's score is the mean over its pairs of one
precomputed pair-affinity matrix. That keeps a swap's effect on two teams a handful of array reads,
and lets the exact CP-SAT model stay linear in pair variables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from mobilise.core.problems import InvalidInput, Problem

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Criterion:
    attribute: str
    kind: str  # "similar" or "diverse"
    weight: float = 1.0


@dataclass(frozen=True)
class TeamProblem:
    person_ids: tuple[str, ...]
    team_sizes: tuple[int, ...]
    affinity: FloatArray  # n × n, symmetric, in [0, 1], zero diagonal
    # membership[g, i] is True when person i belongs to the g-th group never to be left alone.
    protected: npt.NDArray[np.bool_]
    protected_labels: tuple[str, ...]
    criteria: tuple[Criterion, ...]

    @property
    def people(self) -> int:
        return len(self.person_ids)

    @property
    def teams(self) -> int:
        return len(self.team_sizes)


def team_sizes(people: int, size: int) -> tuple[int, ...]:
    """As many teams as gives sizes closest to `size`, differing by at most one, largest first."""
    if people == 0:
        return ()
    teams = max(1, round(people / size))
    base, extra = divmod(people, teams)
    return tuple(base + 1 if t < extra else base for t in range(teams))


def _pair_matrix(values: Sequence[Any], kind: str) -> FloatArray:
    n = len(values)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        x = np.asarray(values, dtype=np.float64)
        spread = float(x.max() - x.min()) if n else 0.0
        distance = np.abs(x[:, None] - x[None, :]) / spread if spread > 0 else np.zeros((n, n))
    elif all(isinstance(v, list) for v in values):
        vocabulary = sorted({str(item) for v in values for item in v})
        index = {s: k for k, s in enumerate(vocabulary)}
        hot = np.zeros((n, max(1, len(vocabulary))), dtype=np.float64)
        for i, v in enumerate(values):
            for item in v:
                hot[i, index[str(item)]] = 1.0
        shared = hot @ hot.T
        sizes = hot.sum(axis=1)
        union = sizes[:, None] + sizes[None, :] - shared
        # Jaccard distance: how much two people's skill sets add to each other.
        distance = np.where(union > 0, 1.0 - shared / np.maximum(union, 1.0), 0.0)
    else:
        labels = [str(v) for v in values]
        codes = np.unique(labels, return_inverse=True)[1]
        distance = (codes[:, None] != codes[None, :]).astype(np.float64)
    return distance if kind == "diverse" else 1.0 - distance


def problem_from_document(
    document: Any,
    *,
    size: int,
    similar: Sequence[str] = (),
    diverse: Sequence[str] = (),
    never_isolate: Sequence[str] = (),
    weights: Mapping[str, float] | None = None,
) -> TeamProblem:
    """Validate PEOPLE.json and the options (docs/teams.md); every problem is named."""
    problems: list[Problem] = []

    def fail(column: str | None, value: Any, rule: str) -> None:
        problems.append(
            Problem("people", None, column, None if value is None else str(value), rule)
        )

    people = document.get("people") if isinstance(document, Mapping) else document
    if not isinstance(people, list):
        rule = 'must be a list of people, or an object with a "people" list'
        raise InvalidInput([Problem("people", None, None, None, rule)])
    if isinstance(size, bool) or not isinstance(size, int) or size < 2:
        fail("--size", size, "team size must be a whole number of 2 or more")
    criteria = [Criterion(a, "similar") for a in similar] + [
        Criterion(a, "diverse") for a in diverse
    ]
    seen_attributes: set[str] = set()
    for criterion in criteria:
        if criterion.attribute in seen_attributes:
            fail("criteria", criterion.attribute, "an attribute may be used in one criterion only")
        seen_attributes.add(criterion.attribute)
    ids: list[str] = []
    seen: dict[str, int] = {}
    for i, person in enumerate(people):
        if not isinstance(person, Mapping):
            fail(f"people[{i}]", None, "must be an object")
            ids.append("")
            continue
        ident = person.get("id")
        if not isinstance(ident, str) or not ident:
            fail(f"people[{i}].id", ident, "is required and must be a non-empty string")
        elif ident in seen:
            fail(f"people[{i}].id", ident, f"duplicate id: already used by people[{seen[ident]}]")
        else:
            seen[ident] = i
        ids.append(ident if isinstance(ident, str) else "")
        attributes = person.get("attributes", {})
        if not isinstance(attributes, Mapping):
            fail(f"people[{i}].attributes", None, "must be an object")
            continue
        for criterion in criteria:
            value = attributes.get(criterion.attribute)
            if value is None:
                fail(
                    f"people[{i}].attributes.{criterion.attribute}",
                    None,
                    f"is required by the {criterion.kind} criterion",
                )
            elif not isinstance(value, (str, int, float, list)) or isinstance(value, bool):
                fail(
                    f"people[{i}].attributes.{criterion.attribute}",
                    value,
                    "must be a number, a string or a list of strings",
                )
    groups: list[tuple[str, str]] = []
    for rule in never_isolate:
        attribute, sep, value = rule.partition("=")
        if not sep or not attribute or not value:
            fail("--never-isolate", rule, "must be ATTRIBUTE=VALUE")
        else:
            groups.append((attribute, value))
    for criterion in criteria:
        values = [
            p.get("attributes", {}).get(criterion.attribute)
            for p in people
            if isinstance(p, Mapping)
        ]
        kinds = {
            "number" if isinstance(v, (int, float)) else "list" if isinstance(v, list) else "text"
            for v in values
            if v is not None
        }
        if len(kinds) > 1:
            fail(
                f"attributes.{criterion.attribute}",
                ", ".join(sorted(kinds)),
                "must be of one kind for everyone (all numbers, all text, or all lists)",
            )
    if problems:
        raise InvalidInput(problems)
    weights = dict(weights or {})
    affinity = np.zeros((len(people), len(people)), dtype=np.float64)
    total_weight = 0.0
    for criterion in criteria:
        weight = float(weights.get(criterion.attribute, criterion.weight))
        values = [p.get("attributes", {})[criterion.attribute] for p in people]
        affinity += weight * _pair_matrix(values, criterion.kind)
        total_weight += weight
    if total_weight > 0:
        affinity /= total_weight
    np.fill_diagonal(affinity, 0.0)
    protected = np.zeros((len(groups), len(people)), dtype=bool)
    for g, (attribute, value) in enumerate(groups):
        for i, person in enumerate(people):
            if str(person.get("attributes", {}).get(attribute)) == value:
                protected[g, i] = True
    return TeamProblem(
        person_ids=tuple(ids),
        team_sizes=team_sizes(len(people), size),
        affinity=affinity,
        protected=protected,
        protected_labels=tuple(f"{a}={v}" for a, v in groups),
        criteria=tuple(criteria),
    )
