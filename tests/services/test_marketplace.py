"""The marketplace through the services: browse ranked by fit with the reasons, save, apply with a
share grant, release by the line manager, owners see applicants ranked by fit, the round is
allocated by the engine in one transaction, and the move and the return are recorded. Partner
firms see only their own opportunities' applicants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.core.programmes import ApplicationState, CohortAction, CohortState
from mobilise.services.actors import Role
from mobilise.services.allocation_runs import get_run, replay_run
from mobilise.services.applications import ApplicationNotFound
from mobilise.services.audit import NotPermitted
from mobilise.services.marketplace_applications import (
    act,
    apply,
    get_application,
    my_applications,
    ranked_applicants,
    release_queue,
    revoke_share,
)
from mobilise.services.marketplace_rounds import change_round, get_round, moves_of
from mobilise.services.opportunities import (
    OpportunitySpec,
    RequiredSkill,
    browse,
    get_opportunity,
    post_opportunity,
    save_opportunity,
)
from mobilise.services.outbox import messages_for
from mobilise.services.round_allocation import allocate_round
from mobilise.store.database import reading
from mobilise.store.models import AllocationRunRecord, OpportunityApplication, Person, Position
from tests.support.failing_commits import CommitRefused, commits_fail
from tests.support.marketplace import ROUND, MarketplaceSetup, add_marketplace

S = ApplicationState


@pytest.fixture
def setup(engine: Engine) -> MarketplaceSetup:
    return add_marketplace(engine)


def test_people_see_opportunities_ranked_by_fit_with_the_reasons(
    engine: Engine, setup: MarketplaceSetup
) -> None:
    analyst = setup.actor(engine, "analyst")
    found, total = browse(engine, analyst)
    assert total == 3
    assert next(o.key for o in found) == "data-loan"
    loan = found[0]
    assert (loan.fit, loan.met, loan.short) == (1.0, 2, 0)
    placement = next(o for o in found if o.key == "firm-placement")
    assert placement.fit == 0.0
    assert placement.short == 1

    outsider = setup.actor(engine, "outsider")
    view = get_opportunity(engine, outsider, "data-loan")
    assert view.summary.fit == pytest.approx(0.4)
    assert [(r.skill_key, r.met) for r in view.requirements] == [
        ("agile-working", False),
        ("accessibility", True),
    ]
    assert view.requirements[0].current is None
    assert view.apply_problem is None
    assert "partner firms" in (
        get_opportunity(engine, analyst, "gds-secondment").apply_problem or ""
    )

    save_opportunity(engine, analyst, "firm-placement")
    save_opportunity(engine, analyst, "firm-placement")
    saved, count = browse(engine, analyst, saved_only=True)
    assert ([o.key for o in saved], count, saved[0].saved) == (["firm-placement"], 1, True)
    save_opportunity(engine, analyst, "firm-placement", saved=False)
    assert browse(engine, analyst, saved_only=True)[1] == 0
    loans, _ = browse(engine, analyst, kind="loan")
    assert [o.key for o in loans] == ["data-loan"]


def test_bad_opportunities_are_refused_with_every_problem_and_nothing_stored(
    engine: Engine, setup: MarketplaceSetup
) -> None:
    firm_admin = setup.actor(engine, "firm-admin", Role.PROGRAMME_ADMIN)
    bad = OpportunitySpec(
        key="bad key",
        round=ROUND,
        organisation="firm-c",
        kind="loan",
        title=" ",
        starts_on=setup.starts_on,
        ends_on=setup.starts_on - timedelta(days=1),
        capacity=-1,
        skills=(RequiredSkill("no-such-skill", "working"), RequiredSkill("accessibility", "guru")),
    )
    with pytest.raises(InvalidInput) as refused:
        post_opportunity(engine, firm_admin, bad)
    columns = {p.column for p in refused.value.problems}
    assert {"key", "title", "capacity", "ends_on", "organisation", "skills[0]"} <= columns
    assert "skills[1].level" in columns
    with pytest.raises(NotPermitted):
        post_opportunity(
            engine,
            firm_admin,
            OpportunitySpec(
                key="x",
                round=ROUND,
                organisation="agency-b",
                kind="project_role",
                title="X",
                starts_on=setup.starts_on,
                ends_on=setup.ends_on,
                capacity=1,
            ),
        )
    assert browse(engine, firm_admin)[1] == 3


def test_apply_release_allocate_and_record_the_move(
    engine: Engine, setup: MarketplaceSetup
) -> None:
    analyst, lead = setup.actor(engine, "analyst"), setup.actor(engine, "lead")
    outsider, consultant = setup.actor(engine, "outsider"), setup.actor(engine, "consultant")
    owner = setup.actor(engine, "b-admin", Role.PROGRAMME_ADMIN)
    firm_admin = setup.actor(engine, "firm-admin", Role.PROGRAMME_ADMIN)
    runner = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)

    with pytest.raises(InvalidInput) as refused:
        apply(engine, analyst, "data-loan", "", ["skills"], consent=False)
    assert {p.column for p in refused.value.problems} == {"statement", "consent"}
    with pytest.raises(InvalidInput, match="partner firms"):
        apply(engine, analyst, "gds-secondment", "Me.", [], consent=False)
    loan = apply(engine, analyst, "data-loan", "I build pipelines.", ["skills"], consent=True)
    second = apply(engine, analyst, "firm-placement", "And products.", [], consent=False)
    with pytest.raises(InvalidInput, match="already"):
        apply(engine, analyst, "data-loan", "Again.", [], consent=False)
    rival = apply(engine, outsider, "data-loan", "Me too.", ["skills"], consent=True)
    seconded = apply(engine, consultant, "gds-secondment", "Cloud.", ["role"], consent=True)
    assert [(a.opportunity_key, a.preference) for a in my_applications(engine, analyst)] == [
        ("data-loan", 1),
        ("firm-placement", 2),
    ]
    # No manager: no release step.
    assert get_application(engine, outsider, rival).summary.state is S.RELEASED
    assert [a.key for a in release_queue(engine, lead)] == [loan, second]
    assert "asks you to release" in messages_for(engine, lead)[0][0].subject
    act(engine, lead, loan, "release")
    act(engine, lead, second, "release")

    # The owners see the applicants ranked by fit, and the shared parts only.
    ranked = ranked_applicants(engine, owner, "data-loan")
    assert [(a.key, a.fit) for a in ranked] == [(loan, 1.0), (rival, pytest.approx(0.4))]
    seen = get_application(engine, owner, loan)
    assert seen.profile.skills is not None
    assert seen.profile.role is None
    revoke_share(engine, outsider, rival)
    assert get_application(engine, owner, rival).profile.skills is None
    # A partner firm sees only its own opportunities' applicants: 404 for the others.
    with pytest.raises(ApplicationNotFound):
        get_application(engine, firm_admin, loan)
    with pytest.raises(NotPermitted):
        ranked_applicants(engine, firm_admin, "data-loan")
    assert [a.key for a in ranked_applicants(engine, firm_admin, "firm-placement")] == [second]
    with pytest.raises(ApplicationNotFound):
        get_application(engine, setup.actor(engine, "stranger"), loan)

    with pytest.raises(NotPermitted):
        change_round(engine, owner, ROUND, CohortAction.CLOSE)
    with pytest.raises(InvalidInput, match="allowed: close"):
        allocate_round(engine, runner, ROUND)
    change_round(engine, runner, ROUND, CohortAction.CLOSE)
    with pytest.raises(InvalidInput, match="round"):
        apply(engine, setup.actor(engine, "boss"), "firm-placement", "Late.", [], consent=False)

    with reading(engine) as session:
        runs = session.scalar(select(func.count(AllocationRunRecord.id)))
    with commits_fail(), pytest.raises(CommitRefused):
        allocate_round(engine, runner, ROUND)
    with reading(engine) as session:
        assert session.scalar(select(func.count(AllocationRunRecord.id))) == runs
        assert (
            session.scalar(
                select(func.count(OpportunityApplication.id)).where(
                    OpportunityApplication.state == "offered"
                )
            )
            == 0
        )

    outcome = allocate_round(engine, runner, ROUND)
    assert sorted(outcome.offered) == sorted([loan, seconded])
    assert sorted(outcome.not_selected) == [second]
    assert outcome.waiting == [rival]  # placed nowhere: waits for the loan
    summary, result = get_run(engine, outcome.run_key)
    assert summary.method == "stable"
    assert summary.organisation_id == setup.workforce.org_a  # the round's runner reads it
    assert result["metrics"]["blocking_pairs"] == 0
    assert replay_run(engine, outcome.run_key).identical
    with reading(engine) as session:
        problem = session.scalars(select(AllocationRunRecord.problem)).all()[-1]
    assert "analyst" not in problem
    assert "outsider" not in problem
    assert "which you preferred" in get_application(engine, analyst, second).reason
    assert get_round(engine, runner, ROUND)[0].state is CohortState.OFFERS_PUBLISHED
    with pytest.raises(InvalidInput):
        allocate_round(engine, runner, ROUND)

    act(engine, analyst, loan, "accept")
    assert get_application(engine, owner, loan).summary.state is S.ACCEPTED
    change_round(engine, runner, ROUND, CohortAction.START)
    # The consultant never answered: the offer lapses as declined.
    assert get_application(engine, consultant, seconded).summary.state is S.DECLINED
    with reading(engine) as session:
        analyst_id = session.scalars(select(Person.id).where(Person.key == "analyst")).one()
        history = session.execute(
            select(Position.organisation_id, Position.started_on, Position.ended_on)
            .where(Position.person_id == analyst_id)
            .order_by(Position.started_on)
        ).all()
    assert [tuple(h) for h in history] == [
        (setup.workforce.org_a, history[0][1], setup.starts_on - timedelta(days=1)),
        (setup.workforce.org_b, setup.starts_on, None),
    ]
    assert [m.person_key for m in moves_of(engine, runner, ROUND)] == ["analyst"]

    change_round(engine, runner, ROUND, CohortAction.FINISH)
    with reading(engine) as session:
        history = session.execute(
            select(Position.organisation_id, Position.started_on, Position.ended_on)
            .where(Position.person_id == analyst_id)
            .order_by(Position.started_on)
        ).all()
    assert [tuple(h) for h in history][1:] == [
        (setup.workforce.org_b, setup.starts_on, setup.ends_on),
        (setup.workforce.org_a, setup.ends_on + timedelta(days=1), None),
    ]
    assert get_application(engine, analyst, loan).summary.state is S.COMPLETED
    # The ended application closes the grant.
    assert get_application(engine, owner, loan).profile.skills is None
