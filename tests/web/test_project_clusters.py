"""Analysts' clusters of similar projects, as a page and through the API."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.register_transfer import import_register
from tests.support.workforce import add_workforce
from tests.web.journeys import API, accessible, signed_in


@pytest.fixture
def shipped(engine: Engine) -> None:
    import_register(engine)
    add_workforce(engine)


def cluster_count(page: str) -> int:
    found = re.search(r'id="clusters-count">(\d+) cluster', page)
    assert found is not None
    return int(found.group(1))


@pytest.mark.usefixtures("shipped")
def test_an_analyst_sees_clusters_with_why_and_may_ask_for_closer_ones(
    client: TestClient,
) -> None:
    signed_in(client, "analyst", "analyst")
    page = accessible(client, "/register/clusters")
    assert "Cluster 1:" in page
    assert 'href="/register/ico-chatbot"' in page
    recommended = cluster_count(page)
    strict = cluster_count(accessible(client, "/register/clusters?closeness=0.3"))
    assert 0 < strict < recommended
    # A value the form does not offer falls back to the recommended closeness.
    assert cluster_count(accessible(client, "/register/clusters?closeness=0.55")) == recommended
    # The register's own record pages are still the records.
    assert client.get("/register/ico-chatbot").status_code == 200


@pytest.mark.usefixtures("shipped")
def test_the_api_gives_the_same_clusters(client: TestClient) -> None:
    signed_in(client, "analyst", "analyst")
    recommended = cluster_count(client.get("/register/clusters").text)
    body = client.get(f"{API}/register/clusters").json()
    assert len(body["clusters"]) == recommended
    assert body["projects"] == 136
    chatbots = next(
        c for c in body["clusters"] if "ico-chatbot" in {m["key"] for m in c["members"]}
    )
    assert "chatbot" in chatbots["shared_terms"]
    assert len(chatbots["organisations"]) == chatbots["size"]
    assert client.get(f"{API}/register/clusters?min_similarity=0.95").status_code == 422


@pytest.mark.usefixtures("shipped")
def test_only_analysts_see_clusters(client: TestClient) -> None:
    assert client.get(f"{API}/register/clusters").status_code == 401
    signed_in(client, "stranger")
    assert client.get("/register/clusters").status_code == 403
    assert client.get(f"{API}/register/clusters").status_code == 403
