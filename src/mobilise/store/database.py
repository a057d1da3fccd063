"""Engines and transactions. Every write goes through `transaction()`: all of it or none of it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets the web app read while an import writes.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# A pooled connection idle for longer than this is pinged before it is handed out, and replaced
# if the server has gone (a restart, a fail-over, a firewall's idle timeout). A busy pool's
# connections are not: pinging on every checkout cost a round trip per page, a twelfth of a
# profile page's CPU (bench/RESULTS.md). If the server goes while connections are busy, the
# first statement on each fails as a disconnect, SQLAlchemy invalidates the whole pool, and the
# next requests get fresh connections.
IDLE_PING_SECONDS = 5.0
POOL_SIZE = 30  # per process; docs/deploy.md sizes PostgreSQL's max_connections from it


def _mark_idle(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(engine: Engine) -> Any:
    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and checks out another (or connects anew).
            raise DisconnectionError(f"a pooled connection failed its ping: {error}") from error

    return checkout


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Up to 30 connections, each kept once opened: with 10 kept and 20 more "overflow" ones closed
    # on return, a busy process opened and closed a connection every few requests (266 in 10 s
    # of the profile pages' load), each a new server process to start and warm up.
    engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=0)
    event.listen(engine, "checkin", _mark_idle)
    event.listen(engine, "checkout", _ping_if_idle(engine))
    return engine


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
