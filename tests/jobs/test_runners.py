"""A worker runs each kind of job through the services: results, progress, and named failures."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, func, select

from mobilise.jobs.runners import RUNNERS, ProgressReport
from mobilise.services.allocation_runs import get_run, list_runs
from mobilise.services.analytics.warehouse import default_path
from mobilise.services.jobs import KINDS, JobState, enqueue_job
from mobilise.store.database import reading
from mobilise.store.models import Person
from tests.support.workers import wait_for, worker_thread

PROBLEM = {
    "applicants": [
        {"id": "ana", "preferences": ["dwp", "hmrc"]},
        {"id": "ben", "preferences": ["dwp"]},
    ],
    "opportunities": [
        {"id": "dwp", "capacity": 1, "ranking": ["ben", "ana"]},
        {"id": "hmrc", "capacity": 1, "ranking": ["ana"]},
    ],
}


def people(engine: Engine) -> int:
    with reading(engine) as session:
        return int(session.scalar(select(func.count(Person.id))) or 0)


def test_every_kind_has_a_runner() -> None:
    assert tuple(RUNNERS) == KINDS


def test_jobs_run_and_report_results_and_progress(engine: Engine, tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(PROBLEM))
    organisations = tmp_path / "organisations.csv"
    organisations.write_text("key,name,kind,region\nacme,Acme Digital,private_firm,London\n")
    with worker_thread(engine):
        demo = enqueue_job(engine, "demo", {"people": 60, "seed": 5}, requested_by=7)
        allocation = enqueue_job(engine, "allocate", {"problem": str(problem)})
        imported = enqueue_job(
            engine, "import", {"table": "organisations", "path": str(organisations)}
        )
        demo, allocation, imported = (wait_for(engine, j.id) for j in (demo, allocation, imported))

    assert demo.state is JobState.succeeded, demo.error
    assert demo.result is not None
    assert demo.result["people"] == 60
    assert people(engine) == 60 + demo.result["leavers"]
    assert demo.requested_by == 7
    assert demo.worker == "test-worker"
    assert demo.started_at is not None
    assert demo.finished_at is not None
    assert demo.created_at <= demo.started_at <= demo.finished_at
    assert demo.progress is not None
    assert demo.progress.message == "rows written"
    assert demo.progress.done == demo.progress.total > 0

    assert allocation.state is JobState.succeeded, allocation.error
    assert allocation.result is not None
    # The run is stored under the job's id, so a re-run of the job finds it.
    assert allocation.result["run"] == allocation.id
    summary, result = get_run(engine, allocation.id)
    assert (summary.method, summary.matched) == ("stable", 2)
    assert allocation.result["matched"] == result["metrics"]["matched"] == 2

    assert imported.state is JobState.succeeded, imported.error
    assert imported.result is not None
    assert (imported.result["rows"], imported.result["created"]) == (1, 1)


def test_a_failing_job_fails_naming_every_problem(engine: Engine, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"applicants": [{"id": "ana", "preferences": ["nowhere"]}]}))
    people_file = tmp_path / "people.csv"
    people_file.write_text("key,display_name,organisation\nx1,Ann,no-such-organisation\n")
    with worker_thread(engine):
        allocation = enqueue_job(engine, "allocate", {"problem": str(broken)})
        imported = enqueue_job(engine, "import", {"table": "people", "path": str(people_file)})
        allocation, imported = (wait_for(engine, j.id) for j in (allocation, imported))

    assert allocation.state is JobState.failed
    assert allocation.result is None
    assert allocation.error is not None
    assert allocation.error.name == "JobFailed"
    assert allocation.error.message.startswith("rejected:")
    assert allocation.error.problems
    assert all(p.startswith("broken.json") for p in allocation.error.problems)
    assert list_runs(engine)[1] == 0

    assert imported.state is JobState.failed
    assert imported.error is not None
    assert any("no-such-organisation" in p for p in imported.error.problems)
    assert people(engine) == 0


def test_a_demo_refused_over_existing_people_says_how_to_replace(engine: Engine) -> None:
    with worker_thread(engine):
        first = wait_for(engine, enqueue_job(engine, "demo", {"people": 20, "seed": 1}).id)
        second = wait_for(engine, enqueue_job(engine, "demo", {"people": 30, "seed": 1}).id)
        third = enqueue_job(engine, "demo", {"people": 30, "seed": 1, "replace": True})
        third = wait_for(engine, third.id)
    assert first.state is JobState.succeeded
    assert second.state is JobState.failed
    assert second.error is not None
    assert "replace" in second.error.message
    assert third.state is JobState.succeeded
    assert third.result is not None
    assert people(engine) == 30 + third.result["leavers"]


def test_progress_is_stored_at_most_twice_a_second_but_never_loses_the_end() -> None:
    stored: list[tuple[int, int, str]] = []
    now = [100.0]
    report = ProgressReport(
        "job",
        store=lambda _job, p: stored.append((p["done"], p["total"], p["message"])),
        clock=lambda: now[0],
    )
    for done in range(0, 1001, 10):  # 101 calls over 2 seconds
        report(done, 1000, "rows written")
        now[0] += 0.02
    report(0, 0, "indexing")
    assert stored[0] == (0, 1000, "rows written")
    assert stored[-2:] == [(1000, 1000, "rows written"), (0, 0, "indexing")]
    assert len(stored) <= 2 * 2 + 1 + 2


def test_a_worker_imports_the_learning_catalogue(engine: Engine, tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    items.write_text(
        "key,title,provider,format,hours,cost,teaches,prerequisites,url\n"
        "intro,Intro to data,GDS Academy,course,3,0,,,\n"
        "next,Data next steps,GDS Academy,course,5,100,,intro,\n"
    )
    looping = tmp_path / "looping.csv"
    looping.write_text(
        "key,title,provider,format,hours,cost,teaches,prerequisites,url\n"
        "a,A,GDS Academy,course,1,0,,b,\n"
        "b,B,GDS Academy,course,1,0,,a,\n"
    )
    with worker_thread(engine):
        imported, refused = (
            enqueue_job(engine, "import", {"table": "learning_items", "path": str(path)})
            for path in (items, looping)
        )
        imported, refused = (wait_for(engine, j.id) for j in (imported, refused))

    assert imported.state is JobState.succeeded, imported.error
    assert imported.result is not None
    assert imported.result["summary"].startswith("Imported 2 learning items: 2 created")
    assert refused.state is JobState.failed
    assert refused.error is not None
    assert any("prerequisites form a cycle" in p for p in refused.error.problems)


def test_a_worker_refreshes_the_analytics_warehouse(engine: Engine) -> None:
    with worker_thread(engine):
        demo = wait_for(engine, enqueue_job(engine, "demo", {"people": 40, "seed": 3}).id)
        first = wait_for(engine, enqueue_job(engine, "analytics-refresh", {}).id)
        again = wait_for(engine, enqueue_job(engine, "analytics-refresh", {}).id)

    assert demo.state is JobState.succeeded, demo.error
    assert first.state is JobState.succeeded, first.error
    assert first.result is not None
    # No warehouse yet: the first refresh builds it whole; the second finds nothing new.
    assert first.result["full"] is True
    assert first.result["summary"].startswith("Rebuilt the analytics warehouse")
    assert default_path(engine).is_file()
    assert again.result is not None
    assert (again.result["full"], again.result["people_changed"]) == (False, 0)
