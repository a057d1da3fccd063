"""API tokens: shown once, stored as digests, scoped, expiring and revocable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import create_service_account, development_sign_in, grant_role
from mobilise.services.actors import Role, Scope, command_line_actor
from mobilise.services.api_tokens import (
    UnknownToken,
    actor_for_token,
    issue_token,
    list_tokens,
    revoke_token,
)
from mobilise.services.audit import NotPermitted
from mobilise.store.database import reading, transaction
from mobilise.store.models import ApiToken
from tests.support.workforce import Workforce, add_workforce


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    return add_workforce(engine)


def test_a_token_acts_as_its_account_with_its_scopes_only(
    engine: Engine, workforce: Workforce
) -> None:
    admin = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    service = create_service_account(engine, admin, "reporting", "dept-a")
    grant_role(engine, admin, service, Role.ORGANISATION_ADMIN, "dept-a")

    issued = issue_token(engine, admin, service, "reports", ["people:read"], days=30)
    actor = actor_for_token(engine, issued.token)

    assert actor is not None
    assert actor.account_id == service
    assert actor.may(Scope.PEOPLE_READ)
    assert not actor.may(Scope.AUDIT_READ)
    assert actor.organisations_where(Role.ORGANISATION_ADMIN) == {workforce.org_a}
    with reading(engine) as session:
        digest, prefix, last_used = session.execute(
            select(ApiToken.digest, ApiToken.prefix, ApiToken.last_used_at)
        ).one()
    assert issued.token not in (digest, prefix)
    assert len(digest) == 64
    assert last_used is not None


def test_revoked_expired_and_forged_tokens_are_refused(
    engine: Engine, workforce: Workforce
) -> None:
    operator = command_line_actor()
    admin = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    assert admin.account_id is not None
    revoked = issue_token(engine, operator, admin.account_id, "r", ["audit:read"])
    expired = issue_token(engine, operator, admin.account_id, "e", ["audit:read"])
    with transaction(engine) as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == expired.id)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )

    assert revoke_token(engine, admin, revoked.id)
    assert not revoke_token(engine, admin, revoked.id)
    assert actor_for_token(engine, revoked.token) is None
    assert actor_for_token(engine, expired.token) is None
    assert actor_for_token(engine, revoked.token[:-1] + "x") is None
    assert actor_for_token(engine, "not-a-token") is None


def test_bad_requests_name_each_problem(engine: Engine, workforce: Workforce) -> None:
    admin = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    assert admin.account_id is not None

    with pytest.raises(InvalidInput) as raised:
        issue_token(engine, admin, admin.account_id, " ", ["people:write"], days=0)

    assert {p.column for p in raised.value.problems} == {"name", "scope", "days"}
    with pytest.raises(InvalidInput):
        issue_token(engine, admin, admin.account_id, "forever", ["audit:read"], days=None)


def test_admins_manage_only_their_own_and_their_organisations_tokens(
    engine: Engine, workforce: Workforce
) -> None:
    admin_a = development_sign_in(engine, "outsider", [Role.ORGANISATION_ADMIN])
    admin_b = development_sign_in(engine, "b-admin", [Role.ORGANISATION_ADMIN])
    service_a = create_service_account(engine, admin_a, "etl", "dept-a")
    issued = issue_token(engine, admin_a, service_a, "etl", ["people:read"])

    with pytest.raises(NotPermitted):
        issue_token(engine, admin_b, service_a, "steal", ["people:read"])
    with pytest.raises(UnknownToken):
        revoke_token(engine, admin_b, issued.id)
    assert [t.id for t in list_tokens(engine, admin_a)] == [issued.id]
    assert list_tokens(engine, admin_b) == []
