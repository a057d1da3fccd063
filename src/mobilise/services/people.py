"""People as an actor may see them: tenancy lives here, not in the pages or the API.

An actor sees a person if it is themself, someone in their reporting line (the manager tree, any
depth), or someone in an organisation they administer (DESIGN.md, "Who sees a profile"). Anyone
else does not exist for them: `PersonNotFound`, which the shells turn into a 404, the same answer
as for a key that no one has, so that probing keys tells nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Integer,
    Select,
    String,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from mobilise.core.framework import SkillLevel
from mobilise.services.actors import Actor, Role
from mobilise.store.database import reading, reading_rows
from mobilise.store.models import (
    FrameworkVersion,
    Organisation,
    Person,
    RoleLevelRecord,
    RoleRecord,
    SkillClaim,
    SkillRecord,
)

MAX_QUERY_LENGTH = 100


class PersonNotFound(LookupError):
    """No person with this key that the actor may see."""


@dataclass(frozen=True)
class PersonSummary:
    key: str
    display_name: str
    organisation_key: str | None
    organisation_name: str | None
    grade: str | None
    role_level_name: str | None
    role_name: str | None


@dataclass(frozen=True)
class PeoplePage:
    people: list[PersonSummary]
    total: int
    next_after: str | None


@dataclass(frozen=True)
class ClaimView:
    id: int
    skill_key: str
    skill_name: str
    level: SkillLevel
    source: str
    status: str
    evidence: str
    claimed_on: date
    validated_by: str | None
    # What the profile rules also read (services.profiles.profile_from_claims).
    skill_id: int = 0
    expires_on: date | None = None


@dataclass(frozen=True)
class PersonView:
    summary: PersonSummary
    email: str | None
    region: str | None
    manager_key: str | None
    manager_name: str | None
    started_on: date | None
    left_on: date | None
    reports: int
    claims: list[ClaimView]


def reports_of(person_id: int) -> Any:
    """Everyone below `person_id` in the manager tree, as a recursive CTE of ids."""
    direct = select(Person.id).where(Person.manager_id == person_id).cte("reports", recursive=True)
    below = aliased(Person)
    return direct.union_all(select(below.id).join(direct, below.manager_id == direct.c.id))


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """The condition on `Person` that says whom the actor may see."""
    if actor.account_id is None:
        return Person.id.is_not(None)  # the command line sees all
    conditions: list[ColumnElement[bool]] = []
    if actor.person_id is not None:
        conditions.append(Person.id == actor.person_id)
        if actor.has(Role.LINE_MANAGER):
            conditions.append(Person.id.in_(select(reports_of(actor.person_id).c.id)))
    administered = actor.organisations_where(Role.ORGANISATION_ADMIN)
    if administered:
        conditions.append(Person.organisation_id.in_(administered))
    return or_(*conditions) if conditions else false()


def managers_above(session: Session, person_id: int) -> list[int]:
    """Everyone above a person in the manager tree, nearest first: a walk up of a few index
    lookups, where `visible_to`'s walk down from a department head visits tens of thousands."""
    chain = (
        select(Person.manager_id.label("id"))
        .where(Person.id == person_id, Person.manager_id.is_not(None))
        .cte("above", recursive=True)
    )
    upper = aliased(Person)
    chain = chain.union(
        select(upper.manager_id)
        .join(chain, upper.id == chain.c.id)
        .where(upper.manager_id.is_not(None))
    )
    return list(session.scalars(select(chain.c.id)))


def may_see(session: Session, actor: Actor, person: Person) -> bool:
    """`visible_to` for one person already loaded: the same rule, checked from the person up."""
    if actor.account_id is None or person.id == actor.person_id:
        return True
    if person.organisation_id in actor.organisations_where(Role.ORGANISATION_ADMIN):
        return True
    return (
        actor.person_id is not None
        and actor.has(Role.LINE_MANAGER)
        and actor.person_id in managers_above(session, person.id)
    )


def visible_person(session: Session, actor: Actor, key: str) -> Person:
    """The person with this key if the actor may see them; otherwise PersonNotFound."""
    person = session.scalar(select(Person).where(Person.key == key))
    if person is None or not may_see(session, actor, person):
        raise PersonNotFound(key)
    return person


def framework_version_of(session: Session, person: Person) -> int:
    """The framework version a person is measured against: their role level's, else the
    default version."""
    version_id = None
    if person.role_level_id is not None:
        version_id = session.scalar(
            select(RoleLevelRecord.framework_version_id).where(
                RoleLevelRecord.id == person.role_level_id
            )
        )
    if version_id is None:
        version_id = session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.is_default))
    if version_id is None:
        raise LookupError("no default framework version is stored")
    return version_id


def _summary_query() -> Any:
    return (
        select(
            Person.key,
            Person.display_name,
            Organisation.key,
            Organisation.name,
            Person.grade,
            RoleLevelRecord.name,
            RoleRecord.name,
        )
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(RoleLevelRecord, RoleLevelRecord.id == Person.role_level_id)
        .outerjoin(RoleRecord, RoleRecord.id == RoleLevelRecord.role_id)
    )


def list_people(
    engine: Engine,
    actor: Actor,
    *,
    query: str | None = None,
    organisation_key: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> PeoplePage:
    """The people the actor may see, by key, `limit` at a time after the key `after`."""
    condition = visible_to(actor)
    filters: list[ColumnElement[bool]] = [condition]
    text = (query or "").strip()[:MAX_QUERY_LENGTH]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        filters.append(
            or_(
                Person.display_name.ilike(pattern, escape="\\"),
                Person.key.ilike(pattern, escape="\\"),
            )
        )
    if organisation_key:
        filters.append(Organisation.key == organisation_key)
    rows_query = _summary_query().where(*filters)
    counted = (
        select(func.count())
        .select_from(Person)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(*filters)
    )
    if after is not None:
        rows_query = rows_query.where(Person.key > after)
    with reading(engine) as session:
        total = session.scalar(counted) or 0
        rows = session.execute(rows_query.order_by(Person.key).limit(limit + 1)).all()
    people = [PersonSummary(*row) for row in rows[:limit]]
    more = len(rows) > limit
    return PeoplePage(people, total, people[-1].key if more and people else None)


# The person page's statements, built once. Building them per call (aliased(), a recursive CTE,
# the ORM's column coercions) cost a profile page more CPU than running them (bench/RESULTS.md).
_KEY = bindparam("key", type_=String)
_VIEWER = bindparam("viewer", type_=Integer)
_manager = aliased(Person, name="manager")
_report = aliased(Person, name="report")
_upper = aliased(Person, name="upper")
_validator = aliased(Person, name="validator")

# Everyone above the person with key `_KEY`: `managers_above` as part of the person's own query.
_above = (
    select(Person.manager_id.label("id"))
    .where(Person.key == _KEY, Person.manager_id.is_not(None))
    .cte("above", recursive=True)
)
_above = _above.union(
    select(_upper.manager_id)
    .join(_above, _upper.id == _above.c.id)
    .where(_upper.manager_id.is_not(None))
)

_PERSON = (
    _summary_query()
    .add_columns(
        _manager.key,
        _manager.display_name,
        Person.email,
        Person.region,
        Person.started_on,
        Person.left_on,
        select(func.count())
        .select_from(_report)
        .where(_report.manager_id == Person.id)
        .scalar_subquery(),
        Person.id,
        Person.organisation_id,
    )
    .outerjoin(_manager, _manager.id == Person.manager_id)
    .where(Person.key == _KEY)
)
# For a line manager: whether they are above the person, in the same round trip.
_PERSON_AND_LINE = _PERSON.add_columns(exists(select(_above.c.id).where(_above.c.id == _VIEWER)))
# Where the person's id, organisation and (for a line manager) sight are in its row, and where
# the person's own columns end.
_ID, _ORGANISATION, _IN_LINE = 14, 15, 16
_PERSON_COLUMNS = len(_PERSON.selected_columns)


def _with_claims(person: Select[Any]) -> Select[Any]:
    """The person's row and their claims in one round trip, which costs the database and the
    app about a third less than asking for the claims after the person (bench/RESULTS.md): the
    person's columns, then a claim's, on a row for each claim (one row with no claim if none).

    The person is a subquery with LIMIT 1 (the key is unique): without it, PostgreSQL may pull
    the subquery up into the join and count their reports and walk their line once per claim.
    """
    viewed = person.limit(1).subquery("viewed")
    return (
        select(
            viewed,
            SkillClaim.id,
            SkillRecord.key,
            SkillRecord.name,
            SkillClaim.level,
            SkillClaim.source,
            SkillClaim.status,
            SkillClaim.evidence,
            SkillClaim.claimed_on,
            _validator.display_name,
            SkillClaim.skill_id,
            SkillClaim.expires_on,
        )
        .select_from(viewed)
        .outerjoin(SkillClaim, SkillClaim.person_id == viewed.c[_ID])
        .outerjoin(SkillRecord, SkillRecord.id == SkillClaim.skill_id)
        .outerjoin(_validator, _validator.id == SkillClaim.validated_by_id)
        .order_by(SkillRecord.name, SkillClaim.claimed_on.desc())
    )


_PERSON_WITH_CLAIMS = _with_claims(_PERSON)
_PERSON_AND_LINE_WITH_CLAIMS = _with_claims(_PERSON_AND_LINE)


def get_person(engine: Engine, actor: Actor, key: str) -> PersonView:
    """One person's record and claims, if the actor may see them (`may_see`'s rule: self, an
    organisation they administer, or someone below them in the manager tree)."""
    in_line = actor.account_id is not None and actor.person_id is not None
    in_line = in_line and actor.has(Role.LINE_MANAGER) and actor.person_key != key
    with reading_rows(engine) as connection:
        if in_line:
            rows = connection.execute(
                _PERSON_AND_LINE_WITH_CLAIMS, {"key": key, "viewer": actor.person_id}
            ).all()
        else:
            rows = connection.execute(_PERSON_WITH_CLAIMS, {"key": key}).all()
    if not rows:
        raise PersonNotFound(key)
    row = rows[0]
    sees = (
        actor.account_id is None
        or row[_ID] == actor.person_id
        or row[_ORGANISATION] in actor.organisations_where(Role.ORGANISATION_ADMIN)
        or (in_line and bool(row[_IN_LINE]))
    )
    if not sees:
        raise PersonNotFound(key)
    first_claim = _PERSON_COLUMNS + 1 if in_line else _PERSON_COLUMNS
    claims = [r[first_claim:] for r in rows if r[first_claim] is not None]
    return PersonView(
        summary=PersonSummary(*row[:7]),
        email=row[9],
        region=row[10],
        manager_key=row[7],
        manager_name=row[8],
        started_on=row[11],
        left_on=row[12],
        reports=row[13] or 0,
        claims=[
            ClaimView(c[0], c[1], c[2], SkillLevel(c[3]), c[4], c[5], c[6], c[7], c[8], c[9], c[10])
            for c in claims
        ],
    )


def organisation_of(engine: Engine, organisation_id: int | None) -> tuple[str, str] | None:
    """The key and name of an organisation, for showing whom an actor belongs to."""
    if organisation_id is None:
        return None
    with reading(engine) as session:
        row = session.execute(
            select(Organisation.key, Organisation.name).where(Organisation.id == organisation_id)
        ).first()
    return None if row is None else (row[0], row[1])


@dataclass(frozen=True)
class SignInExample:
    key: str
    display_name: str
    organisation_name: str | None
    reports: int


def examples_for_sign_in(
    engine: Engine, managers: int = 4, reports: int = 4
) -> list[SignInExample]:
    """People worth signing in as in development: the managers with the most reports, and some of
    the first one's reports, so both sides of the manager tree can be tried."""
    counted = (
        select(Person.manager_id.label("id"), func.count().label("reports"))
        .where(Person.manager_id.is_not(None))
        .group_by(Person.manager_id)
        .order_by(func.count().desc(), Person.manager_id)
        .limit(managers)
        .subquery()
    )
    with reading(engine) as session:
        top = session.execute(
            select(Person.id, Person.key, Person.display_name, Organisation.name, counted.c.reports)
            .join(counted, counted.c.id == Person.id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .order_by(counted.c.reports.desc(), Person.key)
        ).all()
        examples = [SignInExample(key, name, org, count) for _, key, name, org, count in top]
        if top:
            report = aliased(Person)
            their_reports = (
                select(func.count())
                .where(report.manager_id == Person.id)
                .correlate(Person)
                .scalar_subquery()
            )
            below = session.execute(
                select(Person.key, Person.display_name, Organisation.name, their_reports)
                .outerjoin(Organisation, Organisation.id == Person.organisation_id)
                .where(Person.manager_id == top[0][0])
                .order_by(Person.key)
                .limit(reports)
            ).all()
            shown = {example.key for example in examples}
            examples += [SignInExample(*row) for row in below if row[0] not in shown]
    return examples
