"""One worker process: takes jobs from the queue and runs them until it is told to stop.

The worker holds a lock under its name for its whole life (`services.jobs.workers`): while
it runs, it regularly puts the jobs of workers that died back on the queue, and it stops at once if
it can no longer prove that it is alive itself, so that no job ever runs twice at the same time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from dbos import DBOS, DBOSConfig
from sqlalchemy import Engine

from mobilise.jobs import runners
from mobilise.services.jobs import (
    WorkerLock,
    check_worker_name,
    jobs_database_url,
    prepare_jobs_database,
    take_over_lost_jobs,
)
from mobilise.services.jobs.queue import APPLICATION, APPLICATION_VERSION, QUEUE

log = logging.getLogger(__name__)


class WorkerLockLost(RuntimeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"worker {name!r} lost its connection to the jobs database and with it the proof that "
            "it is alive; it stops so that another worker can run its jobs"
        )


@dataclass(frozen=True)
class WorkerOptions:
    name: str
    concurrency: int = 1  # jobs a worker runs at once (the queue keeps one value for all workers)
    poll_seconds: float = 1.0  # how often the queue is checked for new jobs
    scan_seconds: float = 5.0  # how often to look for jobs of workers that died
    grace_seconds: int = 10  # how long a stopping worker lets running jobs finish


def run_worker(
    engine: Engine,
    options: WorkerOptions,
    stop: threading.Event,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Run jobs until `stop` is set; raises WorkerLockLost if it can no longer prove it is alive.

    A job still running when the grace period ends is abandoned: the caller should end the
    process, which rolls its transaction back, and another worker runs it again.
    """
    check_worker_name(options.name)
    if options.concurrency < 1:
        raise ValueError("a worker runs at least one job at a time")
    url = jobs_database_url(engine)
    prepare_jobs_database(url)
    lock = WorkerLock.acquire(engine, options.name)
    lost = False
    try:
        config: DBOSConfig = {
            "name": APPLICATION,
            "system_database_url": url,
            "executor_id": options.name,
            "application_version": APPLICATION_VERSION,
            "log_level": "WARNING",
        }
        DBOS(config=config)
        runners.bind(engine)
        DBOS.launch()
        DBOS.register_queue(
            QUEUE,
            worker_concurrency=options.concurrency,
            polling_interval_sec=options.poll_seconds,
            on_conflict="always_update",
        )
        if on_ready is not None:
            on_ready()
        while not stop.is_set():
            if not lock.still_held():
                lost = True
                break
            for job_id in take_over_lost_jobs(engine, options.name):
                log.warning("job %s was running on a worker that stopped; queued again", job_id)
            stop.wait(options.scan_seconds)
    finally:
        DBOS.destroy(workflow_completion_timeout_sec=0 if lost else options.grace_seconds)
        lock.release()
    if lost:
        raise WorkerLockLost(options.name)
