from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import Problem
from mobilise.core.records import CLAIMS, ClaimRow, ClaimsCheck, FrameworkKeys, Lookups, ProblemLog

LOOKUPS = Lookups(
    people={"p1": 1, "p2": 2},
    frameworks={"ddat": FrameworkKeys({"data-analysis": 5, "coding": 6}, {})},
    default_framework="ddat",
)


def claim(**values: str) -> list[str]:
    row = {
        "person": "p1",
        "skill": "data-analysis",
        "level": "working",
        "source": "self",
        "claimed_on": "2024-05-01",
    } | values
    return [row.get(name, "") for name in CLAIMS.names]


def check(*rows: list[str]) -> tuple[list[ClaimRow], list[Problem]]:
    log = ProblemLog("claims.csv")
    checker = ClaimsCheck(LOOKUPS, log)
    fed = [checker.feed(n, values) for n, values in enumerate(rows, start=1)]
    checker.finish()
    return [r for r in fed if r is not None], log.problems


def test_a_full_row_becomes_a_typed_claim() -> None:
    evidence = 'Built the "pipeline", then:\n\t- tested it, twice\r\n'
    rows, problems = check(
        claim(
            level="Expert",
            source="manager",
            status="suggested",
            evidence=evidence,
            expires_on="2026-05-01",
            validated_by="p2",
        )
    )
    assert problems == []
    assert rows == [
        ClaimRow(
            1,
            1,
            5,
            SkillLevel.EXPERT,
            "manager",
            "suggested",
            evidence,
            date(2024, 5, 1),
            date(2026, 5, 1),
            2,
        )
    ]


def test_status_defaults_to_active_and_levels_may_be_ranks() -> None:
    rows, _ = check(claim(level="3"))
    assert rows[0].status == "active"
    assert rows[0].level is SkillLevel.PRACTITIONER


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("person", "", "is required and must not be empty"),
        ("person", "nobody", "refers to no person (import people first)"),
        ("skill", "juggling", "refers to no skill of the framework"),
        ("framework", "other", "refers to no framework version"),
        ("level", "guru", "must be one of awareness, working, practitioner, expert (or 1 to 4)"),
        ("level", "5", "must be one of awareness, working, practitioner, expert (or 1 to 4)"),
        ("level", "", "is required and must not be empty"),
        ("source", "rumour", "is not a known claim source"),
        ("status", "maybe", "is not a known claim status"),
        ("claimed_on", "2024-13-01", "must be a date written YYYY-MM-DD (ISO 8601)"),
        ("claimed_on", "", "is required and must not be empty"),
        ("expires_on", "2024-5-1", "must be a date written YYYY-MM-DD (ISO 8601)"),
        ("expires_on", "2020-01-01", "must not be before claimed_on"),
        ("validated_by", "ghost", "refers to no person"),
        ("evidence", "x" * 10_001, "is too long: at most 10000 characters"),
        ("evidence", "null\x00byte", "must not contain control characters"),
        ("evidence", "escape\x1b[31m", "must not contain control characters"),
    ],
)
def test_each_rule_names_row_column_value_and_rule(column: str, value: str, rule: str) -> None:
    _, problems = check(claim(), claim(**({"claimed_on": "2024-05-02"} | {column: value})))
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.source, problem.row, problem.column) == ("claims.csv", 2, column)
    assert problem.rule.startswith(rule)


def test_a_duplicate_natural_key_is_refused() -> None:
    _, problems = check(claim(), claim(level="expert", evidence="again"), claim(source="manager"))
    assert problems == [
        Problem(
            "claims.csv",
            2,
            "person, skill, source, claimed_on",
            "p1, data-analysis, self, 2024-05-01",
            "duplicate claim: an earlier row has the same person, skill, source and claimed_on",
        )
    ]


def test_the_same_claim_on_another_date_or_skill_is_not_a_duplicate() -> None:
    rows, problems = check(claim(), claim(claimed_on="2024-05-02"), claim(skill="coding"))
    assert problems == []
    assert len(rows) == 3


_CELLS = {
    "person": ["p1", " p2 ", "", "ghost"],
    "skill": ["data-analysis", "coding ", "", "juggling"],
    "framework": ["", "ddat", "other"],
    "level": ["working", " Expert", "3", "5", ""],
    "source": ["self", "manager ", "rumour", ""],
    "status": ["", "suggested", "maybe"],
    "evidence": ["", "a\nb", " padded ", "nul\x00", "x" * 10_001],
    "claimed_on": ["2024-05-01", "2024-02-30", "", " 2024-05-02"],
    "expires_on": ["", "2025-01-01", "2020-01-01", "soon"],
    "validated_by": ["", "p2", "ghost", "p\x07"],
}


@given(st.fixed_dictionaries({k: st.sampled_from(v) for k, v in _CELLS.items()}))
def test_the_fast_path_accepts_only_what_the_checked_path_accepts(cells: dict[str, str]) -> None:
    values = [cells[name] for name in CLAIMS.names]
    log = ProblemLog("claims.csv")
    checker = ClaimsCheck(LOOKUPS, log)
    checked = checker._feed_checked(1, values)
    for _ in range(2):  # the second time, dates are known to the fast path's cache
        fast = checker._feed_clean(1, values)
        assert fast is None or fast == checked
