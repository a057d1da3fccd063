"""The ATRS editor's task list: sections of the standard, each section's status, publishing."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from tests.core.register.test_record_rules import complete_record, standard

from mobilise.core.register.standard import Standard
from mobilise.core.register.task_list import (
    PUBLISHER_FIELDS,
    SectionStatus,
    cleared_required,
    completion_problems,
    editor_sections,
    find_section,
    missing_to_publish,
    publishable,
    section_slug,
    task_list,
)

__all__ = ["standard"]


def statuses(standard: Standard, record: dict[str, Any], done: set[str]) -> dict[str, str]:
    return {s.section.slug: s.status.value for s in task_list(standard, record, done)}


def test_the_sections_are_the_standards_nine_in_order_without_the_publishers_date(
    standard: Standard,
) -> None:
    sections = editor_sections(standard)

    assert [s.slug for s in sections] == [
        "metadata",
        "summary",
        "owner-and-responsibility",
        "description-and-rationale",
        "decision-making-process",
        "tool-specification",
        "model-specification",
        "data-specification",
        "risks-mitigations-and-impact-assessments",
    ]
    answered = [f.field_id for s in sections for f in s.fields]
    assert sorted(answered + sorted(PUBLISHER_FIELDS)) == sorted(standard.field_ids)
    assert sections[1].title == "Summary (tier 1)"
    assert find_section(standard, "nope") is None


def test_an_empty_record_has_nothing_started_and_the_models_waiting(standard: Standard) -> None:
    found = statuses(standard, {}, set())

    assert found.pop("model-specification") == "cannot start yet"
    assert set(found.values()) == {"not started"}


def test_a_section_is_completed_only_when_marked_and_every_required_field_is_answered(
    standard: Standard,
) -> None:
    record = {"name": "Parking chatbot", "description": "Answers questions."}

    assert statuses(standard, record, set())["summary"] == "in progress"
    # Marked complete while the contact email is missing: still in progress, naming it.
    state = next(s for s in task_list(standard, record, {"summary"}) if s.section.slug == "summary")
    assert state.status is SectionStatus.IN_PROGRESS
    assert [f.field_id for f in state.missing] == ["contact_email"]
    record["contact_email"] = "team@example.gov.uk"
    assert statuses(standard, record, {"summary"})["summary"] == "completed"
    assert statuses(standard, record, set())["summary"] == "in progress"


def test_a_bad_value_keeps_a_marked_section_in_progress(standard: Standard) -> None:
    record = {
        "name": "Tool",
        "description": "Does things.",
        "contact_email": "not an email",
    }
    state = task_list(standard, record, {"summary"})[1]

    assert state.status is SectionStatus.IN_PROGRESS
    assert state.invalid == ("contact_email",)


def test_model_specification_can_start_once_the_tool_names_a_model(standard: Standard) -> None:
    assert statuses(standard, {"models": ["N/A"]}, set())["model-specification"] == (
        "cannot start yet"
    )
    assert statuses(standard, {"models": ["gpt-4o"]}, set())["model-specification"] == (
        "not started"
    )
    section = find_section(standard, "model-specification")
    assert section is not None
    problems = completion_problems(standard, section, {}, "record")
    assert [p.rule for p in problems] == ["Name the tool's models in the Tool Specification first."]


def test_marking_complete_names_each_missing_required_field(standard: Standard) -> None:
    section = find_section(standard, "owner-and-responsibility")
    assert section is not None

    problems = completion_problems(standard, section, {"team": "AI team"}, "s")

    assert [p.column for p in problems] == [
        "organisation_or_department",
        "senior_responsible_owner",
        "third_party_involvement",
    ]


def test_publishing_needs_every_required_field_but_dates_the_record_itself(
    standard: Standard,
) -> None:
    record = complete_record(standard)
    del record["date_published"]

    assert missing_to_publish(standard, record) == []
    assert publishable(record, "2026-11-23")["date_published"] == "2026-11-23"
    assert publishable({"date_published": "2025-01-01"}, "2026-11-23") == {
        "date_published": "2025-01-01"
    }
    del record["risks_and_mitigations"]
    record["third_party_involvement"] = "Yes"
    assert [f.field_id for f in missing_to_publish(standard, record)] == [
        "third_party",
        "risks_and_mitigations",
    ]


def test_clearing_a_required_answer_is_found_and_other_edits_are_not(standard: Standard) -> None:
    before = {"name": "Tool", "team": "AI team"}

    assert [f.field_id for f in cleared_required(standard, before, {"name": "Tool"})] == ["team"]
    assert cleared_required(standard, before, {**before, "scope": "All of it"}) == []


@given(
    answered=st.sets(st.sampled_from(["name", "description", "contact_email", "website_url"])),
    marked=st.booleans(),
)
def test_summary_status_follows_from_answers_and_the_mark(
    standard: Standard, answered: set[str], marked: bool
) -> None:
    values = {
        "name": "Tool",
        "description": "What it does.",
        "contact_email": "a@b.gov.uk",
        "website_url": "https://www.gov.uk/tool",
    }
    record = {k: values[k] for k in answered}
    status = statuses(standard, record, {"summary"} if marked else set())["summary"]

    required = {"name", "description", "contact_email"}
    if not answered:
        assert status == "not started"
    elif marked and required <= answered:
        assert status == "completed"
    else:
        assert status == "in progress"


def test_slugs_drop_the_tier_and_punctuation() -> None:
    assert section_slug("Tier 2 - Risks, Mitigations and Impact Assessments") == (
        "risks-mitigations-and-impact-assessments"
    )


@given(data=st.data())
def test_every_sections_status_agrees_with_its_answers(
    standard: Standard, data: st.DataObject
) -> None:
    full = complete_record(standard)
    chosen = data.draw(st.sets(st.sampled_from(sorted(full))), label="answered")
    record = {k: full[k] for k in chosen}
    slugs = [s.slug for s in editor_sections(standard)]
    marked = data.draw(st.sets(st.sampled_from(slugs)), label="marked")

    states = task_list(standard, record, marked)

    for state in states:
        ids = {f.field_id for f in state.section.fields}
        answered = bool(ids & chosen)
        if state.status is SectionStatus.COMPLETED:
            assert state.section.slug in marked
            assert state.missing == ()
        if state.status is SectionStatus.NOT_STARTED:
            assert not answered
        if state.status is SectionStatus.IN_PROGRESS:
            assert answered
        required = {f.field_id for f in state.section.fields if f.required}
        assert {f.field_id for f in state.missing} == required - chosen
    publishing_needs = {f.field_id for f in missing_to_publish(standard, record)}
    required_everywhere = {f.field_id for f in standard.fields if f.required} - PUBLISHER_FIELDS
    assert publishing_needs == required_everywhere - chosen
