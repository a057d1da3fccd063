"""The hackathon journey through the services: set up, challenges (one from the AI register),
sign-up with a share grant (people with no organisation too), teams by the engine, submissions,
judging with judge severity taken out, results with messages and credentials; every refusal
changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.hackathons import HackathonState
from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.audit import NotPermitted, list_events
from mobilise.services.credentials import my_credentials
from mobilise.services.hackathon_judging import (
    TeamNotFound,
    public_results,
    score_team,
    submit,
    team_page,
)
from mobilise.services.hackathon_signups import participants, revoke_share, sign_up, withdraw
from mobilise.services.hackathon_teams import (
    form_hackathon_teams,
    move_participant,
    set_team_challenge,
    teams_overview,
)
from mobilise.services.hackathon_transitions import change_hackathon
from mobilise.services.hackathons import (
    HackathonNotFound,
    HackathonSpec,
    add_judge,
    create_hackathon,
    get_hackathon,
    hackathon_challenges_from,
    list_hackathons,
)
from mobilise.services.outbox import messages_for
from mobilise.store.database import reading, transaction
from mobilise.store.models import Hackathon, HackathonParticipant, SensitiveAttributes
from tests.support.hackathons import ENTRY, HACKATHON, HackathonSetup, add_hackathon

PEOPLE = ("analyst", "lead", "outsider", "stranger", "candidate", "b-admin")
RUBRIC_POINTS = {"impact": 8, "feasibility": 6, "responsible": 7, "presentation": 4}


@pytest.fixture
def setup(engine: Engine) -> HackathonSetup:
    return add_hackathon(engine)


def _sign_everyone_up(engine: Engine, setup: HackathonSetup) -> None:
    for index, person in enumerate(PEOPLE):
        first = setup.written if index % 2 else setup.from_register
        sign_up(
            engine,
            setup.actor(engine, person),
            HACKATHON,
            [first],
            ["skills"] if person != "outsider" else [],
            consent=True,
            show_name=person in ("analyst", "candidate"),
        )


def _participant_count(engine: Engine) -> int:
    with reading(engine) as session:
        return int(session.scalar(select(func.count(HackathonParticipant.id))) or 0)


def test_setting_up_names_every_problem_and_needs_a_programme_admin(
    engine: Engine, setup: HackathonSetup
) -> None:
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    today = date.today()
    bad = HackathonSpec(
        key="bad key",
        title=" ",
        organisation="dept-a",
        starts_on=today,
        ends_on=date(2000, 1, 1),
        capacity=0,
        team_size=1,
        rubric=[{"key": "x", "max_points": 0}],
    )
    with pytest.raises(InvalidInput) as refused:
        create_hackathon(engine, admin, bad)
    assert {p.column for p in refused.value.problems} >= {
        "key",
        "title",
        "ends_on",
        "capacity",
        "team_size",
        "place",
        "criteria[0].max_points",
    }
    good = HackathonSpec(
        key="other", title="Other", organisation="dept-a", starts_on=today, ends_on=today,
        capacity=5, team_size=2, online=True,
    )  # fmt: skip
    with pytest.raises(NotPermitted):
        create_hackathon(engine, setup.actor(engine, "stranger", Role.PROGRAMME_ADMIN), good)
    with reading(engine) as session:
        assert session.scalar(select(func.count(Hackathon.id))) == 1


def test_a_draft_is_seen_by_its_organisers_only_and_needs_a_challenge_to_open(
    engine: Engine,
) -> None:
    setup = add_hackathon(engine, open_sign_up=False)
    stranger = setup.actor(engine, "stranger")
    with pytest.raises(HackathonNotFound):
        get_hackathon(engine, stranger, HACKATHON)
    assert list_hackathons(engine, stranger) == []
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    view = get_hackathon(engine, admin, HACKATHON)
    assert [c.project_key for c in view.challenges] == [None, ENTRY]
    assert view.challenges[1].title == "Benefits claims triage"
    assert [a.value for a in view.actions] == ["open_sign_up"]
    # The register entry's page lists no challenge from a draft.
    assert hackathon_challenges_from(engine, ENTRY) == []
    with pytest.raises(InvalidInput) as refused:
        change_hackathon(engine, admin, HACKATHON, "publish_results")
    assert "allowed: open_sign_up" in refused.value.problems[0].rule
    change_hackathon(engine, admin, HACKATHON, "open_sign_up")
    assert hackathon_challenges_from(engine, ENTRY) == [
        (HACKATHON, "AI for public services hack", "Benefits claims triage", False)
    ]
    assert [h.key for h in list_hackathons(engine, stranger)] == [HACKATHON]


def test_sign_up_checks_everything_and_people_without_an_organisation_take_part(
    engine: Engine, setup: HackathonSetup
) -> None:
    candidate = setup.actor(engine, "candidate")
    with pytest.raises(InvalidInput) as refused:
        sign_up(
            engine, candidate, HACKATHON, ["nope", "nope"], ["skills", "passport"], consent=False
        )
    assert {p.column for p in refused.value.problems} == {"share", "consent", "preferences"}
    assert _participant_count(engine) == 0
    sign_up(engine, candidate, HACKATHON, [setup.written], [], consent=False)
    with pytest.raises(InvalidInput) as twice:
        sign_up(engine, candidate, HACKATHON, [], [], consent=False)
    assert twice.value.problems[0].rule == "has your sign-up"
    messages, _ = messages_for(engine, candidate)
    assert messages[0].subject == "You signed up to AI for public services hack"
    withdraw(engine, candidate, HACKATHON)
    assert _participant_count(engine) == 0


def test_a_full_event_refuses_more_sign_ups(engine: Engine) -> None:
    setup = add_hackathon(engine, capacity=1)
    sign_up(engine, setup.actor(engine, "analyst"), HACKATHON, [], [], consent=False)
    with pytest.raises(InvalidInput) as refused:
        sign_up(engine, setup.actor(engine, "lead"), HACKATHON, [], [], consent=False)
    assert refused.value.problems[0].rule == "is full (no places left)"


def test_organisers_see_shared_parts_only_while_the_grant_stands(
    engine: Engine, setup: HackathonSetup
) -> None:
    _sign_everyone_up(engine, setup)
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    rows, total = participants(engine, admin, HACKATHON)
    assert total == len(PEOPLE)
    by_name = {r.name: r for r in rows}
    assert by_name["Analyst"].profile.skills
    assert by_name["Outsider"].profile.skills is None  # shared nothing
    assert by_name["Analyst"].profile.role is None  # shared skills only
    revoke_share(engine, setup.actor(engine, "analyst"), HACKATHON)
    rows, _ = participants(engine, admin, HACKATHON)
    assert next(r for r in rows if r.name == "Analyst").profile.skills is None
    with pytest.raises(NotPermitted):
        participants(engine, setup.actor(engine, "lead"), HACKATHON)


def test_teams_mix_and_never_leave_a_protected_member_alone(
    engine: Engine, setup: HackathonSetup
) -> None:
    _sign_everyone_up(engine, setup)
    people = setup.programme.workforce.people
    with transaction(engine) as session:
        for key in ("analyst", "stranger"):
            session.add(
                SensitiveAttributes(
                    person_id=people[key],
                    consent=True,
                    ethnic_group="Asian or Asian British",
                )
            )
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    for seed in range(4):
        assert form_hackathon_teams(engine, admin, HACKATHON, seed=seed) == 2
        overview = teams_overview(engine, admin, HACKATHON)
        assert overview.engine_isolated is False
        assert overview.moves_since == 0
        together = [t for t in overview.teams if {"Analyst", "Stranger"} <= set(t.members)]
        assert len(together) == 1
        assert all(
            t.facts.organisations + t.facts.without_organisation >= 2 for t in overview.teams
        )
        assert "p1" not in repr(overview)
    # Before publication others see no teams; the audit says only aggregates.
    assert teams_overview(engine, setup.actor(engine, "lead"), HACKATHON).teams == []
    formed = [
        e
        for e in list_events(engine, command_line_actor()).entries
        if e.action == "hackathon.teams_formed"
    ]
    assert formed
    assert set(formed[0].after or {}) >= {"teams", "avoidably_isolated"}
    assert "p1" not in repr(formed)


def test_the_journey_to_public_results(engine: Engine, setup: HackathonSetup) -> None:
    _sign_everyone_up(engine, setup)
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    with pytest.raises(InvalidInput) as early:
        change_hackathon(engine, admin, HACKATHON, "publish_teams")
    assert early.value.problems[0].rule == "are not formed yet: form them first"
    form_hackathon_teams(engine, admin, HACKATHON, seed=1)
    assert len(teams_overview(engine, admin, HACKATHON).teams) == 2
    # Organisers adjust: move someone and pick a team's challenge.
    rows, _ = participants(engine, admin, HACKATHON)
    mover = next(r for r in rows if r.team == 1)
    move_participant(engine, admin, HACKATHON, mover.key, 2)
    move_participant(engine, admin, HACKATHON, mover.key, 1)
    # Moves are counted, never checked against protected groups (that would say who is in one).
    adjusted = teams_overview(engine, admin, HACKATHON)
    assert (adjusted.engine_isolated, adjusted.moves_since) == (False, 2)
    set_team_challenge(engine, admin, HACKATHON, 2, setup.from_register)
    with pytest.raises(InvalidInput):
        set_team_challenge(engine, admin, HACKATHON, 9, setup.from_register)
    assert (
        change_hackathon(engine, admin, HACKATHON, "publish_teams") is HackathonState.TEAMS_FORMED
    )
    with pytest.raises(InvalidInput):
        form_hackathon_teams(engine, admin, HACKATHON, seed=2)

    analyst = setup.actor(engine, "analyst")
    messages, _ = messages_for(engine, analyst)
    assert messages[0].subject.startswith("Your team for AI for public services hack")
    mine = next(t for t in teams_overview(engine, analyst, HACKATHON).teams if t.is_mine)
    others = [t for t in teams_overview(engine, analyst, HACKATHON).teams if not t.is_mine]
    assert "Analyst" in mine.members
    assert others[0].members == []
    with pytest.raises(TeamNotFound):
        team_page(engine, analyst, others[0].key)

    with pytest.raises(InvalidInput):
        submit(engine, analyst, mine.key, title="Early", summary="x", links=[])
    change_hackathon(engine, admin, HACKATHON, "open_submissions")
    with pytest.raises(InvalidInput) as bad_link:
        submit(
            engine,
            analyst,
            mine.key,
            title="Triage helper",
            summary="",
            links=[("Code", "javascript:alert(1)")],
        )
    assert {p.column for p in bad_link.value.problems} == {"summary", "url"}
    submit(
        engine,
        analyst,
        mine.key,
        title="Triage helper",
        summary="Sorts claims; explains why.",
        links=[("Code", "https://github.com/example/triage")],
    )
    with pytest.raises(NotPermitted):
        submit(engine, admin, mine.key, title="x", summary="y", links=[])  # organisers do not
    other = next(r for r in participants(engine, admin, HACKATHON)[0] if r.team != mine.number)
    other_actor = setup.actor(engine, other.name.lower().replace(" ", "-"))
    submit(engine, other_actor, others[0].key, title="Record matcher", summary="Fuzzy", links=[])
    assert change_hackathon(engine, admin, HACKATHON, "start_judging") is HackathonState.JUDGING

    judge, boss = setup.actor(engine, "judge"), setup.actor(engine, "boss")
    page = team_page(engine, judge, mine.key)
    assert page.may_score
    assert page.members == []  # judges mark the work, not the people
    with pytest.raises(InvalidInput) as bad_sheet:
        score_team(engine, judge, mine.key, {"impact": 11})
    assert {p.column for p in bad_sheet.value.problems} == {
        "impact",
        "feasibility",
        "responsible",
        "presentation",
    }
    with pytest.raises(NotPermitted):
        score_team(engine, analyst, mine.key, RUBRIC_POINTS)
    # A judge who also took part does not score their own team.
    add_judge(engine, admin, HACKATHON, "analyst")
    assert not team_page(engine, analyst, mine.key).may_score
    with pytest.raises(NotPermitted):
        score_team(engine, analyst, mine.key, RUBRIC_POINTS)
    score_team(engine, judge, mine.key, {**RUBRIC_POINTS, "impact": 1})
    score_team(engine, judge, mine.key, RUBRIC_POINTS)  # scoring again replaces the sheet
    assert team_page(engine, judge, mine.key).own_sheet == RUBRIC_POINTS
    score_team(engine, judge, others[0].key, {**RUBRIC_POINTS, "impact": 3})
    # The boss marks far harder but in the same order: the order stands.
    score_team(engine, boss, mine.key, dict.fromkeys(RUBRIC_POINTS, 2))
    score_team(engine, boss, others[0].key, dict.fromkeys(RUBRIC_POINTS, 1))
    with pytest.raises(HackathonNotFound):
        public_results(engine, HACKATHON)
    change_hackathon(engine, admin, HACKATHON, "publish_results")

    results = public_results(engine, HACKATHON)
    assert [(t.rank, t.name) for t in results.teams] == [(1, mine.name), (2, others[0].name)]
    shown = [name for t in results.teams for name in t.names]
    assert sorted(shown) == ["Analyst", "Candidate"]
    assert sum(t.others for t in results.teams) == len(PEOPLE) - 2
    assert results.teams[0].submission is not None
    assert results.teams[0].submission.links[0]["url"] == "https://github.com/example/triage"
    messages, _ = messages_for(engine, analyst)
    results_message = next(m for m in messages if m.kind == "hackathon.results_published")
    assert results_message.body.endswith(f"{mine.name} was ranked 1 of 2.")
    credentials = {c.achievement_key for c in my_credentials(engine, analyst)}
    assert credentials == {f"hackathon:{HACKATHON}:participant", f"hackathon:{HACKATHON}:winner"}
    runner_up = {c.achievement_key for c in my_credentials(engine, other_actor)}
    assert runner_up == {f"hackathon:{HACKATHON}:participant"}
    actions = [e.action for e in list_events(engine, command_line_actor()).entries]
    for step in ("open_sign_up", "publish_teams", "open_submissions", "start_judging"):
        assert f"hackathon.{step}" in actions
    assert "hackathon.publish_results" in actions
    with pytest.raises(InvalidInput) as finished:
        change_hackathon(engine, admin, HACKATHON, "open_sign_up")
    assert "none (its results are published)" in finished.value.problems[0].rule
