"""The learning catalogue service: browsing, items, completions that become claims, the solver's
input, and the demo catalogue."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.framework import SkillLevel
from mobilise.core.learning.catalogue import prepare_catalogue
from mobilise.core.learning.pathway import plan_pathway
from mobilise.core.problems import InvalidInput
from mobilise.core.records.learning_items import find_prerequisite_cycles
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role
from mobilise.services.framework import UnknownFramework
from mobilise.services.learning import (
    LearningItemNotFound,
    catalogue_is_empty,
    ensure_demo_catalogue,
    generate_demo_catalogue,
    get_item,
    list_items,
    list_providers,
    load_catalogue,
)
from mobilise.services.learning_completions import (
    completed_item_ids,
    list_completions,
    record_completion,
)
from mobilise.services.people import PersonNotFound
from mobilise.services.transfer import import_learning_items
from mobilise.store.database import reading
from mobilise.store.models import AuditEvent, LearningCompletion, SkillClaim, SkillRecord
from tests.support.workforce import Workforce, add_workforce

CATALOGUE = (
    "key,title,provider,format,hours,cost,teaches,prerequisites,description\n"
    "sql-intro,Introduction to SQL,Learning Co,article,0.25,,data-modelling:awareness,,\n"
    "sql-practice,Practical SQL,Meridian,workshop,7,450,"
    "data-modelling:working; accessibility:1,sql-intro,Two days of queries\n"
    "sql-expert,Advanced SQL,Learning Co,course,40,1200.50,data-modelling:practitioner,"
    "sql-practice,\n"
    "a11y,Accessibility basics,Meridian,e-learning,1,,accessibility:working,,100% online\n"
)


@pytest.fixture
def catalogue(engine: Engine) -> Engine:
    import_learning_items(engine, io.BytesIO(CATALOGUE.encode()), format="csv", name="c.csv")
    return engine


@pytest.fixture
def workforce(catalogue: Engine) -> Workforce:
    return add_workforce(catalogue)


def keys(page: object) -> list[str]:
    return [item.key for item in page.items]  # type: ignore[attr-defined]


def test_items_are_listed_by_title_in_pages(catalogue: Engine) -> None:
    first = list_items(catalogue, page_size=3)
    assert (first.total, first.pages) == (4, 2)
    assert keys(first) == ["a11y", "sql-expert", "sql-intro"]
    assert keys(list_items(catalogue, page=2, page_size=3)) == ["sql-practice"]
    practice = list_items(catalogue, page=2, page_size=3).items[0]
    assert (practice.hours, practice.cost_pence, practice.cost_pounds) == (
        Decimal(7),
        45000,
        "£450.00",
    )
    assert [(t.skill_key, t.level) for t in practice.teaches] == [
        ("accessibility", SkillLevel.AWARENESS),
        ("data-modelling", SkillLevel.WORKING),
    ]
    assert first.items[0].cost_pounds == "Free"


def test_search_filters_by_text_format_provider_and_skill(catalogue: Engine) -> None:
    assert keys(list_items(catalogue, query="sql")) == ["sql-expert", "sql-intro", "sql-practice"]
    assert keys(list_items(catalogue, query="QUERIES")) == ["sql-practice"]
    # % and _ are searched for as themselves.
    assert keys(list_items(catalogue, query="100%")) == ["a11y"]
    assert keys(list_items(catalogue, query="1_0")) == []
    assert keys(list_items(catalogue, format="workshop")) == ["sql-practice"]
    assert keys(list_items(catalogue, provider="Meridian")) == ["a11y", "sql-practice"]
    assert keys(list_items(catalogue, skill="accessibility")) == ["a11y", "sql-practice"]
    assert keys(list_items(catalogue, skill="accessibility", format="e-learning")) == ["a11y"]
    assert list_providers(catalogue) == ["Learning Co", "Meridian"]


def test_bad_filters_and_pages_are_named(catalogue: Engine) -> None:
    with pytest.raises(InvalidInput, match="'podcast': is not a learning format"):
        list_items(catalogue, format="podcast")
    with pytest.raises(InvalidInput, match="page_size"):
        list_items(catalogue, page_size=0)
    with pytest.raises(InvalidInput, match="page"):
        list_items(catalogue, page=0)
    with pytest.raises(UnknownFramework):
        list_items(catalogue, skill="accessibility", framework="nope")


def test_an_item_shows_its_skills_prerequisites_and_dependants(catalogue: Engine) -> None:
    item = get_item(catalogue, "sql-practice")
    assert item.summary.title == "Practical SQL"
    assert item.description == "Two days of queries"
    assert [p.key for p in item.prerequisites] == ["sql-intro"]
    assert [p.key for p in item.required_by] == ["sql-expert"]
    assert item.completions == 0
    with pytest.raises(LearningItemNotFound):
        get_item(catalogue, "ghost")


def claims_of(engine: Engine, person: int) -> list[tuple[str, int, str, date, str]]:
    with reading(engine) as session:
        rows = session.execute(
            select(
                SkillRecord.key,
                SkillClaim.level,
                SkillClaim.source,
                SkillClaim.claimed_on,
                SkillClaim.evidence,
            )
            .join(SkillRecord, SkillRecord.id == SkillClaim.skill_id)
            .where(SkillClaim.person_id == person, SkillClaim.source == "learning")
            .order_by(SkillRecord.key)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_completion_claims_each_skill_at_the_level_taught(
    catalogue: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(catalogue, "analyst", [])
    on = date(2025, 3, 14)
    done = record_completion(catalogue, analyst, "analyst", "sql-practice", completed_on=on)
    assert [(c.skill_key, c.level, c.outcome) for c in done.claims] == [
        ("accessibility", SkillLevel.AWARENESS, "created"),
        ("data-modelling", SkillLevel.WORKING, "created"),
    ]
    claims = claims_of(catalogue, workforce.people["analyst"])
    assert [(skill, level, source, when) for skill, level, source, when, _ in claims] == [
        ("accessibility", 1, "learning", on),
        ("data-modelling", 2, "learning", on),
    ]
    assert "Practical SQL" in claims[0][4]
    assert [c.item_key for c in list_completions(catalogue, analyst, "analyst")] == ["sql-practice"]
    assert get_item(catalogue, "sql-practice").completions == 1
    with reading(catalogue) as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.organisation_id, AuditEvent.actor_label)
            .where(AuditEvent.action.in_(["learning.completed", "claim.learning_recorded"]))
            .order_by(AuditEvent.id)
        ).all()
    assert [action for action, _, _ in events] == [
        "claim.learning_recorded",
        "claim.learning_recorded",
        "learning.completed",
    ]
    assert {org for _, org, _ in events} == {workforce.org_a}


def test_a_second_item_the_same_day_raises_a_claim_and_never_lowers_it(
    catalogue: Engine, workforce: Workforce
) -> None:
    on = date(2025, 3, 14)
    record_completion(catalogue, None, "analyst", "sql-practice", completed_on=on)
    raised = record_completion(catalogue, None, "analyst", "a11y", completed_on=on)
    assert [(c.skill_key, c.level, c.outcome) for c in raised.claims] == [
        ("accessibility", SkillLevel.WORKING, "raised")
    ]
    kept = record_completion(catalogue, None, "analyst", "sql-intro", completed_on=on)
    assert [(c.skill_key, c.level, c.outcome) for c in kept.claims] == [
        ("data-modelling", SkillLevel.WORKING, "kept")
    ]
    claims = {
        skill: (level, evidence)
        for skill, level, _, _, evidence in claims_of(catalogue, workforce.people["analyst"])
    }
    assert claims["accessibility"][0] == 2
    assert claims["data-modelling"][0] == 2
    assert claims["data-modelling"][1].count("Completed") == 2


def test_completions_on_other_days_are_claims_of_their_own(
    catalogue: Engine, workforce: Workforce
) -> None:
    record_completion(catalogue, None, "analyst", "a11y", completed_on=date(2024, 1, 1))
    record_completion(catalogue, None, "analyst", "a11y", completed_on=date(2025, 1, 1))
    assert len(claims_of(catalogue, workforce.people["analyst"])) == 2


def test_bad_completions_change_nothing(catalogue: Engine, workforce: Workforce) -> None:
    on = date(2025, 3, 14)
    record_completion(catalogue, None, "analyst", "a11y", completed_on=on)
    with reading(catalogue) as session:
        before = session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(InvalidInput, match="already recorded as completed by analyst"):
        record_completion(catalogue, None, "analyst", "a11y", completed_on=on)
    with pytest.raises(InvalidInput, match="must not be in the future"):
        record_completion(
            catalogue, None, "analyst", "a11y", completed_on=date.today() + timedelta(days=2)
        )
    with pytest.raises(LearningItemNotFound):
        record_completion(catalogue, None, "analyst", "ghost")
    with pytest.raises(PersonNotFound):
        record_completion(catalogue, None, "ghost", "a11y")
    with reading(catalogue) as session:
        assert session.scalar(select(func.count(AuditEvent.id))) == before
        assert session.scalar(select(func.count(LearningCompletion.id))) == 1


def test_only_those_who_may_see_a_person_record_their_completions(
    catalogue: Engine, workforce: Workforce
) -> None:
    lead = development_sign_in(catalogue, "lead", [])
    stranger = development_sign_in(catalogue, "stranger", [])
    admin_b = development_sign_in(catalogue, "b-admin", [Role.ORGANISATION_ADMIN])
    admin_a = development_sign_in(catalogue, "outsider", [Role.ORGANISATION_ADMIN])
    record_completion(catalogue, lead, "analyst", "a11y")  # their manager
    record_completion(catalogue, admin_a, "analyst", "sql-intro")  # their organisation's admin
    for actor in (stranger, admin_b):
        with pytest.raises(PersonNotFound):
            record_completion(catalogue, actor, "analyst", "sql-practice")
        with pytest.raises(PersonNotFound):
            list_completions(catalogue, actor, "analyst")
    with pytest.raises(PersonNotFound):
        record_completion(catalogue, lead, "boss", "a11y")  # above them, not below
    assert len(list_completions(catalogue, lead, "analyst")) == 2


def test_the_solver_reads_the_catalogue_as_ids_and_exact_numbers(
    catalogue: Engine, workforce: Workforce
) -> None:
    items = {item.key: item for item in load_catalogue(catalogue)}
    assert set(items) == {"sql-intro", "sql-practice", "sql-expert", "a11y"}
    with reading(catalogue) as session:
        skill = dict(session.execute(select(SkillRecord.key, SkillRecord.id)).all())
    practice = items["sql-practice"]
    assert practice.teaches == {
        skill["data-modelling"]: SkillLevel.WORKING,
        skill["accessibility"]: SkillLevel.AWARENESS,
    }
    assert practice.prerequisites == frozenset({items["sql-intro"].id})
    assert (practice.hours, practice.cost_pence) == (Decimal(7), 45000)
    assert items["sql-expert"].cost_pence == 120050
    assert load_catalogue(catalogue, framework="ddat") == list(items.values())
    record_completion(catalogue, None, "analyst", "sql-intro")
    assert completed_item_ids(catalogue, workforce.people["analyst"]) == {items["sql-intro"].id}


def test_the_demo_catalogue_loads_once_into_an_empty_catalogue(engine: Engine) -> None:
    assert catalogue_is_empty(engine)
    assert ensure_demo_catalogue(engine, seed=5, items=120) == 120
    assert ensure_demo_catalogue(engine, seed=5, items=120) == 0
    again = generate_demo_catalogue(engine, seed=5, items=120)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 120)
    items = load_catalogue(engine)
    assert len(items) == 120
    requires = {item.key: [] for item in items}
    by_id = {item.id: item.key for item in items}
    for item in items:
        requires[item.key] = [by_id[i] for i in item.prerequisites]
    assert find_prerequisite_cycles(requires) == []
    page = list_items(engine, query="synthetic", page_size=500)
    assert page.total == 120
    with reading(engine) as session:
        action = session.scalar(
            select(AuditEvent.entity_key).where(AuditEvent.action == "learning_items.imported")
        )
    assert action == "demo catalogue (seed 5)"


def test_a_negative_demo_size_is_refused(engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="items"):
        generate_demo_catalogue(engine, seed=1, items=-1)


def test_the_loaded_catalogue_plans_pathways_as_it_is(engine: Engine) -> None:
    generate_demo_catalogue(engine, seed=20260401, items=400)
    items = load_catalogue(engine)
    catalogue = prepare_catalogue(items)
    # A gap every demo ladder can close: the first ten skills taught to working level.
    with reading(engine) as session:
        skills = list(session.scalars(select(SkillRecord.id).order_by(SkillRecord.key).limit(10)))
    pathway = plan_pathway(catalogue, {}, dict.fromkeys(skills, 2))
    assert pathway.status == "optimal"
    assert pathway.unclosable == ()
    placed: set[int] = set()
    for step in pathway.steps:
        assert step.item.title  # the service's own items come back, titles and all
        assert step.item.prerequisites <= placed  # nothing completed: every one comes first
        placed.add(step.item.id)
    assert pathway.hours == sum(step.item.hours for step in pathway.steps)
