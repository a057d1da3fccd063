"""A registered project's data-ethics self-assessment (core/register/ethics.py), for its team.

Only the project's team (its organisation's members, and operators) reads or changes it; to
anyone else the project does not exist. Saving changes the cells given and leaves the others; a
cell given with no score and no notes is cleared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput
from mobilise.core.register.ethics import (
    AssessmentState,
    EthicsEntry,
    assessment_state,
    entry_problems,
)
from mobilise.services.actors import Actor
from mobilise.services.audit import record_event
from mobilise.services.register_editing import now, team_project_row
from mobilise.store.database import reading, transaction
from mobilise.store.models import AIProjectEthics


@dataclass(frozen=True, slots=True)
class Assessment:
    key: str
    title: str
    entries: dict[tuple[str, str], EthicsEntry]  # by (principle, activity)
    state: AssessmentState


def entries_of(session: Session, project_id: int) -> list[EthicsEntry]:
    return [
        EthicsEntry(row.principle, row.activity, row.score, row.notes)
        for row in session.scalars(
            select(AIProjectEthics).where(AIProjectEthics.project_id == project_id)
        )
    ]


def get_assessment(engine: Engine, actor: Actor, key: str) -> Assessment:
    with reading(engine) as session:
        project = team_project_row(session, actor, key)
        entries = entries_of(session, project.id)
        return Assessment(
            key=project.key,
            title=project.title,
            entries={(e.principle, e.activity): e for e in entries},
            state=assessment_state(entries),
        )


def save_assessment(
    engine: Engine, actor: Actor, key: str, entries: Iterable[EthicsEntry]
) -> AssessmentState:
    """Save the cells given; bad ones raise InvalidInput naming each and change nothing."""
    given = [EthicsEntry(e.principle, e.activity, e.score, e.notes.strip()) for e in entries]
    problems = entry_problems(given, f"assessment of {key}")
    if problems:
        raise InvalidInput(problems)
    with transaction(engine) as session:
        project = team_project_row(session, actor, key)
        before = {(e.principle, e.activity): e for e in entries_of(session, project.id)}
        changed = [e for e in given if before.get((e.principle, e.activity)) != e]
        for entry in changed:
            session.execute(
                delete(AIProjectEthics).where(
                    AIProjectEthics.project_id == project.id,
                    AIProjectEthics.principle == entry.principle,
                    AIProjectEthics.activity == entry.activity,
                )
            )
            if entry.score is not None or entry.notes:
                session.add(
                    AIProjectEthics(
                        project_id=project.id,
                        principle=entry.principle,
                        activity=entry.activity,
                        score=entry.score,
                        notes=entry.notes,
                        updated_at=now(),
                    )
                )
        session.flush()
        state = assessment_state(entries_of(session, project.id))
        if changed:
            record_event(
                session,
                actor,
                "register.ethics_saved",
                entity_type="ai_project",
                entity_key=key,
                organisation_id=project.organisation_id,
                before={
                    f"{p}.{a}": [e.score, e.notes]
                    for (p, a), e in before.items()
                    if any((p, a) == (c.principle, c.activity) for c in changed)
                },
                after={
                    "status": state.status.value,
                    **{f"{e.principle}.{e.activity}": [e.score, e.notes] for e in changed},
                },
            )
        return state
