"""People who could work on an AI project: only those who opted in, ranked by how they fit.

DESIGN.md, "Who sees a profile": search of people shows only people who opted in. A person opts
in (and out) on their own profile; the choice is audited. The owners of a register project (the
people and organisation admins of its organisation) and programme admins see the opted-in people
of every organisation ranked by fit to the skills the project needs (core/marketplace/fit.py, the
same measure as applicants to an opportunity), with each needed skill met or short. Nothing else
of a person is shown: name, organisation, role, grade and email, which the opt-in names; their
sensitive attributes are never read. Withdrawing the opt-in deletes its row, so the next search
does not find them, and their fit page answers 404 as for a key no one has.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from mobilise.core.framework import SkillLevel
from mobilise.core.marketplace.fit import explain, fits_of_applicants, ranking
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.profiles.gaps import SkillAxis, level_row, requirement_matrix
from mobilise.core.profiles.precedence import derive_profile
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.people import PersonNotFound
from mobilise.services.profiles import claim_facts, today
from mobilise.services.register_editing import may_change
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    AIProject,
    AIProjectSkill,
    Organisation,
    Person,
    ProjectSearchOptIn,
    RoleLevelRecord,
    RoleRecord,
    SkillClaim,
    SkillRecord,
)

MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class OptInView:
    person_key: str
    opted_in: bool
    since: datetime | None


@dataclass(frozen=True, slots=True)
class NeededSkill:
    skill_key: str
    skill_name: str
    level: SkillLevel


@dataclass(frozen=True, slots=True)
class SkillFit:
    skill_key: str
    skill_name: str
    needed: SkillLevel
    current: SkillLevel | None

    @property
    def met(self) -> bool:
        return self.current is not None and self.current >= self.needed


@dataclass(frozen=True, slots=True)
class PersonShown:
    """What a person agreed to show by opting in (and nothing else of them)."""

    key: str
    display_name: str
    organisation_name: str | None
    role: str | None
    grade: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class PersonFit:
    person: PersonShown
    score: float  # 0 to 1: 1 - levels short / levels needed
    skills: tuple[SkillFit, ...]  # the project's needed skills, those short first

    @property
    def short(self) -> int:
        return sum(1 for s in self.skills if not s.met)


@dataclass(frozen=True, slots=True)
class ProjectPerson:
    project_key: str
    project_title: str
    fit: PersonFit


@dataclass(frozen=True, slots=True)
class ProjectPeople:
    project_key: str
    project_title: str
    organisation_name: str | None
    needs: tuple[NeededSkill, ...]
    people: tuple[PersonFit, ...]
    total: int  # opted-in people with at least one needed skill
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def _own_person(session: Session, actor: Actor) -> Person:
    person = None if actor.person_id is None else session.get(Person, actor.person_id)
    if person is None:
        raise NotPermitted("only a person may choose whether AI projects can find them")
    return person


def project_search_opt_in(engine: Engine, actor: Actor) -> OptInView:
    """Whether the actor has agreed to be found for AI projects, and since when."""
    with reading(engine) as session:
        person = _own_person(session, actor)
        found = session.get(ProjectSearchOptIn, person.id)
        return OptInView(
            person.key, found is not None, None if found is None else found.opted_in_at
        )


def set_project_search_opt_in(engine: Engine, actor: Actor, opted_in: bool) -> OptInView:
    """Give or withdraw the actor's agreement to be found for AI projects; a change is audited,
    choosing what is already chosen changes nothing."""
    with transaction(engine) as session:
        person = _own_person(session, actor)
        found = session.get(ProjectSearchOptIn, person.id)
        if opted_in and found is None:
            found = ProjectSearchOptIn(person_id=person.id, opted_in_at=datetime.now(UTC))
            session.add(found)
        elif not opted_in and found is not None:
            session.delete(found)
        else:
            return OptInView(person.key, opted_in, None if found is None else found.opted_in_at)
        record_event(
            session,
            actor,
            "project_search.opt_in" if opted_in else "project_search.opt_out",
            entity_type="person",
            entity_key=person.key,
            organisation_id=person.organisation_id,
            before={"opted_in": not opted_in},
            after={"opted_in": opted_in},
        )
        return OptInView(person.key, opted_in, found.opted_in_at if opted_in else None)


def _owns(actor: Actor, project: AIProject) -> bool:
    """The project's team as the register's editor has it (members of its organisation, and
    operators), and the admins of its organisation."""
    return may_change(actor, project.organisation_id) or (
        project.organisation_id in actor.organisations_where(Role.ORGANISATION_ADMIN)
    )


def may_search_people(actor: Actor, project: AIProject) -> bool:
    """The project's owners, and programme admins (who match people to projects)."""
    return actor.has(Role.PROGRAMME_ADMIN) or _owns(actor, project)


def _project(session: Session, actor: Actor, key: str) -> AIProject:
    project = session.scalar(select(AIProject).where(AIProject.key == key))
    # A draft is its organisation's only: to anyone else it does not exist.
    if project is None or (project.status != "published" and not _owns(actor, project)):
        raise UnknownKey("AI project", key)
    if not may_search_people(actor, project):
        raise NotPermitted(
            "only the project's owners and programme admins may look for people to work on it"
        )
    return project


def _needs(session: Session, project_id: int) -> tuple[dict[int, int], dict[int, tuple[str, str]]]:
    rows = session.execute(
        select(AIProjectSkill.skill_id, AIProjectSkill.level, SkillRecord.key, SkillRecord.name)
        .join(SkillRecord, SkillRecord.id == AIProjectSkill.skill_id)
        .where(AIProjectSkill.project_id == project_id)
    ).all()
    return {r[0]: r[1] for r in rows}, {r[0]: (r[2], r[3]) for r in rows}


def _opted_in(
    session: Session, need: dict[int, int] | None, person_key: str | None = None
) -> list[tuple[int, PersonShown]]:
    """The opted-in people still in post (by key) who claim at least one of the needed skills
    (any skill if `need` is None), with what a search may show of them. Whether a claim counts
    (expired, suggested) is the profile's to say; the claim is only a cheap first cut, so that
    profiles are derived for the people who might fit rather than everyone who opted in
    (bench/people_search.py)."""
    query = (
        select(
            Person.id,
            Person.key,
            Person.display_name,
            Organisation.name,
            RoleRecord.name,
            Person.grade,
            Person.email,
        )
        .join(ProjectSearchOptIn, ProjectSearchOptIn.person_id == Person.id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(RoleLevelRecord, RoleLevelRecord.id == Person.role_level_id)
        .outerjoin(RoleRecord, RoleRecord.id == RoleLevelRecord.role_id)
        .where(or_(Person.left_on.is_(None), Person.left_on > today()))
        .order_by(Person.key)
    )
    if need is not None:
        claimers = select(SkillClaim.person_id).where(SkillClaim.skill_id.in_(list(need)))
        query = query.where(Person.id.in_(claimers))
    if person_key is not None:
        query = query.where(Person.key == person_key)
    return [(row[0], PersonShown(*row[1:])) for row in session.execute(query).all()]


def _fits(
    session: Session,
    need: dict[int, int],
    names: dict[int, tuple[str, str]],
    people: list[tuple[int, PersonShown]],
    shown: slice = slice(None),
) -> tuple[list[PersonFit], int]:
    """The `shown` slice of the people's fits, best first (then fewer skills short, then by key),
    leaving out those with none of the needed skills; and how many have one. Only the shown
    people's fits are explained skill by skill."""
    axis = SkillAxis(tuple(sorted(need)))
    requirement = requirement_matrix(axis, [need])[0]
    ids = [person_id for person_id, _ in people]
    facts = claim_facts(session, ids)
    on = today()
    levels = np.zeros((len(people), len(axis)), dtype=np.int8)
    validated = np.zeros((len(people), len(axis)), dtype=np.bool_)
    for row, person_id in enumerate(ids):
        profile = derive_profile(facts[person_id], on)
        levels[row], validated[row] = level_row(axis, profile.levels(), profile.validated_skills())
    fits = fits_of_applicants(levels, requirement)
    ranked = [row for row in ranking(fits) if levels[row].any()]
    found = []
    for row in ranked[shown]:
        why = explain(axis, levels[row], validated[row], requirement)
        skills = sorted(
            (
                SkillFit(
                    names[g.skill_id][0],
                    names[g.skill_id][1],
                    SkillLevel(g.required),
                    SkillLevel(g.current) if g.current else None,
                )
                for g in why.met + why.gaps
            ),
            key=lambda s: (s.met, s.skill_name),
        )
        found.append(PersonFit(people[row][1], round(float(fits.score[row]), 4), tuple(skills)))
    return found, len(ranked)


def people_for_project(
    engine: Engine, actor: Actor, project_key: str, *, page: int = 1, page_size: int = 20
) -> ProjectPeople:
    """The opted-in people who have at least one skill the project needs, best fit first,
    `page_size` at a time; none if the project names no skills."""
    if page < 1:
        raise InvalidInput([Problem("people search", None, "page", str(page), "must be 1 or more")])
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(
            [
                Problem(
                    "people search",
                    None,
                    "page_size",
                    str(page_size),
                    f"must be from 1 to {MAX_PAGE_SIZE}",
                )
            ]
        )
    with reading(engine) as session:
        project = _project(session, actor, project_key)
        need, names = _needs(session, project.id)
        start = (page - 1) * page_size
        fits, total = (
            _fits(session, need, names, _opted_in(session, need), slice(start, start + page_size))
            if need
            else ([], 0)
        )
        organisation = (
            None
            if project.organisation_id is None
            else session.get(Organisation, project.organisation_id)
        )
        key, title = project.key, project.title
        organisation_name = None if organisation is None else organisation.name
    return ProjectPeople(
        project_key=key,
        project_title=title,
        organisation_name=organisation_name,
        needs=tuple(
            NeededSkill(names[s][0], names[s][1], SkillLevel(level))
            for s, level in sorted(need.items(), key=lambda item: names[item[0]][1])
        ),
        people=tuple(fits),
        total=total,
        page=page,
        page_size=page_size,
    )


def person_for_project(
    engine: Engine, actor: Actor, project_key: str, person_key: str
) -> ProjectPerson:
    """One opted-in person's fit to the project, skill by skill; PersonNotFound for anyone who
    has not opted in (or has none of the needed skills), as for a key no one has."""
    with reading(engine) as session:
        project = _project(session, actor, project_key)
        need, names = _needs(session, project.id)
        people = _opted_in(session, need, person_key)
        found = _fits(session, need, names, people)[0] if need and people else []
        key, title = project.key, project.title
    if not found:
        raise PersonNotFound(person_key)
    return ProjectPerson(key, title, found[0])
