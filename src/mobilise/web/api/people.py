"""`/api/v1/me` and `/api/v1/people`: people as the caller may see them (others are a 404)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from mobilise.services.people import PersonSummary, get_person, list_people
from mobilise.web.access import PeopleReader, SignedInActor
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem
from mobilise.web.templating import level_label

router = APIRouter(prefix="/api/v1", tags=["people"])

NOT_VISIBLE: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such person, or one you may not see."}
}
SIGN_IN: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No session and no valid API token."},
    403: {"model": Problem, "description": "Your roles or the token's scopes do not allow this."},
}


class MeOut(BaseModel):
    account: int | None
    display_name: str
    person: str | None = Field(description="Your person key, if your account is linked to one.")
    roles: list[str]
    scopes: list[str] | None = Field(description="The token's scopes; null for a session.")


class PersonOut(BaseModel):
    key: str
    display_name: str
    organisation: str | None
    organisation_name: str | None
    grade: str | None
    role_level: str | None
    role: str | None


class ClaimOut(BaseModel):
    skill: str
    skill_name: str
    level: str
    source: str
    status: str
    evidence: str
    claimed_on: date
    validated_by: str | None


class PersonDetailOut(PersonOut):
    email: str | None
    region: str | None
    manager: str | None
    started_on: date | None
    left_on: date | None
    reports: int
    claims: list[ClaimOut]


def _person_out(summary: PersonSummary) -> PersonOut:
    return PersonOut(
        key=summary.key,
        display_name=summary.display_name,
        organisation=summary.organisation_key,
        organisation_name=summary.organisation_name,
        grade=summary.grade,
        role_level=summary.role_level_name,
        role=summary.role_name,
    )


@router.get("/me", response_model=MeOut, summary="Who the caller is", responses=SIGN_IN)
def me(actor: SignedInActor) -> MeOut:
    return MeOut(
        account=actor.account_id,
        display_name=actor.display_name,
        person=actor.person_key,
        roles=sorted(role.value for role in actor.roles),
        scopes=None if actor.scopes is None else sorted(s.value for s in actor.scopes),
    )


@router.get(
    "/people",
    response_model=Page[PersonOut],
    summary="People the caller may see, by key",
    responses=SIGN_IN,
)
def people(
    request: Request,
    engine: EngineDep,
    actor: PeopleReader,
    q: Annotated[
        str | None, Query(max_length=100, description="Part of a name or key to match.")
    ] = None,
    organisation: Annotated[
        str | None, Query(max_length=200, description="Only people of this organisation (key).")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    after = None if cursor is None else str(decode_cursor(cursor, (str,))[0])
    page = list_people(
        engine, actor, query=q, organisation_key=organisation, after=after, limit=limit
    )
    return {
        "items": [_person_out(p) for p in page.people],
        "total": page.total,
        "limit": limit,
        "next": next_link(request, None if page.next_after is None else [page.next_after]),
    }


@router.get(
    "/people/{key}",
    response_model=PersonDetailOut,
    summary="One person and their skill claims",
    responses={**SIGN_IN, **NOT_VISIBLE},
)
def person(
    engine: EngineDep,
    actor: PeopleReader,
    key: Annotated[str, Path(min_length=1, max_length=200)],
) -> PersonDetailOut:
    view = get_person(engine, actor, key)
    return PersonDetailOut(
        **_person_out(view.summary).model_dump(),
        email=view.email,
        region=view.region,
        manager=view.manager_key,
        started_on=view.started_on,
        left_on=view.left_on,
        reports=view.reports,
        claims=[
            ClaimOut(
                skill=c.skill_key,
                skill_name=c.skill_name,
                level=level_label(c.level).lower(),
                source=c.source,
                status=c.status,
                evidence=c.evidence,
                claimed_on=c.claimed_on,
                validated_by=c.validated_by,
            )
            for c in view.claims
        ],
    )
