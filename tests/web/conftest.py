"""The web app over a fresh database, and test clients for it.

`client` gets its own database per test (for tests that write). `reader` shares one database per
module and store, for the many tests that only read: the pages and API never write, and copying a
PostgreSQL database for each of them would make this suite slow for nothing.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from mobilise.store.database import make_engine
from mobilise.web.app import create_app
from tests.conftest import TEMPLATE

_numbers = itertools.count()


@pytest.fixture
def web_app(engine: Engine) -> FastAPI:
    return create_app(engine=engine)


@pytest.fixture
def client(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app) as test_client:
        yield test_client


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def reader(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A client over a database with the default framework that its tests only read."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path_factory.mktemp("web") / "mobilise.db"
        shutil.copyfile(template, path)
        engine = make_engine(f"sqlite:///{path}")
        try:
            with TestClient(create_app(engine=engine)) as test_client:
                yield test_client
        finally:
            engine.dispose()
        return
    cluster = request.getfixturevalue("postgres_cluster")
    name = f"web_{os.getpid()}_{next(_numbers)}"
    admin = make_engine(cluster.url("postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
    engine = make_engine(cluster.url(name))
    try:
        with TestClient(create_app(engine=engine)) as test_client:
            yield test_client
    finally:
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
