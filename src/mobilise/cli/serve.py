"""`mobilise serve`: prepare the database (in development), then serve with N processes."""

from __future__ import annotations

import typer

from mobilise.cli.context import EXIT_BAD_INPUT, engine, err, out, reporting_bad_input
from mobilise.services import setup
from mobilise.settings import Settings, get_settings
from mobilise.store import schema

WORKER_STARTUP_SECONDS = 60


def _prepare(settings: Settings, demo_people: int | None) -> None:
    if settings.environment == "production":
        # Production never changes the schema or data at start-up: several instances starting
        # at once would race to migrate, and a zero-downtime deploy migrates as its own step
        # (docs/deploy.md). It only refuses a database this release cannot run on.
        store = engine()
        current, head = schema.current_revision(store), schema.head_revision(store)
        if schema.is_behind(current, head):
            err.print(
                f"[bold red]The database schema is at revision {current or 'none'}[/], and this "
                f"release needs {head}: run `mobilise db upgrade` first.",
                highlight=False,
            )
            raise typer.Exit(EXIT_BAD_INPUT)
        return
    with reporting_bad_input():
        report = setup.prepare(
            engine(),
            demo_people=settings.demo_people if demo_people is None else demo_people,
            seed=settings.demo_seed,
        )
    for line in report:
        out.print(line)


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default from settings)."),
    port: int | None = typer.Option(None, help="Port to listen on (default from settings)."),
    demo_people: int | None = typer.Option(
        None,
        help="People in the demo workforce generated for an empty database (development only).",
    ),
    workers: int | None = typer.Option(
        None,
        min=1,
        max=64,
        help="App processes to start (default from settings: one on SQLite, one per CPU core on "
        "PostgreSQL).",
    ),
    reload: bool = typer.Option(False, help="Restart on code changes (development)."),
) -> None:
    """Serve the web app and API; in development, migrate and load demo data first."""
    import uvicorn

    settings = get_settings()
    workers = settings.web_workers() if workers is None else workers
    if reload and workers > 1:
        err.print("[bold red]--reload[/] restarts one process: use it with --workers 1.")
        raise typer.Exit(EXIT_BAD_INPUT)
    _prepare(settings, demo_people)
    host = host or settings.host
    port = port or settings.port
    # Every process must sign sessions with the same key: make the development key (if any) now,
    # once, rather than racing to make it in each worker.
    settings.session_secret()
    plural = "es" if workers > 1 else ""
    out.print(f"Serving Mobilise at http://{host}:{port}/ with {workers} process{plural}")
    uvicorn.run(
        "mobilise.web.serving:create_served_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=workers,
        # Behind a load balancer the client's address arrives in X-Forwarded-For; uvicorn trusts
        # it only from the addresses in FORWARDED_ALLOW_IPS (default: this machine).
        proxy_headers=True,
        # A load balancer logs each request itself; the app's own line is optional (a few
        # per cent of a profile page's CPU, bench/RESULTS.md).
        access_log=settings.access_log,
        # A spawned worker re-imports this command's module before it can answer the
        # supervisor's health pings; on a busy machine that outlasts uvicorn's 5 s default and
        # the supervisor kills the worker, again and again, before it ever serves.
        timeout_worker_healthcheck=WORKER_STARTUP_SECONDS,
    )
