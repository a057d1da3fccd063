"""Skill demand no framework skill covers: counted per ESCO skill, examples only from text not
about a person, listed to admins, decided by framework owners."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.core.skills.crosswalk import Found
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.audit import NotPermitted, list_events
from mobilise.services.framework import get_version
from mobilise.services.skill_crosswalk import import_reviews, shipped_reviews_file
from mobilise.services.skill_demand import (
    ChangeRequestNotFound,
    decide_change_request,
    list_change_requests,
    raise_demand,
)
from mobilise.services.skill_suggestions import record_suggestions
from mobilise.store.database import transaction
from tests.support.skill_texts import CV
from tests.support.workforce import Workforce, add_workforce

TEXT = "Runs a bakery; bakes sourdough bread every morning."


def _raise(engine: Engine, score: float, *, text: str | None = None) -> None:
    with transaction(engine) as session:
        version = get_version(session, None)
        found = Found("esco:bake", "bake bread", score, 15, 29)
        raise_demand(session, version.id, [found], text=text, example_source="item bakery")


def test_sightings_are_counted_once_per_skill_and_the_best_example_kept(engine: Engine) -> None:
    _raise(engine, 0.5)
    _raise(engine, 0.7, text=TEXT)
    _raise(engine, 0.6, text="something else entirely")
    requests, total = list_change_requests(engine, command_line_actor())
    assert total == 1
    request = requests[0]
    assert (request.sightings, request.best_score) == (3, 0.7)
    assert request.example == TEXT[15:29].strip()
    assert request.example_source == "item bakery"


def test_a_cv_counts_as_demand_but_leaves_no_example(engine: Engine) -> None:
    add_workforce(engine)
    import_reviews(engine, None, shipped_reviews_file())
    analyst = development_sign_in(engine, "analyst", [])
    recorded = record_suggestions(engine, analyst, CV)
    requests, total = list_change_requests(engine, command_line_actor())
    assert total == recorded.demand
    assert all(r.example == "" for r in requests)


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


def test_admins_read_people_do_not_and_only_framework_owners_decide(
    engine: Engine, workforce: Workforce
) -> None:
    _raise(engine, 0.5)
    request_id = list_change_requests(engine, command_line_actor())[0][0].id
    person = development_sign_in(engine, "analyst", [])
    with pytest.raises(NotPermitted):
        list_change_requests(engine, person)
    admin = development_sign_in(engine, "b-admin", [Role.ORGANISATION_ADMIN])
    assert list_change_requests(engine, admin)[1] == 1
    with pytest.raises(NotPermitted):
        decide_change_request(engine, admin, request_id, "accept")
    with pytest.raises(InvalidInput, match="accept or decline"):
        decide_change_request(engine, command_line_actor(), request_id, "maybe")
    with pytest.raises(ChangeRequestNotFound):
        decide_change_request(engine, command_line_actor(), 999_999, "accept")

    decide_change_request(engine, command_line_actor(), request_id, "decline", "out of scope")

    assert list_change_requests(engine, admin)[1] == 0
    declined = list_change_requests(engine, admin, status="declined")[0]
    assert (declined[0].status, declined[0].note) == ("declined", "out of scope")
    assert list_events(engine, command_line_actor(), action="change_request.declined").total == 1
