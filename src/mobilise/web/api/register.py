"""`/api/v1/register` (public): the AI project register's published records, and similar ones."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from mobilise.services.register_search import (
    ProjectSummary,
    RegisterFilters,
    published_project,
    search_register,
)
from mobilise.services.register_similarity import SimilarProjectView, similar_projects
from mobilise.web.access import PUBLIC
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["register"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No published AI project has this key."}
}
FacetValues = Annotated[
    list[str],
    Query(max_length=20, description="Values of the GOV.UK finder's facet (any of them)."),
]


class ProjectOut(BaseModel):
    key: str
    title: str
    summary: str
    organisation: str | None = Field(description="The organisation's key.")
    organisation_name: str | None
    phase: str | None = Field(description="A finder phase value, or null when not stated.")
    published_on: date | None


class SimilarOut(BaseModel):
    key: str
    title: str
    organisation_name: str | None
    score: float = Field(description="Blended cosine similarity, 0 to 1.")
    shared_terms: list[str] = Field(description="The terms contributing most to the score.")
    passage: str = Field(description="The similar project's sentence sharing most of them.")


class ProjectDetailOut(ProjectOut):
    description: str
    source_url: str | None
    record: dict[str, Any] = Field(description="The ATRS record: field id -> value.")
    similar: list[SimilarOut]


def similar_out(similar: SimilarProjectView) -> SimilarOut:
    return SimilarOut(
        key=similar.key,
        title=similar.title,
        organisation_name=similar.organisation_name,
        score=similar.score,
        shared_terms=list(similar.shared_terms),
        passage=similar.passage,
    )


def _project_out(project: ProjectSummary) -> ProjectOut:
    return ProjectOut(
        key=project.key,
        title=project.title,
        summary=project.summary,
        organisation=project.organisation_key,
        organisation_name=project.organisation_name,
        phase=project.phase,
        published_on=project.published_on,
    )


@router.get(
    "/register",
    response_model=Page[ProjectOut],
    summary="The register's published AI projects, by title",
    dependencies=[Depends(PUBLIC)],
)
def register(
    request: Request,
    engine: EngineDep,
    q: Annotated[
        str | None, Query(max_length=100, description="Words in title, summary or description.")
    ] = None,
    organisation: Annotated[
        str | None, Query(max_length=200, description="An organisation's key.")
    ] = None,
    phase: Annotated[str | None, Query(max_length=30, description="A finder phase.")] = None,
    function: FacetValues = [],  # noqa: B006 (FastAPI copies defaults per request)
    region: FacetValues = [],  # noqa: B006
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    page = 1 if cursor is None else int(decode_cursor(cursor, (int,))[0])
    filters = RegisterFilters(
        words=(q or "").strip() or None,
        organisation=organisation or None,
        phase=phase or None,
        functions=tuple(function),
        regions=tuple(region),
    )
    found = search_register(engine, filters, page=max(page, 1), page_size=limit)
    return {
        "items": [_project_out(p) for p in found.projects],
        "total": found.total,
        "limit": limit,
        "next": next_link(request, [found.page + 1] if found.page < found.pages else None),
    }


@router.get(
    "/register/{key}",
    response_model=ProjectDetailOut,
    summary="One published AI project with its ATRS record and the projects most like it",
    responses=NOT_FOUND,
    dependencies=[Depends(PUBLIC)],
)
def project(
    engine: EngineDep, key: Annotated[str, Path(min_length=1, max_length=200)]
) -> ProjectDetailOut:
    found = published_project(engine, key)
    return ProjectDetailOut(
        key=found.key,
        title=found.title,
        summary=found.summary,
        organisation=found.organisation_key,
        organisation_name=found.organisation_name,
        phase=found.phase,
        published_on=found.published_on,
        description=found.description,
        source_url=found.source_url,
        record=found.record,
        similar=[similar_out(s) for s in similar_projects(engine, key)],
    )
