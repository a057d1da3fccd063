"""Background jobs: imports, demo generation and allocation runs, run by `mobilise worker`.

Services queue and read jobs here; the worker shell (`mobilise.jobs`) runs them.
"""

from mobilise.services.jobs.kinds import KINDS, check_parameters
from mobilise.services.jobs.queue import (
    FINISHED as FINISHED_STATES,
)
from mobilise.services.jobs.queue import (
    Job,
    JobError,
    JobFailed,
    JobPage,
    JobProgress,
    JobState,
    UnknownJob,
    enqueue_job,
    get_job,
    jobs_database_url,
    list_jobs,
    prepare_jobs_database,
)
from mobilise.services.jobs.workers import (
    WorkerLock,
    WorkerNameTaken,
    check_worker_name,
    default_worker_name,
    take_over_lost_jobs,
    worker_is_alive,
)

__all__ = [
    "FINISHED_STATES",
    "KINDS",
    "Job",
    "JobError",
    "JobFailed",
    "JobPage",
    "JobProgress",
    "JobState",
    "UnknownJob",
    "WorkerLock",
    "WorkerNameTaken",
    "check_parameters",
    "check_worker_name",
    "default_worker_name",
    "enqueue_job",
    "get_job",
    "jobs_database_url",
    "list_jobs",
    "prepare_jobs_database",
    "take_over_lost_jobs",
    "worker_is_alive",
]
