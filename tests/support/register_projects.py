"""A draft AI project in the register, for tests of what its team records about it."""

from __future__ import annotations

from sqlalchemy import Engine

from mobilise.core.register.registration import ProjectDetails
from mobilise.services.accounts import development_sign_in
from mobilise.services.register_editing import register_project


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
