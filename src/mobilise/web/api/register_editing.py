"""`/api/v1/register` for teams: register a project or challenge, write its ATRS record a section
at a time, publish it, and its data-ethics self-assessment; the same services as the pages.

Tokens need `register:read` to read drafts and `register:write` to change them; a session may do
what its person may (members of the owner organisation). Another organisation's draft is a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from mobilise.core.register.ethics import AssessmentState, EthicsEntry
from mobilise.core.register.registration import (
    Link,
    NeededSkill,
    ProjectDetails,
    first_sentence,
)
from mobilise.services.actors import Actor, Scope
from mobilise.services.ethics_assessment import get_assessment, save_assessment
from mobilise.services.register_drafts import TeamProject, team_project
from mobilise.services.register_editing import (
    publish_project,
    register_project,
    save_section,
    update_details,
)
from mobilise.services.register_similarity import similar_to_text
from mobilise.web.access import Requirement
from mobilise.web.api.people import SIGN_IN
from mobilise.web.api.register import SimilarOut, similar_out
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["register"])

DraftReader = Annotated[Actor, Depends(Requirement(scope=Scope.REGISTER_READ))]
DraftWriter = Annotated[Actor, Depends(Requirement(scope=Scope.REGISTER_WRITE))]
Key = Annotated[str, Path(min_length=1, max_length=200)]
Slug = Annotated[str, Path(min_length=1, max_length=80, description="A section's slug.")]
ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No project of your organisation has this key."},
    422: {"model": Problem, "description": "Invalid input, each problem naming its field."},
}


class NeededSkillIn(BaseModel):
    skill: str = Field(max_length=200, description="A skill's key in the default framework.")
    level: str = Field(max_length=20, description="awareness, working, practitioner or expert")


class LinkIn(BaseModel):
    label: str = Field(max_length=300)
    url: str = Field(max_length=1000, description="An absolute http(s) link.")


class DetailsIn(BaseModel):
    kind: str = Field(default="project", description="project or challenge")
    users: str = Field(default="", max_length=10_000)
    team: str = Field(default="", max_length=300)
    skills: list[NeededSkillIn] = Field(default_factory=list, max_length=40)
    links: list[LinkIn] = Field(default_factory=list, max_length=20)


class ProjectIn(DetailsIn):
    title: str = Field(max_length=300)
    phase: str = Field(description="idea, pre-deployment, beta-pilot, private-beta, ...")
    description: str = Field(max_length=10_000)


class SimilarIn(BaseModel):
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=10_000)


class SectionOut(BaseModel):
    slug: str
    title: str
    status: str = Field(description="not started, in progress, completed or cannot start yet")
    missing: list[str] = Field(description="Required field ids still unanswered.")
    invalid: list[str]
    waiting_for: str | None


class GapOut(BaseModel):
    principle: str
    activity: str
    what: str


class EthicsStateOut(BaseModel):
    status: str = Field(description="not started, in progress or complete")
    answered: int
    total: int
    missing: list[GapOut]
    needs_action: int = Field(description="Cells scored 0 or 1.")
    mean: float | None


class DraftOut(BaseModel):
    key: str
    title: str
    kind: str
    status: str = Field(description="draft or published")
    phase: str | None
    record: dict[str, Any] = Field(description="The ATRS record: field id -> value.")
    sections: list[SectionOut]
    missing: list[str] = Field(description="Field ids publishing still needs.")
    ethics: EthicsStateOut


class RegisteredOut(DraftOut):
    similar: list[SimilarOut] = Field(description="The published projects most like it.")


class SectionIn(BaseModel):
    fields: dict[str, str | list[str]] = Field(
        description="Field id -> answer (a list for list fields); empty clears it."
    )
    completed: bool = False


class SavedSectionOut(DraftOut):
    not_completed_because: list[str] = Field(
        description="Why the section could not be marked complete (its answers were saved)."
    )


class EthicsEntryIO(BaseModel):
    principle: str
    activity: str
    score: int | None = Field(default=None, description="0 to 3 (docs/ethics.md)")
    notes: str = Field(default="", max_length=5001)


class EthicsIn(BaseModel):
    entries: list[EthicsEntryIO] = Field(max_length=15)


class EthicsOut(BaseModel):
    entries: list[EthicsEntryIO]
    state: EthicsStateOut


def _details(body: DetailsIn, title: str, phase: str, description: str) -> ProjectDetails:
    return ProjectDetails(
        title=title,
        kind=body.kind,
        phase=phase,
        description=description,
        users=body.users,
        team=body.team,
        skills=tuple(NeededSkill(s.skill, s.level) for s in body.skills),
        links=tuple(Link(link.label, link.url) for link in body.links),
    )


def _draft(project: TeamProject) -> dict[str, Any]:
    return {
        "key": project.view.key,
        "title": project.view.title,
        "kind": project.kind,
        "status": project.view.status,
        "phase": project.view.phase,
        "record": project.view.record,
        "sections": [
            SectionOut(
                slug=s.section.slug,
                title=s.section.title,
                status=s.status.value,
                missing=[f.field_id for f in s.missing],
                invalid=list(s.invalid),
                waiting_for=s.waiting_for,
            )
            for s in project.sections
        ],
        "missing": [f.field_id for f in project.missing],
        "ethics": _ethics_state(project.ethics),
    }


@router.post(
    "/register",
    response_model=RegisteredOut,
    status_code=201,
    summary="Register a project or challenge of your organisation, as a draft",
    responses=ERRORS,
)
def register(engine: EngineDep, actor: DraftWriter, body: ProjectIn) -> RegisteredOut:
    key = register_project(engine, actor, _details(body, body.title, body.phase, body.description))
    project = team_project(engine, actor, key)
    similar = similar_to_text(
        engine, project.view.title, project.view.summary, project.view.description
    )
    return RegisteredOut(**_draft(project), similar=[similar_out(s) for s in similar])


@router.post(
    "/register/similar",
    response_model=list[SimilarOut],
    summary="The published projects most like a project you might register, with why",
    responses=SIGN_IN,
)
def similar(engine: EngineDep, actor: DraftReader, body: SimilarIn) -> list[SimilarOut]:
    found = similar_to_text(engine, body.title, first_sentence(body.description), body.description)
    return [similar_out(s) for s in found]


@router.get(
    "/register/{key}/draft",
    response_model=DraftOut,
    summary="A project of your organisation as its team sees it: the task list, what is missing",
    responses=ERRORS,
)
def draft(engine: EngineDep, actor: DraftReader, key: Key) -> DraftOut:
    return DraftOut(**_draft(team_project(engine, actor, key)))


@router.put(
    "/register/{key}/details",
    response_model=DraftOut,
    summary="Change a project's kind, users, team, skills and links",
    responses=ERRORS,
)
def details(engine: EngineDep, actor: DraftWriter, key: Key, body: DetailsIn) -> DraftOut:
    project = team_project(engine, actor, key)
    phase = project.view.phase or "idea"
    description = project.view.description or project.view.title
    update_details(engine, actor, key, _details(body, project.view.title, phase, description))
    return DraftOut(**_draft(team_project(engine, actor, key)))


@router.patch(
    "/register/{key}/sections/{slug}",
    response_model=SavedSectionOut,
    summary="Save answers to one section of the ATRS record, and mark it complete or not",
    responses=ERRORS,
)
def section(
    engine: EngineDep, actor: DraftWriter, key: Key, slug: Slug, body: SectionIn
) -> SavedSectionOut:
    refused = save_section(engine, actor, key, slug, body.fields, complete=body.completed)
    return SavedSectionOut(
        **_draft(team_project(engine, actor, key)),
        not_completed_because=[str(p) for p in refused],
    )


@router.post(
    "/register/{key}/publish",
    response_model=DraftOut,
    summary="Publish the record; refused, naming each missing field, until all are answered",
    responses=ERRORS,
)
def publish(engine: EngineDep, actor: DraftWriter, key: Key) -> DraftOut:
    publish_project(engine, actor, key)
    return DraftOut(**_draft(team_project(engine, actor, key)))


def _ethics_state(state: AssessmentState) -> EthicsStateOut:
    return EthicsStateOut(
        status=state.status.value,
        answered=state.answered,
        total=state.total,
        missing=[
            GapOut(principle=g.principle, activity=g.activity, what=g.what) for g in state.missing
        ],
        needs_action=len(state.needs_action),
        mean=state.mean,
    )


def _ethics_out(engine: Engine, actor: Actor, key: str) -> EthicsOut:
    assessment = get_assessment(engine, actor, key)
    return EthicsOut(
        entries=[
            EthicsEntryIO(principle=e.principle, activity=e.activity, score=e.score, notes=e.notes)
            for e in assessment.entries.values()
        ],
        state=_ethics_state(assessment.state),
    )


@router.get(
    "/register/{key}/ethics",
    response_model=EthicsOut,
    summary="A project's data-ethics self-assessment and its overall state",
    responses=ERRORS,
)
def ethics(engine: EngineDep, actor: DraftReader, key: Key) -> EthicsOut:
    return _ethics_out(engine, actor, key)


@router.put(
    "/register/{key}/ethics",
    response_model=EthicsOut,
    summary="Save cells of the self-assessment (others are left as they are)",
    responses=ERRORS,
)
def save_ethics(engine: EngineDep, actor: DraftWriter, key: Key, body: EthicsIn) -> EthicsOut:
    save_assessment(
        engine,
        actor,
        key,
        [EthicsEntry(e.principle, e.activity, e.score, e.notes) for e in body.entries],
    )
    return _ethics_out(engine, actor, key)
