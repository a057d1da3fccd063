"""The API keeps its contract: schemathesis generates requests from the app's own OpenAPI document
for every operation, over a small demo workforce, and checks every response against the document.

Each operation runs twice, anonymously and as an organisation admin holding a token with every
scope, so the "sign in" and "not allowed" problems are checked as well as the data. The requests
go to the app in-process (ASGI), on SQLite and on PostgreSQL. Generation is derandomised, so a
run is reproducible, and bounded (20 requests per operation and caller by default), so the module
takes well under a minute. Nothing is excluded: new operations are tested as they appear.

schemathesis's own pytest integration (`schema.parametrize()` on a fixture) does not run under
pytest 9, so each operation is a plain parametrised test that drives schemathesis's Hypothesis
strategies for it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.specs.openapi.schemas import OpenApiSchema
from sqlalchemy import Engine, func, select

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role, Scope, command_line_actor
from mobilise.services.api_tokens import actor_for_token, issue_token
from mobilise.services.demo import generate_demo
from mobilise.services.jobs.visibility import queue_job
from mobilise.services.skill_inference import inferencer_for
from mobilise.store.database import make_engine
from mobilise.store.models import (
    Account,
    ApiToken,
    JobFamilyRecord,
    Organisation,
    Person,
    RoleLevelRecord,
    RoleRecord,
    SkillRecord,
)
from mobilise.web.app import create_app
from tests.support.databases import postgres_copy

DEMO_PEOPLE = 300
DEMO_SEED = 20260401
# Enough to find what the fixes in test_api_*.py guard against; set MOBILISE_CONTRACT_EXAMPLES
# higher for a deeper, slower search.
EXAMPLES_PER_OPERATION = int(os.environ.get("MOBILISE_CONTRACT_EXAMPLES", "20"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.negative_data_rejection,
]
# Left out on purpose: `positive_data_acceptance` (a well-formed key that names no one is a 404,
# and an anonymous caller gets a 401: both right), `missing_required_header` and
# `unsupported_method` (they probe requests outside the operations, which the route-table tests
# in test_access.py cover), and the stateful checks (`use_after_free`,
# `ensure_resource_availability`), which follow OpenAPI links the document does not declare.
CALLERS = ["anonymous", "organisation admin token"]


def _operations() -> list[str]:
    """Every operation in the app's OpenAPI document, as "METHOD path". The document depends on
    the routes only, so an app over an untouched in-memory database describes it."""
    document = create_app(engine=make_engine("sqlite://")).openapi()
    return [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
    ]


@dataclass
class Credentials:
    """The organisation admin's token, issued again whenever a generated request took it away
    (`DELETE /tokens/{id}` may revoke it, `DELETE /accounts/{id}/roles/...` the role): later
    requests should still be made as the admin, not fall back to 401s and 403s."""

    engine: Engine
    person_key: str
    account_id: int = 0
    token: str = ""

    def current(self) -> str:
        actor = actor_for_token(self.engine, self.token) if self.token else None
        if actor is None or not actor.has(Role.ORGANISATION_ADMIN):
            signed_in = development_sign_in(self.engine, self.person_key, [Role.ORGANISATION_ADMIN])
            assert signed_in.account_id is not None
            self.account_id = signed_in.account_id
            self.token = issue_token(
                self.engine,
                command_line_actor(),
                self.account_id,
                "contract test",
                [scope.value for scope in Scope],
                days=1,
            ).token
        return self.token


@dataclass
class Contract:
    schema: OpenApiSchema
    credentials: Credentials
    # Stored keys and ids for parameters, so that requests reach stored data, not only 404s.
    known: dict[str, list[Any]] = field(default_factory=dict)


def _admin_person(engine: Engine) -> str:
    """The first person, by key, of the largest organisation (so its admin sees many people)."""
    with engine.connect() as connection:
        largest = (
            select(Person.organisation_id)
            .where(Person.organisation_id.is_not(None))
            .group_by(Person.organisation_id)
            .order_by(func.count().desc(), Person.organisation_id)
            .limit(1)
            .scalar_subquery()
        )
        key = connection.scalar(
            select(Person.key).where(Person.organisation_id == largest).order_by(Person.key)
        )
    assert key is not None
    return key


def _stored_values(engine: Engine, admin_person: str) -> dict[str, list[Any]]:
    """Stored keys and ids for parameters, by "path:name" or by name alone: people of the admin's
    organisation and of others (so tenancy is checked), framework keys, accounts, tokens."""

    def first(column: Any, *where: Any, count: int = 20) -> list[Any]:
        with engine.connect() as connection:
            query = select(column).where(*where).order_by(column).limit(count)
            return list(connection.scalars(query))

    with engine.connect() as connection:
        organisation_id = connection.scalar(
            select(Person.organisation_id).where(Person.key == admin_person)
        )
    own_organisation = first(Organisation.key, Organisation.id == organisation_id)
    colleagues = first(Person.key, Person.organisation_id == organisation_id)
    strangers = first(Person.key, Person.organisation_id != organisation_id)
    role_levels = first(RoleLevelRecord.key)
    return {
        "/api/v1/people/{key}:key": [
            k for pair in zip(colleagues, strangers, strict=False) for k in pair
        ],
        "/api/v1/people:organisation": own_organisation + first(Organisation.key, count=5),
        "/api/v1/roles/{key}:key": first(RoleRecord.key),
        "/api/v1/roles:family": first(JobFamilyRecord.key),
        "/api/v1/role-levels/{key}:key": role_levels,
        "/api/v1/role-levels:role": first(RoleRecord.key),
        "/api/v1/skills/{key}:key": first(SkillRecord.key),
        "/api/v1/compare:a": role_levels,
        "/api/v1/compare:b": role_levels[::-1],
        "/api/v1/search:q": ["data", "engineer", "security", "product"],
        "/api/v1/audit-events:action": ["account.signed_in", "token.issued", "token.revoked"],
        "/api/v1/accounts/{account_id}/roles/{role}:organisation": own_organisation,
        "name": ["ddat"],
        "framework": ["ddat"],
        "body.skill": first(SkillRecord.key),
        "body.account": first(Account.id),
        "body.organisation": own_organisation,
        "account_id": first(Account.id),
        "token_id": first(ApiToken.id),
    }


def _queue_a_job(engine: Engine, admin_person: str) -> str:
    """A queued job of the admin's organisation (no worker runs it), started by a colleague who
    is a service admin, so the jobs operations have one to list and show."""
    with engine.connect() as connection:
        colleague = connection.scalar(
            select(Person.key)
            .where(
                Person.organisation_id
                == select(Person.organisation_id)
                .where(Person.key == admin_person)
                .scalar_subquery(),
                Person.key != admin_person,
            )
            .order_by(Person.key)
        )
    assert colleague is not None
    operator = development_sign_in(engine, colleague, [Role.SERVICE_ADMIN])
    return queue_job(engine, operator, "demo", {"people": 10, "seed": 1}).id


def _contract(engine: Engine) -> Contract:
    generate_demo(engine, people=DEMO_PEOPLE, seed=DEMO_SEED, claims_per_person=6)
    credentials = Credentials(engine, _admin_person(engine))
    credentials.current()
    known = _stored_values(engine, credentials.person_key)
    known["job_id"] = [_queue_a_job(engine, credentials.person_key)]
    # Skill inference builds its ESCO scorers on first use (seconds on a busy machine); build
    # them now so that no request of the contract waits on it past the client's timeout.
    inferencer_for("esco")
    inferencer_for("ddat", engine)
    app = create_app(engine=engine)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    return Contract(schema, credentials, known)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def contract(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Contract]:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path_factory.mktemp("contract") / "mobilise.db"
        shutil.copyfile(template, path)
        engine = make_engine(f"sqlite:///{path}")
        try:
            yield _contract(engine)
        finally:
            engine.dispose()
        return
    with postgres_copy(request.getfixturevalue("postgres_cluster"), "contract") as engine:
        yield _contract(engine)


def _stored(
    known: dict[str, list[Any]], path: str, parameters: Iterable[Any]
) -> dict[str, st.SearchStrategy[Any]]:
    """For each parameter that names stored data, a strategy of real values: those given for
    the path or a path it extends (`/people/{key}` serves `/people/{key}/gap`), else by name."""
    stored = {}
    for parameter in parameters:
        given = [
            (len(where), values)
            for where_name, values in known.items()
            for where, _, name in [where_name.rpartition(":")]
            if name == parameter.name and where and path.startswith(where)
        ]
        values = max(given, key=lambda found: found[0])[1] if given else None
        values = values or known.get(parameter.name)
        if values:
            stored[parameter.name] = st.sampled_from(values)
    return stored


def _with_stored_body(drawn: tuple[Case, dict[str, Any]]) -> Case:
    """The case with stored keys and ids in the body fields it has that name stored data, so
    that its other fields reach the services and the store."""
    case, stored = drawn
    if isinstance(case.body, dict):
        case.body = {**case.body, **{k: v for k, v in stored.items() if k in case.body}}
    return case


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("operation", _operations())
def test_every_response_keeps_the_contract(contract: Contract, operation: str, caller: str) -> None:
    method, path = operation.split(" ", 1)
    api_operation = contract.schema[path][method]
    strategies = [
        api_operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        api_operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    in_path = _stored(contract.known, path, api_operation.path_parameters)
    in_query = _stored(contract.known, path, api_operation.query)
    if in_path or in_query:
        strategies.append(
            st.tuples(st.fixed_dictionaries(in_path), st.fixed_dictionaries(in_query)).flatmap(
                lambda values: api_operation.as_strategy(
                    path_parameters=values[0] or None, query=values[1] or None
                )
            )
        )
    in_body = {
        name.removeprefix("body."): st.sampled_from(values)
        for name, values in contract.known.items()
        if name.startswith("body.")
    }
    if api_operation.body:
        strategies.append(
            st.tuples(
                api_operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                st.fixed_dictionaries(in_body),
            ).map(_with_stored_body)
        )
    cases = st.one_of(strategies)
    security = contract.schema.raw_schema["paths"][path][method.lower()].get("security", [{}])
    needs_credentials = {} not in security

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def keeps_the_contract(case: Case) -> None:
        headers = {}
        if caller != "anonymous":
            headers["Authorization"] = f"Bearer {contract.credentials.current()}"
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        if caller == "anonymous" and needs_credentials:
            # The document says this operation needs credentials: it must not serve anyone.
            assert response.status_code >= 400, f"{operation} served an anonymous caller"

    keeps_the_contract()
