"""Analysts' clusters of similar projects: the shipped records, drafts by organisation, access."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted
from mobilise.services.register_clusters import RegisterClusters, register_clusters
from mobilise.services.register_transfer import import_register
from tests.support.register_projects import add_project
from tests.support.workforce import add_workforce


def analyst_of(*organisations: int) -> Actor:
    return Actor(
        account_id=7,
        display_name="Analyst",
        roles=frozenset({Role.ANALYST}),
        grants=frozenset((Role.ANALYST, org) for org in organisations),
    )


def cluster_of(found: RegisterClusters, key: str) -> set[str]:
    for cluster in found.clusters:
        keys = {m.key for m in cluster.members}
        if key in keys:
            return keys
    return set()


@pytest.fixture
def shipped(engine: Engine) -> Engine:
    import_register(engine)
    return engine


def test_related_shipped_records_land_together(shipped: Engine) -> None:
    found = register_clusters(shipped, analyst_of())
    assert found.projects == 136
    assert found.drafts == 0
    chatbots = {
        "barnet-council-ami-chatbot",
        "cafcass-genesys-chatbot",
        "ico-chatbot",
        "lgsco-lgsco-chatbot",
    }
    assert chatbots <= cluster_of(found, "ico-chatbot")
    correspondence = {
        "dfe-correspondence-drafter",
        "fcdo-correspondence-triage",
        "hmt-correspondence-triage-automation-tool",
    }
    assert correspondence <= cluster_of(found, "fcdo-correspondence-triage")
    # Document summarisers and question answerers over documents, in two departments.
    assert {"dbt-redbox", "dsit-redbox", "survey-summarisation-tool"} <= cluster_of(
        found, "dsit-redbox"
    )
    assert not cluster_of(found, "ico-chatbot") & correspondence
    ico = next(c for c in found.clusters if "ico-chatbot" in {m.key for m in c.members})
    assert "chatbot" in ico.shared_terms
    assert len(ico.organisations) == ico.size
    assert found.across_organisations >= 10


def test_largest_first_numbered_and_the_same_each_time(shipped: Engine) -> None:
    first = register_clusters(shipped, analyst_of())
    sizes = [c.size for c in first.clusters]
    assert sizes == sorted(sizes, reverse=True)
    assert min(sizes) >= 2
    assert [c.number for c in first.clusters] == list(range(1, len(sizes) + 1))
    register_clusters(shipped, analyst_of(), min_similarity=0.3)
    assert register_clusters(shipped, analyst_of()) == first


def test_a_stricter_threshold_gives_fewer_projects_in_clusters(shipped: Engine) -> None:
    loose = register_clusters(shipped, analyst_of(), min_similarity=0.1)
    strict = register_clusters(shipped, analyst_of(), min_similarity=0.3)
    assert strict.clustered < loose.clustered


def test_drafts_only_for_analysts_of_their_organisation(engine: Engine) -> None:
    workforce = add_workforce(engine)
    text = "A webchat chatbot answers residents' questions about {} on the website."
    add_project(engine, "a-tax-bot", workforce.org_a, "Tax chatbot", text.format("tax"))
    add_project(engine, "b-bin-bot", workforce.org_b, "Bins chatbot", text.format("bins"))
    add_project(
        engine,
        "a-draft-bot",
        workforce.org_a,
        "Parking chatbot",
        text.format("parking"),
        status="draft",
    )
    ours = register_clusters(engine, analyst_of(workforce.org_a))
    assert ours.drafts == 1
    assert cluster_of(ours, "a-draft-bot") == {"a-tax-bot", "b-bin-bot", "a-draft-bot"}
    draft = next(m for c in ours.clusters for m in c.members if m.key == "a-draft-bot")
    assert not draft.published
    theirs = register_clusters(engine, analyst_of(workforce.org_b))
    assert theirs.drafts == 0
    assert theirs.projects == 2
    assert cluster_of(theirs, "a-tax-bot") == {"a-tax-bot", "b-bin-bot"}
    assert register_clusters(engine, Actor(None, "command line")).projects == 3


def test_a_new_project_changes_the_clusters_at_once(engine: Engine) -> None:
    workforce = add_workforce(engine)
    text = "Satellite imagery maps flood risk along rivers for {}."
    add_project(engine, "a-flood", workforce.org_a, "Flood maps", text.format("planners"))
    assert register_clusters(engine, analyst_of()).clusters == ()
    add_project(engine, "b-flood", workforce.org_b, "Flood risk", text.format("insurers"))
    assert cluster_of(register_clusters(engine, analyst_of()), "a-flood") == {
        "a-flood",
        "b-flood",
    }


def test_only_analysts_see_clusters(engine: Engine) -> None:
    person = Actor(3, "Person", person_id=1, roles=frozenset({Role.PERSON}))
    with pytest.raises(NotPermitted):
        register_clusters(engine, person)


@pytest.mark.parametrize("threshold", [0.0, 0.04, 0.95])
def test_thresholds_out_of_range_are_refused_by_name(engine: Engine, threshold: float) -> None:
    with pytest.raises(InvalidInput) as error:
        register_clusters(engine, analyst_of(), min_similarity=threshold)
    assert error.value.problems[0].column == "min_similarity"
