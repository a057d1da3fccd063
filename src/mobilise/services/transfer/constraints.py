"""Check a large load's foreign keys once, in one join, instead of once per row.

PostgreSQL checks each foreign key of each inserted row with its own trigger call; for millions of
rows that costs more than the insert itself. Adding a foreign key back checks every row in one
anti-join. Within the import's transaction the table's foreign keys are dropped, the rows written
and the keys added back, so the result is checked as strictly and a failure still rolls back all.
The price: the table is locked against readers while the write runs, so only large loads do it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Table, text
from sqlalchemy.schema import AddConstraint, DropConstraint

LARGE_LOAD_ROWS = 50_000


@contextmanager
def foreign_keys_checked_once(connection: Connection, table: Table, rows: int) -> Iterator[None]:
    if connection.dialect.name != "postgresql" or rows < LARGE_LOAD_ROWS:
        yield
        return
    stored = set(
        connection.scalars(
            text(
                "SELECT conname FROM pg_constraint "
                "WHERE conrelid = CAST(:table AS regclass) AND contype = 'f'"
            ),
            {"table": table.name},
        )
    )
    # Only keys whose stored name matches the model's are dropped, so each is re-added as it was.
    keys = [fk for fk in table.foreign_key_constraints if fk.name in stored]
    for key in keys:
        connection.execute(DropConstraint(key))
    yield
    for key in keys:
        connection.execute(AddConstraint(key))
