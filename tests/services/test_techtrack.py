"""TechTrack: departments bid for apprentices (role, place, number), candidates with no
organisation rank the placements, the placements rank their candidates, and the intake is
allocated by the engine's fair method with quotas (share outside London, under-represented
groups as opaque codes); accepted places count towards the 2,000 target."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput
from mobilise.core.programmes import CohortAction
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor, Role, command_line_actor
from mobilise.services.allocation_runs import get_run, replay_run
from mobilise.services.applications import ApplicationNotFound
from mobilise.services.audit import NotPermitted
from mobilise.services.marketplace_applications import (
    act,
    apply,
    get_application,
    ranked_applicants,
    score_applicant,
)
from mobilise.services.marketplace_rounds import RoundSpec, change_round, list_rounds, open_round
from mobilise.services.opportunities import OpportunitySpec, post_opportunity
from mobilise.services.programme_views import get_programme
from mobilise.services.programmes import ProgrammeSpec, create_programme
from mobilise.services.round_allocation import allocate_round
from mobilise.store.database import reading, transaction
from mobilise.store.models import AllocationRunRecord, Person, SensitiveAttributes
from tests.support.workforce import add_workforce

QUOTAS = [
    {"id": "outside-london", "attribute": "region", "not_values": ["London"], "min_share": 0.5},
    {"id": "under-represented", "attribute": "group", "values": ["g1"], "min_count": 1},
]
# key, region, ethnic group (with consent), or None for no diversity data
CANDIDATES = (
    ("cand-1", "London", "White"),
    ("cand-2", "London", None),
    ("cand-3", "Wales", "Asian or Asian British"),
    ("cand-4", "North East", "White"),
)


def _actor(engine: Engine, key: str, *roles: Role) -> Actor:
    return development_sign_in(engine, key, roles)


@pytest.fixture
def intake(engine: Engine) -> date:
    add_workforce(engine)
    with transaction(engine) as session:
        session.add(Person(key="tt-admin", display_name="TT admin", organisation_id=1))
        for key, region, group in CANDIDATES:
            person = Person(key=key, display_name=key.title(), region=region)
            session.add(person)
            session.flush()
            if group:
                session.add(
                    SensitiveAttributes(
                        person_id=person.id,
                        consent=True,
                        consented_on=date(2026, 1, 1),
                        ethnic_group=group,
                    )
                )
    with reading(engine) as session:
        org_a = session.scalars(select(Person.organisation_id).where(Person.key == "boss")).one()
        assert org_a is not None
    admin = _actor(engine, "tt-admin", Role.PROGRAMME_ADMIN)
    create_programme(
        engine,
        admin,
        ProgrammeSpec(
            key="techtrack",
            name="TechTrack",
            kind="apprenticeship",
            organisation="dept-a",
            rubric=[{"key": "m", "name": "M", "max_points": 5}],
            target_people=2000,
            target_year=2030,
        ),
    )
    open_round(
        engine,
        admin,
        RoundSpec(
            "tt-2027", "TechTrack 2027 intake", "dept-a", programme="techtrack", quotas=QUOTAS
        ),
    )
    starts = date.today() + timedelta(days=120)
    for owner, key, role, region in (
        ("tt-admin", "a-sd-london", "software developer", "London"),
        ("b-admin", "b-devops-cardiff", "DevOps engineer", "Wales"),
    ):
        post_opportunity(
            engine,
            _actor(engine, owner, Role.PROGRAMME_ADMIN),
            OpportunitySpec(
                key=key,
                round="tt-2027",
                organisation="dept-a" if owner == "tt-admin" else "agency-b",
                kind="apprenticeship",
                role=role,
                title=f"{role.capitalize()} apprentice",
                region=region,
                starts_on=starts,
                ends_on=starts + timedelta(days=730),
                capacity=1,
            ),
        )
    return starts


def test_the_intake_is_allocated_fairly_and_counts_towards_the_target(
    engine: Engine, intake: date
) -> None:
    admin = _actor(engine, "tt-admin", Role.PROGRAMME_ADMIN)
    owner_b = _actor(engine, "b-admin", Role.PROGRAMME_ADMIN)
    with pytest.raises(InvalidInput, match="starting a government career"):
        apply(engine, _actor(engine, "analyst"), "a-sd-london", "Me.", [], consent=False)
    keys: dict[tuple[str, str], str] = {}
    for candidate, _, _ in CANDIDATES:
        # Candidates rank the placements: London first for Londoners, the other first otherwise.
        order = ["a-sd-london", "b-devops-cardiff"]
        if not candidate.endswith(("1", "2")):
            order.reverse()
        for preference, placement in enumerate(order, start=1):
            keys[(candidate, placement)] = apply(
                engine,
                _actor(engine, candidate),
                placement,
                "I want to build.",
                ["skills"],
                consent=True,
                preference=preference,
            )
    # Both placements rank the London candidates first.
    for placement, owner in (("a-sd-london", admin), ("b-devops-cardiff", owner_b)):
        for candidate, score in (("cand-1", 90), ("cand-2", 80), ("cand-3", 60), ("cand-4", 50)):
            score_applicant(engine, owner, keys[(candidate, placement)], score)
        ranked = [a.person_key for a in ranked_applicants(engine, owner, placement)]
        assert ranked == ["cand-1", "cand-2", "cand-3", "cand-4"]
    # Another placement's applicants are not there for them (404).
    with pytest.raises(ApplicationNotFound):
        score_applicant(engine, owner_b, keys[("cand-1", "a-sd-london")], 10)
    with pytest.raises(NotPermitted):
        score_applicant(engine, _actor(engine, "cand-1"), keys[("cand-1", "a-sd-london")], 10)
    with pytest.raises(InvalidInput):
        score_applicant(engine, admin, keys[("cand-1", "a-sd-london")], 101)

    change_round(engine, admin, "tt-2027", CohortAction.CLOSE)
    outcome = allocate_round(engine, admin, "tt-2027", seed=3)
    assert outcome.method == "fair"
    _, result = get_run(engine, outcome.run_key)
    assert all(q["satisfied"] for q in result["fair"]["quotas"])
    assert replay_run(engine, outcome.run_key).identical
    operator = command_line_actor()
    offered = {get_application(engine, operator, k).summary.person_key for k in outcome.offered}
    # Without the quotas both places would go to Londoners; with them the Welsh candidate
    # (of an under-represented group) has one.
    assert "cand-3" in offered
    assert len(outcome.offered) == 2
    with reading(engine) as session:
        problem = session.scalars(
            select(AllocationRunRecord.problem).where(AllocationRunRecord.key == outcome.run_key)
        ).one()
    for label in ("White", "Asian", "cand-"):
        assert label not in problem
    assert '"g1"' in problem

    for key in outcome.offered:
        act(engine, None, key, "accept")
    techtrack = get_programme(engine, admin, "techtrack")
    assert (techtrack.placed, techtrack.target_people) == (2, 2000)
    # 1,998 still to place over 2027-2030: 500 a year (rounded up).
    assert techtrack.needed_per_year(date(2027, 3, 1)) == 500
    assert techtrack.needed_per_year(date(2031, 1, 1)) == 1998
    (found,) = list_rounds(engine, admin)
    assert found.programme_key == "techtrack"


def test_bad_bids_and_intakes_are_refused(engine: Engine, intake: date) -> None:
    admin = _actor(engine, "tt-admin", Role.PROGRAMME_ADMIN)
    with pytest.raises(InvalidInput) as refused:
        post_opportunity(
            engine,
            admin,
            OpportunitySpec(
                key="bad",
                round="tt-2027",
                organisation="dept-a",
                kind="apprenticeship",
                role="astronaut",
                title="Bad",
                starts_on=intake,
                ends_on=intake,
                capacity=1,
            ),
        )
    assert {p.column for p in refused.value.problems} == {"role"}
    with pytest.raises(InvalidInput) as refused:
        open_round(
            engine,
            admin,
            RoundSpec("bad", "Bad", "dept-a", programme="nope", quotas=[{"id": "q"}]),
        )
    assert {"programme"} <= {p.column for p in refused.value.problems}
    assert any("quotas" in (p.column or "") for p in refused.value.problems)
    with pytest.raises(InvalidInput, match="another organisation"):
        open_round(
            engine,
            _actor(engine, "b-admin", Role.PROGRAMME_ADMIN),
            RoundSpec("b-intake", "B", "agency-b", programme="techtrack"),
        )
