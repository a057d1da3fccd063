"""Engines and transactions. Every write goes through `transaction()`: all of it or none of it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets the web app read while an import writes.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine (and pool) per URL per process."""
    return make_engine(url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed at the end, or rolled back entirely on any error."""
    with session_factory(engine)() as session, session.begin():
        yield session


@contextmanager
def reading_rows(engine: Engine) -> Iterator[Connection]:
    """A connection for Core reads on the hottest pages, outside any transaction.

    Each statement sees what was committed when it began, as under READ COMMITTED in a
    transaction, but with no BEGIN and no ROLLBACK: PostgreSQL's driver sends each as a round trip
    of its own, which was as many trips as a profile page's queries. Nothing can be written.
    """
    with engine.connect() as connection:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session for reads only; anything written is rolled back."""
    with session_factory(engine)() as session:
        try:
            yield session
        finally:
            session.rollback()
