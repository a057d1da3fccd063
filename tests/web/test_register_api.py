"""`/api/v1/register`: the published records by cursor, filtered, and one with similar ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.register_transfer import import_register
from mobilise.web.app import create_app
from tests.web.test_register_pages import OURS, write_records


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    import_register(engine)
    import_register(engine, write_records(tmp_path / "ours", OURS))
    with TestClient(create_app(engine=engine)) as test_client:
        yield test_client


def test_following_next_lists_every_record_once(client: TestClient) -> None:
    keys: list[str] = []
    url: str | None = "/api/v1/register?limit=40"
    while url is not None:
        body = client.get(url).json()
        keys.extend(item["key"] for item in body["items"])
        url = body["next"]

    assert body["total"] == 138
    assert len(keys) == len(set(keys)) == 138


def test_filters_combine(client: TestClient) -> None:
    found = client.get(
        "/api/v1/register",
        params={"q": "chatbot", "function": "general-public-services", "region": "london"},
    ).json()

    assert [item["key"] for item in found["items"]] == ["barnet-parking-permit-chatbot"]
    assert found["items"][0]["organisation"] == "london-borough-of-barnet"
    assert found["items"][0]["phase"] == "production"


@pytest.mark.parametrize(
    ("name", "value"), [("phase", "nonsense"), ("region", "atlantis"), ("function", "x")]
)
def test_a_value_outside_the_finder_facets_is_refused_by_name(
    client: TestClient, name: str, value: str
) -> None:
    response = client.get("/api/v1/register", params={name: value})

    assert response.status_code == 422
    assert value in response.text


def test_a_record_with_similar_projects(client: TestClient) -> None:
    body = client.get("/api/v1/register/barnet-parking-permit-chatbot").json()

    assert body["record"]["function"] == ["general-public-services"]
    assert body["similar"][0]["key"] == "bristol-parking-permit-chatbot"
    assert "parking" in " ".join(body["similar"][0]["shared_terms"])
    assert body["similar"][0]["score"] > body["similar"][-1]["score"] > 0
    assert client.get("/api/v1/register/no-such-project").status_code == 404
