"""A worker for tests: in this process on a thread, or a real `mobilise worker` process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from mobilise.jobs import WorkerOptions, run_worker
from mobilise.services.jobs import Job, get_job

MOBILISE = str(Path(sys.executable).parent / "mobilise")


@contextmanager
def worker_thread(engine: Engine, name: str = "test-worker") -> Iterator[None]:
    """`mobilise worker` on a thread of this process, stopped when the block ends."""
    stop, ready = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            options = WorkerOptions(name, poll_seconds=0.1, scan_seconds=0.2, grace_seconds=0)
            run_worker(engine, options, stop, ready.set)
        except BaseException as error:
            failure.append(error)
            ready.set()

    thread = threading.Thread(target=run, name=f"worker {name}")
    thread.start()
    try:
        assert ready.wait(60), "the worker did not start"
        assert not failure, failure
        yield
    finally:
        stop.set()
        thread.join(60)
    assert not failure, failure


def wait_for(engine: Engine, job_id: str, timeout: float = 60, finished: bool = True) -> Job:
    """The job once it has finished (or, with finished=False, once it reports progress)."""
    deadline = time.monotonic() + timeout
    while True:
        job = get_job(engine, job_id)
        if job.finished if finished else job.progress is not None:
            return job
        assert time.monotonic() < deadline, f"job {job_id} is still {job.state} ({job.progress})"
        time.sleep(0.05)


def start_worker_process(database_url: str, name: str, log: Path) -> subprocess.Popen[bytes]:
    """A real `mobilise worker` process against the database, logging to `log`."""
    environment = {**os.environ, "DATABASE_URL": database_url}
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [MOBILISE, "worker", "--name", name, "--poll", "0.1"],
            env=environment,
            stdout=sink,
            stderr=sink,
        )
    deadline = time.monotonic() + 60
    while f"Worker {name} is running" not in log.read_text(errors="replace"):
        assert process.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, "the worker process did not start"
        time.sleep(0.05)
    return process
