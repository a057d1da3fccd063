"""Quick reads that block (the store's), run in worker threads so the event loop keeps serving.

Starlette's `run_in_threadpool` (anyio's `to_thread`) takes a capacity limiter, opens a cancel scope
and copies the context variables on every call; on a profile page that hand-off cost more of the
event loop's CPU than deriving the profile (bench/RESULTS.md). asyncio's own executor hand-off does
the same for a plain function that reads no context variables: the hot reads (the person page's
record, a signed-in account's actor) go through it. Anything else may keep `run_in_threadpool`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

# As many as anyio's default limit: each holds at most one of the pool's connections at a time,
# so more threads than connections wait for the pool rather than the database.
READING_THREADS = 40

P = ParamSpec("P")
T = TypeVar("T")

_threads = ThreadPoolExecutor(max_workers=READING_THREADS, thread_name_prefix="mobilise-read")


async def read_in_thread(read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`read(*args, **kwargs)` in a worker thread, awaited without blocking the event loop.

    If the awaiting request is cancelled (the client went away), the read still finishes in its
    thread, as with `run_in_threadpool`, and its result is dropped.
    """
    loop = asyncio.get_running_loop()
    if kwargs:
        return await loop.run_in_executor(_threads, lambda: read(*args, **kwargs))
    return await loop.run_in_executor(_threads, read, *args)
