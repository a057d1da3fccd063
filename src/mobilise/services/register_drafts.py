"""Reading registered projects as their team does: drafts, the task list, what is missing.

A draft is its organisation's business: anyone else gets UnknownKey (a 404), exactly as for a key
that names nothing. Published projects are public (services/register_search.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.register.ethics import AssessmentState, assessment_state
from mobilise.core.register.registration import Link, NeededSkill, ProjectDetails
from mobilise.core.register.standard import FieldSpec
from mobilise.core.register.task_list import SectionState, missing_to_publish, task_list
from mobilise.services.actors import Actor
from mobilise.services.catalogue import UnknownKey
from mobilise.services.ethics_assessment import entries_of
from mobilise.services.register import ProjectView, atrs_standard, get_project
from mobilise.services.register_editing import may_change, team_project_row
from mobilise.store.database import reading
from mobilise.store.models import AIProject, AIProjectSkill, SkillRecord


@dataclass(frozen=True, slots=True)
class NeededSkillView:
    key: str
    name: str
    level: str


@dataclass(frozen=True, slots=True)
class TeamProject:
    view: ProjectView
    kind: str
    users: str
    team: str
    skills: tuple[NeededSkillView, ...]
    sections: list[SectionState]
    missing: list[FieldSpec]  # required fields unanswered: publishing is refused until none
    ethics: AssessmentState

    @property
    def details(self) -> ProjectDetails:
        """What the team registered, as the details form shows it again."""
        phase = self.view.phase or "idea"
        return ProjectDetails(
            title=self.view.title,
            kind=self.kind,
            phase=phase,
            description=self.view.description,
            users=self.users,
            team=self.team,
            skills=tuple(NeededSkill(s.key, s.level) for s in self.skills),
            links=tuple(Link(link.label, link.url) for link in self.view.links),
        )


@dataclass(frozen=True, slots=True)
class TeamProjectSummary:
    key: str
    title: str
    kind: str
    status: str
    missing: int


def visible_project(engine: Engine, actor: Actor | None, key: str) -> ProjectView:
    """A published project for anyone; a draft for its team only (UnknownKey for others)."""
    try:
        project = get_project(engine, key)
    except LookupError:
        raise UnknownKey("AI project", key) from None
    if project.status == "published" or (
        actor is not None and may_change(actor, project.organisation_id)
    ):
        return project
    raise UnknownKey("AI project", key)


def team_project(engine: Engine, actor: Actor, key: str) -> TeamProject:
    """A project as its team sees it: the task list, what publishing still needs, the ethics."""
    standard = atrs_standard()
    with reading(engine) as session:
        project = team_project_row(session, actor, key)
        skills = tuple(
            NeededSkillView(skill_key, name, SkillLevel(level).label)
            for skill_key, name, level in session.execute(
                select(SkillRecord.key, SkillRecord.name, AIProjectSkill.level)
                .join(SkillRecord, SkillRecord.id == AIProjectSkill.skill_id)
                .where(AIProjectSkill.project_id == project.id)
                .order_by(SkillRecord.name)
            )
        )
        kind, users, team = project.kind, project.users, project.team or ""
        completed = list(project.completed_sections)
        ethics = assessment_state(entries_of(session, project.id))
    view = get_project(engine, key)
    return TeamProject(
        view=view,
        kind=kind,
        users=users,
        team=team,
        skills=skills,
        sections=task_list(standard, view.record, completed),
        missing=missing_to_publish(standard, view.record),
        ethics=ethics,
    )


def organisation_projects(engine: Engine, actor: Actor) -> list[TeamProjectSummary]:
    """The actor's organisation's projects, drafts first, then by title."""
    if actor.organisation_id is None:
        return []
    standard = atrs_standard()
    with reading(engine) as session:
        rows = session.scalars(
            select(AIProject)
            .where(AIProject.organisation_id == actor.organisation_id)
            .order_by(AIProject.status, AIProject.title)
        ).all()
        return [
            TeamProjectSummary(
                key=p.key,
                title=p.title,
                kind=p.kind,
                status=p.status,
                missing=len(missing_to_publish(standard, p.record)),
            )
            for p in rows
        ]
