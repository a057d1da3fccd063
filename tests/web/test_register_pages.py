"""The public AI project register: search, filters, pages of results, a record, downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.register_transfer import import_register
from mobilise.web.app import create_app

SCRIPT = "<script>alert('register')</script>"


def record(title: str, organisation: str, description: str, **fields: Any) -> dict[str, Any]:
    return {
        "title": title,
        "summary": f"{title}: a summary.",
        "description": description,
        "organisation": organisation,
        **fields,
    }


# Our own records beside the shipped ones: with the facets the published records lack.
OURS = {
    "barnet-parking-permit-chatbot": record(
        "Parking permit chatbot",
        "Barnet Council",
        "A webchat chatbot answers residents' questions about parking permits and renewals.",
        phase="production",
        function=["general-public-services"],
        region=["london"],
    ),
    "bristol-parking-permit-chatbot": record(
        "Parking permits chatbot for residents",
        "Bristol City Council",
        "A chatbot on the council website answers residents' parking permit questions. " + SCRIPT,
        phase="beta-pilot",
        function=["general-public-services", "economic-affairs"],
        region=["south-west"],
    ),
}


def write_records(directory: Path, records: dict[str, dict[str, Any]]) -> Path:
    directory.mkdir(exist_ok=True)
    for key, value in records.items():
        (directory / f"{key}.json").write_text(json.dumps(value), encoding="utf-8")
    return directory


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    import_register(engine)
    import_register(engine, write_records(tmp_path / "ours", OURS))
    with TestClient(create_app(engine=engine)) as test_client:
        yield test_client


def listed(page: str) -> list[str]:
    return re.findall(r'href="/register/([a-z0-9-]+)"', page)


def count(page: str) -> int:
    found = re.search(r'id="register-count"[^>]*>([\d,]+) project', page)
    assert found is not None
    return int(found.group(1).replace(",", ""))


def test_the_register_lists_every_published_record_a_page_at_a_time(client: TestClient) -> None:
    first = client.get("/register")
    second = client.get("/register", params={"page": 2})

    assert first.status_code == 200
    assert count(first.text) == 138
    assert 'href="/register.csv"' in first.text
    size = client.app.state.settings.page_size  # type: ignore[attr-defined]
    assert len(listed(first.text)) == min(size, 138)
    assert not set(listed(first.text)) & set(listed(second.text))
    assert 'rel="next"' in first.text
    assert 'rel="prev"' in second.text
    assert "AI register" in first.text  # in the service navigation


def test_words_and_each_facet_filter_the_register(client: TestClient) -> None:
    words = client.get("/register", params={"q": "parking permit"})
    organisation = client.get("/register", params={"organisation": "bristol-city-council"})
    phase = client.get("/register", params={"phase": "production"})
    function = client.get("/register", params={"function": "general-public-services"})
    either = client.get("/register", params={"region": ["london", "south-west"]})
    both = client.get("/register", params={"function": "economic-affairs", "region": "london"})
    combined = client.get("/register", params={"q": "chatbot", "region": "south-west"})

    assert set(listed(words.text)) >= set(OURS)
    # The shipped records include one of Bristol's.
    assert set(listed(organisation.text)) == {
        "bristol-parking-permit-chatbot",
        "bristol-city-council-not-in-education-employment-or-training-model",
    }
    assert listed(phase.text) == ["barnet-parking-permit-chatbot"]
    assert count(function.text) == 2
    assert sorted(listed(either.text)) == sorted(OURS)
    assert count(both.text) == 0
    assert listed(combined.text) == ["bristol-parking-permit-chatbot"]
    # The form shows what is chosen, so that the reader can change it.
    assert 'value="south-west" checked' in combined.text
    assert 'value="chatbot"' in combined.text


def test_a_filter_value_no_form_offers_is_left_out(client: TestClient) -> None:
    page = client.get("/register", params={"phase": "nonsense", "region": "atlantis"})

    assert page.status_code == 200
    assert count(page.text) == 138


def test_a_record_page_shows_its_fields_as_text_and_similar_projects(
    client: TestClient,
) -> None:
    page = client.get("/register/bristol-parking-permit-chatbot")

    assert page.status_code == 200
    assert SCRIPT not in page.text
    assert "&lt;script&gt;alert(&#39;register&#39;)&lt;/script&gt;" in page.text
    assert "Beta/Pilot" in page.text  # the finder's label of the phase
    similar = page.text.split('id="similar"', 1)[1]
    assert listed(similar)[0] == "barnet-parking-permit-chatbot"
    assert "Shared terms:" in similar
    assert "parking" in similar


def test_similar_projects_follow_changes_to_the_register(
    client: TestClient, engine: Engine, tmp_path: Path
) -> None:
    before = client.get("/register/barnet-parking-permit-chatbot").text
    import_register(
        engine,
        write_records(
            tmp_path / "more",
            {
                "camden-parking-permit-chatbot": record(
                    "Parking permit chatbot",
                    "Camden Council",
                    "A webchat chatbot answers residents' questions about parking permits and "
                    "renewals.",
                )
            },
        ),
    )
    after = client.get("/register/barnet-parking-permit-chatbot").text

    assert "camden-parking-permit-chatbot" not in before
    assert listed(after.split('id="similar"', 1)[1])[0] == "camden-parking-permit-chatbot"


def test_an_unknown_record_is_not_found(client: TestClient) -> None:
    assert client.get("/register/no-such-project").status_code == 404


def test_the_whole_register_downloads_as_json_and_csv(client: TestClient) -> None:
    as_json = client.get("/register.json")
    as_csv = client.get("/register.csv")

    assert as_json.status_code == as_csv.status_code == 200
    assert "attachment" in as_json.headers["content-disposition"]
    assert as_csv.headers["content-type"].startswith("text/csv")
    records = as_json.json()
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(records) == len(rows) == 138
    assert [r["key"] for r in records] == [r["key"] for r in rows]
    bristol = next(r for r in records if r["key"] == "bristol-parking-permit-chatbot")
    assert bristol["description"].endswith(SCRIPT)
    assert bristol["region"] == ["south-west"]
