"""Shared fixtures: a fresh migrated database with the DDaT framework, on SQLite and PostgreSQL.

Each test gets its own database copied from a template built once per session (a file copy on
SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so tests are isolated and fast. PostgreSQL is
skipped where it is not installed, except under CI=true where its absence fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text

from mobilise.services.framework import ensure_default_framework
from mobilise.settings import get_settings
from mobilise.store.database import engine_for, make_engine
from mobilise.store.schema import upgrade
from tests.support.databases import TEMPLATE, postgres_copy, sqlite_copy
from tests.support.postgres import Cluster, PostgresUnavailable, start_cluster

# Wall-clock deadlines make property tests fail on a busy 2-core CI machine without saying
# anything about correctness; speed is the benchmarks' business (bench/), never the tests'.
settings.register_profile("mobilise", deadline=None)
# CI replays the same examples every run (a red build must be reproducible from its commit);
# local runs draw new ones, which is how they find new bugs.
settings.register_profile("mobilise-ci", deadline=None, derandomize=True)
settings.load_profile("mobilise-ci" if os.environ.get("CI", "").lower() == "true" else "mobilise")

POSTGRES_REQUIRED = (
    os.environ.get("CI", "").lower() == "true"
    or os.environ.get("MOBILISE_TEST_POSTGRES", "") == "required"
)
POSTGRES_DISABLED = os.environ.get("MOBILISE_TEST_POSTGRES", "") == "off"


def _prepare(engine: Engine) -> None:
    upgrade(engine)
    ensure_default_framework(engine)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    _prepare(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    if POSTGRES_DISABLED:
        pytest.skip("PostgreSQL tests disabled by MOBILISE_TEST_POSTGRES=off")
    try:
        cluster = start_cluster()
    except PostgresUnavailable as error:
        if POSTGRES_REQUIRED:
            pytest.fail(f"PostgreSQL is required (CI=true) but could not start: {error}")
        pytest.skip(f"PostgreSQL unavailable: {error}")
    try:
        admin = make_engine(cluster.url("postgres"))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"CREATE DATABASE {TEMPLATE}"))
        admin.dispose()
        template = make_engine(cluster.url(TEMPLATE))
        _prepare(template)
        template.dispose()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    with sqlite_copy(sqlite_template, tmp_path / "mobilise.db") as engine:
        yield engine


@pytest.fixture
def postgres_engine(postgres_cluster: Cluster) -> Iterator[Engine]:
    with postgres_copy(postgres_cluster) as engine:
        yield engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """A fresh migrated database with the default DDaT framework, on each store."""
    name = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture
def database_url_env(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Iterator[str]:
    """Point the settings (and so the CLI and web app) at the test database."""
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine_for.cache_clear()
    yield url
    get_settings.cache_clear()
    engine_for.cache_clear()
