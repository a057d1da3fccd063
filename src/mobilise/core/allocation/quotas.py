"""Group quotas for the `fair` method: who counts, where, and the bound on them.

A quota counts the applicants placed in its scope (all opportunities, or the ones it names) whose
attribute takes one of `values` (or, with `not_values`, none of them). An applicant without the
attribute counts for neither form: a quota never guesses a missing region or group code. The bound
is one of a minimum or maximum count, or a minimum or maximum share of everyone placed in the scope.
Shares are kept as exact fractions of their decimal form (0.6 is 3/5), so a quota's test is exact
integer arithmetic and never hinges on rounding.

JSON (under "constraints" in PROBLEM.json):

    {"quotas": [{"id": "outside-london", "attribute": "region", "not_values": ["London"],
                 "min_share": 0.6, "opportunities": ["o1", "o2"]}]}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from mobilise.core.problems import Problem

BoolArray = npt.NDArray[np.bool_]
AttributeValue = str | int | bool
Fail = Callable[[str, Any, str], None]


class Bound(StrEnum):
    MIN_COUNT = "min_count"
    MIN_SHARE = "min_share"
    MAX_COUNT = "max_count"
    MAX_SHARE = "max_share"

    @property
    def is_share(self) -> bool:
        return self in (Bound.MIN_SHARE, Bound.MAX_SHARE)

    @property
    def is_minimum(self) -> bool:
        return self in (Bound.MIN_COUNT, Bound.MIN_SHARE)


def _value_key(value: Any) -> tuple[str, Any]:
    # JSON's true is not the number 1, and "1" is not 1: compare values with their kinds. numpy
    # scalars (from callers building attributes with numpy) count as the Python kind they hold.
    if isinstance(value, bool | np.bool_):
        return ("bool", bool(value))
    if isinstance(value, int | np.integer):
        return ("int", int(value))
    if isinstance(value, str):
        return ("str", str(value))
    return (type(value).__name__, value)


@dataclass(frozen=True)
class Quota:
    id: str
    attribute: str
    values: tuple[AttributeValue, ...]
    excluded: bool
    bound: Bound
    target: Fraction
    # Opportunity indices in scope; None means every opportunity.
    opportunities: tuple[int, ...] | None = None

    def members(self, applicant_attributes: Sequence[Mapping[str, Any]], n: int) -> BoolArray:
        """Which of the n applicants the quota counts."""
        keys = {_value_key(v) for v in self.values}
        out = np.zeros(n, dtype=np.bool_)
        for a, attributes in enumerate(applicant_attributes):
            if self.attribute not in attributes:
                continue
            value = attributes[self.attribute]
            try:
                listed = _value_key(value) in keys
            except TypeError:  # an unhashable value (a list) equals none of the listed values
                listed = False
            out[a] = listed != self.excluded
        return out

    def scope(self, n_opportunities: int) -> BoolArray:
        out = np.zeros(n_opportunities, dtype=np.bool_)
        if self.opportunities is None:
            out[:] = True
        else:
            out[list(self.opportunities)] = True
        return out

    def satisfied(self, counted: int, placed: int) -> bool:
        """Whether `counted` members among `placed` applicants in scope meet the bound."""
        limit = self.target * placed if self.bound.is_share else self.target
        return counted >= limit if self.bound.is_minimum else counted <= limit

    def achieved(self, counted: int, placed: int) -> float:
        """The value the bound is on: the count, or the share (0 when nobody is placed)."""
        if not self.bound.is_share:
            return float(counted)
        return counted / placed if placed else 0.0


_QUOTA_KEYS = {"id", "attribute", "values", "not_values", "opportunities", *Bound}


def parse_constraints(
    raw: Any, opportunity_index: Mapping[str, int], problems: list[Problem]
) -> tuple[Quota, ...]:
    """Quotas from a document's "constraints", appending a Problem for every malformed item."""
    if raw is None:
        return ()

    def fail(column: str, value: Any, rule: str) -> None:
        problems.append(
            Problem("problem", None, column, None if value is None else str(value), rule)
        )

    if not isinstance(raw, Mapping):
        fail("constraints", None, "must be an object")
        return ()
    for key in sorted(set(raw) - {"quotas"}):
        fail(f"constraints.{key}", None, "is not a known constraint (known: quotas)")
    items = raw.get("quotas", [])
    if not isinstance(items, list):
        fail("constraints.quotas", None, "must be a list of quotas")
        return ()
    quotas: list[Quota] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        where = f"constraints.quotas[{i}]"
        before = len(problems)
        quota = _parse_quota(item, where, opportunity_index, fail)
        if quota is not None and quota.id in seen:
            fail(f"{where}.id", quota.id, f"duplicate id: already used by quotas[{seen[quota.id]}]")
        if quota is not None and len(problems) == before:
            seen[quota.id] = i
            quotas.append(quota)
    return tuple(quotas)


def _parse_quota(
    item: Any, where: str, opportunity_index: Mapping[str, int], fail: Fail
) -> Quota | None:
    if not isinstance(item, Mapping):
        fail(where, None, "must be an object")
        return None
    for key in sorted(set(item) - _QUOTA_KEYS, key=str):
        fail(
            f"{where}.{key}",
            None,
            f"is not a quota field (known: {', '.join(sorted(_QUOTA_KEYS))})",
        )
    ident = item.get("id")
    if not isinstance(ident, str) or not ident:
        fail(f"{where}.id", ident, "is required and must be a non-empty string")
        ident = ""
    attribute = item.get("attribute")
    if not isinstance(attribute, str) or not attribute:
        fail(f"{where}.attribute", attribute, "is required and must be a non-empty string")
        attribute = ""
    values = _values(item, where, fail)
    bound, target = _bound(item, where, fail)
    scope = _scope(item, where, opportunity_index, fail)
    if values is None or bound is None or target is None:
        return None
    return Quota(ident, attribute, values[0], values[1], bound, target, scope)


def _values(
    item: Mapping[str, Any], where: str, fail: Fail
) -> tuple[tuple[AttributeValue, ...], bool] | None:
    given = [key for key in ("values", "not_values") if key in item]
    if len(given) != 1:
        fail(where, None, "needs exactly one of values or not_values")
        return None
    key = given[0]
    raw = item[key]
    if not isinstance(raw, list) or not raw:
        fail(
            f"{where}.{key}", None, "must be a non-empty list of strings, whole numbers or booleans"
        )
        return None
    seen: set[tuple[str, Any]] = set()
    ok = True
    for j, value in enumerate(raw):
        if not isinstance(value, str | int):  # bool is an int
            fail(f"{where}.{key}[{j}]", value, "must be a string, a whole number or a boolean")
            ok = False
        elif _value_key(value) in seen:
            fail(f"{where}.{key}[{j}]", value, "appears twice")
            ok = False
        else:
            seen.add(_value_key(value))
    return (tuple(raw), key == "not_values") if ok else None


def _bound(item: Mapping[str, Any], where: str, fail: Fail) -> tuple[Bound | None, Fraction | None]:
    given = [bound for bound in Bound if bound.value in item]
    if len(given) != 1:
        fail(where, None, f"needs exactly one bound: {', '.join(Bound)}")
        return None, None
    bound = given[0]
    value = item[bound.value]
    column = f"{where}.{bound.value}"
    if bound.is_share:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            fail(column, value, "must be a number from 0 to 1")
            return bound, None
        # The decimal as written (0.6 is 3/5), not the binary float nearest to it.
        return bound, Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        fail(column, value, "must be a whole number of 0 or more")
        return bound, None
    return bound, Fraction(value)


def _scope(
    item: Mapping[str, Any], where: str, opportunity_index: Mapping[str, int], fail: Fail
) -> tuple[int, ...] | None:
    if "opportunities" not in item:
        return None
    raw = item["opportunities"]
    column = f"{where}.opportunities"
    if not isinstance(raw, list) or not raw:
        fail(column, None, "must be a non-empty list of opportunity ids (omit it for all)")
        return None
    out: list[int] = []
    for j, ident in enumerate(raw):
        if not isinstance(ident, str) or ident not in opportunity_index:
            fail(f"{column}[{j}]", ident, "refers to no opportunity")
        elif opportunity_index[ident] in out:
            fail(f"{column}[{j}]", ident, "appears twice: a list must be strict")
        else:
            out.append(opportunity_index[ident])
    return tuple(out)
