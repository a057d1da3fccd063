"""Temporary staging tables: validated rows go here first, then into the store in one statement.

Staging lets an import read its input once, of any size, without holding it in Python, and keeps
the all-or-nothing promise: staging and the final write share one transaction. Rows are appended
with COPY on PostgreSQL and with executemany on SQLite, the fastest bulk path of each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, Date, Integer, MetaData, String, Table, Text

CHUNK_ROWS = 10_000

_metadata = MetaData()


def _staging(name: str, *columns: Column[Any]) -> Table:
    return Table(name, _metadata, Column("row_number", Integer), *columns, prefixes=["TEMPORARY"])


ORGANISATIONS = _staging(
    "transfer_organisation",
    Column("key", String(200)),
    Column("name", String(300)),
    Column("kind", String(40)),
    Column("region", String(60)),
    Column("parent_key", String(200)),
    Column("headcount", Integer),
)

PEOPLE = _staging(
    "transfer_person",
    Column("key", String(200)),
    Column("display_name", String(300)),
    Column("email", String(320)),
    Column("organisation_id", Integer),
    Column("grade", String(20)),
    Column("region", String(60)),
    Column("role_level_id", Integer),
    Column("manager_key", String(200)),
    Column("started_on", Date),
    Column("left_on", Date),
)

CLAIMS = _staging(
    "transfer_skill_claim",
    Column("person_id", Integer),
    Column("skill_id", Integer),
    Column("level", Integer),
    Column("source", String(20)),
    Column("status", String(20)),
    Column("evidence", Text),
    Column("claimed_on", Date),
    Column("expires_on", Date),
    Column("validated_by_id", Integer),
)

StagedRow = Sequence[object]


def create(connection: Connection, table: Table) -> None:
    table.drop(connection, checkfirst=True)
    table.create(connection)


@contextmanager
def large_cache(connection: Connection) -> Iterator[None]:
    """On SQLite, a 256 MB page cache while the import runs: inserting millions of rows into the
    target's indexes thrashes the default 2 MB cache. Restored afterwards: connections are pooled.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    # On the driver's connection: through SQLAlchemy, a statement would begin the transaction.
    driver = connection.connection.driver_connection
    assert driver is not None
    (before,) = driver.execute("PRAGMA cache_size").fetchone()
    driver.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size = {int(before)}")


def prepare_to_read(connection: Connection, table: Table) -> None:
    """Give PostgreSQL's planner the staged table's statistics (it has none for temporary tables
    until analysed) and room to sort it in memory, for this transaction only."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {table.name}")
        connection.exec_driver_sql("SET LOCAL work_mem = '256MB'")


def drop(connection: Connection, table: Table) -> None:
    table.drop(connection)


class Appender:
    """Buffers rows and appends them to a staging table in large batches."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self.connection = connection
        self.table = table
        self.buffer: list[StagedRow] = []
        self.count = 0
        self._postgres = connection.dialect.name == "postgresql"
        names = [c.name for c in table.columns]
        # Names come from the Table definitions above, never from input.
        placeholders = ", ".join("?" * len(names))
        self._insert = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({placeholders})"  # noqa: S608
        self._copy = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"

    def add(self, row: StagedRow) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        if self._postgres:
            self._copy_rows(self.buffer)
        else:
            self._insert_rows(self.buffer)
        self.count += len(self.buffer)
        self.buffer = []

    def _copy_rows(self, rows: Iterable[StagedRow]) -> None:
        driver = self.connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(self._copy) as copy:
            for row in rows:
                copy.write_row(row)

    def _insert_rows(self, rows: Iterable[StagedRow]) -> None:
        driver = self.connection.connection.driver_connection
        assert driver is not None
        driver.executemany(self._insert, rows)

    def date(self, value: date | None) -> object:
        """A date as this store's driver takes it in bulk (on SQLite, the ISO text SQLAlchemy uses;
        sqlite3's own date adapter is deprecated)."""
        if value is None or self._postgres:
            return value
        return value.isoformat()
