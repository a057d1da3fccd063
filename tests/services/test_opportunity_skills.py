"""Required skills suggested from an opportunity's words: shown to its owner while writing it,
stored for those already posted by the tag-opportunities job, and required only once the owner
chooses a level; nobody else sees or answers them."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.audit import NotPermitted, list_events
from mobilise.services.opportunities import (
    OpportunitySpec,
    RequiredSkill,
    get_opportunity,
    post_opportunity,
)
from mobilise.services.opportunity_skills import (
    answer_suggestions,
    stored_suggestions,
    suggest_required_skills,
    tag_opportunities,
)
from mobilise.services.skill_calibration import suggestion_threshold
from mobilise.services.skill_crosswalk import import_reviews, shipped_reviews_file
from mobilise.services.skill_tags import TAG_TOP
from tests.support.marketplace import ROUND, MarketplaceSetup, add_marketplace
from tests.support.thresholds import low_threshold

__all__ = ["low_threshold"]  # a fixture

TITLE = "Data engineer for survey linkage"
SUMMARY = (
    "Write Python (computer programming) and SQL to clean and link survey data; "
    "create data models for the linked tables."
)


@pytest.fixture
def market(engine: Engine, low_threshold: float) -> MarketplaceSetup:
    setup = add_marketplace(engine)
    import_reviews(engine, None, shipped_reviews_file())
    owner = setup.actor(engine, "b-admin", Role.PROGRAMME_ADMIN)
    post_opportunity(
        engine,
        owner,
        OpportunitySpec(
            key="survey-linkage",
            round=ROUND,
            organisation="agency-b",
            kind="loan",
            title=TITLE,
            starts_on=setup.starts_on,
            ends_on=setup.ends_on,
            capacity=1,
            summary=SUMMARY,
            skills=(RequiredSkill("data-modelling", "working"),),
        ),
    )
    return setup


def test_a_description_suggests_framework_skills_with_their_words(
    engine: Engine, market: MarketplaceSetup
) -> None:
    found = suggest_required_skills(engine, TITLE, SUMMARY)
    keys = [s.skill_key for s in found]
    assert "programming-and-build-software-engineering" in keys
    assert all(s.score >= suggestion_threshold() for s in found)
    assert all(s.span and s.span in f"{TITLE}. {SUMMARY}" for s in found)
    with pytest.raises(InvalidInput, match="empty"):
        suggest_required_skills(engine, TITLE, "   ")


def test_the_job_stores_suggestions_the_owner_confirms_or_dismisses(
    engine: Engine, market: MarketplaceSetup
) -> None:
    seen: list[tuple[int, int]] = []
    summary = tag_opportunities(
        engine, None, progress=lambda done, total: seen.append((done, total))
    )
    assert summary.opportunities == 4
    assert seen[-1] == (4, 4)
    owner = market.actor(engine, "b-admin", Role.PROGRAMME_ADMIN)
    stored = stored_suggestions(engine, owner, "survey-linkage")
    keys = [s.skill_key for s in stored]
    assert "data-modelling" not in keys  # already required
    assert "programming-and-build-software-engineering" in keys
    assert len(keys) <= TAG_TOP

    other = market.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    with pytest.raises(NotPermitted):
        stored_suggestions(engine, other, "survey-linkage")
    with pytest.raises(NotPermitted):
        answer_suggestions(engine, other, "survey-linkage", {keys[0]: "working"})
    with pytest.raises(InvalidInput, match="needs a level"):
        answer_suggestions(engine, owner, "survey-linkage", {keys[0]: "guru"})
    with pytest.raises(InvalidInput, match="is not suggested"):
        answer_suggestions(engine, owner, "survey-linkage", {"accessibility": "working"})

    dismissed = keys[1:2]
    answer_suggestions(
        engine, owner, "survey-linkage", {keys[0]: "practitioner"}, dismiss=dismissed
    )
    view = get_opportunity(engine, owner, "survey-linkage")
    required = {r.skill_key: r.required.label for r in view.requirements}
    assert required[keys[0]] == "practitioner"
    left = [s.skill_key for s in stored_suggestions(engine, owner, "survey-linkage")]
    assert left == [k for k in keys if k not in {keys[0], *dismissed}]
    actions = [e.action for e in list_events(engine, command_line_actor()).entries]
    assert "opportunity.skills_confirmed" in actions
