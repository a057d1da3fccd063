"""Who is acting: the signed-in person, a service account's token, or the command line.

Services take an `Actor` and decide from it what may be seen and changed; the shells only find out
who the actor is (session, token, operator) and never filter data themselves.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    PERSON = "person"
    LINE_MANAGER = "line_manager"
    PROGRAMME_ADMIN = "programme_admin"
    ORGANISATION_ADMIN = "organisation_admin"
    ANALYST = "analyst"
    SERVICE_ADMIN = "service_admin"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# Person and line manager follow from the records (an account linked to a person, a person with
# reports); the rest are granted, each within one organisation except the service admin's.
GRANTED_ROLES: tuple[Role, ...] = (
    Role.PROGRAMME_ADMIN,
    Role.ORGANISATION_ADMIN,
    Role.ANALYST,
    Role.SERVICE_ADMIN,
)
ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.PERSON: "Sees and edits their own profile.",
    Role.LINE_MANAGER: "Sees the people in their reporting line and validates their claims.",
    Role.PROGRAMME_ADMIN: "Runs programmes, cohorts and opportunities of their organisation.",
    Role.ORGANISATION_ADMIN: "Sees their organisation's people, accounts and audit log.",
    Role.ANALYST: "Sees workforce statistics, never individual people.",
    Role.SERVICE_ADMIN: "Runs the service: framework versions, organisations, accounts.",
}


class Scope(StrEnum):
    """What an API token may do; a signed-in session may do everything its roles allow."""

    FRAMEWORK_READ = "framework:read"
    PEOPLE_READ = "people:read"
    AUDIT_READ = "audit:read"
    ACCOUNTS_WRITE = "accounts:write"
    JOBS_READ = "jobs:read"
    JOBS_WRITE = "jobs:write"
    ALLOCATIONS_READ = "allocations:read"
    ALLOCATIONS_WRITE = "allocations:write"
    REGISTER_READ = "register:read"
    REGISTER_WRITE = "register:write"


@dataclass(frozen=True)
class Actor:
    account_id: int | None
    display_name: str
    person_id: int | None = None
    person_key: str | None = None
    organisation_id: int | None = None
    roles: frozenset[Role] = frozenset()
    # (role, organisation id) for each granted role; None is "every organisation" (service admin).
    grants: frozenset[tuple[Role, int | None]] = frozenset()
    # None for a session or the command line; the token's scopes for a service account.
    scopes: frozenset[Scope] | None = field(default=None)

    def has(self, role: Role) -> bool:
        return role in self.roles

    def may(self, scope: Scope) -> bool:
        return self.scopes is None or scope in self.scopes

    def organisations_where(self, role: Role) -> frozenset[int]:
        return frozenset(org for granted, org in self.grants if granted == role and org is not None)

    @property
    def is_operator(self) -> bool:
        """The command line and service admins act across organisations."""
        return self.account_id is None or Role.SERVICE_ADMIN in self.roles


def command_line_actor() -> Actor:
    """Whoever runs the CLI on the server: they already hold the database, so they may do all."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(
        account_id=None,
        display_name=f"command line ({user})",
        roles=frozenset({Role.SERVICE_ADMIN}),
        grants=frozenset({(Role.SERVICE_ADMIN, None)}),
    )
