"""What each kind of job does: one DBOS workflow per kind, calling the existing services.

Each job's writing is the service's own single transaction, so a worker killed half-way leaves
nothing written; DBOS then runs the job again from the start (`services.jobs.workers`).
Progress goes into the job's attributes, at most twice a second, where pages and
`mobilise jobs show` read it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dbos import DBOS
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.services import demo as demos
from mobilise.services.actors import Actor
from mobilise.services.allocation_runs import record_run
from mobilise.services.analytics.warehouse import refresh as refresh_warehouse
from mobilise.services.documents import naming_the_file, read_json_document
from mobilise.services.jobs import JobFailed
from mobilise.services.jobs.kinds import (
    AllocateParameters,
    AnalyticsRefreshParameters,
    DemoParameters,
    ImportParameters,
    InferTextsParameters,
    RetentionParameters,
    TagLearningParameters,
    TagOpportunitiesParameters,
)
from mobilise.services.jobs.queue import SERIALIZATION, WORKFLOW_PREFIX
from mobilise.services.opportunity_skills import tag_opportunities
from mobilise.services.retention import apply_retention
from mobilise.services.skill_batches import infer_file
from mobilise.services.skill_tags import tag_learning_catalogue
from mobilise.services.transfer import IMPORTS
from mobilise.settings import get_settings

log = logging.getLogger(__name__)
Runner = Callable[[dict[str, Any]], dict[str, Any]]

PROGRESS_INTERVAL_SECONDS = 0.5
# DBOS's own restarts (a worker of the same name starting again); takeovers by other workers
# are capped separately (services.jobs.workers.MAX_TAKEOVERS).
MAX_RECOVERY_ATTEMPTS = 5


class _Bound:
    engine: Engine | None = None


def bind(engine: Engine) -> None:
    """The application database the jobs of this worker process write to."""
    _Bound.engine = engine


def _engine() -> Engine:
    if _Bound.engine is None:
        raise RuntimeError("no database bound: jobs run inside `mobilise worker`")
    return _Bound.engine


class ProgressReport:
    """A `(done, total, message)` callback that stores progress, throttled, on the running job."""

    def __init__(
        self,
        job_id: str,
        interval: float = PROGRESS_INTERVAL_SECONDS,
        store: Callable[[str, dict[str, Any]], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.job_id = job_id
        self.interval = interval
        self.store = store or _store_progress
        self.clock = clock
        self.last: float | None = None
        self.message = ""

    def __call__(self, done: int, total: int, message: str) -> None:
        now = self.clock()
        # The end of a stage and a new message are always shown; counts in between throttled.
        final = total > 0 and done >= total
        recent = self.last is not None and now - self.last < self.interval
        if recent and not final and message == self.message:
            return
        self.last, self.message = now, message
        progress = {"done": int(done), "total": int(total), "message": message}
        try:
            self.store(self.job_id, progress)
        except Exception:  # progress is for people watching; the job's work matters more
            log.warning("could not store progress of job %s", self.job_id, exc_info=True)

    def saying(self, message: str) -> Callable[[int, int], None]:
        """The two-argument callback the services take, with this message."""
        return lambda done, total: self(done, total, message)


def _store_progress(job_id: str, progress: dict[str, Any]) -> None:
    DBOS.update_workflow_attributes(job_id, {"progress": progress}, merge=True)


def _report() -> ProgressReport:
    job_id = DBOS.workflow_id
    if job_id is None:
        raise RuntimeError("progress is reported from inside a job")
    return ProgressReport(job_id)


def _as_job(report: ProgressReport) -> Actor:
    # The audit log names the job; its "job.queued" event names who asked for it.
    return Actor(account_id=None, display_name=f"background job {report.job_id}")


@contextmanager
def _failing_clearly() -> Iterator[None]:
    """Bad input and missing things fail the job with every problem named, as the CLI says them."""
    try:
        yield
    except InvalidInput as error:
        count = len(error.problems)
        raise JobFailed(
            f"rejected: {count} problem(s); nothing was changed",
            tuple(str(p) for p in error.problems[:1000]),
        ) from None
    except LookupError as error:
        raise JobFailed(f"not found: {error.args[0] if error.args else error}") from None


@DBOS.step()
def _import(parameters: dict[str, Any]) -> dict[str, Any]:
    checked = ImportParameters.model_validate(parameters)
    report = _report()
    with _failing_clearly():
        result = IMPORTS[checked.table](
            _engine(),
            Path(checked.path),
            format=checked.format,
            framework=checked.framework,
            progress=report.saying("bytes read"),
            name=checked.path,
            actor=_as_job(report),
        )
    return {
        "table": checked.table,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "seconds": round(result.seconds, 3),
        "summary": f"Imported {result.rows:,} {checked.table.replace('_', ' ')}: "
        f"{result.created:,} created, "
        f"{result.updated:,} updated, {result.unchanged:,} unchanged.",
    }


@DBOS.step()
def _demo(parameters: dict[str, Any]) -> dict[str, Any]:
    checked = DemoParameters.model_validate(parameters)
    report = _report()
    report(0, 0, "generating the workforce")
    with _failing_clearly():
        try:
            result = demos.generate_demo(
                _engine(),
                people=checked.people,
                seed=checked.seed,
                claims_per_person=checked.claims_per_person,
                history=checked.history,
                replace=checked.replace,
                progress=report.saying("rows written"),
                actor=_as_job(report),
            )
        except demos.WorkforceExists as error:
            raise JobFailed(f"refused: {error}; queue the job with replace to do so") from None
    return {
        "people": result.people,
        "leavers": result.leavers,
        "positions": result.positions,
        "claims": result.claims,
        "seconds": round(result.seconds, 3),
        "summary": f"Generated {result.people:,} people in post and {result.leavers:,} leavers "
        f"with {result.positions:,} positions and {result.claims:,} skill claims "
        f"(seed {checked.seed}).",
    }


@DBOS.step()
def _allocate(parameters: dict[str, Any]) -> dict[str, Any]:
    checked = AllocateParameters.model_validate(parameters)
    report = _report()
    report(0, 1, "solving")
    path = Path(checked.problem)
    with _failing_clearly(), naming_the_file(path, "problem"):
        # The job's id keys the run, so a re-run after a lost worker records it once only.
        summary, result = record_run(
            _engine(),
            read_json_document(path),
            checked.method,
            seed=checked.seed,
            objective=checked.objective,
            base=checked.base,
            min_group_count=get_settings().disclosure_threshold,
            key=report.job_id,
            actor=_as_job(report),
            organisation_id=checked.organisation_id,
        )
    report(1, 1, "recorded")
    metrics = result["metrics"]
    return {
        "run": summary.key,
        "method": summary.method,
        "applicants": summary.applicants,
        "matched": summary.matched,
        "summary": f"{summary.method}: matched {summary.matched} of {summary.applicants} "
        f"applicants ({metrics['first_choice']} to their first choice); "
        f"stored as run {summary.key}.",
    }


@DBOS.step()
def _tag_learning(parameters: dict[str, Any]) -> dict[str, Any]:
    checked = TagLearningParameters.model_validate(parameters)
    report = _report()
    report(0, 0, "learning items read")
    with _failing_clearly():
        result = tag_learning_catalogue(
            _engine(), _as_job(report), top=checked.top, progress=report.saying("items tagged")
        )
    return {
        "items": result.items,
        "tags": result.tags,
        "demand": result.demand,
        "seconds": result.seconds,
        "summary": f"Tagged {result.items:,} learning items with {result.tags:,} skills; "
        f"{result.demand:,} sightings of skills no framework skill covers.",
    }


@DBOS.step()
def _tag_opportunities(parameters: dict[str, Any]) -> dict[str, Any]:
    checked = TagOpportunitiesParameters.model_validate(parameters)
    report = _report()
    report(0, 0, "opportunities read")
    with _failing_clearly():
        result = tag_opportunities(
            _engine(), _as_job(report), top=checked.top, progress=report.saying("opportunities")
        )
    return {
        "opportunities": result.opportunities,
        "suggestions": result.suggestions,
        "seconds": result.seconds,
        "summary": f"Suggested {result.suggestions:,} required skills for "
        f"{result.opportunities:,} opportunities, for their owners to confirm.",
    }


@DBOS.step()
def _infer_texts(parameters: dict[str, Any]) -> dict[str, Any]:
    checked = InferTextsParameters.model_validate(parameters)
    report = _report()
    report(0, 0, "texts read")
    with _failing_clearly():
        result = infer_file(
            Path(checked.input),
            Path(checked.output),
            taxonomy=checked.taxonomy,
            top=checked.top,
            method=checked.method,
            progress=report.saying("texts read"),
        )
    return {
        "texts": result.texts,
        "suggestions": result.suggestions,
        "seconds": result.seconds,
        "output": checked.output,
        "summary": f"Inferred {result.suggestions:,} skills for {result.texts:,} texts "
        f"in {result.seconds:,.1f} s; written to {checked.output}.",
    }


@DBOS.step()
def _analytics_refresh(parameters: dict[str, Any]) -> dict[str, Any]:
    checked = AnalyticsRefreshParameters.model_validate(parameters)
    report = _report()
    report(0, 1, "warehouse refreshing")
    with _failing_clearly():
        result = refresh_warehouse(_engine(), full=checked.full)
    report(1, 1, "warehouse refreshed")
    done = "Rebuilt" if result.full else "Refreshed"
    return {
        "full": result.full,
        "people_changed": result.people_changed,
        "seconds": round(result.seconds, 3),
        "summary": f"{done} the analytics warehouse in {result.seconds:,.1f} s: skill levels "
        f"of {result.people_changed:,} people re-read.",
    }


@DBOS.step()
def _retention(parameters: dict[str, Any]) -> dict[str, Any]:
    checked = RetentionParameters.model_validate(parameters)
    report = _report()
    report(0, 1, "applying retention rules")
    outcomes = apply_retention(_engine(), _as_job(report), dry_run=checked.dry_run)
    report(1, 1, "retention rules applied")
    counts = {o.kind: o.records for o in outcomes}
    verb = "Would delete" if checked.dry_run else "Deleted"
    return {
        "dry_run": checked.dry_run,
        "records": counts,
        "summary": f"{verb} {sum(counts.values()):,} records past their retention limits.",
    }


def _workflow(kind: str, step: Callable[[dict[str, Any]], dict[str, Any]]) -> Runner:
    """The DBOS workflow of one kind of job: its single step, registered under the job's name
    (the name, not the function, is what a worker finds a queued job by)."""

    def run(parameters: dict[str, Any]) -> dict[str, Any]:
        return step(parameters)

    run.__name__ = run.__qualname__ = kind.replace("-", "_") + "_job"
    workflow: Runner = DBOS.workflow(
        name=WORKFLOW_PREFIX + kind,
        max_recovery_attempts=MAX_RECOVERY_ATTEMPTS,
        serialization_type=SERIALIZATION,
    )(run)
    return workflow


STEPS: dict[str, Runner] = {
    "import": _import,
    "demo": _demo,
    "allocate": _allocate,
    "tag-learning": _tag_learning,
    "infer-texts": _infer_texts,
    "analytics-refresh": _analytics_refresh,
    "tag-opportunities": _tag_opportunities,
    "retention": _retention,
}
RUNNERS: dict[str, Runner] = {kind: _workflow(kind, step) for kind, step in STEPS.items()}
