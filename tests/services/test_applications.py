"""The programme journey through the services: apply with a share grant, release by the line
manager, panel scores, selection by the allocation engine, offers and the waiting list, running
the cohort and completion; every refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.core.programmes import ApplicationState, CohortAction
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.allocation_runs import get_run, replay_run
from mobilise.services.application_views import (
    get_application,
    my_applications,
    release_queue,
    team_applications,
)
from mobilise.services.applications import ApplicationNotFound, act, apply, revoke_share
from mobilise.services.audit import NotPermitted, list_events
from mobilise.services.cohort_delivery import complete_module, record_attendance
from mobilise.services.cohort_selection import run_selection
from mobilise.services.outbox import messages_for
from mobilise.services.people import PersonNotFound, get_person
from mobilise.services.programme_views import get_cohort
from mobilise.services.programmes import change_cohort
from mobilise.services.selection_panel import cohort_applications, score_application
from mobilise.store.database import reading
from mobilise.store.models import Application, SkillClaim
from tests.support.programmes import ProgrammeSetup, add_programme

S = ApplicationState


@pytest.fixture
def setup(engine: Engine) -> ProgrammeSetup:
    return add_programme(engine)


def _count_applications(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count(Application.id))) or 0


def test_only_eligible_people_apply_once_and_bad_input_changes_nothing(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    outsider = setup.actor(engine, "outsider")
    with pytest.raises(InvalidInput) as refused:
        apply(engine, outsider, "aia-1", "I want to learn.", ["role"], consent=True)
    assert [p.rule for p in refused.value.problems] == [
        "not met: your role level is below working level"
    ]
    analyst = setup.actor(engine, "analyst")
    with pytest.raises(InvalidInput) as refused:
        apply(engine, analyst, "aia-1", "  ", ["skills", "passport"], consent=False)
    assert {p.column for p in refused.value.problems} == {"statement", "share", "consent"}
    assert _count_applications(engine) == 0

    apply(engine, analyst, "aia-1", "I build models.", ["skills"], consent=True)
    with pytest.raises(InvalidInput, match="already"):
        apply(engine, analyst, "aia-1", "Again.", [], consent=False)
    assert _count_applications(engine) == 1


def test_the_share_grant_decides_what_the_panel_sees_of_the_profile(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    analyst = setup.actor(engine, "analyst")
    judge = setup.actor(engine, "judge")
    stranger = setup.actor(engine, "stranger")
    key = apply(engine, analyst, "aia-1", "I build models.", ["role", "skills"], consent=True)

    seen = get_application(engine, judge, key)
    assert seen.grant_active
    assert seen.on_panel
    assert seen.profile.role is not None
    assert seen.profile.role["role_level"] == "Data scientist"
    assert seen.profile.skills
    assert seen.profile.learning is None
    # The grant covers the application, not the person's profile pages.
    with pytest.raises(PersonNotFound):
        get_person(engine, judge, "analyst")
    # Nobody else of agency B sees the application at all.
    with pytest.raises(ApplicationNotFound):
        get_application(engine, stranger, key)

    revoke_share(engine, analyst, key)
    after = get_application(engine, judge, key)
    assert not after.grant_active
    assert after.profile.role is None
    assert after.profile.skills is None
    assert after.statement == "I build models."
    events = list_events(engine, command_line_actor(), entity_key=key).entries
    assert [e.action for e in events][:2] == [
        "application.share_revoked",
        "application.share_granted",
    ]
    with pytest.raises(NotPermitted):
        revoke_share(engine, judge, key)


def test_the_line_manager_releases_or_declines_with_a_reason(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    analyst = setup.actor(engine, "analyst")
    lead = setup.actor(engine, "lead")
    boss = setup.actor(engine, "boss")
    key = apply(engine, analyst, "aia-1", "I build models.", [], consent=False)
    assert get_application(engine, analyst, key).summary.state is S.AWAITING_RELEASE
    assert [a.key for a in release_queue(engine, lead)] == [key]
    assert release_queue(engine, boss) == []
    # The boss sees their reporting line's application, but only the direct manager releases.
    assert [a.key for a in team_applications(engine, boss)[0]] == [key]
    with pytest.raises(NotPermitted):
        act(engine, boss, key, "release")
    with pytest.raises(InvalidInput, match="reason"):
        act(engine, lead, key, "refuse_release")
    assert "release" in get_application(engine, lead, key).actions

    assert act(engine, lead, key, "refuse_release", reason="Needed on the migration") is S.WITHDRAWN
    view = get_application(engine, analyst, key)
    assert view.reason == "Needed on the migration"
    assert [t.to_state for t in view.timeline] == ["awaiting_release", "withdrawn"]
    with pytest.raises(InvalidInput, match="allowed: none"):
        act(engine, lead, key, "release")
    subjects = [m.subject for m in messages_for(engine, analyst)[0]]
    assert subjects[0] == "Your application to AI Accelerator cohort 1 is withdrawn"
    assert messages_for(engine, lead)[0][0].kind == "application.release_requested"


def test_the_whole_journey_from_application_to_completion(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    analyst, lead = setup.actor(engine, "analyst"), setup.actor(engine, "lead")
    stranger, judge = setup.actor(engine, "stranger"), setup.actor(engine, "judge")
    first = apply(engine, analyst, "aia-1", "I build models.", ["skills"], consent=True)
    second = apply(engine, stranger, "aia-1", "I run data teams.", ["role"], consent=True)
    # No manager: no release step.
    assert get_application(engine, stranger, second).summary.state is S.RELEASED
    act(engine, lead, first, "release")

    with pytest.raises(InvalidInput, match="allowed: close"):
        run_selection(engine, admin, "aia-1")
    change_cohort(engine, admin, "aia-1", CohortAction.CLOSE)
    with pytest.raises(InvalidInput) as unscored:
        run_selection(engine, admin, "aia-1")
    assert {p.value for p in unscored.value.problems} == {first, second}
    with pytest.raises(NotPermitted):
        score_application(engine, lead, first, {"motivation": 5, "experience": 5})
    with pytest.raises(InvalidInput):
        score_application(engine, judge, first, {"motivation": 9})
    score_application(engine, judge, first, {"motivation": 4, "experience": 5})
    score_application(engine, judge, second, {"motivation": 5, "experience": 3})
    rows, total = cohort_applications(engine, judge, "aia-1")
    assert total == 2
    assert sorted(r.my_total or 0 for r in rows) == pytest.approx([73.3333, 93.3333])

    with pytest.raises(NotPermitted):
        run_selection(engine, judge, "aia-1")
    result = run_selection(engine, admin, "aia-1")
    assert (result.offered, result.waiting, result.not_selected) == ([first], [second], [])
    summary, stored = get_run(engine, result.run_key)
    assert summary.method == "welfare"
    assert stored["matches"][0]["applicant"] == first
    assert replay_run(engine, result.run_key).identical
    assert get_cohort(engine, admin, "aia-1").selection_run_key == result.run_key
    with pytest.raises(InvalidInput, match="offers_published"):
        run_selection(engine, admin, "aia-1")

    # A declined offer goes to the waiting list at once, in the run's order.
    assert get_application(engine, stranger, second).summary.waiting_position == 1
    act(engine, analyst, first, "decline")
    assert get_application(engine, stranger, second).summary.state is S.OFFERED
    assert messages_for(engine, stranger)[0][0].subject == (
        "You are offered a place on AI Accelerator cohort 1"
    )
    act(engine, stranger, second, "accept")

    change_cohort(engine, admin, "aia-1", CohortAction.START)
    record_attendance(engine, admin, "aia-1", setup.starts_on, {second})
    with pytest.raises(InvalidInput, match="ai-ethics"):
        act(engine, admin, second, "complete")
    with pytest.raises(NotPermitted):
        complete_module(engine, admin, second, "ai-ethics")
    recorded = complete_module(engine, stranger, second, "ai-ethics")
    assert recorded.claims
    assert recorded.claims[0].outcome == "created"
    with reading(engine) as session:
        assert session.scalar(
            select(func.count(SkillClaim.id)).where(SkillClaim.source == "learning")
        )
    assert act(engine, admin, second, "complete") is S.COMPLETED
    assert [a.state for a in my_applications(engine, stranger)] == [S.COMPLETED]

    actions = {e.action for e in list_events(engine, command_line_actor(), limit=500).entries}
    assert {
        "application.apply",
        "application.release",
        "application.scored",
        "cohort.select",
        "application.offer",
        "application.wait",
        "application.decline",
        "application.accept",
        "cohort.start",
        "cohort.attendance_recorded",
        "application.complete",
    } <= actions


def test_selection_puts_released_applications_the_manager_never_answered_aside(
    engine: Engine, setup: ProgrammeSetup
) -> None:
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    pending = apply(engine, setup.actor(engine, "analyst"), "aia-1", "Me.", [], consent=False)
    change_cohort(engine, admin, "aia-1", CohortAction.CLOSE)
    result = run_selection(engine, admin, "aia-1")
    assert result.lapsed == [pending]
    assert result.offered == []
    assert get_application(engine, admin, pending).summary.state is S.NOT_SELECTED
