"""The opportunity marketplace: open a round, post opportunities into it (with required skills at
levels), browse them ranked by fit to your own profile with the reasons, and save them.

Who does what: a round belongs to an organisation whose programme admins run it (close, allocate,
start, finish: services/marketplace_rounds.py). An opportunity belongs to the organisation that
hosts it (a department, an agency, a council or a partner firm); its programme admins post it
and see its applicants (services/marketplace_applications.py). Everyone signed in browses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.framework import SkillLevel
from mobilise.core.marketplace import (
    APPRENTICESHIP_ROLES,
    FitExplanation,
    OpportunityKind,
    applicant_problem,
    explain,
    fits_from_rows,
    owner_problem,
    ranking,
)
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.profiles.gaps import SkillAxis, level_row, requirement_matrix
from mobilise.core.programmes import CohortState
from mobilise.services.actors import Actor, Role, command_line_actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.profiles import profile_for
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    FrameworkVersion,
    MarketplaceRound,
    Opportunity,
    OpportunityApplication,
    OpportunitySkill,
    Organisation,
    Person,
    SavedOpportunity,
    SkillRecord,
)

KEY_RULE = "must be 1-100 letters, digits, - or _"


class RoundNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("round", key)


class OpportunityNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("opportunity", key)


@dataclass(frozen=True)
class RequiredSkill:
    skill: str  # the skill's key in the default framework version
    level: str  # awareness, working, practitioner or expert


@dataclass(frozen=True)
class OpportunitySpec:
    key: str
    round: str
    organisation: str  # key of the owning (hosting) organisation
    kind: str
    title: str
    starts_on: date
    ends_on: date
    capacity: int
    summary: str = ""
    place: str = ""
    region: str | None = None
    skills: Sequence[RequiredSkill] = field(default_factory=tuple)
    role: str | None = None  # an apprenticeship's role, one of APPRENTICESHIP_ROLES


@dataclass(frozen=True)
class OpportunitySummary:
    key: str
    title: str
    kind: OpportunityKind
    organisation_key: str
    organisation_name: str
    round_key: str
    round_state: CohortState
    place: str
    region: str | None
    starts_on: date
    ends_on: date
    capacity: int
    fit: float | None  # to the reader's profile; None for a reader who is not a person
    met: int  # required skills the reader meets
    short: int  # required skills the reader is short of
    saved: bool
    application: str | None  # the reader's application to it
    role: str | None = None


@dataclass(frozen=True)
class SkillFit:
    skill_key: str
    skill_name: str
    required: SkillLevel
    current: SkillLevel | None
    met: bool


@dataclass(frozen=True)
class OpportunityView:
    summary: OpportunitySummary
    text: str
    requirements: list[SkillFit]
    owns: bool  # the reader is one of its owners
    apply_problem: str | None  # why the reader may not apply (None: they may)


def now() -> datetime:
    return datetime.now(UTC)


def owns_organisation(actor: Actor, organisation_id: int) -> bool:
    return actor.is_operator or organisation_id in actor.organisations_where(Role.PROGRAMME_ADMIN)


def find_round(session: Session, key: str) -> MarketplaceRound:
    found = session.scalar(select(MarketplaceRound).where(MarketplaceRound.key == key))
    if found is None:
        raise RoundNotFound(key)
    return found


def find_opportunity(session: Session, key: str) -> tuple[Opportunity, MarketplaceRound]:
    row = session.execute(
        select(Opportunity, MarketplaceRound)
        .join(MarketplaceRound, MarketplaceRound.id == Opportunity.round_id)
        .where(Opportunity.key == key)
    ).first()
    if row is None:
        raise OpportunityNotFound(key)
    return row[0], row[1]


def key_problems(source: str, key: str) -> list[Problem]:
    if not key or len(key) > 100 or not all(c.isalnum() or c in "-_" for c in key):
        return [Problem(source, None, "key", key, KEY_RULE)]
    return []


def acting_organisation(
    session: Session, who: Actor, key: str, source: str, problems: list[Problem]
) -> Organisation | None:
    organisation = session.scalar(select(Organisation).where(Organisation.key == key))
    if organisation is None:
        problems.append(Problem(source, None, "organisation", key, "names no organisation"))
        return None
    if not owns_organisation(who, organisation.id):
        raise NotPermitted("programme admins act for their own organisation only")
    return organisation


def opportunity_problems(spec: OpportunitySpec) -> list[Problem]:
    """What is wrong with the spec's own fields (the store's checks aside)."""
    source = f"opportunity {spec.key}"
    problems = key_problems(source, spec.key)
    if not spec.title.strip():
        problems.append(Problem(source, None, "title", spec.title, "must not be empty"))
    if spec.kind not in set(OpportunityKind):
        rule = "must be one of " + ", ".join(OpportunityKind)
        problems.append(Problem(source, None, "kind", spec.kind, rule))
    if spec.kind == OpportunityKind.APPRENTICESHIP.value and spec.role not in APPRENTICESHIP_ROLES:
        rule = "must be one of " + ", ".join(APPRENTICESHIP_ROLES)
        problems.append(Problem(source, None, "role", spec.role, rule))
    if not 0 <= spec.capacity <= 100_000:
        problems.append(Problem(source, None, "capacity", str(spec.capacity), "must be 0-100,000"))
    if spec.ends_on < spec.starts_on:
        rule = "must not be before starts_on"
        problems.append(Problem(source, None, "ends_on", spec.ends_on.isoformat(), rule))
    seen: set[str] = set()
    for index, required in enumerate(spec.skills):
        if required.skill in seen:
            problems.append(Problem(source, None, f"skills[{index}]", required.skill, "repeated"))
        seen.add(required.skill)
        try:
            SkillLevel.parse(required.level)
        except ValueError as error:
            problems.append(
                Problem(source, None, f"skills[{index}].level", required.level, str(error))
            )
    return problems


def post_opportunity(engine: Engine, actor: Actor | None, spec: OpportunitySpec) -> str:
    """Post an opportunity of the actor's organisation into an open round."""
    who = actor or command_line_actor()
    source = f"opportunity {spec.key}"
    problems = opportunity_problems(spec)
    with transaction(engine) as session:
        found_round = find_round(session, spec.round)
        if found_round.state != CohortState.OPEN.value:
            problems.append(Problem(source, None, "round", spec.round, "is not open"))
        organisation = acting_organisation(session, who, spec.organisation, source, problems)
        if organisation is not None and spec.kind in set(OpportunityKind):
            reason = owner_problem(OpportunityKind(spec.kind), organisation.kind)
            if reason:
                problems.append(Problem(source, None, "organisation", spec.organisation, reason))
        if session.scalar(select(Opportunity.id).where(Opportunity.key == spec.key)):
            problems.append(Problem(source, None, "key", spec.key, "is taken"))
        version = session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.is_default))
        skill_ids = dict(
            session.execute(
                select(SkillRecord.key, SkillRecord.id).where(
                    SkillRecord.framework_version_id == version,
                    SkillRecord.key.in_([s.skill for s in spec.skills]),
                )
            ).all()
        )
        for index, required in enumerate(spec.skills):
            if required.skill not in skill_ids:
                rule = "names no skill of the framework"
                problems.append(Problem(source, None, f"skills[{index}]", required.skill, rule))
        if problems or organisation is None:
            raise InvalidInput(problems)
        opportunity = Opportunity(
            key=spec.key,
            round_id=found_round.id,
            organisation_id=organisation.id,
            kind=spec.kind,
            role=spec.role,
            title=spec.title.strip(),
            summary=spec.summary.strip(),
            place=spec.place.strip(),
            region=spec.region or organisation.region,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            capacity=spec.capacity,
            created_at=now(),
        )
        session.add(opportunity)
        session.flush()
        for required in spec.skills:
            session.add(
                OpportunitySkill(
                    opportunity_id=opportunity.id,
                    skill_id=skill_ids[required.skill],
                    level=int(SkillLevel.parse(required.level)),
                )
            )
        record_event(
            session,
            actor,
            "opportunity.posted",
            entity_type="opportunity",
            entity_key=opportunity.key,
            organisation_id=organisation.id,
            after={
                "round": found_round.key,
                "kind": spec.kind,
                "role": spec.role,
                "capacity": spec.capacity,
                "skills": {s.skill: s.level for s in spec.skills},
            },
        )
        return opportunity.key


def requirements_of(session: Session, opportunity_ids: Sequence[int]) -> dict[int, dict[int, int]]:
    """Each opportunity's {skill id: required level}."""
    found: dict[int, dict[int, int]] = {i: {} for i in opportunity_ids}
    for opportunity_id, skill_id, level in session.execute(
        select(
            OpportunitySkill.opportunity_id, OpportunitySkill.skill_id, OpportunitySkill.level
        ).where(OpportunitySkill.opportunity_id.in_(opportunity_ids))
    ).all():
        found[opportunity_id][skill_id] = int(level)
    return found


@dataclass(frozen=True)
class _Fits:
    score: list[float | None]
    met: list[int]
    short: list[int]
    order: list[int]


def _fits(session: Session, person_id: int | None, ids: list[int]) -> _Fits:
    """The reader's fit to each opportunity (in `ids` order) and the ranking by it, from the
    store's (opportunity, skill, level) rows in a few numpy passes (core/marketplace/fit.py)."""
    row_of = {opportunity_id: row for row, opportunity_id in enumerate(ids)}
    triples = (
        session.execute(
            select(
                OpportunitySkill.opportunity_id, OpportunitySkill.skill_id, OpportunitySkill.level
            ).where(OpportunitySkill.opportunity_id.in_(ids))
        ).all()
        if ids
        else []
    )
    rows = [row_of[t[0]] for t in triples]
    required = np.bincount(rows, minlength=len(ids)).astype(int) if ids else np.zeros(0, int)
    if person_id is None:
        count = len(ids)
        return _Fits([None] * count, [0] * count, [int(r) for r in required], list(range(count)))
    fits = fits_from_rows(
        len(ids),
        rows,
        [t[1] for t in triples],
        [t[2] for t in triples],
        profile_for(session, person_id).levels(),
    )
    return _Fits(
        [float(s) for s in fits.score],
        [int(r - s) for r, s in zip(required, fits.short, strict=True)],
        [int(s) for s in fits.short],
        [int(i) for i in ranking(fits)],
    )


def summaries_of(
    session: Session,
    actor: Actor,
    rows: Sequence[tuple[Opportunity, MarketplaceRound, Organisation]],
) -> list[OpportunitySummary]:
    """Summaries of `rows`, best fit to the reader first."""
    ids = [o.id for o, _, _ in rows]
    fits = _fits(session, actor.person_id, ids)
    saved: set[int] = set()
    applied: dict[int, str] = {}
    if actor.person_id is not None and ids:
        saved = set(
            session.scalars(
                select(SavedOpportunity.opportunity_id).where(
                    SavedOpportunity.person_id == actor.person_id,
                    SavedOpportunity.opportunity_id.in_(ids),
                )
            )
        )
        applied = {
            int(o): str(k)
            for o, k in session.execute(
                select(OpportunityApplication.opportunity_id, OpportunityApplication.key).where(
                    OpportunityApplication.person_id == actor.person_id,
                    OpportunityApplication.opportunity_id.in_(ids),
                )
            ).all()
        }
    return [
        OpportunitySummary(
            key=opportunity.key,
            title=opportunity.title,
            kind=OpportunityKind(opportunity.kind),
            organisation_key=organisation.key,
            organisation_name=organisation.name,
            round_key=found_round.key,
            round_state=CohortState(found_round.state),
            place=opportunity.place,
            region=opportunity.region,
            starts_on=opportunity.starts_on,
            ends_on=opportunity.ends_on,
            capacity=opportunity.capacity,
            fit=fits.score[row],
            met=fits.met[row],
            short=fits.short[row],
            saved=opportunity.id in saved,
            application=applied.get(opportunity.id),
            role=opportunity.role,
        )
        for row in fits.order
        for opportunity, found_round, organisation in [rows[row]]
    ]


def browse(
    engine: Engine,
    actor: Actor,
    *,
    kind: str | None = None,
    saved_only: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[OpportunitySummary], int]:
    """Opportunities of open rounds, ranked by fit to the reader's profile (best first), a page
    at a time, with the total; `saved_only` lists the reader's saved ones (of any round)."""
    query = (
        select(Opportunity, MarketplaceRound, Organisation)
        .join(MarketplaceRound, MarketplaceRound.id == Opportunity.round_id)
        .join(Organisation, Organisation.id == Opportunity.organisation_id)
        .order_by(Opportunity.starts_on, Opportunity.key)
    )
    if saved_only:
        query = query.join(
            SavedOpportunity,
            (SavedOpportunity.opportunity_id == Opportunity.id)
            & (SavedOpportunity.person_id == (actor.person_id or -1)),
        )
    else:
        query = query.where(MarketplaceRound.state == CohortState.OPEN.value)
    if kind:
        query = query.where(Opportunity.kind == kind)
    with reading(engine) as session:
        rows = [(o, r, g) for o, r, g in session.execute(query).all()]
        ranked = summaries_of(session, actor, rows)
        return ranked[offset : offset + limit], len(ranked)


def _kind_of(session: Session, organisation_id: int | None) -> str | None:
    if organisation_id is None:
        return None
    return session.scalar(select(Organisation.kind).where(Organisation.id == organisation_id))


def apply_problem_for(
    session: Session, actor: Actor, opportunity: Opportunity, found_round: MarketplaceRound
) -> str | None:
    """Why the actor may not apply to the opportunity now (None: they may)."""
    if actor.person_id is None:
        return "only a person may apply"
    closes = found_round.applications_close_on
    if found_round.state != CohortState.OPEN.value or (
        closes is not None and closes < now().date()
    ):
        return "the round is not taking applications"
    person = session.get(Person, actor.person_id)
    if person is None:
        return "the account's person no longer exists"
    return applicant_problem(
        OpportunityKind(opportunity.kind),
        opportunity.organisation_id,
        person.organisation_id,
        _kind_of(session, person.organisation_id),
    )


def explain_fit(session: Session, person_id: int, need: dict[int, int]) -> FitExplanation:
    axis = SkillAxis(tuple(sorted(need)))
    profile = profile_for(session, person_id)
    levels, validated = level_row(axis, profile.levels(), profile.validated_skills())
    return explain(axis, levels, validated, requirement_matrix(axis, [need])[0])


def get_opportunity(engine: Engine, actor: Actor, key: str) -> OpportunityView:
    with reading(engine) as session:
        opportunity, found_round = find_opportunity(session, key)
        organisation = session.get(Organisation, opportunity.organisation_id)
        assert organisation is not None
        (summary,) = summaries_of(session, actor, [(opportunity, found_round, organisation)])
        need = requirements_of(session, [opportunity.id])[opportunity.id]
        names = {
            i: (k, n)
            for i, k, n in session.execute(
                select(SkillRecord.id, SkillRecord.key, SkillRecord.name).where(
                    SkillRecord.id.in_(need)
                )
            ).all()
        }
        current: dict[int, int] = {}
        if actor.person_id is not None:
            why = explain_fit(session, actor.person_id, need)
            current = {g.skill_id: g.current for g in why.met + why.gaps}
        requirements = sorted(
            (
                SkillFit(
                    names[s][0],
                    names[s][1],
                    SkillLevel(level),
                    SkillLevel(current[s]) if current.get(s) else None,
                    current.get(s, 0) >= level,
                )
                for s, level in need.items()
            ),
            key=lambda f: (f.met, f.skill_name),
        )
        return OpportunityView(
            summary=summary,
            text=opportunity.summary,
            requirements=requirements,
            owns=owns_organisation(actor, opportunity.organisation_id),
            apply_problem=apply_problem_for(session, actor, opportunity, found_round),
        )


def save_opportunity(engine: Engine, actor: Actor, key: str, *, saved: bool = True) -> None:
    """Save an opportunity to come back to (or forget it); saving twice changes nothing."""
    if actor.person_id is None:
        raise NotPermitted("only a person may save opportunities")
    with transaction(engine) as session:
        opportunity, _ = find_opportunity(session, key)
        found = session.get(SavedOpportunity, (actor.person_id, opportunity.id))
        if saved and found is None:
            session.add(
                SavedOpportunity(
                    person_id=actor.person_id, opportunity_id=opportunity.id, saved_at=now()
                )
            )
        elif not saved and found is not None:
            session.delete(found)
