"""Background jobs on DBOS Transact (ADR 0010): enqueue, list and read jobs and their progress.

A job is a DBOS workflow named `mobilise.<kind>` on one queue. DBOS keeps its tables in a *jobs
database*: on PostgreSQL the application's own database (schema `dbos`); on SQLite a file beside
the application's (`mobilise.db` → `mobilise-jobs.db`), because SQLite has one writer per file and
a long import holds the application file's write lock for its whole transaction — progress and the
queue itself must still be writable meanwhile. `MOBILISE_JOBS_DATABASE_URL` overrides the choice.

Everything a page or the CLI shows comes from the workflow's status row: its input (the
parameters), output (the result), error, times and attributes (who asked, for which organisation,
and the progress the worker writes). Data is stored as portable JSON, never pickles.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from dbos import DBOS, DBOSClient, EnqueueOptions, WorkflowSerializationFormat, WorkflowStatus
from sqlalchemy import Engine, create_engine

from mobilise.services.jobs.kinds import KINDS, check_parameters
from mobilise.settings import get_settings

APPLICATION = "mobilise"
QUEUE = "mobilise-jobs"
# Pinned rather than derived from the code: DBOS recovers and dequeues only workflows of the
# version a worker runs, and every worker of a deployment must agree. Bump it when a job kind's
# parameters or result change incompatibly.
APPLICATION_VERSION = "jobs-1"
WORKFLOW_PREFIX = "mobilise."
SERIALIZATION = WorkflowSerializationFormat.PORTABLE
WORKFLOW_NAMES = [WORKFLOW_PREFIX + kind for kind in KINDS]


class JobState(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"


_STATES = {
    "DELAYED": JobState.queued,
    "ENQUEUED": JobState.queued,
    "PENDING": JobState.running,
    "SUCCESS": JobState.succeeded,
    "ERROR": JobState.failed,
    "MAX_RECOVERY_ATTEMPTS_EXCEEDED": JobState.failed,
    "CANCELLED": JobState.cancelled,
}
FINISHED = frozenset({JobState.succeeded, JobState.failed, JobState.cancelled})


@dataclass(frozen=True)
class JobProgress:
    done: int
    total: int  # 0 when the total is not known yet
    message: str

    @property
    def fraction(self) -> float | None:
        return min(1.0, self.done / self.total) if self.total > 0 else None


@dataclass(frozen=True)
class JobError:
    """Why a job failed: the error's kind, its message and, for bad input, every problem."""

    name: str
    message: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    state: JobState
    parameters: Mapping[str, Any]
    requested_by: int | None  # account id
    organisation_id: int | None
    created_at: datetime
    started_at: datetime | None  # the latest start: a job re-run after a lost worker restarts
    finished_at: datetime | None
    progress: JobProgress | None
    result: Mapping[str, Any] | None
    error: JobError | None
    worker: str | None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


@dataclass(frozen=True)
class JobPage:
    jobs: list[Job]  # newest first
    offset: int
    limit: int
    has_more: bool
    total: int  # every job the filter admits, not only this page's


class UnknownJob(LookupError):
    def __init__(self, job_id: str) -> None:
        super().__init__(f"no job has the id {job_id!r}")


class JobFailed(Exception):
    """Raised by a job that cannot do its work; `data` is stored with the job, as JSON."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.data = {"problems": list(problems)}


def jobs_database_url(engine: Engine) -> str:
    """Where the jobs live for the application database behind `engine` (see the module doc)."""
    override = get_settings().jobs_database_url
    if override:
        for prefix in ("postgres://", "postgresql://"):
            if override.startswith(prefix):
                return "postgresql+psycopg://" + override[len(prefix) :]
        return override
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return url.render_as_string(hide_password=False)
    if not url.database or url.database == ":memory:":
        raise ValueError("background jobs need a database file, not an in-memory SQLite database")
    path = Path(url.database)
    return str(url.set(database=str(path.with_name(f"{path.stem}-jobs{path.suffix or '.db'}"))))


def prepare_jobs_database(url: str) -> None:
    """Create or migrate DBOS's tables and the queue; safe to repeat, done once per process."""
    _prepared(url)


@lru_cache(maxsize=8)
def _prepared(url: str) -> bool:
    DBOS.migrate(url)
    if url.startswith("sqlite"):
        # WAL lets pages read progress while a worker writes it; the mode is kept by the file.
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()
    client = DBOSClient(system_database_url=url, application_name=APPLICATION)
    try:
        if client.retrieve_queue(QUEUE) is None:
            client.register_queue(QUEUE, worker_concurrency=1, on_conflict="never_update")
    finally:
        client.destroy()
    return True


@lru_cache(maxsize=8)
def _client_for(url: str) -> DBOSClient:
    prepare_jobs_database(url)
    return DBOSClient(system_database_url=url, application_name=APPLICATION)


def jobs_client(engine: Engine) -> DBOSClient:
    """One DBOS client (and pool) per jobs database per process."""
    return _client_for(jobs_database_url(engine))


def new_job_id() -> str:
    # 64 random bits, like allocation run keys: short enough to type; DBOS refuses a reused id.
    return uuid.uuid4().hex[:16]


def enqueue_job(
    engine: Engine,
    kind: str,
    parameters: Mapping[str, Any],
    *,
    requested_by: int | None = None,
    organisation_id: int | None = None,
) -> Job:
    """Queue a job after checking its parameters; bad ones raise InvalidInput, nothing queued."""
    checked = check_parameters(kind, parameters)
    client = jobs_client(engine)
    job_id = new_job_id()
    options: EnqueueOptions = {
        "queue_name": QUEUE,
        "workflow_name": WORKFLOW_PREFIX + kind,
        "workflow_id": job_id,
        "workflow_id_reuse_policy": "reject",
        "app_version": APPLICATION_VERSION,
        "serialization_type": SERIALIZATION,
        "attributes": {"requested_by": requested_by, "organisation_id": organisation_id},
    }
    client.enqueue(options, checked)
    return get_job(engine, job_id)


def list_jobs(
    engine: Engine,
    *,
    limit: int = 50,
    offset: int = 0,
    organisation_ids: Collection[int] | None = None,
    requested_by: int | None = None,
) -> JobPage:
    """Jobs newest first, a page at a time, with the exact count; optionally only some
    organisations' or one account's.

    The status rows are scanned without inputs and outputs (DBOS filters attributes only by one
    value, and only on PostgreSQL): jobs are few next to people, so counting them is cheap, and
    only the page's jobs are then read in full.
    """
    organisations = None if organisation_ids is None else frozenset(organisation_ids)
    client = jobs_client(engine)
    light = client.list_workflows(
        name=WORKFLOW_NAMES, sort_desc=True, load_input=False, load_output=False
    )
    chosen = [
        s.workflow_id
        for s in light
        if (organisations is None or (s.attributes or {}).get("organisation_id") in organisations)
        and (requested_by is None or (s.attributes or {}).get("requested_by") == requested_by)
    ]
    wanted = chosen[offset : offset + limit]
    full = {s.workflow_id: s for s in client.list_workflows(workflow_ids=wanted)} if wanted else {}
    found = [full[i] for i in wanted if i in full]
    return JobPage(
        [_job(s) for s in found], offset, limit, len(chosen) > offset + limit, len(chosen)
    )


def get_job(engine: Engine, job_id: str) -> Job:
    found = jobs_client(engine).list_workflows(workflow_ids=[job_id], name=WORKFLOW_NAMES)
    if not found:
        raise UnknownJob(job_id)
    return _job(found[0])


def _time(epoch_ms: int | None) -> datetime | None:
    return None if epoch_ms is None else datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)


def _job(status: WorkflowStatus) -> Job:
    attributes = status.attributes or {}
    progress = attributes.get("progress")
    arguments = status.input["args"] if status.input and status.input["args"] else [{}]
    state = _STATES.get(status.status, JobState.failed)
    lost = attributes.get("lost")
    if lost and state is JobState.cancelled:
        state = JobState.failed  # given up after losing too many workers (services.jobs.workers)
    return Job(
        id=status.workflow_id,
        kind=status.name.removeprefix(WORKFLOW_PREFIX),
        state=state,
        parameters=arguments[0],
        requested_by=attributes.get("requested_by"),
        organisation_id=attributes.get("organisation_id"),
        created_at=_time(status.created_at) or datetime.now(UTC),
        started_at=_time(status.dequeued_at) if state is not JobState.queued else None,
        finished_at=_time(status.completed_at),
        progress=JobProgress(**progress) if isinstance(progress, dict) else None,
        result=status.output if state is JobState.succeeded else None,
        error=JobError("WorkerLost", str(lost)) if lost else _error(status),
        worker=status.executor_id if state is not JobState.queued else None,
    )


def _error(status: WorkflowStatus) -> JobError | None:
    if status.status == "MAX_RECOVERY_ATTEMPTS_EXCEEDED":
        return JobError("WorkerLost", "the workers running this job stopped too many times")
    error = status.error
    if error is None:
        return None
    # Portable errors come back as DBOS's PortableWorkflowError with the original name and data.
    name = getattr(error, "name", None) or type(error).__name__
    message = getattr(error, "message", None) or str(error)
    data = getattr(error, "data", None)
    problems = data.get("problems") if isinstance(data, dict) else None
    return JobError(str(name), str(message), tuple(str(p) for p in problems or ()))
