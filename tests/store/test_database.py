"""The PostgreSQL pool: idle connections are pinged and replaced if dead, busy ones are not."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from mobilise.store import database
from mobilise.store.database import reading_rows

pytestmark = pytest.mark.postgres


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text("SELECT pg_backend_pid()")) or 0)


def _terminate(engine: Engine, pid: int) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        connection.commit()


def test_an_idle_connection_whose_server_end_died_is_replaced_unseen(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_engine.url.render_as_string(hide_password=False)
    engine = database.make_engine(url)
    killed = _backend(engine)
    _terminate(postgres_engine, killed)
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)

    assert _backend(engine) != killed  # the ping found it dead; the pool connected anew
    engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_engine.url.render_as_string(hide_password=False)
    engine = database.make_engine(url)
    killed = _backend(engine)
    _terminate(postgres_engine, killed)
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 3600.0)

    # No ping: the statement meets the dead connection, which SQLAlchemy sees as a disconnect
    # and invalidates, so the next checkout connects anew.
    with pytest.raises(DBAPIError) as failed:
        _backend(engine)
    assert failed.value.connection_invalidated
    assert _backend(engine) != killed
    with reading_rows(engine) as connection:
        assert connection.scalar(text("SELECT 1")) == 1
    engine.dispose()
