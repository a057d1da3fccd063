"""The app as `mobilise serve` runs it in each process (uvicorn's factory)."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from mobilise.web.app import create_app


def create_served_app() -> FastAPI:
    """`create_app()`, then everything made so far moved out of the cyclic collector's sight.

    Modules, routes, the ORM's mappings and the template environment live as long as the process.
    Left in the collector's oldest generation, they make every full collection walk some 200,000
    objects: a pause of about 180 ms every few seconds under load, measured on the framework pages,
    which is most of their 95th percentile. Frozen, a full collection walks only what came later
    (cached pages, pools): about 20 ms (bench/RESULTS.md). Not in `create_app` itself, which tests
    call hundreds of times: a freeze keeps whatever garbage is still uncollected for ever.
    """
    app = create_app()
    gc.collect()
    gc.freeze()
    return app
