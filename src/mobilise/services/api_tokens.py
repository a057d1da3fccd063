"""API tokens for service accounts (and people): scoped, expiring, revocable, stored as digests.

A token is `mob_` and 43 random URL-safe characters. Only its SHA-256 digest is kept, so a copy of
the database does not hand out working tokens; the token itself is shown once, when issued.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.accounts import UnknownAccount, actor_for_account
from mobilise.services.actors import Actor, Role, Scope
from mobilise.services.audit import NotPermitted, record_event
from mobilise.store.database import reading, transaction
from mobilise.store.models import Account, ApiToken

TOKEN_PREFIX = "mob_"  # noqa: S105 (a marker that tells tokens apart, not a secret)
MAX_DAYS = 366
SCOPE_VALUES = frozenset(scope.value for scope in Scope)
# Writing "last used" on every request would turn each read into a write; a minute is precise
# enough to tell whether a token is still in use.
LAST_USED_PRECISION = timedelta(minutes=1)


class UnknownToken(LookupError):
    """No token with this id that the actor may manage."""


@dataclass(frozen=True)
class IssuedToken:
    id: int
    token: str
    prefix: str
    expires_at: datetime | None


@dataclass(frozen=True)
class TokenSummary:
    id: int
    account_id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def parse_scopes(values: Iterable[str]) -> frozenset[Scope]:
    problems: list[Problem] = []
    scopes: set[Scope] = set()
    for value in values:
        try:
            scopes.add(Scope(value.strip()))
        except ValueError:
            known = ", ".join(s.value for s in Scope)
            problems.append(Problem("token", None, "scope", value, f"is not one of {known}"))
    if not scopes and not problems:
        problems.append(Problem("token", None, "scope", "", "a token needs at least one scope"))
    if problems:
        raise InvalidInput(problems)
    return frozenset(scopes)


def _may_manage_tokens(actor: Actor, account: Account) -> bool:
    if actor.is_operator or actor.account_id == account.id:
        return True
    return (
        account.kind == "service"
        and account.organisation_id is not None
        and account.organisation_id in actor.organisations_where(Role.ORGANISATION_ADMIN)
    )


def issue_token(
    engine: Engine,
    actor: Actor,
    account_id: int,
    name: str,
    scopes: Iterable[str],
    days: int | None = 90,
) -> IssuedToken:
    """A new token for `account_id`; `days=None` never expires (for operators only)."""
    name = name.strip()
    problems: list[Problem] = []
    try:
        chosen = parse_scopes(scopes)
    except InvalidInput as error:
        problems.extend(error.problems)
    if not name or len(name) > 200:
        problems.append(Problem("token", None, "name", name, "needs 1 to 200 characters"))
    if days is not None and not 1 <= days <= MAX_DAYS:
        problems.append(Problem("token", None, "days", str(days), f"must be 1 to {MAX_DAYS}"))
    if days is None and not actor.is_operator:
        problems.append(
            Problem("token", None, "days", "", "only operators may issue endless tokens")
        )
    if problems:
        raise InvalidInput(problems)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires = None if days is None else now + timedelta(days=days)
    with transaction(engine) as session:
        account = session.get(Account, account_id)
        if account is None:
            raise UnknownAccount(account_id)
        if not _may_manage_tokens(actor, account):
            raise NotPermitted("you may issue tokens only for yourself or your organisation's")
        record = ApiToken(
            account_id=account_id,
            name=name,
            prefix=token[:12],
            digest=_digest(token),
            scopes=" ".join(sorted(s.value for s in chosen)),
            created_at=now,
            expires_at=expires,
        )
        session.add(record)
        session.flush()
        record_event(
            session,
            actor,
            "token.issued",
            entity_type="api_token",
            entity_key=str(record.id),
            organisation_id=account.organisation_id,
            after={
                "account": account_id,
                "name": name,
                "prefix": record.prefix,
                "scopes": record.scopes,
                "expires_at": expires,
            },
        )
        return IssuedToken(record.id, token, record.prefix, expires)


def actor_for_token(engine: Engine, token: str) -> Actor | None:
    """The actor a presented token stands for, or None if it is unknown, expired or revoked."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    now = datetime.now(UTC)
    with reading(engine) as session:
        record = session.scalar(select(ApiToken).where(ApiToken.digest == _digest(token)))
        if record is None or record.revoked_at is not None:
            return None
        expires = _aware(record.expires_at)
        if expires is not None and expires <= now:
            return None
        last_used = _aware(record.last_used_at)
        token_id, account_id, scopes = record.id, record.account_id, record.scopes
    if last_used is None or now - last_used > LAST_USED_PRECISION:
        with transaction(engine) as session:
            session.execute(
                update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
            )
    return actor_for_account(
        engine, account_id, frozenset(Scope(s) for s in scopes.split() if s in SCOPE_VALUES)
    )


def revoke_token(engine: Engine, actor: Actor, token_id: int) -> bool:
    """Revoke a token at once; False if it was already revoked."""
    with transaction(engine) as session:
        record = session.get(ApiToken, token_id)
        account = None if record is None else session.get(Account, record.account_id)
        if record is None or account is None or not _may_manage_tokens(actor, account):
            raise UnknownToken(token_id)
        if record.revoked_at is not None:
            return False
        record.revoked_at = datetime.now(UTC)
        record_event(
            session,
            actor,
            "token.revoked",
            entity_type="api_token",
            entity_key=str(record.id),
            organisation_id=account.organisation_id,
            before={"prefix": record.prefix, "scopes": record.scopes},
        )
        return True


def list_tokens(engine: Engine, actor: Actor, account_id: int | None = None) -> list[TokenSummary]:
    """Tokens the actor may manage (their own, and their organisation's service accounts')."""
    with reading(engine) as session:
        query = select(ApiToken, Account).join(Account, Account.id == ApiToken.account_id)
        if account_id is not None:
            query = query.where(ApiToken.account_id == account_id)
        rows = session.execute(query.order_by(ApiToken.id)).all()
        return [
            TokenSummary(
                id=record.id,
                account_id=record.account_id,
                name=record.name,
                prefix=record.prefix,
                scopes=record.scopes.split(),
                created_at=_aware(record.created_at) or record.created_at,
                expires_at=_aware(record.expires_at),
                revoked_at=_aware(record.revoked_at),
                last_used_at=_aware(record.last_used_at),
            )
            for record, account in rows
            if _may_manage_tokens(actor, account)
        ]
