"""The demo hackathons: one run through to published results, one open for sign-up."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from mobilise.services.actors import command_line_actor
from mobilise.services.credentials import issued_by
from mobilise.services.demo import generate_demo
from mobilise.services.hackathon_demo import generate_demo_hackathons, hackathons_are_empty
from mobilise.services.hackathon_judging import public_results
from mobilise.services.hackathons import get_hackathon, list_hackathons
from mobilise.services.organisations import ensure_default_organisations
from mobilise.services.register_transfer import import_register
from mobilise.store.database import reading
from mobilise.store.models import HackathonScore


def test_the_demo_runs_one_hackathon_to_results_and_opens_another(sqlite_engine: Engine) -> None:
    ensure_default_organisations(sqlite_engine)
    generate_demo(sqlite_engine, people=300, seed=7, history=False)
    import_register(sqlite_engine)
    assert hackathons_are_empty(sqlite_engine)
    made = generate_demo_hackathons(sqlite_engine, seed=7)
    assert (made.hackathons, made.participants) == (2, 32)

    operator = command_line_actor()
    states = {h.key: h.state.value for h in list_hackathons(sqlite_engine, operator)}
    assert states == {"ai-public-services-hack": "results_published", "ai-hack-spring": "open"}
    past = get_hackathon(sqlite_engine, operator, "ai-public-services-hack")
    assert sum(1 for c in past.challenges if c.project_key) == 3
    results = public_results(sqlite_engine, "ai-public-services-hack")
    assert len(results.teams) == 6
    assert results.teams[0].rank == 1
    assert all(t.submission is not None for t in results.teams)
    with reading(sqlite_engine) as session:
        assert session.scalar(select(func.count()).select_from(HackathonScore)) == 4 * 6
    organiser = past.summary.organisation_key
    kinds = {c.achievement_key for c in issued_by(sqlite_engine, operator, organiser)}
    assert "hackathon:ai-public-services-hack:winner" in kinds
    assert not hackathons_are_empty(sqlite_engine)
