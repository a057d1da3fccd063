"""Who may use each route. Every route declares a rule; a test walks the route table to prove it.

A rule is a FastAPI dependency: it finds the actor (an API token in `Authorization: Bearer`, or the
session cookie), checks the CSRF token of any state-changing request made with the cookie, and then
checks the rule itself. It hands the actor to the route; the services decide which data the actor
may see (tenancy), so a route cannot forget to.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from mobilise.services.accounts import actor_for_account
from mobilise.services.actors import Actor, Role, Scope
from mobilise.services.api_tokens import actor_for_token
from mobilise.web.reading_threads import read_in_thread

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class SignInRequired(Exception):
    """No actor, or a bad token, on a route that needs one: a 401 (API) or the sign-in page."""

    def __init__(self, reason: str = "Sign in to use this page.") -> None:
        super().__init__(reason)
        self.reason = reason


class AccessDenied(Exception):
    """The actor lacks the role or scope the route needs (a 403), or failed the CSRF check."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use; forms carry it in a hidden field."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


# Reading an account's roles was a fifth of a profile page's work (bench/load.py). Each app
# keeps what it read for a few seconds: a revoked role or disabled account takes effect within
# ACTOR_SECONDS everywhere, and at once in the app that signs the account in again.
ACTOR_SECONDS = 5.0
MAX_HELD_ACTORS = 10_000


class ActorCache:
    """Actors by account id, each held for ACTOR_SECONDS; one per app (app.state.actors)."""

    def __init__(self) -> None:
        self._held: dict[int, tuple[float, Actor | None]] = {}
        self._lock = threading.Lock()

    def held(self, account_id: int) -> tuple[bool, Actor | None]:
        """(True, the actor) if one is held for this account and still fresh, else (False, None):
        no database, so the event loop can ask without a worker thread."""
        with self._lock:
            held = self._held.get(account_id)
        if held is not None and time.monotonic() - held[0] < ACTOR_SECONDS:
            return True, held[1]
        return False, None

    def get(self, engine: Engine, account_id: int) -> Actor | None:
        found, actor = self.held(account_id)
        if found:
            return actor
        now = time.monotonic()
        actor = actor_for_account(engine, account_id)
        with self._lock:
            if len(self._held) >= MAX_HELD_ACTORS:
                self._held.clear()
            self._held[account_id] = (now, actor)
        return actor

    def forget(self, account_id: int | None) -> None:
        with self._lock:
            self._held.pop(account_id or -1, None)


def _actor_cache(request: Request) -> ActorCache:
    cache = getattr(request.app.state, "actors", None)
    if not isinstance(cache, ActorCache):
        cache = request.app.state.actors = ActorCache()
    return cache


def start_session(request: Request, actor: Actor) -> None:
    """A new session for a fresh sign-in (a new CSRF token too, so none from before survives)."""
    _actor_cache(request).forget(actor.account_id)
    request.session.clear()
    request.session["account_id"] = actor.account_id
    csrf_token(request)


async def _actor(request: Request) -> Actor | None:
    if hasattr(request.state, "actor"):
        found: Actor | None = request.state.actor
        return found
    engine = request.app.state.engine
    authorization = request.headers.get("authorization", "")
    actor: Actor | None = None
    request.state.bearer = False
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise SignInRequired("The Authorization header must be 'Bearer <token>'.")
        actor = await read_in_thread(actor_for_token, engine, token.strip())
        if actor is None:
            raise SignInRequired("The API token is unknown, expired or revoked.")
        request.state.bearer = True
    else:
        account_id = request.session.get("account_id")
        if isinstance(account_id, int):
            actors = _actor_cache(request)
            fresh, actor = actors.held(account_id)
            if not fresh:
                actor = await read_in_thread(actors.get, engine, account_id)
            if actor is None:  # disabled or removed since the session began
                request.session.clear()
    request.state.actor = actor
    return actor


async def _check_csrf(request: Request) -> None:
    if request.method in SAFE_METHODS or request.state.bearer:
        return
    expected = request.session.get("csrf")
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if (
        not isinstance(expected, str)
        or submitted is None
        or not hmac.compare_digest(expected.encode(), submitted.encode())
    ):
        raise AccessDenied(
            "The form could not be accepted because it had expired or did not come from this "
            "service. Go back, reload the page and try again."
        )


class AccessRule:
    """Base of the declared rules; the route-table test looks for an instance in each route."""

    description = "undeclared"

    async def _resolve(self, request: Request) -> Actor | None:
        actor = await _actor(request)
        await _check_csrf(request)
        return actor


class PublicAccess(AccessRule):
    """Anyone, signed in or not (the actor, if any, personalises the page)."""

    description = "public"

    async def __call__(self, request: Request) -> Actor | None:
        return await self._resolve(request)


class Requirement(AccessRule):
    """A signed-in actor with one of `roles` (any role if empty) and, for a token, `scope`."""

    def __init__(self, *roles: Role, scope: Scope | None = None) -> None:
        self.roles = frozenset(roles)
        self.scope = scope
        names = " or ".join(sorted(role.label.lower() for role in self.roles)) or "signed in"
        self.description = names + (f" (token scope {scope.value})" if scope else "")

    async def __call__(self, request: Request) -> Actor:
        # Sign-in first: with no actor there is nothing for a CSRF check to protect, and the
        # answer a stranger needs is "sign in" (401), not "your form expired" (403).
        actor = await _actor(request)
        if actor is None:
            raise SignInRequired()
        await _check_csrf(request)
        if self.roles and not (actor.roles & self.roles):
            raise AccessDenied(f"This needs the role of {self.description}.")
        if self.scope is not None and not actor.may(self.scope):
            raise AccessDenied(f"The API token lacks the scope {self.scope.value}.")
        return actor


PUBLIC = PublicAccess()
SIGNED_IN = Requirement()
PEOPLE_READERS = Requirement(
    Role.PERSON, Role.LINE_MANAGER, Role.ORGANISATION_ADMIN, scope=Scope.PEOPLE_READ
)
ORGANISATION_ADMINS = Requirement(Role.ORGANISATION_ADMIN, Role.SERVICE_ADMIN)
AUDIT_READERS = Requirement(Role.ORGANISATION_ADMIN, Role.SERVICE_ADMIN, scope=Scope.AUDIT_READ)
ACCOUNT_ADMINS = Requirement(
    Role.ORGANISATION_ADMIN, Role.SERVICE_ADMIN, scope=Scope.ACCOUNTS_WRITE
)

OPERATORS = Requirement(Role.SERVICE_ADMIN)
JOB_READERS = Requirement(scope=Scope.JOBS_READ)
JOB_STARTERS = Requirement(Role.SERVICE_ADMIN, scope=Scope.JOBS_WRITE)
OperatorActor = Annotated[Actor, Depends(OPERATORS)]
JobReader = Annotated[Actor, Depends(JOB_READERS)]
JobStarter = Annotated[Actor, Depends(JOB_STARTERS)]
PublicActor = Annotated[Actor | None, Depends(PUBLIC)]
SignedInActor = Annotated[Actor, Depends(SIGNED_IN)]
PeopleReader = Annotated[Actor, Depends(PEOPLE_READERS)]
AuditReader = Annotated[Actor, Depends(AUDIT_READERS)]
AccountAdmin = Annotated[Actor, Depends(ACCOUNT_ADMINS)]
