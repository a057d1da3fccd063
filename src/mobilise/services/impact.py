"""Programme impact: what changed for each cohort's participants, against people like them.

For every cohort whose participants can be followed for a year after it ended: their skill
levels on the programme's target skills (the skills its curriculum teaches) at entry and 3, 6
and 12 months after the end; moves up a role level, staying in their organisation, and staying
in the public sector 12 months after; the register projects offered to the cohort; and the
effect on skills against matched non-participants (core/impact: exact on organisation, role
level and grade at entry, nearest starting skills within a caliper; difference in differences with a
bootstrap interval). Method, assumptions and limits: docs/impact.md.

Disclosure control (docs/disclosure.md) applies to every figure: counts through
core/impact/outcomes.py (the analytics core's suppression, shared totals hidden together); a
mean level or an effect only when the people it averages are at least the threshold — matched
pairs and the distinct people matched to them both — and its count of people is shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.impact import Effect, Unit, estimate_effect, match_controls
from mobilise.core.impact.calendar import months_after
from mobilise.core.impact.outcomes import protect_outcomes
from mobilise.core.programmes import ApplicationState
from mobilise.core.records.vocabulary import GRADES
from mobilise.services.actors import Actor
from mobilise.services.programme_views import get_programme
from mobilise.settings import get_settings
from mobilise.store.database import reading
from mobilise.store.models import (
    Application,
    Cohort,
    CohortItem,
    CohortProject,
    LearningItemSkill,
    Person,
    Position,
    Programme,
    RoleLevelRecord,
    SkillClaim,
)

FOLLOW_UPS = (3, 6, 12)  # months after the cohort ended
CALIPER = 0.5  # levels of starting skill score a match may differ by
PARTICIPANT_STATES = (
    ApplicationState.ACCEPTED.value,
    ApplicationState.COMPLETED.value,
    ApplicationState.LEFT.value,
)
OUTCOMES = (
    ("assessed", "Assessed at entry"),
    ("moved_up", "Moved up a role level or grade within 12 months"),
    ("stayed_in_post", "In the same organisation after 12 months"),
    ("stayed_in_public_sector", "In the public sector after 12 months"),
    ("apprentice_to_permanent", "Apprentices in a permanent post after 12 months"),
)
APPRENTICE = "Apprentice"
NOT_RECORDED = (
    "AI projects participants worked on: the register records a project's team by name only, "
    "not its members, so only the projects offered to each cohort are counted.",
)


@dataclass(frozen=True)
class SkillFollowUp:
    """Participants' mean target-skill level at entry and at one follow-up, and the effect."""

    months: int
    due_on: date
    people: int | None  # participants assessed at entry (the means' people)
    level_before: float | None
    level_after: float | None
    effect: Effect | None  # None: too few matched pairs to publish
    pairs: int | None
    unmatched: int | None


@dataclass(frozen=True)
class CohortImpact:
    key: str
    name: str
    starts_on: date
    ends_on: date
    participants: int | None
    outcomes: dict[str, int | None]
    projects_offered: int
    follow_ups: list[SkillFollowUp]


@dataclass(frozen=True)
class ProgrammeImpact:
    key: str
    name: str
    threshold: int
    target_skills: int
    cohorts: list[CohortImpact]
    participants: int | None
    outcomes: dict[str, int | None]
    waiting: list[tuple[str, str, date]]  # cohorts not yet followed up: key, name, due date
    notes: tuple[str, ...] = NOT_RECORDED


@dataclass(frozen=True)
class _Post:
    organisation_id: int | None
    role_level_id: int | None
    grade: str | None


class _People:
    """Where people worked, and their target-skill claims, loaded once for a cohort."""

    def __init__(self, session: Session, people: set[int], skills: list[int]) -> None:
        self.skills = skills
        self.person = {
            row.id: row for row in session.scalars(select(Person).where(Person.id.in_(people)))
        }
        self.positions: dict[int, list[Position]] = defaultdict(list)
        for position in session.scalars(
            select(Position).where(Position.person_id.in_(people)).order_by(Position.started_on)
        ):
            self.positions[position.person_id].append(position)
        self.claims: dict[tuple[int, int], list[tuple[date, int]]] = defaultdict(list)
        for person_id, skill_id, claimed_on, level in session.execute(
            select(
                SkillClaim.person_id, SkillClaim.skill_id, SkillClaim.claimed_on, SkillClaim.level
            )
            .where(
                SkillClaim.person_id.in_(people),
                SkillClaim.skill_id.in_(skills),
                SkillClaim.status == "active",
            )
            .order_by(SkillClaim.claimed_on, SkillClaim.id)
        ):
            self.claims[(person_id, skill_id)].append((claimed_on, level))

    def post_on(self, person_id: int, day: date) -> _Post | None:
        """Their post on the day (positions history; the person's current post if they have no
        history); None if they were not in post."""
        person = self.person[person_id]
        if person.left_on is not None and person.left_on <= day:
            return None
        history = self.positions.get(person_id)
        if not history:
            return _Post(person.organisation_id, person.role_level_id, person.grade)
        for position in history:
            if position.started_on <= day and (
                position.ended_on is None or position.ended_on > day
            ):
                return _Post(position.organisation_id, position.role_level_id, position.grade)
        return None

    def score_on(self, person_id: int, day: date) -> float | None:
        """Mean level over the target skills from each one's latest claim on or before the day
        (a skill never claimed counts as 0); None if no target skill was claimed yet."""
        levels = []
        for skill in self.skills:
            latest = [
                level
                for claimed_on, level in self.claims.get((person_id, skill), [])
                if claimed_on <= day
            ]
            levels.append(latest[-1] if latest else None)
        if all(level is None for level in levels):
            return None
        return sum(level or 0 for level in levels) / len(levels)


def _cohort_people(
    session: Session, cohort: Cohort, programme_id: int
) -> tuple[list[int], set[int]]:
    """The cohort's participants, and everyone who took part in any cohort of the programme."""
    rows = session.execute(
        select(Application.person_id, Application.cohort_id)
        .join(Cohort, Cohort.id == Application.cohort_id)
        .where(Cohort.programme_id == programme_id, Application.state.in_(PARTICIPANT_STATES))
    ).all()
    return sorted({p for p, c in rows if c == cohort.id}), {p for p, _ in rows}


def _follow_up(
    people: _People,
    participants: list[int],
    pool: list[int],
    strata: dict[int, _Post],
    entry: date,
    due: date,
    months: int,
    threshold: int,
) -> SkillFollowUp:
    units = []
    for person_id in [*participants, *pool]:
        before = people.score_on(person_id, entry)
        after = people.score_on(person_id, due)
        if before is None or after is None or people.post_on(person_id, due) is None:
            continue
        units.append(
            Unit(
                person_id, person_id in set(participants), strata[person_id], before, before, after
            )
        )
    treated = [u for u in units if u.participant]
    matches, unmatched = match_controls(units, CALIPER)
    # A count published beside another must not differ from it by a small number of people:
    # participants less those followed up, and those followed up less those matched.
    enough = len(treated) >= threshold and _apart(len(participants), len(treated), threshold)
    effect = None
    if len(matches) >= threshold and len({m.control.id for m in matches}) >= threshold:
        effect = estimate_effect(matches, seed=months)
    pairs_shown = effect is not None and enough and _apart(len(treated), len(matches), threshold)
    return SkillFollowUp(
        months=months,
        due_on=due,
        people=len(treated) if enough else None,
        level_before=sum(u.before for u in treated) / len(treated) if enough else None,
        level_after=sum(u.after for u in treated) / len(treated) if enough else None,
        effect=effect,
        pairs=len(matches) if pairs_shown else None,
        unmatched=len(unmatched) if pairs_shown else None,
    )


def _apart(whole: int, part: int, threshold: int) -> bool:
    return whole == part or whole - part >= threshold


def _moved_up(before: _Post, after: _Post, orders: dict[int | None, int]) -> bool:
    """A higher role level in the DDaT framework; for people outside it, a higher grade."""
    if before.role_level_id is not None and after.role_level_id is not None:
        return orders.get(after.role_level_id, 0) > orders.get(before.role_level_id, 0)
    ranks = {grade: rank for rank, grade in enumerate(GRADES)}
    return ranks.get(after.grade or "", -1) > ranks.get(before.grade or "", len(GRADES))


def _evaluate(
    session: Session, cohort: Cohort, threshold: int
) -> tuple[list[SkillFollowUp], int, dict[str, int], int]:
    skills = sorted(
        set(
            session.scalars(
                select(LearningItemSkill.skill_id)
                .join(CohortItem, CohortItem.item_id == LearningItemSkill.item_id)
                .where(CohortItem.cohort_id == cohort.id)
            )
        )
    )
    participants, everyone_taking_part = _cohort_people(session, cohort, cohort.programme_id)
    entry = cohort.starts_on
    year_on = months_after(cohort.ends_on, 12)
    # Candidates for matching: in the participants' organisations, never in the programme.
    organisations = set(
        session.scalars(select(Person.organisation_id).where(Person.id.in_(participants)))
    )
    candidates = set(
        session.scalars(select(Person.id).where(Person.organisation_id.in_(organisations)))
    )
    people = _People(session, set(participants) | candidates, skills)
    strata: dict[int, _Post] = {}
    for person_id in people.person:
        post = people.post_on(person_id, entry)
        if post is not None:
            strata[person_id] = post
    pool = sorted(p for p in strata if p not in everyone_taking_part)
    present = [p for p in participants if p in strata]
    follow_ups = [
        _follow_up(
            people, present, pool, strata, entry, months_after(cohort.ends_on, m), m, threshold
        )
        for m in FOLLOW_UPS
    ]
    orders: dict[int | None, int] = dict(
        session.execute(select(RoleLevelRecord.id, RoleLevelRecord.level_order)).all()
    )
    reached = dict.fromkeys((key for key, _ in OUTCOMES), 0)
    for person_id in participants:
        at_entry = people.post_on(person_id, entry)
        later = people.post_on(person_id, year_on)
        reached["assessed"] += people.score_on(person_id, entry) is not None
        if later is None:
            continue
        reached["stayed_in_public_sector"] += 1
        if at_entry is not None and later.organisation_id == at_entry.organisation_id:
            reached["stayed_in_post"] += 1
        if at_entry is not None and _moved_up(at_entry, later, orders):
            reached["moved_up"] += 1
        if at_entry is not None and at_entry.grade == APPRENTICE and later.grade != APPRENTICE:
            reached["apprentice_to_permanent"] += 1
    return follow_ups, len(participants), reached, len(skills)


def programme_impact(
    engine: Engine,
    actor: Actor,
    key: str,
    *,
    today: date | None = None,
    threshold: int | None = None,
) -> ProgrammeImpact:
    """The impact of a programme the actor may see (ProgrammeNotFound otherwise)."""
    summary = get_programme(engine, actor, key)
    limit = threshold or get_settings().disclosure_threshold
    day = today or date.today()
    with reading(engine) as session:
        programme_id = session.scalar(select(Programme.id).where(Programme.key == summary.key))
        cohorts = list(
            session.scalars(
                select(Cohort)
                .where(Cohort.programme_id == programme_id)
                .order_by(Cohort.starts_on, Cohort.key)
            )
        )
        ready = [c for c in cohorts if months_after(c.ends_on, 12) <= day]
        waiting = [(c.key, c.name, months_after(c.ends_on, 12)) for c in cohorts if c not in ready]
        evaluated = [_evaluate(session, c, limit) for c in ready]
        facts = [(c.id, c.key, c.name, c.starts_on, c.ends_on) for c in ready]
        projects: dict[int, int] = defaultdict(int)
        for cohort_id in session.scalars(
            select(CohortProject.cohort_id).where(
                CohortProject.cohort_id.in_([c.id for c in ready])
            )
        ):
            projects[cohort_id] += 1
    shown = protect_outcomes(
        [e[1] for e in evaluated],
        {key: [e[2][key] for e in evaluated] for key, _ in OUTCOMES},
        limit,
    )
    rows = [
        CohortImpact(
            key=cohort_key,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            participants=shown.participants[index],
            outcomes={key: shown.reached[key][index] for key, _ in OUTCOMES},
            projects_offered=projects[cohort_id],
            follow_ups=evaluated[index][0],
        )
        for index, (cohort_id, cohort_key, name, starts_on, ends_on) in enumerate(facts)
    ]
    return ProgrammeImpact(
        key=summary.key,
        name=summary.name,
        threshold=limit,
        target_skills=max((e[3] for e in evaluated), default=0),
        cohorts=rows,
        participants=shown.total,
        outcomes=dict(shown.reached_total),
        waiting=waiting,
    )
