"""`/api/v1/register/clusters`: analysts' clusters of similar projects across government."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from mobilise.core.project_clusters import DEFAULT_MIN_SIMILARITY
from mobilise.services.actors import Actor, Role, Scope
from mobilise.services.register_clusters import MAX_THRESHOLD, MIN_THRESHOLD, register_clusters
from mobilise.web.access import Requirement
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["register"])

ANALYSTS = Requirement(Role.ANALYST, Role.SERVICE_ADMIN, scope=Scope.REGISTER_READ)
ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    422: {"model": Problem, "description": "A threshold outside its range."},
}


class ClusterMemberOut(BaseModel):
    key: str
    title: str
    organisation_name: str | None
    published: bool = Field(description="False for a draft of the analyst's organisation.")


class ClusterOut(BaseModel):
    number: int
    size: int
    shared_terms: list[str] = Field(description="What its members have in common.")
    organisations: list[str]
    cohesion: float = Field(description="The mean similarity of its pairs, 0 to 1.")
    members: list[ClusterMemberOut]


class ClustersOut(BaseModel):
    min_similarity: float
    projects: int = Field(description="Projects clustered: published, and drafts you may see.")
    drafts: int
    clustered: int = Field(description="Projects in some cluster.")
    clusters: list[ClusterOut]


@router.get(
    "/register/clusters",
    response_model=ClustersOut,
    summary="Clusters of similar projects in the register, largest first (analysts)",
    responses=ERRORS,
)
def clusters(
    engine: EngineDep,
    actor: Annotated[Actor, Depends(ANALYSTS)],
    min_similarity: Annotated[
        float,
        Query(
            ge=MIN_THRESHOLD,
            le=MAX_THRESHOLD,
            description="How alike a cluster's members must be on average (cosine, 0 to 1).",
        ),
    ] = DEFAULT_MIN_SIMILARITY,
) -> ClustersOut:
    found = register_clusters(engine, actor, min_similarity=min_similarity)
    return ClustersOut(
        min_similarity=found.min_similarity,
        projects=found.projects,
        drafts=found.drafts,
        clustered=found.clustered,
        clusters=[
            ClusterOut(
                number=c.number,
                size=c.size,
                shared_terms=list(c.shared_terms),
                organisations=list(c.organisations),
                cohesion=c.cohesion,
                members=[
                    ClusterMemberOut(
                        key=m.key,
                        title=m.title,
                        organisation_name=m.organisation_name,
                        published=m.published,
                    )
                    for m in c.members
                ],
            )
            for c in found.clusters
        ],
    )
