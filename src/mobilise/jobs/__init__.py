"""The worker shell: runs background jobs (`mobilise worker`) by calling the services."""

from mobilise.jobs.worker import WorkerLockLost, WorkerOptions, run_worker

__all__ = ["WorkerLockLost", "WorkerOptions", "run_worker"]
