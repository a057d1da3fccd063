"""Fresh databases from the session template: a file copy (SQLite), a TEMPLATE copy (PostgreSQL)."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from mobilise.store.database import make_engine
from tests.support.postgres import Cluster

TEMPLATE = "mobilise_template"
_numbers = itertools.count()


@contextmanager
def sqlite_copy(template: Path, path: Path) -> Iterator[Engine]:
    shutil.copyfile(template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def postgres_copy(cluster: Cluster, prefix: str = "test") -> Iterator[Engine]:
    name = f"{prefix}_{os.getpid()}_{next(_numbers)}"
    admin = make_engine(cluster.url("postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
    engine = make_engine(cluster.url(name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
