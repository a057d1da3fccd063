"""A mentoring round: the open requests matched to mentors with room by the allocation engine, the
run stored with the mentorings it made, in one transaction.

Fit (core/communities/mentoring.py) comes from the skill profiles: the share of the skills a
mentee asked for that a mentor offers and holds above the mentee's level. Each mentee lists the
mentors who fit at all, best fit first; each mentor ranks the mentees who list them the same way.
`stable` (the default) gives the mentee-optimal stable matching: no mentee and mentor would both
rather be matched to each other; `welfare` places as many as possible with the most total fit.
A mentor's capacity is what they offered less the mentorings they already have. A mentor in
another organisation (or anyone, for a mentee with no organisation) is considered only if the
mentee consented to share their request beyond their organisation. The engine sees opaque ids
only; names stay in the store.

An organisation's programme admins run a round for the mentees of their organisation; the
service's admins run cross-government rounds for every open request.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.core.communities import covered_skills, explain_match, mentoring_fits
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.profiles.precedence import derive_profile
from mobilise.services.actors import Actor
from mobilise.services.allocation_in_transaction import allocate_in
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.communities import default_skill_ids
from mobilise.services.opportunities import acting_organisation, key_problems
from mobilise.services.outbox import notify
from mobilise.services.profiles import claim_facts, today
from mobilise.store.database import transaction
from mobilise.store.models import (
    MenteeRequest,
    Mentoring,
    MentoringRound,
    MentorOffer,
    Person,
    SkillRecord,
)

METHODS = ("stable", "welfare")


@dataclass(frozen=True)
class RoundOutcome:
    key: str
    run_key: str
    method: str
    matched: int
    unmatched: int


@dataclass(frozen=True)
class _Side:
    person: Person
    skills: list[str]
    room: int  # mentors: mentees they can still take
    consented: bool  # mentees: may be matched beyond their organisation


def _opaque(round_key: str, person: Person) -> str:
    return "p-" + hashlib.sha256(f"{round_key}/{person.key}".encode()).hexdigest()[:12]


def _active_counts(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(Mentoring.mentor_id, func.count())
        .where(Mentoring.state == "active")
        .group_by(Mentoring.mentor_id)
    ).all()
    return {int(k): int(v) for k, v in rows}


def _mentees(session: Session, organisation_id: int | None) -> list[_Side]:
    busy = set(session.scalars(select(Mentoring.mentee_id).where(Mentoring.state == "active")))
    query = (
        select(MenteeRequest, Person)
        .join(Person, Person.id == MenteeRequest.person_id)
        .where(MenteeRequest.open.is_(True))
        .order_by(Person.key)
    )
    if organisation_id is not None:
        query = query.where(Person.organisation_id == organisation_id)
    return [
        _Side(person, json.loads(request.skills), 0, request.share_across_organisations)
        for request, person in session.execute(query).all()
        if person.id not in busy
    ]


def _mentors(session: Session) -> list[_Side]:
    taken = _active_counts(session)
    rows = session.execute(
        select(MentorOffer, Person)
        .join(Person, Person.id == MentorOffer.person_id)
        .where(MentorOffer.capacity > 0)
        .order_by(Person.key)
    ).all()
    sides = [
        _Side(person, json.loads(offer.skills), offer.capacity - taken.get(person.id, 0), False)
        for offer, person in rows
    ]
    return [s for s in sides if s.room > 0]


def _may_pair(mentee: _Side, mentor: _Side) -> bool:
    if mentee.person.id == mentor.person.id:
        return False
    same = (
        mentee.person.organisation_id is not None
        and mentee.person.organisation_id == mentor.person.organisation_id
    )
    return same or mentee.consented


@dataclass(frozen=True)
class _Matrices:
    skills: list[str]  # names, axis order
    wanted: np.ndarray
    mentee_levels: np.ndarray
    offered: np.ndarray
    mentor_levels: np.ndarray
    fits: np.ndarray


def _matrices(session: Session, mentees: list[_Side], mentors: list[_Side]) -> _Matrices:
    keys = sorted({k for side in mentees + mentors for k in side.skills})
    ids = default_skill_ids(session, keys)
    keys = [k for k in keys if k in ids]
    column = {k: i for i, k in enumerate(keys)}
    names = dict(
        session.execute(
            select(SkillRecord.id, SkillRecord.name).where(SkillRecord.id.in_(ids.values()))
        ).all()
    )
    people = [s.person.id for s in mentees + mentors]
    facts = claim_facts(session, sorted(set(people)))
    on = today()

    def rows(sides: list[_Side]) -> tuple[np.ndarray, np.ndarray]:
        chosen = np.zeros((len(sides), len(keys)), dtype=np.bool_)
        levels = np.zeros((len(sides), len(keys)), dtype=np.int8)
        for row, side in enumerate(sides):
            held = derive_profile(facts[side.person.id], on).levels()
            for key in side.skills:
                if key in column:
                    chosen[row, column[key]] = True
            for key, col in column.items():
                levels[row, col] = held.get(ids[key], 0)
        return chosen, levels

    wanted, mentee_levels = rows(mentees)
    offered, mentor_levels = rows(mentors)
    fits = mentoring_fits(wanted, mentee_levels, offered, mentor_levels)
    return _Matrices(
        [names[ids[k]] for k in keys], wanted, mentee_levels, offered, mentor_levels, fits
    )


def _problem(
    key: str, mentees: list[_Side], mentors: list[_Side], fits: np.ndarray
) -> tuple[dict[str, object], dict[str, list[int]]]:
    """The engine's document, and each mentee id's acceptable mentors (indices) best first."""
    choices: dict[str, list[int]] = {}
    ranked_by: dict[int, list[int]] = {}
    for i, mentee in enumerate(mentees):
        acceptable = [
            j for j, mentor in enumerate(mentors) if fits[i, j] > 0 and _may_pair(mentee, mentor)
        ]
        acceptable.sort(key=lambda j: (-fits[i, j], mentors[j].person.key))
        if acceptable:
            choices[_opaque(key, mentee.person)] = acceptable
            for j in acceptable:
                ranked_by.setdefault(j, []).append(i)
    index = {_opaque(key, m.person): i for i, m in enumerate(mentees)}
    opportunities = []
    for j, takers in sorted(ranked_by.items()):
        takers.sort(key=lambda i: (-fits[i, j], mentees[i].person.key))
        ids = [_opaque(key, mentees[i].person) for i in takers]
        opportunities.append(
            {
                "id": _opaque(key, mentors[j].person),
                "capacity": mentors[j].room,
                "ranking": ids,
                "scores": {a: round(float(fits[index[a], j]), 4) for a in ids},
            }
        )
    applicants = [
        {"id": a, "preferences": [_opaque(key, mentors[j].person) for j in js]}
        for a, js in sorted(choices.items())
    ]
    return {"applicants": applicants, "opportunities": opportunities}, choices


def _check(
    session: Session, actor: Actor, key: str, organisation: str | None, method: str
) -> int | None:
    source = f"mentoring round {key}"
    problems = key_problems(source, key)
    if method not in METHODS:
        problems.append(Problem(source, None, "method", method, "must be stable or welfare"))
    organisation_id = None
    if organisation is None:
        if not actor.is_operator:
            raise NotPermitted("only the service's admins run cross-government mentoring rounds")
    else:
        found = acting_organisation(session, actor, organisation, source, problems)
        organisation_id = found.id if found else None
    if session.scalar(select(MentoringRound.id).where(MentoringRound.key == key)):
        problems.append(Problem(source, None, "key", key, "is taken"))
    if problems:
        raise InvalidInput(problems)
    return organisation_id


def run_mentoring_round(
    engine: Engine,
    actor: Actor,
    key: str,
    *,
    organisation: str | None = None,
    method: str = "stable",
    seed: int = 0,
) -> RoundOutcome:
    with transaction(engine) as session:
        organisation_id = _check(session, actor, key, organisation, method)
        mentees = _mentees(session, organisation_id)
        mentors = _mentors(session)
        matrices = _matrices(session, mentees, mentors)
        document, choices = _problem(key, mentees, mentors, matrices.fits)
        if not choices:
            rule = "no open request has a mentor with room who fits it"
            raise InvalidInput([Problem(f"mentoring round {key}", None, "requests", None, rule)])
        # Stable ranks by the mentees' order; welfare maximises the total fit (the scores).
        objective = "rank" if method == "stable" else "fit"
        run_key, result = allocate_in(
            session,
            actor,
            document,
            method,
            key_prefix="mnt-",
            organisation_id=organisation_id,
            seed=seed,
            objective=objective,
        )
        started = datetime.now(UTC)
        found = MentoringRound(
            key=key,
            organisation_id=organisation_id,
            state="matched",
            method=method,
            allocation_run_key=run_key,
            created_at=started,
        )
        session.add(found)
        session.flush()
        mentee_of = {_opaque(key, m.person): i for i, m in enumerate(mentees)}
        mentor_of = {_opaque(key, m.person): j for j, m in enumerate(mentors)}
        for match in result["matches"]:
            i, j = mentee_of[match["applicant"]], mentor_of[match["opportunity"]]
            _make(session, found, mentees[i], mentors[j], matrices, i, j, choices, started)
        matched = {m["applicant"] for m in result["matches"]}
        for applicant in sorted(set(mentee_of) - matched):
            notify(
                session,
                mentees[mentee_of[applicant]].person,
                "mentoring.unmatched",
                "No mentor this round",
                "No mentor with room fitted your request this round; it stays open for the next.",
                "/mentoring",
            )
        record_event(
            session,
            actor,
            "mentoring_round.matched",
            entity_type="mentoring_round",
            entity_key=key,
            organisation_id=organisation_id,
            after={"run": run_key, "method": method, "matched": len(matched)},
        )
        return RoundOutcome(key, run_key, method, len(matched), len(mentee_of) - len(matched))


def _make(
    session: Session,
    found: MentoringRound,
    mentee: _Side,
    mentor: _Side,
    m: _Matrices,
    i: int,
    j: int,
    choices: dict[str, list[int]],
    started: datetime,
) -> None:
    fit = float(m.fits[i, j])
    mine = choices[_opaque(found.key, mentee.person)]
    covered = covered_skills(
        m.skills, m.wanted[i], m.mentee_levels[i], m.offered[j], m.mentor_levels[j]
    )
    explanation = explain_match(
        mentor.person.display_name, fit, covered, mine.index(j) + 1, len(mine)
    )
    mentoring = Mentoring(
        key="mtr-" + uuid.uuid4().hex[:16],
        round_id=found.id,
        mentor_id=mentor.person.id,
        mentee_id=mentee.person.id,
        state="active",
        fit=round(fit, 4),
        explanation=explanation,
        started_at=started,
        end_reason="",
    )
    session.add(mentoring)
    request = session.get(MenteeRequest, mentee.person.id)
    if request is not None:
        request.open = False
    notify(
        session,
        mentee.person,
        "mentoring.matched",
        f"Your mentor is {mentor.person.display_name}",
        explanation,
        "/mentoring",
    )
    notify(
        session,
        mentor.person,
        "mentoring.matched",
        f"You are mentoring {mentee.person.display_name}",
        f"{mentee.person.display_name} asked for a mentor and you fit best of those with room "
        f"({fit:.0%}). Their goals are on your mentoring page.",
        "/mentoring",
    )
