"""`mobilise worker` runs background jobs; `mobilise jobs` queues them and shows their progress."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from types import FrameType

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mobilise.cli.context import engine, err, out, reporting_bad_input
from mobilise.jobs import WorkerLockLost, WorkerOptions, run_worker
from mobilise.services import jobs
from mobilise.settings import get_settings
from mobilise.store import schema

EXIT_JOB_FAILED = 1
EXIT_WORKER_LOST = 3
FOLLOW_SECONDS = 0.5

app = typer.Typer(help="Background jobs: queue, list and follow them.", no_args_is_help=True)
enqueue_app = typer.Typer(
    help="Queue a job for `mobilise worker`; prints its id.", no_args_is_help=True
)
app.add_typer(enqueue_app, name="enqueue")


def worker(
    name: str | None = typer.Option(
        None, "--name", help="This worker's name, unique among running workers (default: HOST-PID)."
    ),
    concurrency: int = typer.Option(
        1, "--concurrency", min=1, max=64, help="Jobs each worker runs at once (one value for all)."
    ),
    poll: float = typer.Option(1.0, "--poll", min=0.05, help="Seconds between looks at the queue."),
    grace: int = typer.Option(
        10, "--grace", min=0, help="On SIGTERM, seconds to let running jobs finish."
    ),
) -> None:
    """Run background jobs until SIGTERM or Ctrl-C; jobs of workers that died are run again."""
    stop = threading.Event()

    def stopping(signum: int, _frame: FrameType | None) -> None:
        err.print(f"Stopping ({signal.Signals(signum).name}).", highlight=False)
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    with reporting_bad_input():
        chosen = jobs.check_worker_name(name) if name else jobs.default_worker_name()
        database = engine()
        schema.upgrade(database)
        options = WorkerOptions(chosen, concurrency, poll_seconds=poll, grace_seconds=grace)
        try:
            run_worker(
                database,
                options,
                stop,
                on_ready=lambda: err.print(f"Worker {chosen} is running.", highlight=False),
            )
        except jobs.WorkerNameTaken as error:
            err.print(f"[bold red]Refused:[/] {error}.", highlight=False)
            raise typer.Exit(2) from None
        except WorkerLockLost as error:
            err.print(f"[bold red]Stopped:[/] {error}.", highlight=False)
            _end_now(EXIT_WORKER_LOST)
    err.print(f"Worker {chosen} stopped.", highlight=False)
    if any(t.name.startswith("dbos-executor") and t.is_alive() for t in threading.enumerate()):
        # A job outlived the grace period: ending the process rolls its transaction back, and
        # another worker runs it again. Waiting for the thread would not honour the signal.
        _end_now(0)


def _end_now(code: int) -> None:
    err.file.flush()
    out.file.flush()
    os._exit(code)


@app.command("list")
def list_(
    limit: int = typer.Option(20, min=1, max=1000, help="Jobs per page."),
    page: int = typer.Option(1, min=1, help="Page number, newest jobs first."),
) -> None:
    """List jobs, newest first, with their state and progress."""
    found = jobs.list_jobs(engine(), limit=limit, offset=(page - 1) * limit)
    table = Table()
    table.add_column("id", no_wrap=True)
    for column in ("kind", "state", "progress", "queued", "finished"):
        table.add_column(column)
    for job in found.jobs:
        table.add_row(
            job.id,
            job.kind,
            job.state.value,
            _progress_text(job),
            job.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            job.finished_at.astimezone().strftime("%H:%M:%S") if job.finished_at else "",
        )
    out.print(table)
    more = " More on the next page." if found.has_more else ""
    out.print(f"Page {page}: {len(found.jobs)} job(s).{more}")


def _progress_text(job: jobs.Job) -> str:
    if job.progress is None:
        return ""
    if job.progress.total:
        return f"{job.progress.done:,}/{job.progress.total:,} {job.progress.message}"
    return job.progress.message


@app.command()
def show(
    job_id: str = typer.Argument(..., metavar="ID", help="The job's id."),
    follow: bool = typer.Option(
        False, "--follow", "-f", help="Show a progress bar until the job ends."
    ),
) -> None:
    """Show a job: its state, parameters, progress, and result or error."""
    with reporting_bad_input():
        job = _follow(job_id) if follow else jobs.get_job(engine(), job_id)
    _describe(job)


def _follow(job_id: str) -> jobs.Job:
    database = engine()
    job = jobs.get_job(database, job_id)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(f"{job.kind} {job.state.value}", total=None)
        while not job.finished:
            progress = job.progress
            description = f"{job.kind} {job.state.value}"
            if progress is not None and progress.message:
                description += f": {progress.message}"
            bar.update(
                task,
                description=description,
                completed=progress.done if progress else 0,
                total=(progress.total or None) if progress else None,
            )
            time.sleep(FOLLOW_SECONDS)
            job = jobs.get_job(database, job_id)
    return job


def _describe(job: jobs.Job) -> None:
    out.print(f"Job {job.id}: {job.kind}, {job.state.value}.", highlight=False)
    parameters = ", ".join(f"{k}={v}" for k, v in job.parameters.items())
    out.print(f"  parameters: {parameters}", highlight=False, markup=False)
    out.print(f"  queued: {job.created_at.astimezone():%Y-%m-%d %H:%M:%S}", highlight=False)
    if job.started_at:
        worker = f" on {job.worker}" if job.worker else ""
        out.print(f"  started: {job.started_at.astimezone():%H:%M:%S}{worker}", highlight=False)
    if job.finished_at:
        out.print(f"  finished: {job.finished_at.astimezone():%H:%M:%S}", highlight=False)
    if job.progress and not job.finished:
        out.print(f"  progress: {_progress_text(job)}", highlight=False)
    if job.result is not None:
        summary = job.result.get("summary")
        out.print(f"  result: {summary or dict(job.result)}", highlight=False, markup=False)
    if job.error is not None:
        err.print(f"[bold red]Failed:[/] {job.error.message}", highlight=False)
        for problem in job.error.problems[:50]:
            err.print(f"  • {problem}", highlight=False, markup=False)
        if len(job.error.problems) > 50:
            err.print(f"  … and {len(job.error.problems) - 50} more", highlight=False)
    if job.state is not jobs.JobState.succeeded and job.finished:
        raise typer.Exit(EXIT_JOB_FAILED)


def _enqueue(kind: str, parameters: dict[str, object], follow: bool) -> None:
    with reporting_bad_input():
        database = engine()
        schema.upgrade(database)
        job = jobs.enqueue_job(database, kind, parameters)
        out.print(f"Queued job {job.id} ({kind}).", highlight=False)
        if follow:
            _describe(_follow(job.id))


FOLLOW = typer.Option(False, "--follow", "-f", help="Wait for the job, showing its progress.")


@enqueue_app.command("import")
def enqueue_import(
    table: str = typer.Argument(..., help="organisations, people, claims or learning_items."),
    path: Path = typer.Argument(..., help="A .csv or .json file that the workers can read."),
    file_format: str | None = typer.Option(None, "--format", help="csv or json."),
    framework: str | None = typer.Option(None, "--framework", help="Framework version."),
    follow: bool = FOLLOW,
) -> None:
    """Queue `mobilise import TABLE PATH`."""
    parameters: dict[str, object] = {"table": table, "path": str(path)}
    if file_format is not None:
        parameters["format"] = file_format
    if framework is not None:
        parameters["framework"] = framework
    _enqueue("import", parameters, follow)


@enqueue_app.command("demo")
def enqueue_demo(
    people: int | None = typer.Option(None, "--people", help="Default: MOBILISE_DEMO_PEOPLE."),
    seed: int | None = typer.Option(None, "--seed", help="Default: MOBILISE_DEMO_SEED."),
    claims_per_person: float = typer.Option(8.0, "--claims-per-person"),
    history: bool = typer.Option(True, "--history/--no-history"),
    replace: bool = typer.Option(False, "--replace", help="Delete earlier demo people first."),
    follow: bool = FOLLOW,
) -> None:
    """Queue `mobilise demo`."""
    settings = get_settings()
    parameters: dict[str, object] = {
        "people": settings.demo_people if people is None else people,
        "seed": settings.demo_seed if seed is None else seed,
        "claims_per_person": claims_per_person,
        "history": history,
        "replace": replace,
    }
    _enqueue("demo", parameters, follow)


@enqueue_app.command("allocate")
def enqueue_allocate(
    problem: Path = typer.Argument(..., help="PROBLEM.json that the workers can read."),
    method: str = typer.Option("stable", "--method", "-m", help="stable, welfare or fair."),
    objective: str = typer.Option("rank", "--objective", help="rank or fit (welfare)."),
    base: str = typer.Option("welfare", "--base", help="welfare or stable (fair)."),
    seed: int = typer.Option(0, "--seed"),
    follow: bool = FOLLOW,
) -> None:
    """Queue `mobilise allocate PROBLEM --record`: the run is stored (see `mobilise runs`)."""
    parameters: dict[str, object] = {
        "problem": str(problem),
        "method": method,
        "objective": objective,
        "base": base,
        "seed": seed,
    }
    _enqueue("allocate", parameters, follow)


@enqueue_app.command("tag-learning")
def enqueue_tag_learning(
    top: int = typer.Option(10, "--top", help="Skills kept per learning item."),
    follow: bool = FOLLOW,
) -> None:
    """Queue `mobilise skills tag`: every learning item's skills from its words."""
    _enqueue("tag-learning", {"top": top}, follow)


@enqueue_app.command("tag-opportunities")
def enqueue_tag_opportunities(
    top: int = typer.Option(10, "--top", help="Skills suggested per opportunity at most."),
    follow: bool = FOLLOW,
) -> None:
    """Queue suggesting required skills for every opportunity from its words."""
    _enqueue("tag-opportunities", {"top": top}, follow)


@enqueue_app.command("analytics-refresh")
def enqueue_analytics_refresh(
    full: bool = typer.Option(False, "--full", help="Rebuild everything, not only what changed."),
    follow: bool = FOLLOW,
) -> None:
    """Queue `mobilise analytics refresh`: bring the warehouse up to date after an import."""
    _enqueue("analytics-refresh", {"full": full}, follow)


@enqueue_app.command("infer-texts")
def enqueue_infer_texts(
    input_file: Path = typer.Argument(..., help='A JSON Lines file of {"id", "text"} objects.'),
    output_file: Path = typer.Argument(..., help="Where the suggestions go (JSON Lines)."),
    taxonomy: str = typer.Option("esco", "--taxonomy", help="esco or ddat."),
    top: int = typer.Option(10, "--top", help="Skills per text."),
    method: str = typer.Option("best", "--method", help="best, or fast (lexical only)."),
    follow: bool = FOLLOW,
) -> None:
    """Queue skills inferred for every text of a file (docs/skills.md, "Many texts at once")."""
    parameters: dict[str, object] = {
        "input": str(input_file),
        "output": str(output_file),
        "taxonomy": taxonomy,
        "top": top,
        "method": method,
    }
    _enqueue("infer-texts", parameters, follow)
