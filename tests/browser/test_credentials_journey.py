"""Credentials in the browser: a person finds their credential, opens it and downloads its signed
file; anyone, signed out, checks it on the verify page (pasted and uploaded), and a changed one
is refused naming the failed check; the issuer's admin sees what was issued. Every page is
checked with axe-core, with and without JavaScript."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mobilise.services.credentials import AchievementSpec, issue_credential
from mobilise.store.database import reading
from mobilise.store.models import Organisation, Person
from tests.browser.conftest import DemoPeople, LiveServer
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser
NAME = "Browser data ethics"


@pytest.fixture(scope="module")
def holder(live_server: LiveServer, demo_people: DemoPeople) -> tuple[str, str]:
    """A credential for the demo report from their organisation; (their key, their manager's)."""
    engine = live_server.engine
    with reading(engine) as session:
        person = session.scalars(select(Person).where(Person.key == demo_people.report.key)).one()
        organisation = session.get(Organisation, person.organisation_id)
        assert organisation is not None
        keys = (person.key, demo_people.manager.key, organisation.key)
    issue_credential(
        engine,
        None,
        recipient_person_key=keys[0],
        issuer_organisation_key=keys[2],
        achievement=AchievementSpec(
            key="browser:ethics",
            name=NAME,
            description="Completed the data ethics module in the browser test.",
            criteria="Attend every session and pass the assessment.",
        ),
    )
    return keys[0], keys[1]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_find_download_and_verify_a_credential(
    holder: tuple[str, str],
    request: pytest.FixtureRequest,
    javascript: bool,
    tmp_path: Path,
) -> None:
    reader: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    page = reader.page
    suffix = "" if javascript else "-no-js"
    sign_in(reader, holder[0])
    reader.open("/credentials")
    reader.check("credentials" + suffix)
    page.get_by_role("link", name=NAME, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    reader.check("credential" + suffix)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the signed credential (.jwt)").click()
    file = tmp_path / "credential.jwt"
    download.value.save_as(file)
    token = file.read_text().strip()
    assert token.count(".") == 2

    page.context.clear_cookies()
    reader.open("/verify")
    reader.check("verify" + suffix)
    page.get_by_label("The credential").fill(token)
    page.get_by_role("button", name="Check the credential").click()
    expect(page.locator("#verdict")).to_contain_text("The credential is valid")
    reader.check("verify-valid" + suffix)

    header, payload, signature = token.split(".")
    page.get_by_label("The credential").fill(f"{header}.{payload}.{signature[::-1]}")
    page.get_by_role("button", name="Check the credential").click()
    expect(page.locator("#verdict")).to_contain_text("The credential is not valid")
    expect(page.locator("#verdict")).to_contain_text("changed after signing")
    reader.check("verify-tampered" + suffix)

    page.get_by_label("The credential").fill("")
    page.get_by_label("Or upload its file").set_input_files(file)
    page.get_by_role("button", name="Check the credential").click()
    expect(page.locator("#verdict")).to_contain_text("The credential is valid")


def test_the_issuers_admin_sees_what_was_issued(visitor: Visitor, holder: tuple[str, str]) -> None:
    sign_in(visitor, holder[1], ("Organisation admin",))
    visitor.open("/credentials/issued")
    visitor.check("credentials-issued")
    visitor.page.get_by_role("link", name=NAME, exact=True).first.click()
    expect(visitor.page.get_by_role("button", name="Revoke the credential")).to_be_visible()
    visitor.check("credential-admin")
