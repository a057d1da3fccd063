"""Accounts: sign-in (OpenID Connect or the development sign-in), roles, and the actor they make.

An account is found by its provider's issuer and subject. On its first sign-in it is linked to the
Person with the same email address, if exactly one has it; otherwise it stays unlinked (a candidate
or partner who is not in any organisation's records) and sees only its own data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Integer, bindparam, delete, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import GRANTED_ROLES, Actor, Role, Scope
from mobilise.services.audit import NotPermitted, record_event
from mobilise.store.database import reading, reading_rows, transaction
from mobilise.store.models import Account, Organisation, Person, RoleGrant

DEVELOPMENT_ISSUER = "urn:mobilise:development-sign-in"
SERVICE_ISSUER = "urn:mobilise:service-account"
MAX_NAME_LENGTH = 200


class UnknownAccount(LookupError):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


# An account's actor in one statement built once: the account, its person, whether that person
# manages anyone in post, and one row per granted role. It runs on every signed-in request whose
# actor the app does not hold (web/access.py), where four ORM loads cost a fifth of a profile page.
_ACCOUNT_ID = bindparam("account_id", type_=Integer)
_report = aliased(Person, name="report")
_ACTOR = (
    select(
        Account.id,
        Account.display_name,
        Account.disabled_at,
        Account.person_id,
        Account.organisation_id,
        Person.key,
        Person.organisation_id,
        exists().where(_report.manager_id == Person.id, _report.left_on.is_(None)),
        RoleGrant.role,
        RoleGrant.organisation_id,
    )
    .outerjoin(Person, Person.id == Account.person_id)
    .outerjoin(RoleGrant, RoleGrant.account_id == Account.id)
    .where(Account.id == _ACCOUNT_ID)
)


def _actor_from(rows: Sequence[Sequence[Any]], scopes: frozenset[Scope] | None) -> Actor:
    """The actor of `_ACTOR`'s rows (at least one) for one account."""
    account_id, display_name, _, person_id, organisation_id, person_key = rows[0][:6]
    grants = frozenset((Role(row[8]), row[9]) for row in rows if row[8] is not None)
    roles = {role for role, _ in grants}
    if person_key is not None:
        roles.add(Role.PERSON)
        organisation_id = rows[0][6]
        if rows[0][7]:
            roles.add(Role.LINE_MANAGER)
    return Actor(
        account_id=account_id,
        display_name=display_name,
        person_id=person_id,
        person_key=person_key,
        organisation_id=organisation_id,
        roles=frozenset(roles),
        grants=grants,
        scopes=scopes,
    )


def _load_actor(session: Session, account: Account, scopes: frozenset[Scope] | None) -> Actor:
    # The session flushes its changes to the account first (autoflush), so the rows show them.
    return _actor_from(session.execute(_ACTOR, {"account_id": account.id}).all(), scopes)


def actor_for_account(
    engine: Engine, account_id: int, scopes: frozenset[Scope] | None = None
) -> Actor | None:
    """The actor an account is now (roles change between requests), or None if it is disabled."""
    with reading_rows(engine) as connection:
        rows = connection.execute(_ACTOR, {"account_id": account_id}).all()
    if not rows or rows[0][2] is not None:
        return None
    return _actor_from(rows, scopes)


def _signed_in(session: Session, account: Account, after: dict[str, object] | None) -> Actor:
    actor = _load_actor(session, account, None)
    record_event(
        session,
        actor,
        "account.signed_in",
        entity_type="account",
        entity_key=str(account.id),
        organisation_id=actor.organisation_id,
        after=after,
    )
    return actor


def sign_in_with_identity(
    engine: Engine, *, issuer: str, subject: str, email: str | None, display_name: str | None
) -> Actor:
    """Find or make the account of a provider's identity, link it to its Person, and audit it."""
    if not issuer or not subject:
        raise InvalidInput(
            [Problem("sign-in", None, "sub", subject, "the provider sent no subject")]
        )
    email = (email or "").strip().lower() or None
    with transaction(engine) as session:
        account = session.scalar(
            select(Account).where(Account.issuer == issuer, Account.subject == subject)
        )
        if account is None:
            account = Account(
                kind="person",
                issuer=issuer,
                subject=subject,
                email=email,
                display_name=(display_name or email or "Unnamed account")[:300],
                created_at=_now(),
            )
            session.add(account)
            session.flush()
            record_event(
                session,
                Actor(account.id, account.display_name),
                "account.created",
                entity_type="account",
                entity_key=str(account.id),
                after={"issuer": issuer, "email": email},
            )
        if account.disabled_at is not None:
            raise NotPermitted("this account is disabled")
        if account.person_id is None and email is not None:
            _link_person_by_email(session, account, email)
        account.last_signed_in_at = _now()
        return _signed_in(session, account, None)


def _link_person_by_email(session: Session, account: Account, email: str) -> None:
    candidates = session.scalars(
        select(Person.id).where(func.lower(Person.email) == email).limit(2)
    ).all()
    if len(candidates) != 1:
        return
    taken = session.scalar(select(exists().where(Account.person_id == candidates[0])))
    if not taken:
        account.person_id = candidates[0]


def development_sign_in(engine: Engine, person_key: str, roles: Iterable[Role]) -> Actor:
    """Sign in as any person with any granted roles (development only: the web shell refuses it
    when the settings say production). The roles are granted in the person's organisation."""
    chosen = set(roles)
    not_grantable = chosen - set(GRANTED_ROLES)
    if not_grantable:
        raise InvalidInput(
            [
                Problem("sign-in", None, "roles", role.value, "is derived, not granted")
                for role in sorted(not_grantable)
            ]
        )
    with transaction(engine) as session:
        person = session.scalar(select(Person).where(Person.key == person_key.strip()))
        if person is None:
            raise InvalidInput(
                [Problem("sign-in", None, "person", person_key, "is not the key of any person")]
            )
        account = session.scalar(
            select(Account).where(
                Account.issuer == DEVELOPMENT_ISSUER, Account.subject == person.key
            )
        )
        if account is None:
            account = Account(
                kind="person",
                issuer=DEVELOPMENT_ISSUER,
                subject=person.key,
                email=person.email,
                display_name=person.display_name,
                person_id=None,
                created_at=_now(),
            )
            session.add(account)
            session.flush()
        # Another (real) account may already be this person's; the development one then borrows
        # the link, because in development the point is to see the service as that person.
        session.execute(
            update(Account)
            .where(Account.person_id == person.id, Account.id != account.id)
            .values(person_id=None)
        )
        account.person_id = person.id
        account.last_signed_in_at = _now()
        session.execute(delete(RoleGrant).where(RoleGrant.account_id == account.id))
        for role in sorted(chosen):
            session.add(
                RoleGrant(
                    account_id=account.id,
                    role=role.value,
                    organisation_id=None if role == Role.SERVICE_ADMIN else person.organisation_id,
                    granted_at=_now(),
                    granted_by_id=account.id,
                )
            )
        session.flush()
        return _signed_in(
            session,
            account,
            {"method": "development", "roles": sorted(r.value for r in chosen)},
        )


@dataclass(frozen=True)
class AccountSummary:
    id: int
    kind: str
    display_name: str
    email: str | None
    person_key: str | None
    organisation_key: str | None
    roles: list[str]
    last_signed_in_at: datetime | None
    disabled: bool


def _organisation_id(session: Session, key: str | None, column: str) -> int | None:
    if key is None:
        return None
    found = session.scalar(select(Organisation.id).where(Organisation.key == key))
    if found is None:
        raise InvalidInput([Problem("account", None, column, key, "is not an organisation key")])
    return found


def _may_manage(actor: Actor, organisation_id: int | None, role: Role) -> bool:
    if actor.is_operator:
        return True
    if role == Role.SERVICE_ADMIN or organisation_id is None:
        return False
    return organisation_id in actor.organisations_where(Role.ORGANISATION_ADMIN)


def _manageable_account(session: Session, actor: Actor, account_id: int) -> Account:
    """The account if the actor may manage its roles: operators any; organisation admins those of
    their organisations (by the account's person, or a service account's organisation). Any
    other account is UnknownAccount, as if it did not exist, so ids cannot be probed."""
    account = session.get(Account, account_id)
    if account is None:
        raise UnknownAccount(account_id)
    if actor.is_operator:
        return account
    organisation_id = account.organisation_id
    if account.person_id is not None:
        organisation_id = session.scalar(
            select(Person.organisation_id).where(Person.id == account.person_id)
        )
    if organisation_id not in actor.organisations_where(Role.ORGANISATION_ADMIN):
        raise UnknownAccount(account_id)
    return account


def grant_role(
    engine: Engine, actor: Actor, account_id: int, role: Role, organisation_key: str | None
) -> None:
    """Grant `role` to an account within an organisation (none for a service admin)."""
    if role not in GRANTED_ROLES:
        raise InvalidInput([Problem("grant", None, "role", role.value, "is derived, not granted")])
    with transaction(engine) as session:
        _manageable_account(session, actor, account_id)
        organisation_id = _organisation_id(session, organisation_key, "organisation")
        if (role == Role.SERVICE_ADMIN) != (organisation_id is None):
            raise InvalidInput(
                [
                    Problem(
                        "grant",
                        None,
                        "organisation",
                        organisation_key,
                        "a service admin has no organisation; every other role needs one",
                    )
                ]
            )
        if not _may_manage(actor, organisation_id, role):
            raise NotPermitted(f"you may not grant {role.label.lower()} here")
        present = session.scalar(
            select(RoleGrant.id).where(
                RoleGrant.account_id == account_id,
                RoleGrant.role == role.value,
                RoleGrant.organisation_id.is_(None)
                if organisation_id is None
                else RoleGrant.organisation_id == organisation_id,
            )
        )
        if present is not None:
            return
        session.add(
            RoleGrant(
                account_id=account_id,
                role=role.value,
                organisation_id=organisation_id,
                granted_at=_now(),
                granted_by_id=actor.account_id,
            )
        )
        record_event(
            session,
            actor,
            "role.granted",
            entity_type="account",
            entity_key=str(account_id),
            organisation_id=organisation_id,
            after={"role": role.value, "organisation": organisation_key},
        )


def revoke_role(
    engine: Engine, actor: Actor, account_id: int, role: Role, organisation_key: str | None
) -> bool:
    """Take a granted role away; False if the account did not have it."""
    with transaction(engine) as session:
        _manageable_account(session, actor, account_id)
        organisation_id = _organisation_id(session, organisation_key, "organisation")
        if not _may_manage(actor, organisation_id, role):
            raise NotPermitted(f"you may not revoke {role.label.lower()} here")
        grant = session.scalar(
            select(RoleGrant).where(
                RoleGrant.account_id == account_id,
                RoleGrant.role == role.value,
                RoleGrant.organisation_id.is_(None)
                if organisation_id is None
                else RoleGrant.organisation_id == organisation_id,
            )
        )
        if grant is None:
            return False
        session.delete(grant)
        record_event(
            session,
            actor,
            "role.revoked",
            entity_type="account",
            entity_key=str(account_id),
            organisation_id=organisation_id,
            before={"role": role.value, "organisation": organisation_key},
        )
        return True


def create_service_account(
    engine: Engine, actor: Actor, name: str, organisation_key: str | None
) -> int:
    """An account for another system to use the API with tokens; it has no person and no roles
    until they are granted."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            [Problem("account", None, "name", name, f"needs 1 to {MAX_NAME_LENGTH} characters")]
        )
    with transaction(engine) as session:
        organisation_id = _organisation_id(session, organisation_key, "organisation")
        if not actor.is_operator and (
            organisation_id is None
            or organisation_id not in actor.organisations_where(Role.ORGANISATION_ADMIN)
        ):
            raise NotPermitted("you may make service accounts only for your own organisation")
        subject = f"{organisation_key or 'service'}:{name}"
        clash = session.scalar(
            select(Account.id).where(Account.issuer == SERVICE_ISSUER, Account.subject == subject)
        )
        if clash is not None:
            raise InvalidInput(
                [Problem("account", None, "name", name, "a service account has this name already")]
            )
        account = Account(
            kind="service",
            issuer=SERVICE_ISSUER,
            subject=subject,
            display_name=name,
            organisation_id=organisation_id,
            created_at=_now(),
        )
        session.add(account)
        session.flush()
        record_event(
            session,
            actor,
            "account.created",
            entity_type="account",
            entity_key=str(account.id),
            organisation_id=organisation_id,
            after={"kind": "service", "name": name},
        )
        return account.id


def list_accounts(engine: Engine, actor: Actor) -> list[AccountSummary]:
    """The accounts of the organisations the actor administers (all, for operators)."""
    query = (
        select(Account, Person.key, Organisation.key)
        .outerjoin(Person, Person.id == Account.person_id)
        .outerjoin(
            Organisation,
            Organisation.id == func.coalesce(Person.organisation_id, Account.organisation_id),
        )
        .order_by(Account.display_name, Account.id)
    )
    if not actor.is_operator:
        administered = actor.organisations_where(Role.ORGANISATION_ADMIN)
        if not administered:
            raise NotPermitted("only organisation and service admins may list accounts")
        query = query.where(Organisation.id.in_(administered))
    with reading(engine) as session:
        rows = session.execute(query).all()
        grants: dict[int, list[str]] = {}
        for account_id, role, org_key in session.execute(
            select(RoleGrant.account_id, RoleGrant.role, Organisation.key)
            .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
            .where(RoleGrant.account_id.in_([account.id for account, _, _ in rows]))
        ):
            grants.setdefault(account_id, []).append(f"{role}@{org_key}" if org_key else role)
        return [
            AccountSummary(
                id=account.id,
                kind=account.kind,
                display_name=account.display_name,
                email=account.email,
                person_key=person_key,
                organisation_key=org_key,
                roles=sorted(grants.get(account.id, [])),
                last_signed_in_at=account.last_signed_in_at,
                disabled=account.disabled_at is not None,
            )
            for account, person_key, org_key in rows
        ]


def find_account_id(engine: Engine, reference: str) -> int:
    """An account by id, email or service-account name (as the CLI accepts them)."""
    with reading(engine) as session:
        if reference.isdigit() and session.get(Account, int(reference)) is not None:
            return int(reference)
        found = session.scalars(
            select(Account.id)
            .where(
                (func.lower(Account.email) == reference.lower())
                | ((Account.kind == "service") & (Account.display_name == reference))
            )
            .limit(2)
        ).all()
    if len(found) != 1:
        raise UnknownAccount(
            f"no account is {reference!r} (give an account id, an email address or a "
            "service account's name)"
        )
    return found[0]
