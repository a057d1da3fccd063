"""Projects in the register for tests of what is built around it: written straight into its tables
(clusters, people who could work on a project, cohorts a project is offered to), or registered as a
draft through the service (what its team records about it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Engine

from mobilise.core.register.registration import ProjectDetails
from mobilise.services.accounts import development_sign_in
from mobilise.services.register_editing import register_project
from mobilise.store.database import transaction
from mobilise.store.models import AIProject, AIProjectSkill


def add_project(
    engine: Engine,
    key: str,
    organisation_id: int | None,
    title: str,
    text: str,
    *,
    status: str = "published",
    skills: Mapping[int, int] | None = None,
) -> int:
    """A project with `text` as its summary and description and the skills it needs
    ({skill id: level}); its id."""
    now = datetime.now(UTC)
    with transaction(engine) as session:
        project = AIProject(
            key=key,
            organisation_id=organisation_id,
            title=title,
            summary=text,
            description=text,
            users="",
            status=status,
            record={},
            created_at=now,
            updated_at=now,
        )
        session.add(project)
        session.flush()
        for skill_id, level in (skills or {}).items():
            session.add(AIProjectSkill(project_id=project.id, skill_id=skill_id, level=level))
        return project.id


def a_draft_project(engine: Engine, person: str = "lead", title: str = "Parking chatbot") -> str:
    """Registers a draft project of `person`'s organisation; returns its key."""
    return register_project(
        engine,
        development_sign_in(engine, person, []),
        ProjectDetails(
            title=title,
            kind="project",
            phase="production",
            description="A chatbot answers residents' questions.",
            users="Residents",
            team="Digital team",
            skills=(),
            links=(),
        ),
    )
