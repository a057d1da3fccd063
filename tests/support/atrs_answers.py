"""Answers to every required field of an ATRS record, section by section, as a team would give
them in the editor (the publisher's date aside): for tests that publish a record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mobilise.core.register.task_list import editor_sections
from mobilise.services.register import atrs_standard

SAMPLE = {
    "date": "2026-11-23",
    "email": "ai-team@example.gov.uk",
    "url": "https://www.gov.uk/ai",
}


def complete_answers(answered: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Section slug -> {field id: value} answering each required field of that section that
    the record `answered` leaves unanswered."""
    standard = atrs_standard()
    answers: dict[str, dict[str, Any]] = {}
    for section in editor_sections(standard):
        values: dict[str, Any] = {}
        for spec in section.fields:
            if not spec.required or (answered or {}).get(spec.field_id):
                continue
            allowed = standard.allowed(spec.field_id)
            if spec.type == "list":
                values[spec.field_id] = [allowed[0]] if allowed else [f"{spec.label} one"]
            elif spec.type == "enum":
                values[spec.field_id] = (
                    "No"
                    if spec.field_id == "third_party_involvement"
                    else (allowed[0] if allowed else "N/A")
                )
            else:
                values[spec.field_id] = SAMPLE.get(spec.type, f"Our answer on {spec.label}.")
        if values:
            answers[section.slug] = values
    return answers
