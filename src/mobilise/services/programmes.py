"""Programmes and their cohorts: set up a programme, open a cohort, move a cohort
through its states (close, start, finish), and name its selection panel (reading them:
programme_views.py).

Who runs what: a programme belongs to an organisation; that organisation's programme admins (and
operators) own the programme and its cohorts. Everyone signed in sees programmes and cohorts.
Selection is in services/cohort_selection.py, applications in services/applications.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.allocation.quotas import parse_constraints
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import (
    CohortAction,
    CohortState,
    EligibilityRule,
    Rubric,
    next_cohort_state,
    rubric_document,
    rubric_from_document,
    rule_document,
    rule_from_document,
)
from mobilise.services.actors import Actor, Role, command_line_actor
from mobilise.services.application_transitions import end_waiting_list
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.interest import announce_opening
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Cohort,
    CohortItem,
    LearningItem,
    Organisation,
    PanelMember,
    Person,
    Programme,
)

PROGRAMME_KINDS = ("accelerator", "apprenticeship", "academy", "leadership")
# The rubric a programme set up in the pages starts with (the API and CLI may give their own).
DEFAULT_RUBRIC: tuple[Mapping[str, Any], ...] = (
    {"key": "motivation", "name": "Motivation and goals", "max_points": 5, "weight": 1},
    {"key": "experience", "name": "Relevant experience", "max_points": 5, "weight": 2},
    {"key": "impact", "name": "Benefit to their organisation", "max_points": 5, "weight": 1},
)
# Applications that hold or held a place: progress towards a programme's target counts them.
PLACED_STATES = ("accepted", "completed")


class ProgrammeNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("programme", key)


class CohortNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("cohort", key)


@dataclass(frozen=True)
class ProgrammeSpec:
    key: str
    name: str
    kind: str
    organisation: str  # key of the organisation that runs it
    summary: str = ""
    rubric: Sequence[Mapping[str, Any]] = ()
    quotas: Sequence[Mapping[str, Any]] = ()
    waiting_list_size: int | None = None
    min_attendance: float = 0.8
    target_people: int | None = None
    target_year: int | None = None


@dataclass(frozen=True)
class CurriculumEntry:
    item: str  # learning item key
    mandatory: bool = False


@dataclass(frozen=True)
class CohortSpec:
    key: str
    name: str
    starts_on: date
    ends_on: date
    capacity: int
    applications_close_on: date | None = None
    eligibility: Mapping[str, Any] = field(default_factory=dict)
    curriculum: Sequence[CurriculumEntry] = ()
    stages: Sequence[Mapping[str, Any]] = ()


def _now() -> datetime:
    return datetime.now(UTC)


def owns(actor: Actor, programme: Programme) -> bool:
    """Operators and the programme admins of the organisation that runs it."""
    return actor.is_operator or programme.organisation_id in actor.organisations_where(
        Role.PROGRAMME_ADMIN
    )


def require_owner(actor: Actor, programme: Programme) -> None:
    if not owns(actor, programme):
        raise NotPermitted(
            f"only programme admins of the organisation that runs {programme.key} may do this"
        )


def organisations_run_by(engine: Engine, actor: Actor) -> list[tuple[str, str]]:
    """(key, name) of the organisations whose programmes and opportunities the actor may set
    up: where they are a programme admin, or every one for an operator."""
    condition = (
        Organisation.id.is_not(None)
        if actor.is_operator
        else Organisation.id.in_(actor.organisations_where(Role.PROGRAMME_ADMIN))
    )
    with reading(engine) as session:
        rows = session.execute(
            select(Organisation.key, Organisation.name).where(condition).order_by(Organisation.name)
        ).all()
        return [(str(key), str(name)) for key, name in rows]


def on_panel(session: Session, actor: Actor, cohort: Cohort) -> bool:
    return actor.person_id is not None and (
        session.get(PanelMember, (cohort.id, actor.person_id)) is not None
    )


def find_programme(session: Session, key: str) -> Programme:
    programme = session.scalar(select(Programme).where(Programme.key == key))
    if programme is None:
        raise ProgrammeNotFound(key)
    return programme


def find_cohort(session: Session, key: str) -> tuple[Cohort, Programme]:
    row = session.execute(
        select(Cohort, Programme)
        .join(Programme, Programme.id == Cohort.programme_id)
        .where(Cohort.key == key)
    ).first()
    if row is None:
        raise CohortNotFound(key)
    return row[0], row[1]


def rubric_of(programme: Programme) -> Rubric:
    return rubric_from_document(json.loads(programme.rubric), source=f"programme {programme.key}")


def eligibility_of(cohort: Cohort) -> EligibilityRule:
    return rule_from_document(json.loads(cohort.eligibility), source=f"cohort {cohort.key}")


def _key_problems(source: str, key: str) -> list[Problem]:
    if not key or len(key) > 100 or not all(c.isalnum() or c in "-_" for c in key):
        return [Problem(source, None, "key", key, "must be 1-100 letters, digits, - or _")]
    return []


def programme_problems(spec: ProgrammeSpec) -> list[Problem]:
    """What is wrong with the spec's own fields (the store's checks, e.g. a taken key, aside)."""
    source = f"programme {spec.key}"
    problems = _key_problems(source, spec.key)
    if not spec.name.strip():
        problems.append(Problem(source, None, "name", spec.name, "must not be empty"))
    if spec.kind not in PROGRAMME_KINDS:
        problems.append(
            Problem(source, None, "kind", spec.kind, "must be one of " + ", ".join(PROGRAMME_KINDS))
        )
    if not 0 <= spec.min_attendance <= 1:
        problems.append(
            Problem(source, None, "min_attendance", str(spec.min_attendance), "must be 0 to 1")
        )
    if spec.waiting_list_size is not None and spec.waiting_list_size < 0:
        problems.append(
            Problem(source, None, "waiting_list_size", str(spec.waiting_list_size), "must be 0+")
        )
    try:
        rubric_from_document(list(spec.rubric), source=source)
    except InvalidInput as error:
        problems.extend(error.problems)
    # Quotas apply to every cohort of the programme, so they may name no opportunity.
    quota_problems: list[Problem] = []
    parse_constraints({"quotas": list(spec.quotas)}, {}, quota_problems)
    problems.extend(replace(p, source=source) for p in quota_problems)
    return problems


def create_programme(engine: Engine, actor: Actor | None, spec: ProgrammeSpec) -> str:
    """Store a programme; InvalidInput names every bad field and nothing is stored."""
    who = actor or command_line_actor()
    source = f"programme {spec.key}"
    problems = programme_problems(spec)
    with transaction(engine) as session:
        organisation = session.scalar(
            select(Organisation).where(Organisation.key == spec.organisation)
        )
        if organisation is None:
            problems.append(
                Problem(source, None, "organisation", spec.organisation, "names no organisation")
            )
        elif not (
            who.is_operator or organisation.id in who.organisations_where(Role.PROGRAMME_ADMIN)
        ):
            raise NotPermitted("programme admins set up programmes of their own organisation only")
        if session.scalar(select(Programme.id).where(Programme.key == spec.key)) is not None:
            problems.append(Problem(source, None, "key", spec.key, "is taken"))
        if problems or organisation is None:
            raise InvalidInput(problems)
        rubric = rubric_from_document(list(spec.rubric), source=source)
        programme = Programme(
            key=spec.key,
            name=spec.name.strip(),
            kind=spec.kind,
            summary=spec.summary,
            organisation_id=organisation.id,
            rubric=json.dumps(rubric_document(rubric)),
            quotas=json.dumps(list(spec.quotas)),
            waiting_list_size=spec.waiting_list_size,
            min_attendance=spec.min_attendance,
            target_people=spec.target_people,
            target_year=spec.target_year,
            created_at=_now(),
        )
        session.add(programme)
        session.flush()
        record_event(
            session,
            actor,
            "programme.created",
            entity_type="programme",
            entity_key=programme.key,
            organisation_id=organisation.id,
            after={"name": programme.name, "kind": programme.kind},
        )
        return programme.key


def _stages(source: str, stages: Sequence[Mapping[str, Any]], problems: list[Problem]) -> list[Any]:
    checked = []
    for index, stage in enumerate(stages):
        name, weeks = stage.get("name"), stage.get("weeks")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(source, None, f"stages[{index}].name", str(name), "is needed"))
        elif weeks is not None and (
            isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1
        ):
            problems.append(
                Problem(source, None, f"stages[{index}].weeks", str(weeks), "must be 1 or more")
            )
        else:
            checked.append({"name": name.strip(), "weeks": weeks})
    return checked


def cohort_problems(spec: CohortSpec) -> list[Problem]:
    """What is wrong with the spec's own fields (the store's checks aside)."""
    source = f"cohort {spec.key}"
    problems = _key_problems(source, spec.key)
    if not spec.name.strip():
        problems.append(Problem(source, None, "name", spec.name, "must not be empty"))
    if spec.capacity < 0:
        problems.append(Problem(source, None, "capacity", str(spec.capacity), "must be 0 or more"))
    if spec.ends_on < spec.starts_on:
        problems.append(
            Problem(
                source, None, "ends_on", spec.ends_on.isoformat(), "must not be before starts_on"
            )
        )
    if spec.applications_close_on is not None and spec.applications_close_on > spec.starts_on:
        problems.append(
            Problem(
                source,
                None,
                "applications_close_on",
                spec.applications_close_on.isoformat(),
                "must not be after starts_on",
            )
        )
    try:
        rule_from_document(dict(spec.eligibility), source=source)
    except InvalidInput as error:
        problems.extend(error.problems)
    _stages(source, spec.stages, problems)
    return problems


def open_cohort(engine: Engine, actor: Actor | None, programme_key: str, spec: CohortSpec) -> str:
    """Open a cohort of a programme to applications, with its curriculum and stages."""
    who = actor or command_line_actor()
    source = f"cohort {spec.key}"
    problems = cohort_problems(spec)
    stages = _stages(source, spec.stages, [])
    with transaction(engine) as session:
        programme = find_programme(session, programme_key)
        require_owner(who, programme)
        if session.scalar(select(Cohort.id).where(Cohort.key == spec.key)) is not None:
            problems.append(Problem(source, None, "key", spec.key, "is taken"))
        items: list[tuple[int, bool]] = []
        for index, entry in enumerate(spec.curriculum):
            item_id = session.scalar(select(LearningItem.id).where(LearningItem.key == entry.item))
            if item_id is None:
                problems.append(
                    Problem(
                        source, None, f"curriculum[{index}]", entry.item, "names no learning item"
                    )
                )
            elif item_id in {i for i, _ in items}:
                problems.append(
                    Problem(source, None, f"curriculum[{index}]", entry.item, "is repeated")
                )
            else:
                items.append((item_id, entry.mandatory))
        if problems:
            raise InvalidInput(problems)
        rule = rule_from_document(dict(spec.eligibility), source=source)
        cohort = Cohort(
            key=spec.key,
            programme_id=programme.id,
            name=spec.name.strip(),
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            applications_close_on=spec.applications_close_on,
            capacity=spec.capacity,
            eligibility=json.dumps(rule_document(rule)),
            stages=json.dumps(stages),
            state=CohortState.OPEN.value,
            created_at=_now(),
        )
        session.add(cohort)
        session.flush()
        for position, (item_id, mandatory) in enumerate(items):
            session.add(
                CohortItem(
                    cohort_id=cohort.id, item_id=item_id, mandatory=mandatory, position=position
                )
            )
        record_event(
            session,
            actor,
            "cohort.opened",
            entity_type="cohort",
            entity_key=cohort.key,
            organisation_id=programme.organisation_id,
            after={
                "programme": programme.key,
                "capacity": cohort.capacity,
                "starts_on": cohort.starts_on,
                "ends_on": cohort.ends_on,
                "eligibility": rule_document(rule),
                "curriculum": [e.item for e in spec.curriculum],
            },
        )
        announce_opening(session, cohort, programme)
        return cohort.key


def change_cohort(
    engine: Engine, actor: Actor | None, cohort_key: str, action: CohortAction
) -> CohortState:
    """Close, start or finish a cohort (selection is `cohort_selection.run_selection`).

    Starting a cohort ends its waiting list: those still waiting are told they were not selected.
    """
    who = actor or command_line_actor()
    if action is CohortAction.SELECT:
        raise InvalidInput(
            [
                Problem(
                    f"cohort {cohort_key}",
                    None,
                    "action",
                    action.value,
                    "is done by running the selection",
                )
            ]
        )
    with transaction(engine) as session:
        cohort, programme = find_cohort(session, cohort_key)
        require_owner(who, programme)
        before = CohortState(cohort.state)
        after = next_cohort_state(before, action, subject=f"cohort {cohort.key}")
        cohort.state = after.value
        if action is CohortAction.START:
            end_waiting_list(session, actor, cohort, programme)
        record_event(
            session,
            actor,
            f"cohort.{action.value}",
            entity_type="cohort",
            entity_key=cohort.key,
            organisation_id=programme.organisation_id,
            before={"state": before.value},
            after={"state": after.value},
        )
        return after


def add_panel_member(engine: Engine, actor: Actor | None, cohort_key: str, person_key: str) -> None:
    """Put a person (of any organisation) on a cohort's selection panel."""
    who = actor or command_line_actor()
    with transaction(engine) as session:
        cohort, programme = find_cohort(session, cohort_key)
        require_owner(who, programme)
        person = session.scalar(select(Person).where(Person.key == person_key))
        if person is None:
            raise InvalidInput(
                [Problem(f"cohort {cohort_key}", None, "person", person_key, "names no person")]
            )
        if session.get(PanelMember, (cohort.id, person.id)) is not None:
            return
        session.add(PanelMember(cohort_id=cohort.id, person_id=person.id))
        record_event(
            session,
            actor,
            "cohort.panel_member_added",
            entity_type="cohort",
            entity_key=cohort.key,
            organisation_id=programme.organisation_id,
            after={"person": person.key},
        )
