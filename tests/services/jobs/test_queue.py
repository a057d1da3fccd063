"""Queueing and reading jobs: checked parameters, who asked, paging, where the jobs live."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.services.jobs import (
    JobProgress,
    JobState,
    UnknownJob,
    enqueue_job,
    get_job,
    jobs_database_url,
    list_jobs,
)
from mobilise.settings import get_settings
from mobilise.store.database import make_engine


def test_a_queued_job_keeps_its_parameters_and_who_asked(engine: Engine) -> None:
    job = enqueue_job(engine, "demo", {"people": 5, "seed": 2}, requested_by=41, organisation_id=3)
    assert job.state is JobState.queued
    assert (job.kind, job.requested_by, job.organisation_id) == ("demo", 41, 3)
    assert job.parameters == {
        "people": 5,
        "seed": 2,
        "claims_per_person": 8.0,
        "history": True,
        "replace": False,
    }
    assert (job.started_at, job.finished_at, job.result, job.error, job.worker) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert not job.finished
    assert get_job(engine, job.id) == job


def test_bad_parameters_queue_nothing(engine: Engine) -> None:
    with pytest.raises(InvalidInput) as caught:
        enqueue_job(engine, "demo", {"people": -1, "seed": 2})
    assert [p.column for p in caught.value.problems] == ["people"]
    with pytest.raises(InvalidInput):
        enqueue_job(engine, "teleport", {})
    assert list_jobs(engine).jobs == []


def test_jobs_are_listed_newest_first_a_page_at_a_time(engine: Engine) -> None:
    ids = [
        enqueue_job(engine, "demo", {"people": n, "seed": 1}, organisation_id=n % 2).id
        for n in range(5)
    ]
    first = list_jobs(engine, limit=2)
    assert [j.id for j in first.jobs] == ids[::-1][:2]
    assert first.has_more
    assert first.total == 5
    last = list_jobs(engine, limit=2, offset=4)
    assert [j.id for j in last.jobs] == [ids[0]]
    assert not last.has_more
    assert last.total == 5
    odd = list_jobs(engine, organisation_ids={1})
    assert [j.id for j in odd.jobs] == [ids[3], ids[1]]
    assert odd.total == 2
    both = list_jobs(engine, organisation_ids={0, 1}, limit=3)
    assert [j.id for j in both.jobs] == ids[::-1][:3]
    assert (both.total, both.has_more) == (5, True)
    assert list_jobs(engine, organisation_ids=set()).total == 0
    assert list_jobs(engine, requested_by=9).jobs == []


def test_an_unknown_job_is_named(engine: Engine) -> None:
    with pytest.raises(UnknownJob, match="'0123456789abcdef'"):
        get_job(engine, "0123456789abcdef")


def test_sqlite_jobs_live_in_a_file_beside_the_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'mobilise.db'}")
    assert jobs_database_url(engine) == f"sqlite:///{tmp_path / 'mobilise-jobs.db'}"
    with pytest.raises(ValueError, match="in-memory"):
        jobs_database_url(make_engine("sqlite:///:memory:"))


def test_postgres_jobs_live_in_the_same_database() -> None:
    url = "postgresql+psycopg://mobilise:secret@db.internal:5432/mobilise"
    assert jobs_database_url(make_engine(url)) == url


def test_the_jobs_database_can_be_chosen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MOBILISE_JOBS_DATABASE_URL", "postgres://jobs@queue.internal/jobs")
    get_settings.cache_clear()
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'mobilise.db'}")
        assert jobs_database_url(engine) == "postgresql+psycopg://jobs@queue.internal/jobs"
    finally:
        get_settings.cache_clear()


def test_progress_fraction_is_unknown_without_a_total() -> None:
    assert JobProgress(3, 0, "starting").fraction is None
    assert JobProgress(3, 4, "rows").fraction == 0.75
    assert JobProgress(5, 4, "rows").fraction == 1.0
