"""The kill test: a real worker process is killed half-way through a job; nothing half-written
stays, and a worker started again runs the job to the end, once. Also: one name, one worker."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from mobilise.jobs import WorkerOptions, run_worker
from mobilise.services.jobs import JobState, WorkerNameTaken, enqueue_job, get_job
from mobilise.store.database import reading
from mobilise.store.models import Person, SkillClaim
from tests.support.workers import start_worker_process, wait_for, worker_thread

# Writing takes seconds (progress arrives per 50,000 rows), and the whole test stays quick.
PEOPLE = 20_000


def counts(engine: Engine) -> tuple[int, int]:
    with reading(engine) as session:
        people = session.scalar(select(func.count(Person.id))) or 0
        claims = session.scalar(select(func.count(SkillClaim.id))) or 0
        return int(people), int(claims)


def stop(process: subprocess.Popen[bytes], how: signal.Signals) -> None:
    if process.poll() is None:
        process.send_signal(how)
    process.wait(60)


@pytest.mark.parametrize("restarted_as", ["rescuer", "doomed"])
def test_a_killed_workers_job_is_run_again_exactly_once(
    engine: Engine, database_url_env: str, tmp_path: Path, restarted_as: str
) -> None:
    """Another worker takes the job over; or the killed worker, started again, resumes it."""
    log = tmp_path / "workers.log"
    job = enqueue_job(engine, "demo", {"people": PEOPLE, "seed": 11})
    doomed = start_worker_process(database_url_env, "doomed", log)
    try:
        deadline = time.monotonic() + 120
        while True:  # until the worker is half-way through writing the workforce
            seen = get_job(engine, job.id)
            progress = seen.progress
            assert not seen.finished, "the job ended before the worker could be killed"
            assert time.monotonic() < deadline, seen
            if progress and progress.message == "rows written" and progress.done > 0:
                assert progress.done < progress.total
                break
            time.sleep(0.02)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(60)
    finally:
        stop(doomed, signal.SIGKILL)

    # Rows were written inside the job's transaction, which died with the worker: none remain.
    assert counts(engine) == (0, 0)
    orphan = get_job(engine, job.id)
    assert orphan.state is JobState.running
    assert orphan.worker == "doomed"

    rescuer = start_worker_process(database_url_env, restarted_as, log)
    try:
        done = wait_for(engine, job.id, timeout=120)
    finally:
        stop(rescuer, signal.SIGTERM)
    assert rescuer.returncode == 0, log.read_text()

    assert done.state is JobState.succeeded, done.error
    assert done.worker == restarted_as
    assert done.result is not None
    assert done.result["people"] == PEOPLE
    # Exactly once: one workforce's rows, as the job's own result counts them.
    assert counts(engine) == (PEOPLE + done.result["leavers"], done.result["claims"])
    # A worker of another name took the job over; one of the same name recovered it itself.
    assert ("queued again" in log.read_text()) == (restarted_as != "doomed")


def test_a_name_runs_one_worker_at_a_time(engine: Engine) -> None:
    with worker_thread(engine, name="only"), pytest.raises(WorkerNameTaken):
        run_worker(engine, WorkerOptions("only"), threading.Event())
