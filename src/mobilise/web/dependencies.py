"""What routes receive: the engine the app was made with, and the framework version asked for."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

FRAMEWORK_NAME_PATTERN = r"^[A-Za-z0-9._-]+$"


# Async, though they do no I/O: FastAPI runs a plain `def` dependency in a worker thread, and the
# hop there and back cost more than everything else a cached or simple page does (bench/RESULTS.md).
async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


EngineDep = Annotated[Engine, Depends(get_engine)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
FrameworkName = Annotated[
    str | None,
    Query(
        alias="framework",
        min_length=1,
        max_length=100,
        pattern=FRAMEWORK_NAME_PATTERN,
        description="Name of a framework version; the default version when absent.",
    ),
]
