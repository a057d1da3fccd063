"""Worker locks tell the living from the dead, and a dead worker's running jobs are queued again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from mobilise.core.problems import InvalidInput
from mobilise.services.jobs import (
    JobState,
    WorkerLock,
    WorkerNameTaken,
    check_worker_name,
    default_worker_name,
    enqueue_job,
    get_job,
    jobs_database_url,
    take_over_lost_jobs,
    worker_is_alive,
)
from mobilise.services.jobs.workers import MAX_TAKEOVERS


@pytest.fixture
def jobs_engine(engine: Engine) -> Iterator[Engine]:
    enqueue_job(engine, "demo", {"people": 1, "seed": 1})  # creates the jobs database
    jobs = create_engine(jobs_database_url(engine))
    yield jobs
    jobs.dispose()


def started_by(jobs: Engine, job_id: str, worker: str) -> None:
    """What DBOS records when `worker` takes the job off the queue and starts it."""
    table = "dbos.workflow_status" if jobs.dialect.name == "postgresql" else "workflow_status"
    start = text(
        f"UPDATE {table} SET status = 'PENDING', executor_id = :w "  # noqa: S608 (a constant)
        "WHERE workflow_uuid = :id"
    )
    with jobs.begin() as connection:
        connection.execute(start, {"w": worker, "id": job_id})


def test_worker_names_are_checked() -> None:
    assert check_worker_name("web-1.prod_a") == "web-1.prod_a"
    check_worker_name(default_worker_name())
    for bad in ("", "-x", "a b", "x" * 65, "../etc"):
        with pytest.raises(InvalidInput):
            check_worker_name(bad)


def test_a_name_is_held_by_one_worker_and_freed_when_it_ends(engine: Engine) -> None:
    lock = WorkerLock.acquire(engine, "w1")
    try:
        assert lock.still_held()
        assert worker_is_alive(engine, "w1")
        with pytest.raises(WorkerNameTaken, match="'w1'"):
            WorkerLock.acquire(engine, "w1")
        assert not worker_is_alive(engine, "w2")
    finally:
        lock.release()
    assert not worker_is_alive(engine, "w1")


def test_a_dead_workers_jobs_are_queued_again(engine: Engine, jobs_engine: Engine) -> None:
    job = enqueue_job(engine, "demo", {"people": 2, "seed": 1})
    started_by(jobs_engine, job.id, "ghost")
    assert get_job(engine, job.id).state is JobState.running

    alive = WorkerLock.acquire(engine, "ghost")
    try:
        assert take_over_lost_jobs(engine, me="rescuer") == []
        assert get_job(engine, job.id).state is JobState.running
    finally:
        alive.release()

    assert take_over_lost_jobs(engine, me="rescuer") == [job.id]
    assert get_job(engine, job.id).state is JobState.queued
    assert take_over_lost_jobs(engine, me="rescuer") == []


def test_a_job_that_keeps_losing_its_worker_fails(engine: Engine, jobs_engine: Engine) -> None:
    job = enqueue_job(engine, "demo", {"people": 2, "seed": 1})
    for attempt in range(MAX_TAKEOVERS):
        started_by(jobs_engine, job.id, f"ghost-{attempt}")
        assert take_over_lost_jobs(engine, me="rescuer") == [job.id]
    started_by(jobs_engine, job.id, "ghost-last")
    assert take_over_lost_jobs(engine, me="rescuer") == []
    failed = get_job(engine, job.id)
    assert failed.state is JobState.failed
    assert failed.error is not None
    assert failed.error.name == "WorkerLost"
    assert f"stopped {MAX_TAKEOVERS + 1} times" in failed.error.message


def test_a_worker_does_not_take_over_its_own_jobs(engine: Engine, jobs_engine: Engine) -> None:
    job = enqueue_job(engine, "demo", {"people": 2, "seed": 1})
    started_by(jobs_engine, job.id, "me")
    assert take_over_lost_jobs(engine, me="me") == []
    assert get_job(engine, job.id).state is JobState.running
