"""Programme funnels and spread: true counts where shown, nothing small, differences protected."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from mobilise.services.actors import command_line_actor
from mobilise.services.analytics.programmes import programme_funnels, programme_spread
from mobilise.store.database import transaction
from mobilise.store.models import Application, Cohort, Organisation, Person, Position, Programme

ACTOR = command_line_actor()
# Cohorts run after the demo history ends (March 2025), so only these moves count. Per cohort
# of 40: 10 not selected, 30 selected, of whom 15 completed and 12 of those moved role.
TRUE_FUNNEL = (40, 30, 30, 15, 12)  # applied, selected, accepted, completed, moved


@pytest.fixture
def programme(demo_engine: Engine) -> Engine:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    with transaction(demo_engine) as session:
        organisation = session.scalar(select(Organisation.id).limit(1))
        assert organisation is not None
        techtrack = Programme(
            key="techtrack",
            name="TechTrack",
            kind="apprenticeship",
            summary="",
            organisation_id=organisation,
            rubric="[]",
            created_at=now,
        )
        session.add(techtrack)
        session.flush()
        people = list(
            session.scalars(select(Person).where(Person.left_on.is_(None)).order_by(Person.id))
        )
        for c in range(3):
            cohort = Cohort(
                key=f"tt-{c}",
                programme_id=techtrack.id,
                name=f"Intake {c}",
                starts_on=date(2025, 6 + c, 1),
                ends_on=date(2026, 6 + c, 1),
                capacity=30,
                created_at=now,
            )
            session.add(cohort)
            session.flush()
            for k, person in enumerate(people[c * 40 : c * 40 + 40]):
                state = "not_selected" if k < 10 else "accepted" if k < 25 else "completed"
                session.add(
                    Application(
                        key=f"tt-{c}-{k}",
                        cohort_id=cohort.id,
                        person_id=person.id,
                        statement="",
                        state=state,
                        submitted_at=now,
                        updated_at=now,
                    )
                )
                if k >= 28:  # 12 of the 15 who completed moved role afterwards
                    session.add(
                        Position(
                            person_id=person.id,
                            organisation_id=person.organisation_id,
                            role_level_id=person.role_level_id,
                            grade=person.grade,
                            region=person.region,
                            started_on=cohort.ends_on + timedelta(days=30),
                        )
                    )
    return demo_engine


def test_funnels_show_true_counts_and_hide_the_small_differences(programme: Engine) -> None:
    table = programme_funnels(programme, ACTOR, threshold=10)
    assert [row.label for row in table.rows] == [
        *(f"TechTrack: Intake {c}" for c in range(3)),
        "TechTrack: all intakes",
    ]
    for row in table.rows[:3]:
        counts = row.figures[:5]
        for shown, truth in zip(counts, TRUE_FUNNEL, strict=True):
            assert shown is None or shown == truth
        # Completed but did not move: 3 people, so completed and moved cannot both be shown.
        assert counts[3] is None or counts[4] is None
        assert counts[0] == 40
    assert table.totals is not None
    assert table.totals.figures[0] == 120


def test_spread_counts_participants_and_consenting_people_only(programme: Engine) -> None:
    table = programme_spread(programme, ACTOR, threshold=10)
    (row,) = table.rows
    participants, outside, aim, consenting, minority = row.figures
    # 90 accepted or completed, but the funnels hide it (each cohort's 10 not selected are the
    # complement of its 3 who completed without moving): 120 applied less 90 would give them.
    funnels = programme_funnels(programme, ACTOR, threshold=10)
    assert funnels.totals is not None
    assert funnels.totals.figures[2] is None
    assert participants is None
    assert aim == pytest.approx(0.60)
    assert consenting is None or consenting <= participants
    assert outside is None or 0 <= outside <= 1
    assert minority is None or 0 <= minority <= 1
