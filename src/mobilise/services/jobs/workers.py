"""Which workers are alive, and taking over the jobs of one that died (ADR 0010).

DBOS, self-hosted, recovers a worker's unfinished jobs only when a worker of the *same name*
starts again. To let any worker take them over, each worker holds a lock named after itself for
its whole life: a PostgreSQL session advisory lock, or on SQLite (one machine) an flock on a file
beside the jobs database. The operating system or the database server releases it the moment the
process dies, however it dies, so "the lock is free" means "that worker is gone" with no timeouts
to tune. A worker that finds another's lock free holds it while it puts that worker's jobs back on
the queue, so the dead worker cannot come back half-way and run them twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.jobs.queue import QUEUE, WORKFLOW_NAMES, jobs_client, jobs_database_url

# A job whose workers keep dying (it may be what kills them) is not retried for ever.
MAX_TAKEOVERS = 3
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class WorkerNameTaken(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"a worker named {name!r} is running already; give this one another name")


def check_worker_name(name: str) -> str:
    if not NAME.fullmatch(name):
        rule = "must be 1-64 letters, digits, dots, dashes or underscores, not starting with . - _"
        raise InvalidInput([Problem("worker", None, "name", name, rule)])
    return name


def default_worker_name() -> str:
    host = re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname())[:40].strip(".-") or "worker"
    return f"{host}-{os.getpid()}"


def _advisory_key(name: str) -> int:
    digest = hashlib.sha256(f"mobilise-worker:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_path(url: str, name: str) -> Path:
    database = make_url(url).database or ""
    folder = Path(database).with_suffix(".workers")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.lock"


@lru_cache(maxsize=8)
def _lock_engine(url: str) -> Engine:
    # No pool: a lock connection lives exactly as long as the lock.
    return create_engine(url, poolclass=NullPool)


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


class _Held:
    """One held worker lock: an open, flocked file or an open PostgreSQL session."""

    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name
        self.file: IO[bytes] | None = None
        self.connection: Connection | None = None

    def try_acquire(self) -> bool:
        if _is_sqlite(self.url):
            file = _lock_path(self.url, self.name).open("ab")
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                file.close()
                return False
            self.file = file
            return True
        connection = (
            _lock_engine(self.url).connect().execution_options(isolation_level="AUTOCOMMIT")
        )
        taken = connection.scalar(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": _advisory_key(self.name)}
        )
        if not taken:
            connection.close()
            return False
        self.connection = connection
        return True

    def still_held(self) -> bool:
        if self.connection is None:
            return self.file is not None
        try:
            self.connection.scalar(text("SELECT 1"))
        except Exception:
            return False
        return True

    def release(self) -> None:
        if self.file is not None:
            fcntl.flock(self.file, fcntl.LOCK_UN)
            self.file.close()
            self.file = None
        if self.connection is not None:
            try:
                self.connection.scalar(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": _advisory_key(self.name)}
                )
            finally:
                self.connection.close()
                self.connection = None


class WorkerLock:
    """The lock a running worker holds under its own name; `still_held` is checked as it works."""

    def __init__(self, held: _Held) -> None:
        self._held = held
        self.name = held.name

    @classmethod
    def acquire(cls, engine: Engine, name: str) -> WorkerLock:
        held = _Held(jobs_database_url(engine), check_worker_name(name))
        if not held.try_acquire():
            raise WorkerNameTaken(name)
        return cls(held)

    def still_held(self) -> bool:
        return self._held.still_held()

    def release(self) -> None:
        self._held.release()


@contextmanager
def _if_gone(url: str, name: str) -> Iterator[bool]:
    """Whether the worker `name` is gone; if so, its lock is held until the block ends."""
    held = _Held(url, name)
    gone = held.try_acquire()
    try:
        yield gone
    finally:
        if gone:
            held.release()


def worker_is_alive(engine: Engine, name: str) -> bool:
    with _if_gone(jobs_database_url(engine), check_worker_name(name)) as gone:
        return not gone


def take_over_lost_jobs(engine: Engine, me: str) -> list[str]:
    """Queue again the running jobs of workers that are gone; the ids of the jobs queued again.

    A job taken over more than MAX_TAKEOVERS times is failed instead, naming why.
    """
    client = jobs_client(engine)
    url = jobs_database_url(engine)
    running = client.list_workflows(
        status="PENDING", name=WORKFLOW_NAMES, load_input=False, load_output=False
    )
    workers = sorted({s.executor_id for s in running if s.executor_id and s.executor_id != me})
    queued_again: list[str] = []
    for worker in workers:
        if not NAME.fullmatch(worker):
            continue
        with _if_gone(url, worker) as gone:
            if not gone:
                continue
            # Read again under the lock: the worker cannot start again until it is released.
            lost = client.list_workflows(
                status="PENDING",
                name=WORKFLOW_NAMES,
                executor_id=worker,
                load_input=False,
                load_output=False,
            )
            for status in lost:
                takeovers = int((status.attributes or {}).get("takeovers", 0)) + 1
                if takeovers > MAX_TAKEOVERS:
                    reason = f"its worker stopped {takeovers} times while running it"
                    client.update_workflow_attributes(
                        status.workflow_id, {"lost": reason}, merge=True
                    )
                    client.cancel_workflow(status.workflow_id)
                    continue
                client.update_workflow_attributes(
                    status.workflow_id, {"takeovers": takeovers}, merge=True
                )
                client.resume_workflow(status.workflow_id, queue_name=QUEUE)
                queued_again.append(status.workflow_id)
    return queued_again
