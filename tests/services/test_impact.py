"""Programme impact on generated demo data with a known planted effect (services/impact_demo.py):
the AI Accelerator's pilot participants gain PLANTED_UPLIFT levels; the leaders' pilot none."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from mobilise.services.actors import command_line_actor
from mobilise.services.demo import generate_demo
from mobilise.services.impact import OUTCOMES, programme_impact
from mobilise.services.impact_demo import PLANTED_UPLIFT, generate_impact_history
from mobilise.services.programme_demo import generate_demo_programmes
from mobilise.services.programmes import ProgrammeNotFound

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo_engine(sqlite_engine: Engine) -> Engine:
    generate_demo(sqlite_engine, people=3000, seed=7)
    generate_demo_programmes(sqlite_engine, seed=7, today=TODAY)
    assert generate_impact_history(sqlite_engine, seed=7, today=TODAY) == 80
    return sqlite_engine


def test_the_impact_recovers_the_planted_uplift_and_finds_none_for_the_placebo(
    demo_engine: Engine,
) -> None:
    operator = command_line_actor()
    planted = programme_impact(demo_engine, operator, "ai-accelerator", today=TODAY)
    (pilot,) = planted.cohorts
    assert pilot.key == "ai-accelerator-pilot"
    assert pilot.participants == 40
    # Cohorts 1 and 2 have not been followed up for a year yet.
    assert {key for key, _, _ in planted.waiting} == {"ai-accelerator-1", "ai-accelerator-2"}
    for follow_up in pilot.follow_ups:
        assert follow_up.effect is not None
        assert follow_up.effect.contains(PLANTED_UPLIFT), follow_up
        assert not follow_up.effect.contains(0.0), follow_up
        assert follow_up.level_before is not None
        assert follow_up.level_after is not None
        # Participants' own change includes their organisations' upward trend: more than the
        # effect, which takes off the matched non-participants' change.
        change, effect = follow_up.effect.participants_change, follow_up.effect.estimate
        assert change is not None
        assert effect is not None
        assert change > effect
    placebo = programme_impact(demo_engine, operator, "digital-leaders", today=TODAY)
    (leaders,) = placebo.cohorts
    for follow_up in leaders.follow_ups:
        assert follow_up.effect is not None
        assert follow_up.effect.contains(0.0), follow_up
        assert not follow_up.effect.contains(PLANTED_UPLIFT), follow_up


def test_every_published_count_passes_disclosure_control(demo_engine: Engine) -> None:
    impact = programme_impact(
        demo_engine, command_line_actor(), "ai-accelerator", today=TODAY, threshold=15
    )
    (pilot,) = impact.cohorts
    counts = [pilot.participants, impact.participants, *pilot.outcomes.values()]
    counts += [impact.outcomes[key] for key, _ in OUTCOMES]
    for follow_up in pilot.follow_ups:
        counts += [follow_up.people, follow_up.pairs, follow_up.unmatched]
    assert all(c is None or c == 0 or c >= 15 for c in counts)
    # With a threshold above the cohort's size, nothing about it is published.
    hidden = programme_impact(
        demo_engine, command_line_actor(), "ai-accelerator", today=TODAY, threshold=41
    )
    (pilot,) = hidden.cohorts
    assert pilot.participants is None
    assert all(f.effect is None and f.level_before is None for f in pilot.follow_ups)


def test_an_unknown_programme_is_not_found(demo_engine: Engine) -> None:
    with pytest.raises(ProgrammeNotFound):
        programme_impact(demo_engine, command_line_actor(), "no-such-programme", today=TODAY)
