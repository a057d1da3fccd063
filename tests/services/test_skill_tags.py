"""Learning items' skill tags: a learning admin confirms one (what the item teaches grows by the
tag's framework skills, audited) or rejects it (exactly those are removed, and tagging again does
not bring it back); nobody else may."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import command_line_actor
from mobilise.services.audit import NotPermitted, list_events
from mobilise.services.learning import LearningItemNotFound, get_item
from mobilise.services.skill_tags import (
    LearningTagNotFound,
    item_tags,
    review_tag,
    tag_learning_catalogue,
)
from mobilise.store.database import reading
from mobilise.store.models import LearningItemTag
from tests.support.learning_tags import PYTHON, add_tagged_course
from tests.support.workforce import add_workforce


@pytest.fixture
def tagged(engine: Engine) -> Engine:
    add_tagged_course(engine)
    return engine


def test_confirming_a_tag_teaches_its_framework_skills_and_rejecting_removes_them(
    tagged: Engine,
) -> None:
    tags = {t.esco_key: t for t in item_tags(tagged, "python-for-analysis")}
    assert tags[PYTHON].status == "inferred"
    assert "Python" in tags[PYTHON].span
    assert get_item(tagged, "python-for-analysis").summary.teaches == []

    confirmed = review_tag(tagged, command_line_actor(), "python-for-analysis", PYTHON, "confirm")
    assert confirmed.status == "confirmed"
    taught = get_item(tagged, "python-for-analysis").summary.teaches
    assert {t.skill_key for t in taught} == set(confirmed.skills) != set()
    assert {int(t.level) for t in taught} == {2}

    review_tag(tagged, command_line_actor(), "python-for-analysis", PYTHON, "reject")
    assert get_item(tagged, "python-for-analysis").summary.teaches == []
    events = [e.action for e in list_events(tagged, command_line_actor()).entries]
    assert "learning.tag_confirmed" in events
    assert "learning.tag_rejected" in events

    # Tagging again keeps the decision: the rejected tag is neither replaced nor inferred anew.
    tag_learning_catalogue(tagged, top=10, min_score=0.0)
    again = {t.esco_key: t for t in item_tags(tagged, "python-for-analysis")}
    assert again[PYTHON].status == "rejected"
    with reading(tagged) as session:
        rows = session.scalars(
            select(LearningItemTag.status).where(LearningItemTag.esco_key == PYTHON)
        ).all()
    assert rows == ["rejected"]


def test_a_skill_the_catalogue_declared_survives_rejecting_a_tag(tagged: Engine) -> None:
    first = review_tag(tagged, None, "python-for-analysis", PYTHON, "confirm", level=3)
    # Confirming twice adds nothing more; rejecting removes what the first confirmation added.
    review_tag(tagged, None, "python-for-analysis", PYTHON, "confirm", level=1)
    taught = get_item(tagged, "python-for-analysis").summary.teaches
    assert {(t.skill_key, int(t.level)) for t in taught} == {(k, 3) for k in first.skills}


def test_only_service_admins_review_and_bad_input_is_named(tagged: Engine) -> None:
    add_workforce(tagged)
    person = development_sign_in(tagged, "analyst", [])
    with pytest.raises(NotPermitted):
        review_tag(tagged, person, "python-for-analysis", PYTHON, "confirm")
    with pytest.raises(InvalidInput, match="confirm or reject"):
        review_tag(tagged, None, "python-for-analysis", PYTHON, "maybe")
    with pytest.raises(InvalidInput, match="level 1 to 4"):
        review_tag(tagged, None, "python-for-analysis", PYTHON, "confirm", level=7)
    with pytest.raises(LearningTagNotFound):
        review_tag(tagged, None, "python-for-analysis", "esco:nothing", "confirm")
    with pytest.raises(LearningItemNotFound):
        review_tag(tagged, None, "no-such-item", PYTHON, "confirm")
    assert all(t.status == "inferred" for t in item_tags(tagged, "python-for-analysis"))
