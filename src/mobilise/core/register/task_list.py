"""The ATRS record editor's task list: the standard's sections, and the state of each.

A team writes its record a section at a time (the sections of fields.csv) and marks a section
complete when it has answered it. A section's status follows from the record and those marks:

- cannot start yet: it depends on an answer elsewhere that is not given (the Model Specification
  describes the models the Tool Specification names);
- completed: the team marked it complete and every required field in it is answered and valid;
- in progress: something in it is answered (or it was marked complete and since lost an answer);
- not started: nothing in it is answered.

Publishing needs every required field answered, whatever the marks say. The date published is
the publishing step's to set, so no section asks for it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mobilise.core.problems import Problem
from mobilise.core.register.record_rules import NOT_APPLICABLE, is_empty, record_problems
from mobilise.core.register.standard import FieldSpec, Standard

# Fields the publishing step fills in, never the team.
PUBLISHER_FIELDS = frozenset({"date_published"})
MODELS_FIELD = "models"
MODEL_SECTION = "Tier 2 - Model Specification"


class SectionStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETED = "completed"
    CANNOT_START = "cannot start yet"


@dataclass(frozen=True, slots=True)
class Section:
    slug: str  # in links: /register/<key>/edit/<slug>
    name: str  # as fields.csv names it
    title: str  # as the task list shows it
    fields: tuple[FieldSpec, ...]  # the ones the team answers (publisher's fields left out)


@dataclass(frozen=True, slots=True)
class SectionState:
    section: Section
    status: SectionStatus
    missing: tuple[FieldSpec, ...]  # required fields not answered, in the section's order
    invalid: tuple[str, ...]  # field ids whose stored value breaks a rule
    waiting_for: str | None  # why it cannot start yet


def section_slug(name: str) -> str:
    """The section's name as a slug, without its tier: "owner-and-responsibility"."""
    plain = re.sub(r"^Tier \d+ - ", "", name)
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def section_title(name: str) -> str:
    plain = re.sub(r"^Tier \d+ - ", "", name)
    tier = re.match(r"^Tier (\d+)", name)
    return f"{plain} (tier {tier.group(1)})" if tier else f"{plain} (metadata)"


def editor_sections(standard: Standard) -> tuple[Section, ...]:
    """The standard's sections in fields.csv's order, each with the fields a team answers."""
    names: list[str] = []
    for spec in standard.fields:
        if spec.section not in names:
            names.append(spec.section)
    return tuple(
        Section(
            slug=section_slug(name),
            name=name,
            title=section_title(name),
            fields=tuple(
                f
                for f in standard.fields
                if f.section == name and f.field_id not in PUBLISHER_FIELDS
            ),
        )
        for name in names
    )


def find_section(standard: Standard, slug: str) -> Section | None:
    return next((s for s in editor_sections(standard) if s.slug == slug), None)


def _waiting_for(section: Section, record: Mapping[str, Any]) -> str | None:
    if section.name != MODEL_SECTION:
        return None
    models = record.get(MODELS_FIELD)
    named = [m for m in models or [] if isinstance(m, str) and m.strip() != NOT_APPLICABLE]
    if named:
        return None
    if models:
        return "The Tool Specification says the tool uses no model."
    return "Name the tool's models in the Tool Specification first."


def section_state(
    standard: Standard,
    section: Section,
    record: Mapping[str, Any],
    completed: Collection[str],
    problems: list[Problem] | None = None,
) -> SectionState:
    """The state of one section of `record`, given the section slugs marked complete; pass the
    record's publishing problems if already worked out (the task list shares them)."""
    if problems is None:
        problems = record_problems(standard, record, source="record", publishing=True)
    ids = {f.field_id for f in section.fields}
    missing_ids = {p.column for p in problems if p.column in ids and p.value is None}
    invalid = tuple(sorted({p.column for p in problems if p.column in ids and p.value is not None}))
    missing = tuple(f for f in section.fields if f.field_id in missing_ids)
    waiting = _waiting_for(section, record)
    answered = any(not is_empty(record.get(f.field_id)) for f in section.fields)
    if waiting is not None and not answered:
        status = SectionStatus.CANNOT_START
    elif section.slug in completed and not missing and not invalid:
        status = SectionStatus.COMPLETED
    elif answered:
        status = SectionStatus.IN_PROGRESS
    else:
        status = SectionStatus.NOT_STARTED
    return SectionState(section, status, missing, invalid, waiting)


def task_list(
    standard: Standard, record: Mapping[str, Any], completed: Collection[str]
) -> list[SectionState]:
    """Every section's state, in the standard's order."""
    problems = record_problems(standard, record, source="record", publishing=True)
    return [
        section_state(standard, section, record, completed, problems)
        for section in editor_sections(standard)
    ]


def publishable(record: Mapping[str, Any], today: str) -> dict[str, Any]:
    """The record as publishing on `today` (YYYY-MM-DD) would store it: dated, if not already."""
    if is_empty(record.get("date_published")):
        return {**record, "date_published": today}
    return dict(record)


def missing_to_publish(standard: Standard, record: Mapping[str, Any]) -> list[FieldSpec]:
    """The required fields still unanswered (the publisher's own aside), in the standard's
    order, with the third party's name when one is involved."""
    problems = record_problems(
        standard, publishable(record, "2000-01-01"), source="record", publishing=True
    )
    ids = {p.column for p in problems if p.value is None}
    return [f for f in standard.fields if f.field_id in ids]


def completion_problems(
    standard: Standard, section: Section, record: Mapping[str, Any], source: str
) -> list[Problem]:
    """Why `section` of `record` cannot be marked complete: each required field it leaves empty."""
    state = section_state(standard, section, record, completed=())
    if state.status is SectionStatus.CANNOT_START and state.waiting_for:
        return [Problem(source, None, None, None, state.waiting_for)]
    return [
        Problem(source, None, f.field_id, None, f"{f.label} is needed to mark the section complete")
        for f in state.missing
    ]


def cleared_required(
    standard: Standard, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[FieldSpec]:
    """Required fields `before` answered and `after` leaves empty: a published record may not
    lose an answer the standard requires."""
    missing_before = {f.field_id for f in missing_to_publish(standard, before)}
    return [f for f in missing_to_publish(standard, after) if f.field_id not in missing_before]
