"""ATRS record rules: field types, facet values, links, and what publishing needs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.register.record_rules import (
    link_problem,
    missing_for_publishing,
    record_problems,
)
from mobilise.core.register.standard import Standard, build_standard
from mobilise.core.register.vocabulary import PHASES

ATRS = Path(__file__).resolve().parents[3] / "src" / "mobilise" / "data" / "atrs"


@pytest.fixture(scope="module")
def standard() -> Standard:
    with (ATRS / "fields.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return build_standard(rows, json.loads((ATRS / "finder_facets.json").read_text("utf-8")))


def complete_record(standard: Standard) -> dict[str, object]:
    """A record answering every required field with a value of the right type."""
    values: dict[str, object] = {}
    for spec in standard.fields:
        if not spec.required:
            continue
        allowed = standard.allowed(spec.field_id)
        values[spec.field_id] = {
            "list": [allowed[0]] if allowed else ["A dataset"],
            "enum": allowed[0] if allowed else "N/A",
            "date": "2026-11-23",
            "email": "ai-team@example.gov.uk",
            "url": "https://www.gov.uk/ai",
        }.get(spec.type, f"Answer for {spec.label}")
    values["third_party_involvement"] = "No"
    return values


def test_the_shipped_standard_has_62_fields_and_the_finders_phases(standard: Standard) -> None:
    assert len(standard.fields) == 62
    assert standard.allowed("phase") == PHASES
    assert standard.allowed("tool_phase") == PHASES


def test_a_complete_record_can_be_published(standard: Standard) -> None:
    assert record_problems(standard, complete_record(standard), source="r", publishing=True) == []


def test_an_empty_draft_is_fine_but_cannot_be_published(standard: Standard) -> None:
    assert record_problems(standard, {}, source="r", publishing=False) == []
    missing = missing_for_publishing(standard, {})
    required = [f.field_id for f in standard.fields if f.required]
    assert missing == required


@given(st.integers(min_value=0, max_value=61))
def test_leaving_out_any_required_field_names_it(index: int) -> None:
    standard = _standard()
    spec = standard.fields[index]
    record = complete_record(standard)
    record.pop(spec.field_id, None)
    assert missing_for_publishing(standard, record) == ([spec.field_id] if spec.required else [])


_CACHE: list[Standard] = []


def _standard() -> Standard:
    if not _CACHE:
        with (ATRS / "fields.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        _CACHE.append(
            build_standard(rows, json.loads((ATRS / "finder_facets.json").read_text("utf-8")))
        )
    return _CACHE[0]


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("phase", "idea", "must be one of"),
        ("region", ["london", "atlantis"], "'atlantis' is not one of"),
        ("function", "health", "must be a list"),
        ("website_url", "javascript:alert(1)", "must start with https://"),
        ("contact_email", "not an email", "must be an email address"),
        ("date_published", "23/11/2026", "must be a date"),
        ("third_party_involvement", "Maybe", "must be one of Yes, No"),
        ("nonsense_field", "x", "is not a field of the standard"),
    ],
)
def test_bad_values_are_named_with_their_field(
    standard: Standard, field: str, value: object, rule: str
) -> None:
    problems = record_problems(standard, {field: value}, source="r", publishing=False)
    assert [p.column for p in problems] == [field]
    assert rule in problems[0].rule


def test_third_party_is_required_only_when_involved(standard: Standard) -> None:
    record = complete_record(standard) | {"third_party_involvement": "Yes"}
    problems = record_problems(standard, record, source="r", publishing=True)
    assert [p.column for p in problems] == ["third_party"]
    record["third_party"] = "A supplier Ltd"
    assert record_problems(standard, record, source="r", publishing=True) == []


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/uktrade/redbox",
        "http://www.example.gov.uk/a?b=c#d",
    ],
)
def test_good_links(url: str) -> None:
    assert link_problem(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "/relative/path",
        "https://localhost/",
        "https://user:secret@example.gov.uk/",
        "https://example.gov.uk/a b",
        "ftp://example.gov.uk/file",
        "https://" + "a" * 1000 + ".uk",
    ],
)
def test_bad_links(url: str) -> None:
    assert link_problem(url) is not None


@given(st.text(max_size=200))
def test_only_http_links_pass(url: str) -> None:
    if link_problem(url) is None:
        assert url.startswith(("http://", "https://"))
