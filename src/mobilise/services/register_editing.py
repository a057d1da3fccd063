"""Register an AI project or challenge and write its ATRS record, a section at a time; publish it.

A project belongs to the organisation of the person who registers it. Its members (and operators)
see and change it; to anyone else a draft does not exist (UnknownKey, a 404), and a published
project is read through the public pages. Each change is one transaction with its audit event:
bad values change nothing; a section's values that are valid are saved even when the section
cannot yet be marked complete (save and come back), and the refusal to mark it says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.register.record_rules import record_problems
from mobilise.core.register.registration import (
    ProjectDetails,
    details_problems,
    first_sentence,
    project_key,
)
from mobilise.core.register.task_list import (
    cleared_required,
    completion_problems,
    find_section,
    missing_to_publish,
    publishable,
)
from mobilise.core.register.vocabulary import FILTER_FACETS, finder_phase
from mobilise.services.actors import Actor, command_line_actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.register import atrs_standard
from mobilise.store.database import transaction
from mobilise.store.models import (
    AIProject,
    AIProjectFacet,
    AIProjectLink,
    AIProjectSkill,
    FrameworkVersion,
    Organisation,
    SkillRecord,
)

ATRS_VERSION = "3.0"

KEY_ATTEMPTS = 3


def now() -> datetime:
    return datetime.now(UTC)


def may_change(actor: Actor, organisation_id: int | None) -> bool:
    """Members of the owner organisation change its projects; operators change any."""
    return actor.is_operator or (
        actor.organisation_id is not None and actor.organisation_id == organisation_id
    )


def team_project_row(session: Session, actor: Actor, key: str) -> AIProject:
    """The project `key` for one of its team; UnknownKey for anyone else, as if there were none
    (a draft's existence is the team's business)."""
    project = session.scalar(select(AIProject).where(AIProject.key == key))
    if project is None or not may_change(actor, project.organisation_id):
        raise UnknownKey("AI project of your organisation", key)
    return project


def _skill_ids(
    session: Session, details: ProjectDetails, source: str, problems: list[Problem]
) -> dict[str, int]:
    version = session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.is_default))
    keys = [s.skill for s in details.skills]
    found = dict(
        session.execute(
            select(SkillRecord.key, SkillRecord.id).where(
                SkillRecord.framework_version_id == version, SkillRecord.key.in_(keys)
            )
        ).all()
    )
    for index, key in enumerate(keys):
        if key not in found:
            problems.append(
                Problem(source, None, f"skills[{index}]", key, "names no skill of the framework")
            )
    return found


def _write_details(
    session: Session, project: AIProject, details: ProjectDetails, skill_ids: dict[str, int]
) -> None:
    project.kind = details.kind
    project.users = details.users.strip()
    project.team = details.team.strip() or None
    session.execute(delete(AIProjectSkill).where(AIProjectSkill.project_id == project.id))
    session.execute(delete(AIProjectLink).where(AIProjectLink.project_id == project.id))
    session.flush()
    levels = {s.skill: int(SkillLevel.parse(s.level)) for s in details.skills}
    session.add_all(
        AIProjectSkill(project_id=project.id, skill_id=skill_ids[skill], level=level)
        for skill, level in levels.items()
    )
    for position, link in enumerate(details.links):
        session.add(
            AIProjectLink(
                project_id=project.id, position=position, label=link.label.strip(), url=link.url
            )
        )


def sync_columns(session: Session, project: AIProject) -> None:
    """The columns the register searches and lists, and the facet rows, from the record."""
    record = project.record

    def text(field: str) -> str | None:
        value = record.get(field)
        return value.strip() if isinstance(value, str) and value.strip() else None

    project.title = (text("title") or project.title)[:500]
    project.summary = text("summary") or ""
    project.description = text("description") or ""
    project.phase = text("phase")
    project.team = text("team") or project.team
    session.execute(delete(AIProjectFacet).where(AIProjectFacet.project_id == project.id))
    session.flush()
    for facet in FILTER_FACETS:
        for value in sorted(set(record.get(facet) or [])):
            session.add(AIProjectFacet(project_id=project.id, facet=facet, value=value))


def register_project(engine: Engine, actor: Actor | None, details: ProjectDetails) -> str:
    """Register a project or challenge of the actor's organisation, as a draft; its key.

    The record starts with what the details say (title, name, description, phase, team, the
    organisation) so the task list opens part-answered."""
    who = actor or command_line_actor()
    if who.organisation_id is None:
        raise NotPermitted("only members of an organisation register AI projects")
    problems = details_problems(details, "project")
    # Two registrations of one title at the same moment both see the key free; the second to
    # commit breaks the unique key, and is tried again with the keys taken by then.
    for attempt in range(KEY_ATTEMPTS):
        try:
            return _register(engine, actor, who, details, list(problems))
        except IntegrityError:
            if attempt == KEY_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _register(
    engine: Engine,
    actor: Actor | None,
    who: Actor,
    details: ProjectDetails,
    problems: list[Problem],
) -> str:
    source = "project"
    with transaction(engine) as session:
        assert who.organisation_id is not None
        organisation = session.get_one(Organisation, who.organisation_id)
        skill_ids = _skill_ids(session, details, source, problems)
        if problems:
            raise InvalidInput(problems)
        taken = set(session.scalars(select(AIProject.key)))
        key = project_key(organisation.key, details.title, taken)
        phase = finder_phase(details.phase)
        record: dict[str, Any] = {
            "title": details.title.strip(),
            "summary": first_sentence(details.description),
            "organisation": organisation.name,
            "phase": phase,
            "atrs_version": ATRS_VERSION,
            "name": details.title.strip(),
            "description": details.description.strip(),
            "organisation_or_department": organisation.name,
            "team": details.team.strip() or None,
            "tool_phase": phase,
        }
        project = AIProject(
            key=key,
            organisation_id=organisation.id,
            title=details.title.strip(),
            users="",
            status="draft",
            record={k: v for k, v in record.items() if v},
            kind=details.kind,
            completed_sections=[],
            created_at=now(),
            updated_at=now(),
        )
        session.add(project)
        session.flush()
        _write_details(session, project, details, skill_ids)
        sync_columns(session, project)
        record_event(
            session,
            actor,
            "register.project_registered",
            entity_type="ai_project",
            entity_key=key,
            organisation_id=organisation.id,
            after=asdict(details),
        )
        return key


def update_details(engine: Engine, actor: Actor, key: str, details: ProjectDetails) -> None:
    """Change what the team said when it registered: kind, users, team, skills, links (the
    title, phase and description are the record's, changed in its sections)."""
    source = f"project {key}"
    problems = details_problems(details, source)
    with transaction(engine) as session:
        project = team_project_row(session, actor, key)
        skill_ids = _skill_ids(session, details, source, problems)
        if problems:
            raise InvalidInput(problems)
        before = {"kind": project.kind, "users": project.users, "team": project.team}
        _write_details(session, project, details, skill_ids)
        project.updated_at = now()
        record_event(
            session,
            actor,
            "register.details_changed",
            entity_type="ai_project",
            entity_key=key,
            organisation_id=project.organisation_id,
            before=before,
            after=asdict(details),
        )


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        kept = [v.strip() if isinstance(v, str) else v for v in value]
        return [v for v in kept if v != ""] or None
    return value


def save_section(
    engine: Engine,
    actor: Actor,
    key: str,
    slug: str,
    values: Mapping[str, Any],
    *,
    complete: bool,
) -> list[Problem]:
    """Save the answers to one section (field id -> text or list of texts; empty clears it) and
    mark it complete or not. Bad values raise InvalidInput and change nothing. Valid values are
    saved; if the section was to be marked complete but cannot be, the problems saying why are
    returned (and it is left unmarked)."""
    standard = atrs_standard()
    section = find_section(standard, slug)
    if section is None:
        raise UnknownKey("section of the ATRS record", slug)
    source = f"{key} {slug}"
    ids = {f.field_id for f in section.fields}
    problems = [
        Problem(source, None, field, None, f"is not a field of the section {section.title}")
        for field in values
        if field not in ids
    ]
    with transaction(engine) as session:
        project = team_project_row(session, actor, key)
        before = dict(project.record)
        after = dict(before)
        for field in ids & set(values):
            cleaned = _cleaned(values[field])
            if cleaned is None:
                after.pop(field, None)
            else:
                after[field] = cleaned
        problems += [
            p
            for p in record_problems(standard, after, source=source, publishing=False)
            if p.column in ids
        ]
        if project.status == "published":
            problems += [
                Problem(source, None, f.field_id, None, f"{f.label} is required: it is published")
                for f in cleared_required(standard, before, after)
            ]
        if problems:
            raise InvalidInput(problems)
        refused = completion_problems(standard, section, after, source) if complete else []
        done = [s for s in project.completed_sections if s != slug]
        if complete and not refused:
            done.append(slug)
        changed = {f: after.get(f) for f in ids if before.get(f) != after.get(f)}
        project.record = after
        project.completed_sections = done
        project.updated_at = now()
        sync_columns(session, project)
        record_event(
            session,
            actor,
            "register.section_saved",
            entity_type="ai_project",
            entity_key=key,
            organisation_id=project.organisation_id,
            before={"section": slug, **{f: before.get(f) for f in changed}},
            after={"section": slug, "completed": slug in done, **changed},
        )
    return refused


def publish_project(engine: Engine, actor: Actor, key: str, *, today: date | None = None) -> None:
    """Publish a draft: refused, naming each field, while a required field is unanswered."""
    standard = atrs_standard()
    on = today or date.today()
    with transaction(engine) as session:
        project = team_project_row(session, actor, key)
        if project.status == "published":
            raise InvalidInput([Problem(key, None, "status", "published", "is published already")])
        missing = missing_to_publish(standard, project.record)
        if missing:
            raise InvalidInput(
                Problem(key, None, f.field_id, None, f"{f.label} is needed to publish")
                for f in missing
            )
        record = publishable(project.record, on.isoformat())
        project.record = record
        project.status = "published"
        project.published_on = date.fromisoformat(record["date_published"])
        project.updated_at = now()
        sync_columns(session, project)
        record_event(
            session,
            actor,
            "register.published",
            entity_type="ai_project",
            entity_key=key,
            organisation_id=project.organisation_id,
            after={"date_published": record["date_published"]},
        )
