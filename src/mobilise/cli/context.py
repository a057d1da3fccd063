"""What every command shares: the engine from settings, and turning bad input into exit code 2."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.settings import get_settings
from mobilise.store.database import engine_for

err = Console(stderr=True)
out = Console()

EXIT_BAD_INPUT = 2


def engine() -> Engine:
    settings = get_settings()
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return engine_for(settings.database_url)


@contextmanager
def reporting_bad_input() -> Iterator[None]:
    """Print every problem of rejected input, say that nothing changed, and exit non-zero."""
    try:
        yield
    except InvalidInput as error:
        count = len(error.problems)
        err.print(
            f"[bold red]Rejected:[/] {count} problem(s); nothing was changed.", highlight=False
        )
        for problem in error.problems[:50]:
            err.print(f"  • {problem}", highlight=False, markup=False)
        if count > 50:
            err.print(f"  … and {count - 50} more", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except LookupError as error:
        err.print(
            f"[bold red]Not found:[/] {error.args[0] if error.args else error}", highlight=False
        )
        raise typer.Exit(EXIT_BAD_INPUT) from None
