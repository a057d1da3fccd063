"""Targets: the published four are seeded; progress comes from the store, protected; changes are
checked, audited and all or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import command_line_actor
from mobilise.services.demo import generate_demo
from mobilise.services.targets import (
    UnknownTarget,
    get_target,
    list_targets,
    remove_target,
    set_target,
    target_progress,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Application,
    AuditEvent,
    Cohort,
    Organisation,
    Person,
    Programme,
    Target,
)

ACTOR = command_line_actor()


@pytest.fixture
def demo_engine(engine: Engine) -> Engine:
    generate_demo(engine, people=1500, seed=11, claims_per_person=2.0)
    return engine


def test_the_four_published_targets_are_there(engine: Engine) -> None:
    targets = {t.key: t for t in list_targets(engine, ACTOR)}
    assert set(targets) == {
        "ddat-share-2030",
        "double-ddat-profession",
        "techtrack-apprentices-2030",
        "techtrack-outside-london",
    }
    double = targets["double-ddat-profession"]
    assert (double.baseline, double.value, double.baseline_on) == (
        20_010,
        40_020,
        date(2022, 3, 31),
    )
    assert targets["ddat-share-2030"].value == pytest.approx(0.10)


def test_the_share_target_measures_ddat_people_over_everyone_each_month(
    demo_engine: Engine, tmp_path: Path
) -> None:
    progress = target_progress(demo_engine, ACTOR, "ddat-share-2030", path=tmp_path / "a.duckdb")
    assert progress.outlook is not None
    latest = progress.outlook.current
    with reading(demo_engine) as session:
        in_post = select(func.count()).select_from(Person).where(Person.left_on.is_(None))
        everyone = session.scalar(in_post)
        ddat = session.scalar(in_post.where(Person.role_level_id.is_not(None)))
    assert everyone
    assert ddat
    assert latest.value == pytest.approx(ddat / everyone)
    # Fitted from the baseline on where four published months follow it, else over them all.
    after = [o for o in progress.observations if o.on >= date(2022, 3, 31)]
    first = date(2022, 3, 31) if len(after) >= 4 else progress.observations[0].on
    assert progress.outlook.projection.fitted_from >= first
    assert progress.projected is not None
    assert progress.projected.rows[-1].key == "2030-03-31"
    assert [row.key[5:] for row in progress.trajectory.rows[:-1]] == ["03-31"] * (
        len(progress.trajectory.rows) - 1
    )


def test_organisation_targets_are_refused_for_disclosure(engine: Engine) -> None:
    view = replace(
        get_target(engine, ACTOR, "double-ddat-profession"), key="org", scope="organisation:x"
    )
    with pytest.raises(InvalidInput, match="by-organisation table hides"):
        set_target(engine, ACTOR, view)


def _programme_with_participants(engine: Engine, small_cohort: bool = False) -> None:
    """Six monthly cohorts of 25 applicants (15 accepted); optionally a seventh with 7."""
    now = datetime(2024, 1, 1, tzinfo=UTC)
    with transaction(engine) as session:
        organisation = session.scalar(select(Organisation.id).limit(1))
        assert organisation is not None
        programme = Programme(
            key="techtrack",
            name="TechTrack",
            kind="apprenticeship",
            summary="",
            organisation_id=organisation,
            rubric="[]",
            created_at=now,
        )
        session.add(programme)
        session.flush()
        people = list(
            session.scalars(select(Person).where(Person.left_on.is_(None)).order_by(Person.id))
        )
        for month in range(7 if small_cohort else 6):
            cohort = Cohort(
                key=f"tt-{month}",
                programme_id=programme.id,
                name=f"Intake {month}",
                starts_on=date(2024, 1 + month, 1),
                ends_on=date(2025, 1 + month, 1),
                capacity=25,
                created_at=now,
            )
            session.add(cohort)
            session.flush()
            accepted = 7 if month == 6 else 15
            for k, person in enumerate(people[month * 25 : month * 25 + 25]):
                session.add(
                    Application(
                        key=f"tt-{month}-{k}",
                        cohort_id=cohort.id,
                        person_id=person.id,
                        statement="",
                        state="accepted" if k < accepted else "not_selected",
                        submitted_at=now,
                        updated_at=now,
                    )
                )


def test_programme_targets_count_accepted_people_by_cohort_start(demo_engine: Engine) -> None:
    _programme_with_participants(demo_engine)
    progress = target_progress(demo_engine, ACTOR, "techtrack-apprentices-2030")
    assert [o.value for o in progress.observations] == [15, 30, 45, 60, 75, 90]
    assert progress.outlook is not None
    # 15 a month is 180 a year: from 90 in June 2024, about 1,130 by March 2030, short of 2,000.
    assert progress.outlook.projection.slope_per_year == pytest.approx(180, rel=0.02)
    assert progress.outlook.at_deadline == pytest.approx(1_130, rel=0.02)
    assert not progress.outlook.on_track
    share = target_progress(demo_engine, ACTOR, "techtrack-outside-london")
    with reading(demo_engine) as session:
        accepted = (
            select(Person.region)
            .join(Application, Application.person_id == Person.id)
            .where(Application.state == "accepted")
        )
        regions = list(session.scalars(accepted))
    outside = sum(r != "London" for r in regions) / len(regions)
    assert share.observations[-1].value == pytest.approx(outside)


def test_the_participant_series_never_reveals_a_cohort_the_funnels_hide(
    demo_engine: Engine,
) -> None:
    _programme_with_participants(demo_engine, small_cohort=True)
    progress = target_progress(demo_engine, ACTOR, "techtrack-apprentices-2030")
    values = [o.value for o in progress.observations]
    # The funnels hide the small cohort's 7 and, as its complement, the first cohort's 15: every
    # month that includes the first cohort but not the last is hidden too, else 97 - 90 = 7.
    assert values == [97]
    assert all(abs(a - b) != 7 for a in values for b in values)
    assert [row.figures[0] for row in progress.trajectory.rows] == [None, 97]


def test_a_bad_target_is_refused_naming_every_problem_and_nothing_changes(engine: Engine) -> None:
    good = get_target(engine, ACTOR, "ddat-share-2030")
    bad = replace(good, key="bad", metric="ddat_share", value=1.5, scope="programme:nothing")
    with pytest.raises(InvalidInput) as raised:
        set_target(engine, ACTOR, bad)
    columns = {p.column for p in raised.value.problems}
    assert {"value", "scope"} <= columns
    with reading(engine) as session:
        assert session.scalar(select(Target).where(Target.key == "bad")) is None


def test_setting_and_removing_a_target_is_audited(engine: Engine) -> None:
    view = replace(get_target(engine, ACTOR, "ddat-share-2030"), key="ddat-share-2028")
    view = replace(view, deadline=date(2028, 3, 31), value=0.08)
    set_target(engine, ACTOR, view)
    assert get_target(engine, ACTOR, "ddat-share-2028").value == pytest.approx(0.08)
    remove_target(engine, ACTOR, "ddat-share-2028")
    with pytest.raises(UnknownTarget):
        get_target(engine, ACTOR, "ddat-share-2028")
    with reading(engine) as session:
        actions = list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity_key == "ddat-share-2028")
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["target.set", "target.remove"]


def test_a_programme_target_may_be_changed_before_the_programme_is_set_up(engine: Engine) -> None:
    techtrack = get_target(engine, ACTOR, "techtrack-apprentices-2030")
    set_target(engine, ACTOR, replace(techtrack, value=2_500))
    assert get_target(engine, ACTOR, "techtrack-apprentices-2030").value == 2_500
    progress = target_progress(engine, ACTOR, "techtrack-apprentices-2030")
    assert progress.outlook is None
    assert "0 published observations" in progress.reason
