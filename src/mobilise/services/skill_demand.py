"""Skill demand no framework skill covers, raised as change requests to the framework's owners.

When inference finds an ESCO skill in a text and the crosswalk maps it to no skill of the version
(DESIGN.md, "Framework extensions"), the sighting is counted on one change request per version and
ESCO skill. Framework owners (service admins) accept or decline it; organisation admins may read
the list. A CV adds only to the count: an example passage is kept only from text that is not about
a person, such as a learning item's description.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.skills.crosswalk import Found
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.framework import get_version
from mobilise.store.database import reading, transaction
from mobilise.store.models import FrameworkVersion, SkillChangeRequest
from mobilise.store.models.skills import MAX_SPAN

DECISIONS = {"accept": "accepted", "decline": "declined"}
STATUSES = ("open", "accepted", "declined")
MAX_NOTE = 1000


class ChangeRequestNotFound(LookupError):
    """No change request with this id."""


@dataclass(frozen=True)
class ChangeRequestView:
    id: int
    framework: str
    esco_key: str
    esco_label: str
    status: str
    sightings: int
    best_score: float
    example: str
    example_source: str
    first_seen_at: datetime
    last_seen_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    note: str


def raise_demand(
    session: Session,
    version_id: int,
    found: Iterable[Found],
    *,
    text: str | None = None,
    example_source: str = "",
) -> int:
    """Count each ESCO skill found as a sighting on its version's change request (made when
    new); `text` (not about a person) gives the example passage. Returns how many were counted."""
    now = datetime.now(UTC)
    counted = 0
    for item in found:
        example = "" if text is None else text[item.start : item.end].strip()[:MAX_SPAN]
        request = session.scalar(
            select(SkillChangeRequest).where(
                SkillChangeRequest.framework_version_id == version_id,
                SkillChangeRequest.esco_key == item.esco_key,
            )
        )
        if request is None:
            session.add(
                SkillChangeRequest(
                    framework_version_id=version_id,
                    esco_key=item.esco_key,
                    esco_label=item.esco_label[:300],
                    status="open",
                    sightings=1,
                    best_score=item.score,
                    example=example,
                    example_source=example_source[:300] if example else "",
                    first_seen_at=now,
                    last_seen_at=now,
                    note="",
                )
            )
            session.flush()  # the same ESCO skill twice in one batch counts on one row
        else:
            request.sightings += 1
            request.last_seen_at = now
            if item.score > request.best_score:
                request.best_score = item.score
                if example:
                    request.example, request.example_source = example, example_source[:300]
            elif example and not request.example:
                request.example, request.example_source = example, example_source[:300]
        counted += 1
    return counted


def _may_read(actor: Actor) -> None:
    if not (actor.is_operator or actor.has(Role.ORGANISATION_ADMIN)):
        raise NotPermitted("change requests are for organisation and service admins")


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; all are stored in UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _view(request: SkillChangeRequest, framework: str) -> ChangeRequestView:
    first, last = _utc(request.first_seen_at), _utc(request.last_seen_at)
    return ChangeRequestView(
        id=request.id,
        framework=framework,
        esco_key=request.esco_key,
        esco_label=request.esco_label,
        status=request.status,
        sightings=request.sightings,
        best_score=request.best_score,
        example=request.example,
        example_source=request.example_source,
        first_seen_at=first,
        last_seen_at=last,
        decided_by=request.decided_by,
        decided_at=None if request.decided_at is None else _utc(request.decided_at),
        note=request.note,
    )


def list_change_requests(
    engine: Engine,
    actor: Actor,
    *,
    framework: str | None = None,
    status: str | None = "open",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ChangeRequestView], int]:
    """Most sighted first; `status` None lists all."""
    _may_read(actor)
    if status is not None and status not in STATUSES:
        raise InvalidInput(
            [
                Problem(
                    "change requests", None, "status", status, "must be open, accepted or declined"
                )
            ]
        )
    with reading(engine) as session:
        version = get_version(session, framework)
        query = select(SkillChangeRequest).where(
            SkillChangeRequest.framework_version_id == version.id
        )
        if status is not None:
            query = query.where(SkillChangeRequest.status == status)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.order_by(
                SkillChangeRequest.sightings.desc(),
                SkillChangeRequest.best_score.desc(),
                SkillChangeRequest.id,
            )
            .limit(limit)
            .offset(offset)
        ).all()
        return [_view(row, version.name) for row in rows], total


def decide_change_request(
    engine: Engine, actor: Actor, request_id: int, decision: str, note: str = ""
) -> None:
    """A framework owner accepts (the skill will be added to a later version) or declines."""
    if not actor.is_operator:
        raise NotPermitted("only service admins, who own the framework, decide change requests")
    if decision not in DECISIONS:
        raise InvalidInput(
            [Problem("change request", None, "decision", decision, "must be accept or decline")]
        )
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            [Problem("change request", None, "note", note[:40], f"is over {MAX_NOTE} characters")]
        )
    with transaction(engine) as session:
        request = session.get(SkillChangeRequest, request_id)
        if request is None:
            raise ChangeRequestNotFound(request_id)
        version = session.get(FrameworkVersion, request.framework_version_id)
        before = {"status": request.status, "note": request.note}
        request.status = DECISIONS[decision]
        request.note = note
        request.decided_by = actor.display_name[:300]
        request.decided_at = datetime.now(UTC)
        record_event(
            session,
            actor,
            f"change_request.{request.status}",
            entity_type="skill_change_request",
            entity_key=f"{version.name if version else request.framework_version_id}:"
            f"{request.esco_key}",
            before=before,
            after={"status": request.status, "note": note},
        )
