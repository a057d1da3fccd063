"""`mobilise jobs`: queue, list and show jobs, follow one to its end, and reject bad parameters."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.services.jobs import JobState, get_job, list_jobs
from tests.support.workers import worker_thread

runner = CliRunner()


def said(output: str) -> str:
    """The output with Rich's line wrapping undone."""
    return " ".join(output.split())


def queued_id(output: str) -> str:
    line = next(line for line in output.splitlines() if line.startswith("Queued job "))
    return line.split()[2]


def test_queue_list_and_show(engine: Engine, database_url_env: str, tmp_path: Path) -> None:
    queued = runner.invoke(app, ["jobs", "enqueue", "demo", "--people", "12", "--seed", "4"])
    assert queued.exit_code == 0, queued.output
    job_id = queued_id(queued.output)
    problem = tmp_path / "problem.json"
    problem.write_text("{}")
    allocation = runner.invoke(app, ["jobs", "enqueue", "allocate", str(problem), "-m", "fair"])
    assert allocation.exit_code == 0, allocation.output

    listed = runner.invoke(app, ["jobs", "list"])
    assert listed.exit_code == 0, listed.output
    assert job_id in listed.output
    assert listed.output.index(queued_id(allocation.output)) < listed.output.index(job_id)
    assert "Page 1: 2 job(s)." in listed.output

    shown = runner.invoke(app, ["jobs", "show", job_id])
    assert shown.exit_code == 0, shown.output
    assert f"Job {job_id}: demo, queued." in said(shown.output)
    assert "people=12" in said(shown.output)
    assert "seed=4" in said(shown.output)


def test_bad_parameters_are_named_and_nothing_is_queued(
    engine: Engine, database_url_env: str, tmp_path: Path
) -> None:
    negative = runner.invoke(app, ["jobs", "enqueue", "demo", "--people", "-3"])
    assert negative.exit_code == 2
    assert "demo job, column 'people'" in said(negative.output)
    assert "nothing was changed" in said(negative.output)
    missing = runner.invoke(app, ["jobs", "enqueue", "import", "people", str(tmp_path / "x.csv")])
    assert missing.exit_code == 2
    assert "must name a file that exists" in said(missing.output)
    table = tmp_path / "t.csv"
    table.write_text("key\n")
    wrong = runner.invoke(app, ["jobs", "enqueue", "import", "persons", str(table)])
    assert wrong.exit_code == 2
    assert "'persons'" in said(wrong.output)
    assert list_jobs(engine).jobs == []
    unknown = runner.invoke(app, ["jobs", "show", "feedfacefeedface"])
    assert unknown.exit_code == 2
    assert "no job has the id 'feedfacefeedface'" in said(unknown.output)


def test_follow_waits_for_the_result(engine: Engine, database_url_env: str) -> None:
    with worker_thread(engine):
        followed = runner.invoke(
            app, ["jobs", "enqueue", "demo", "--people", "40", "--seed", "2", "--follow"]
        )
    assert followed.exit_code == 0, followed.output
    assert "demo, succeeded." in said(followed.output)
    assert "Generated 40 people in post" in said(followed.output)
    assert get_job(engine, queued_id(followed.output)).state is JobState.succeeded


def test_a_failed_job_shows_its_problems_and_exits_1(
    engine: Engine, database_url_env: str, tmp_path: Path
) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps({"applicants": [{"id": "a", "preferences": ["nowhere"]}]}))
    with worker_thread(engine):
        queued = runner.invoke(app, ["jobs", "enqueue", "allocate", str(problem)])
        job_id = queued_id(queued.output)
        followed = runner.invoke(app, ["jobs", "show", job_id, "--follow"])
    assert followed.exit_code == 1, followed.output
    assert "allocate, failed." in said(followed.output)
    assert "Failed: rejected:" in said(followed.output)
    assert "problem.json" in said(followed.output)
