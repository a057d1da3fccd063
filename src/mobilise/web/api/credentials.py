"""`/api/v1/credentials`: a person's Open Badges credentials (with the signed JWT), issuing
(organisation and programme admins), revoking (organisation admins), verifying a credential,
and each issuer's public keys (public)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from mobilise.services.audit import NotPermitted
from mobilise.services.credential_keys import published_keys
from mobilise.services.credential_verification import MAX_LENGTH, Verification, verify_credential
from mobilise.services.credentials import (
    AchievementSpec,
    IssuedCredential,
    credential_for,
    issue_credential,
    my_credentials,
    revoke_credential,
)
from mobilise.services.pathway_following import FollowedView, follow_pathway, followed_pathways
from mobilise.web.access import PUBLIC, SignedInActor
from mobilise.web.api.people import SIGN_IN
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["credentials"])

CredentialId = Annotated[
    str,
    Path(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="The credential's uuid (its id without `urn:uuid:`).",
    ),
]
ERRORS: dict[int | str, dict[str, Any]] = {
    **SIGN_IN,
    404: {"model": Problem, "description": "No such credential or organisation that you may see."},
    422: {"model": Problem, "description": "Invalid input, or already revoked."},
}


class CredentialOut(BaseModel):
    id: str = Field(description="urn:uuid:…")
    kind: str = Field(description="cohort, pathway, hackathon or other.")
    achievement: str
    achievement_key: str
    recipient: str = Field(description="The recipient's person key.")
    issuer: str = Field(description="The issuing organisation's key.")
    issuer_name: str
    issued_at: datetime
    valid_until: datetime | None
    revoked_at: datetime | None
    revoked_reason: str
    jwt: str = Field(description="The signed credential (application/vc+jwt).")


class CredentialDetailOut(CredentialOut):
    credential: dict[str, Any] = Field(description="The OpenBadgeCredential (the JWT's payload).")


class AchievementIn(BaseModel):
    key: str = Field(min_length=1, max_length=300, description="Stable: one per person.")
    name: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1, max_length=2000)
    criteria: str = Field(min_length=1, max_length=2000)
    valid_for_days: int | None = Field(default=None, ge=1, le=36_500)


class IssueIn(BaseModel):
    person: str = Field(min_length=1, max_length=200)
    organisation: str = Field(min_length=1, max_length=200)
    achievement: AchievementIn


class RevokeIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class VerifyIn(BaseModel):
    credential: str = Field(min_length=1, max_length=MAX_LENGTH, description="A compact JWT.")


class CheckOut(BaseModel):
    name: str
    passed: bool | None = Field(description="null: not checked, an earlier check failed.")
    detail: str


class VerificationOut(BaseModel):
    valid: bool
    checks: list[CheckOut]
    achievement: str | None
    issuer: str | None
    recipient: str | None


class KeySetOut(BaseModel):
    issuer: str | None = Field(description="The issuer Profile's id; null before any issue.")
    keys: list[dict[str, Any]] = Field(description="Public JWKs (OKP, Ed25519), newest first.")


class FollowIn(BaseModel):
    target: str = Field(min_length=1, max_length=200, description="A role level's key.")
    objective: str = Field(default="hours", pattern="^(hours|cost)$")


class PathwayItemOut(BaseModel):
    key: str
    title: str
    completed: bool


class FollowedOut(BaseModel):
    target: str
    target_name: str
    items: list[PathwayItemOut]
    started_at: datetime
    completed_at: datetime | None


def _followed(view: FollowedView) -> FollowedOut:
    return FollowedOut(
        target=view.target_key,
        target_name=view.target_name,
        items=[PathwayItemOut(key=k, title=t, completed=c) for k, t, c in view.items],
        started_at=view.started_at,
        completed_at=view.completed_at,
    )


def _out(found: IssuedCredential) -> CredentialOut:
    return CredentialOut(
        id=found.key,
        kind=found.kind,
        achievement=found.achievement_name,
        achievement_key=found.achievement_key,
        recipient=found.person_key,
        issuer=found.organisation_key,
        issuer_name=found.organisation_name,
        issued_at=found.issued_at,
        valid_until=found.valid_until,
        revoked_at=found.revoked_at,
        revoked_reason=found.revoked_reason,
        jwt=found.token,
    )


def _detail(found: IssuedCredential) -> CredentialDetailOut:
    return CredentialDetailOut(**_out(found).model_dump(), credential=found.credential)


def _verification(result: Verification) -> VerificationOut:
    return VerificationOut(
        valid=result.valid,
        checks=[CheckOut(name=c.name, passed=c.passed, detail=c.detail) for c in result.checks],
        achievement=result.achievement_name,
        issuer=result.issuer_name,
        recipient=result.recipient_name,
    )


@router.get(
    "/credentials",
    response_model=list[CredentialOut],
    summary="Your credentials, newest first",
    responses=SIGN_IN,
)
def credentials(engine: EngineDep, actor: SignedInActor) -> list[CredentialOut]:
    return [_out(c) for c in my_credentials(engine, actor)]


@router.post(
    "/credentials",
    response_model=CredentialDetailOut,
    status_code=201,
    summary="Issue a credential (the issuing organisation's admins)",
    responses=ERRORS,
)
def issue(engine: EngineDep, actor: SignedInActor, body: IssueIn) -> CredentialDetailOut:
    achievement = body.achievement
    issued = issue_credential(
        engine,
        actor,
        recipient_person_key=body.person,
        issuer_organisation_key=body.organisation,
        achievement=AchievementSpec(
            achievement.key,
            achievement.name,
            achievement.description,
            achievement.criteria,
            "other",
            achievement.valid_for_days,
        ),
    )
    return _detail(issued)


@router.post(
    "/credentials/verify",
    response_model=VerificationOut,
    summary="Check a credential: signature, issuer, shape, validity, revocation",
    responses=SIGN_IN,
)
def verify(engine: EngineDep, actor: SignedInActor, body: VerifyIn) -> VerificationOut:
    return _verification(verify_credential(engine, body.credential))


@router.get(
    "/credentials/issuers/{organisation}/keys",
    response_model=KeySetOut,
    summary="An issuer's public keys (a JWK set), retired ones included",
    dependencies=[Depends(PUBLIC)],
    responses={404: ERRORS[404]},
)
def keys(
    engine: EngineDep, organisation: Annotated[str, Path(min_length=1, max_length=200)]
) -> KeySetOut:
    issuer_id, published = published_keys(engine, organisation)
    return KeySetOut(issuer=issuer_id, keys=[k.jwk for k in published])


@router.get(
    "/credentials/{credential}",
    response_model=CredentialDetailOut,
    summary="One credential (its recipient, whoever may see them, its issuer's admins)",
    responses=ERRORS,
)
def credential(
    engine: EngineDep, actor: SignedInActor, credential: CredentialId
) -> CredentialDetailOut:
    return _detail(credential_for(engine, actor, credential))


@router.post(
    "/credentials/{credential}/revocation",
    response_model=CredentialDetailOut,
    summary="Revoke a credential (the issuing organisation's admins); verifying then fails",
    responses=ERRORS,
)
def revoke(
    engine: EngineDep, actor: SignedInActor, credential: CredentialId, body: RevokeIn
) -> CredentialDetailOut:
    return _detail(revoke_credential(engine, actor, credential, body.reason))


@router.get(
    "/me/pathways",
    response_model=list[FollowedOut],
    summary="The learning pathways you follow (completing one issues a credential)",
    responses=SIGN_IN,
)
def my_pathways(engine: EngineDep, actor: SignedInActor) -> list[FollowedOut]:
    if actor.person_key is None:
        return []
    return [_followed(v) for v in followed_pathways(engine, actor, actor.person_key)]


@router.post(
    "/me/pathways",
    response_model=FollowedOut,
    status_code=201,
    summary="Follow your learning pathway to a role level, as planned now",
    responses=ERRORS,
)
def follow(engine: EngineDep, actor: SignedInActor, body: FollowIn) -> FollowedOut:
    if actor.person_key is None:
        raise NotPermitted("only people follow learning pathways")
    return _followed(
        follow_pathway(engine, actor, actor.person_key, body.target, objective=body.objective)
    )
