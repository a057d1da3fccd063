"""Jobs as an actor may see and start them.

Anyone signed in sees the jobs they asked for; organisation admins see their organisation's;
operators (service admins, the command line) see all. Starting jobs that write across
organisations (imports, demo workforces) is for operators only, and is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.jobs.queue import Job, JobPage, UnknownJob, enqueue_job, get_job, list_jobs
from mobilise.store.database import transaction

UPLOAD_SUFFIXES = (".csv", ".json")
CHUNK_BYTES = 1024 * 1024


def jobs_for(engine: Engine, actor: Actor, *, limit: int = 50, offset: int = 0) -> JobPage:
    if actor.is_operator:
        return list_jobs(engine, limit=limit, offset=offset)
    administered = actor.organisations_where(Role.ORGANISATION_ADMIN)
    if administered:
        return list_jobs(engine, limit=limit, offset=offset, organisation_ids=administered)
    return list_jobs(engine, limit=limit, offset=offset, requested_by=actor.account_id or -1)


def job_for(engine: Engine, actor: Actor, job_id: str) -> Job:
    """One job, if the actor may see it; otherwise UnknownJob, as for an id no job has."""
    job = get_job(engine, job_id)
    visible = (
        actor.is_operator
        or (actor.account_id is not None and job.requested_by == actor.account_id)
        or (
            job.organisation_id is not None
            and job.organisation_id in actor.organisations_where(Role.ORGANISATION_ADMIN)
        )
    )
    if not visible:
        raise UnknownJob(job_id)
    return job


def queue_job(engine: Engine, actor: Actor, kind: str, parameters: Mapping[str, Any]) -> Job:
    """Queue a job for the actor (operators only), recording who asked in the audit log."""
    if not actor.is_operator:
        raise NotPermitted("only service admins may start imports and demo workforces")
    job = enqueue_job(
        engine,
        kind,
        parameters,
        requested_by=actor.account_id,
        organisation_id=actor.organisation_id,
    )
    with transaction(engine) as session:
        record_event(
            session,
            actor,
            "job.queued",
            entity_type="job",
            entity_key=job.id,
            organisation_id=actor.organisation_id,
            after={"kind": kind, "parameters": dict(job.parameters)},
        )
    return job


class UploadTooLarge(InvalidInput):
    """A file over the upload limit (HTTP 413 rather than 422)."""


def save_upload(directory: Path, filename: str, source: BinaryIO, max_bytes: int) -> Path:
    """Store an uploaded file for a worker to read, a chunk at a time, refusing it whole if it is
    too big or of a kind no import reads. The stored name is random: the browser's name is never
    a path."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InvalidInput(
            [Problem("upload", None, "file", filename, "must be a .csv or .json file")]
        )
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{uuid.uuid4().hex}{suffix}"
    partial = target.with_name(target.name + ".partial")
    written = 0
    try:
        with partial.open("wb") as file:
            while chunk := source.read(CHUNK_BYTES):
                written += len(chunk)
                if written > max_bytes:
                    raise UploadTooLarge(
                        [
                            Problem(
                                "upload",
                                None,
                                "file",
                                filename,
                                f"is larger than the upload limit of {max_bytes:,} bytes; "
                                "import larger files with `mobilise import`",
                            )
                        ]
                    )
                file.write(chunk)
        if written == 0:
            raise InvalidInput([Problem("upload", None, "file", filename, "is empty")])
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target.resolve()


def queue_upload(
    engine: Engine,
    actor: Actor,
    table: str,
    filename: str,
    source: BinaryIO,
    *,
    directory: Path,
    max_bytes: int,
) -> Job:
    """Store an uploaded file and queue its import (operators only; what the upload page and
    the API both do). Nothing is stored for someone who may not queue it, and a file whose job
    could not be queued is removed."""
    if not actor.is_operator:
        raise NotPermitted("only service admins may start imports and demo workforces")
    path = save_upload(directory, filename, source, max_bytes)
    try:
        return queue_job(engine, actor, "import", {"table": table, "path": str(path)})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
