"""Credentials in the pages and the API: a person sees and downloads their own, the public verify
page checks a pasted or uploaded credential without sign-in, the issuer's admins revoke, and
nobody else sees a credential."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.services.accounts import development_sign_in
from mobilise.services.credentials import AchievementSpec, issue_credential
from mobilise.services.gaps import nearest_to
from mobilise.services.learning import ensure_demo_catalogue
from mobilise.services.learning_completions import record_completion
from tests.support.workforce import add_workforce
from tests.web.journeys import API, accessible, api_post, api_signed_in, post_form, signed_in
from tests.web.signing_in import csrf_from

SPEC = AchievementSpec(
    key="test:ethics",
    name="Data ethics in practice",
    description="Completed the data ethics module.",
    criteria="Attend every session.",
)


@pytest.fixture
def credential(engine: Engine) -> str:
    add_workforce(engine)
    return issue_credential(
        engine,
        None,
        recipient_person_key="analyst",
        issuer_organisation_key="dept-a",
        achievement=SPEC,
    ).uuid


def test_a_person_sees_and_downloads_their_credentials(client: TestClient, credential: str) -> None:
    signed_in(client, "analyst")
    listing = accessible(client, "/credentials")
    assert "Data ethics in practice" in listing
    page = accessible(client, f"/credentials/{credential}")
    assert "Department A" in page
    assert "Revoke" not in page
    jwt = client.get(f"/credentials/{credential}/credential.jwt")
    assert jwt.headers["content-type"].startswith("application/vc+jwt")
    assert "attachment" in jwt.headers["content-disposition"]
    assert jwt.text.count(".") == 2
    readable = client.get(f"/credentials/{credential}/credential.json").json()
    assert readable["type"] == ["VerifiableCredential", "OpenBadgeCredential"]

    signed_in(client, "stranger")
    assert client.get(f"/credentials/{credential}").status_code == 404
    assert client.get(f"/credentials/{credential}/credential.jwt").status_code == 404
    assert "You have no credentials yet" in accessible(client, "/credentials")


def test_the_verify_page_needs_no_sign_in_and_names_what_failed(
    client: TestClient, engine: Engine, credential: str
) -> None:
    signed_in(client, "analyst")
    token = client.get(f"/credentials/{credential}/credential.jwt").text.strip()
    client.cookies.clear()

    accessible(client, "/verify")
    valid = post_form(client, "/verify", "/verify", {"text": token})
    assert valid.status_code == 200
    assert "The credential is valid" in valid.text
    header, payload, signature = token.split(".")
    broken = post_form(
        client, "/verify", "/verify", {"text": f"{header}.{payload}.{signature[::-1]}"}
    )
    assert "The credential is not valid" in broken.text
    assert "changed after signing" in broken.text

    uploaded = client.post(
        "/verify",
        data={"csrf_token": csrf_from(client, "/verify")},
        files={"file": ("badge.jwt", token.encode(), "application/vc+jwt")},
    )
    assert "The credential is valid" in uploaded.text
    empty = post_form(client, "/verify", "/verify", {"text": " "})
    assert empty.status_code == 422
    assert "Paste a credential" in empty.text

    keys = client.get("/credentials/issuers/dept-a/jwks.json").json()
    assert keys["keys"][0]["kty"] == "OKP"
    assert "d" not in keys["keys"][0]


def test_the_issuers_admin_revokes_and_verifying_then_fails(
    client: TestClient, credential: str
) -> None:
    signed_in(client, "b-admin", "organisation_admin")
    assert client.get(f"/credentials/{credential}").status_code == 404
    signed_in(client, "boss", "organisation_admin")
    assert "Data ethics in practice" in accessible(client, "/credentials/issued")
    page = f"/credentials/{credential}"
    assert "Revoke the credential" in accessible(client, page)
    refused = post_form(client, f"{page}/revoke", page, {"reason": ""})
    assert refused.status_code == 422
    done = post_form(client, f"{page}/revoke", page, {"reason": "Awarded in error."})
    assert done.status_code == 303
    assert "Awarded in error." in accessible(client, page)
    token = client.get(f"{page}/credential.jwt").text
    client.cookies.clear()
    result = post_form(client, "/verify", "/verify", {"text": token})
    assert "revoked on" in result.text


def test_the_api_lists_issues_verifies_and_revokes(client: TestClient, credential: str) -> None:
    headers = api_signed_in(client, "analyst")
    [mine] = client.get(f"{API}/credentials").json()
    assert mine["id"] == f"urn:uuid:{credential}"
    assert mine["issuer"] == "dept-a"
    detail = client.get(f"{API}/credentials/{credential}").json()
    assert detail["credential"]["credentialSubject"]["achievement"]["name"] == SPEC.name
    checked = api_post(client, "/credentials/verify", headers, {"credential": mine["jwt"]})
    assert checked.json()["valid"] is True
    tampered = mine["jwt"][:-4] + ("AAAA" if not mine["jwt"].endswith("AAAA") else "BBBB")
    failed = api_post(client, "/credentials/verify", headers, {"credential": tampered}).json()
    assert failed["valid"] is False
    assert [c["name"] for c in failed["checks"] if c["passed"] is False] == ["signature"]
    body = {
        "person": "analyst",
        "organisation": "dept-a",
        "achievement": {"key": "x", "name": "X", "description": "X.", "criteria": "X."},
    }
    assert api_post(client, "/credentials", headers, body).status_code == 403
    revoke = f"/credentials/{credential}/revocation"
    assert api_post(client, revoke, headers, {"reason": "mine"}).status_code == 403

    headers = api_signed_in(client, "boss", "organisation_admin")
    created = api_post(client, "/credentials", headers, body)
    assert created.status_code == 201, created.text
    assert created.json()["recipient"] == "analyst"
    revoked = api_post(client, revoke, headers, {"reason": "Awarded in error."})
    assert revoked.status_code == 200
    assert revoked.json()["revoked_reason"] == "Awarded in error."
    assert api_post(client, revoke, headers, {"reason": "again"}).status_code == 422
    keys = client.get(f"{API}/credentials/issuers/dept-a/keys").json()
    assert keys["issuer"].startswith("urn:uuid:")
    assert client.get(f"{API}/credentials/issuers/nowhere/keys").status_code == 404


def test_following_a_pathway_in_the_pages_and_the_api_earns_a_credential(
    client: TestClient, engine: Engine
) -> None:
    add_workforce(engine)
    ensure_demo_catalogue(engine, seed=3, items=300)
    analyst = development_sign_in(engine, "analyst", [])
    target = nearest_to(engine, analyst, "analyst", k=30)[-1].role_level.key
    signed_in(client, "analyst")
    pathway = f"/people/analyst/pathway?target={target}"
    assert "Follow this pathway" in client.get(pathway).text
    followed = post_form(
        client, "/people/analyst/pathway/follow", pathway, {"target": target, "objective": "hours"}
    )
    assert followed.status_code == 303
    assert "0 of" in accessible(client, "/credentials")

    headers = api_signed_in(client, "analyst")
    again = api_post(client, "/me/pathways", headers, {"target": target})
    assert again.status_code == 201, again.text
    items = [item["key"] for item in again.json()["items"]]
    for key in items:
        record_completion(engine, analyst, "analyst", key)
    [state] = client.get(f"{API}/me/pathways").json()
    assert state["completed_at"] is not None
    assert all(item["completed"] for item in state["items"])
    [earned] = client.get(f"{API}/credentials").json()
    assert earned["kind"] == "pathway"
    refused = api_post(client, "/me/pathways", headers, {"target": target})
    assert refused.status_code == 422
    assert "is completed" in refused.json()["detail"]
