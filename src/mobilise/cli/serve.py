"""`mobilise serve`: migrate, load the default data if the database is empty, then serve."""

from __future__ import annotations

import typer

from mobilise.cli.context import engine, out, reporting_bad_input
from mobilise.services import setup
from mobilise.settings import get_settings


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default from settings)."),
    port: int | None = typer.Option(None, help="Port to listen on (default from settings)."),
    demo_people: int | None = typer.Option(
        None, help="People in the demo workforce generated for an empty database."
    ),
    reload: bool = typer.Option(False, help="Restart on code changes (development)."),
) -> None:
    """Prepare the database and serve the web app and API."""
    import uvicorn

    settings = get_settings()
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
    out.print(f"Serving Mobilise at http://{host}:{port}/")
    uvicorn.run("mobilise.web.app:create_app", factory=True, host=host, port=port, reload=reload)
