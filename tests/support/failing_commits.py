"""Make every commit fail, as when the database goes away at the last moment of a transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session


class CommitRefused(RuntimeError):
    pass


@contextmanager
def commits_fail() -> Iterator[None]:
    """Inside the block, every session's commit raises CommitRefused (so it rolls back)."""

    def refuse(_session: Session) -> None:
        raise CommitRefused("the database went away")

    event.listen(Session, "before_commit", refuse)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", refuse)
