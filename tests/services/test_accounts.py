"""Accounts: sign-in links people by email, roles are granted within limits, all of it audited."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import (
    UnknownAccount,
    actor_for_account,
    create_service_account,
    development_sign_in,
    find_account_id,
    grant_role,
    list_accounts,
    revoke_role,
    sign_in_with_identity,
)
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.audit import NotPermitted, list_events
from mobilise.store.database import reading
from mobilise.store.models import Account, AuditEvent
from tests.support.workforce import Workforce, add_workforce

ISSUER = "https://oidc.example"


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


def _events(engine: Engine) -> list[str]:
    page = list_events(engine, command_line_actor(), limit=100)
    # The template database's framework import is an event too; these tests are about accounts.
    return [e.action for e in reversed(page.entries) if e.action != "framework.imported"]


def test_first_sign_in_links_the_person_with_that_email(
    engine: Engine, workforce: Workforce
) -> None:
    actor = sign_in_with_identity(
        engine, issuer=ISSUER, subject="s-1", email="Lead@Example.gov.uk", display_name="L"
    )

    assert actor.person_key == "lead"
    assert actor.roles == {Role.PERSON, Role.LINE_MANAGER}
    assert actor.organisation_id == workforce.org_a
    again = sign_in_with_identity(
        engine, issuer=ISSUER, subject="s-1", email="lead@example.gov.uk", display_name="L"
    )
    assert again.account_id == actor.account_id
    assert _events(engine) == ["account.created", "account.signed_in", "account.signed_in"]


def test_an_unknown_email_makes_an_account_with_no_person(
    engine: Engine, workforce: Workforce
) -> None:
    actor = sign_in_with_identity(
        engine, issuer=ISSUER, subject="s-2", email="candidate@example.com", display_name=None
    )

    assert actor.person_id is None
    assert actor.roles == frozenset()
    assert actor.display_name == "candidate@example.com"


def test_a_person_is_linked_to_one_account_only(engine: Engine, workforce: Workforce) -> None:
    sign_in_with_identity(
        engine, issuer=ISSUER, subject="a", email="boss@example.gov.uk", display_name="B"
    )
    second = sign_in_with_identity(
        engine, issuer="https://other", subject="b", email="boss@example.gov.uk", display_name="B"
    )

    assert second.person_id is None


def test_a_disabled_account_cannot_sign_in_or_act(engine: Engine, workforce: Workforce) -> None:
    actor = sign_in_with_identity(engine, issuer=ISSUER, subject="d", email=None, display_name="D")
    from mobilise.store.database import transaction

    with transaction(engine) as session:
        account = session.get(Account, actor.account_id)
        assert account is not None
        account.disabled_at = func.now()
    assert actor.account_id is not None
    assert actor_for_account(engine, actor.account_id) is None
    with pytest.raises(NotPermitted):
        sign_in_with_identity(engine, issuer=ISSUER, subject="d", email=None, display_name="D")


def test_development_sign_in_names_an_unknown_person(engine: Engine, workforce: Workforce) -> None:
    with pytest.raises(InvalidInput) as raised:
        development_sign_in(engine, "nobody", [])

    assert raised.value.problems[0].column == "person"
    with pytest.raises(InvalidInput):
        development_sign_in(engine, "boss", [Role.LINE_MANAGER])


def test_roles_are_granted_and_revoked_within_the_admins_organisation(
    engine: Engine, workforce: Workforce
) -> None:
    admin = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    lead = development_sign_in(engine, "lead", [])
    assert lead.account_id is not None

    grant_role(engine, admin, lead.account_id, Role.ANALYST, "dept-a")
    grant_role(engine, admin, lead.account_id, Role.ANALYST, "dept-a")  # idempotent
    refreshed = actor_for_account(engine, lead.account_id)
    assert refreshed is not None
    assert Role.ANALYST in refreshed.roles
    with pytest.raises(NotPermitted):
        grant_role(engine, admin, lead.account_id, Role.ANALYST, "agency-b")
    with pytest.raises(NotPermitted):
        grant_role(engine, admin, lead.account_id, Role.SERVICE_ADMIN, None)
    with pytest.raises(InvalidInput):
        grant_role(engine, admin, lead.account_id, Role.ANALYST, "no-such-org")
    assert revoke_role(engine, admin, lead.account_id, Role.ANALYST, "dept-a")
    assert not revoke_role(engine, admin, lead.account_id, Role.ANALYST, "dept-a")
    assert _events(engine)[-2:] == ["role.granted", "role.revoked"]


def test_a_refused_change_leaves_no_event(engine: Engine, workforce: Workforce) -> None:
    admin = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    before = _events(engine)

    with pytest.raises(NotPermitted):
        create_service_account(engine, admin, "etl", "agency-b")

    assert _events(engine) == before
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == len(before) + 1


def test_service_accounts_and_listing(engine: Engine, workforce: Workforce) -> None:
    admin = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    other = development_sign_in(engine, "b-admin", [Role.ORGANISATION_ADMIN])

    account_id = create_service_account(engine, admin, "nightly export", "dept-a")
    with pytest.raises(InvalidInput):
        create_service_account(engine, admin, "nightly export", "dept-a")

    mine = {a.display_name for a in list_accounts(engine, admin)}
    theirs = {a.display_name for a in list_accounts(engine, other)}
    assert "nightly export" in mine
    assert "nightly export" not in theirs
    assert "Outsider" in mine
    assert "Outsider" not in theirs
    assert find_account_id(engine, "nightly export") == account_id
    assert find_account_id(engine, "OUTSIDER@example.gov.uk") == admin.account_id
    with pytest.raises(NotPermitted):
        list_accounts(engine, development_sign_in(engine, "analyst", []))


def test_admins_cannot_touch_or_probe_other_organisations_accounts(
    engine: Engine, workforce: Workforce
) -> None:
    admin_a = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    stranger = development_sign_in(engine, "stranger", [])
    assert stranger.account_id is not None

    with pytest.raises(UnknownAccount):
        grant_role(engine, admin_a, stranger.account_id, Role.ANALYST, "dept-a")
    with pytest.raises(UnknownAccount):
        grant_role(engine, admin_a, 999_999, Role.ANALYST, "dept-a")
    with pytest.raises(UnknownAccount):
        revoke_role(engine, admin_a, stranger.account_id, Role.ANALYST, "agency-b")
