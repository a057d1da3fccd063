"""`mobilise serve`: migrate, load the default data if the database is empty, then serve."""

from __future__ import annotations

import typer

from mobilise.cli.context import EXIT_BAD_INPUT, engine, err, out, reporting_bad_input
from mobilise.services import setup
from mobilise.settings import get_settings


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default from settings)."),
    port: int | None = typer.Option(None, help="Port to listen on (default from settings)."),
    demo_people: int | None = typer.Option(
        None, help="People in the demo workforce generated for an empty database."
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
    """Prepare the database and serve the web app and API."""
    import uvicorn

    settings = get_settings()
    workers = settings.web_workers() if workers is None else workers
    if reload and workers > 1:
        err.print("[bold red]--reload[/] restarts one process: use it with --workers 1.")
        raise typer.Exit(EXIT_BAD_INPUT)
    with reporting_bad_input():
        report = setup.prepare(
            engine(),
            demo_people=settings.demo_people if demo_people is None else demo_people,
            seed=settings.demo_seed,
        )
    for line in report:
        out.print(line)
    host = host or settings.host
    port = port or settings.port
    # Every process must sign sessions with the same key: make the development key (if any) now,
    # once, rather than racing to make it in each worker.
    settings.session_secret()
    plural = "es" if workers > 1 else ""
    out.print(f"Serving Mobilise at http://{host}:{port}/ with {workers} process{plural}")
    uvicorn.run(
        "mobilise.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=workers,
        # Behind a load balancer the client's address arrives in X-Forwarded-For; trust it only
        # from the address the balancer connects from (uvicorn's default: this machine).
        proxy_headers=True,
    )
