"""Benchmark: latency of the framework pages and API with 50,000 people in a SQLite store.

Prepares a SQLite file the way `make run` does (migrations, the DDaT framework, organisations and a
demo workforce of --people people), serves it with uvicorn on 127.0.0.1 in a separate process, and
times requests with one keep-alive httpx client: first sequentially (latency without queueing),
then from --concurrency threads at once. Baselines, measured in the same run with the same client:
a static asset (the cost of the HTTP stack alone) and /healthz (one trivial database round trip).

    .venv/bin/python bench/framework_pages.py [--people 50000] [--requests 200] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import func, select

from mobilise.services import catalogue, setup
from mobilise.store.database import make_engine
from mobilise.store.models import Person

BASELINES = ("static asset", "/healthz")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(path: Path, people: int) -> tuple[list[str], list[str]]:
    engine = make_engine(f"sqlite:///{path}")
    started = time.perf_counter()
    for line in setup.prepare(engine, demo_people=people, seed=20260401):
        print(f"  {line}")
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count(Person.id)))
    print(f"  store ready with {stored:,} people in {time.perf_counter() - started:.1f} s")
    levels = [lv.key for lv in catalogue.list_role_levels(engine, limit=100_000).items]
    skills = [s.key for s in catalogue.list_skills(engine, limit=100_000).items]
    engine.dispose()
    return levels, skills


def serve(path: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    command = [sys.executable, "-m", "uvicorn", "mobilise.web.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the app did not become healthy within 30 s")


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000


def timed(client: httpx.Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200, help="Requests per endpoint.")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--database", type=Path, default=Path("/tmp/mobilise-bench/pages.db"))
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes.")
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the database of an earlier run if present."
    )
    args = parser.parse_args()

    args.database.parent.mkdir(parents=True, exist_ok=True)
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.database}{suffix}").unlink(missing_ok=True)
    print(f"Preparing {args.database} with {args.people:,} people")
    levels, skills = prepare(args.database, args.people)
    rng = random.Random(7)
    words = ["data", "security", "user", "architect", "analysis", "delivery", "cloud", "ethics"]
    endpoints: dict[str, Callable[[], str]] = {
        "static asset": lambda: "/static/mobilise.css",
        "/healthz": lambda: "/healthz",
        "role level page": lambda: f"/framework/role-levels/{rng.choice(levels)}",
        "skill page": lambda: f"/framework/skills/{rng.choice(skills)}",
        "search page": lambda: f"/framework/search?q={rng.choice(words)}&page={rng.randint(1, 2)}",
        "compare page": lambda: f"/framework/compare?a={rng.choice(levels)}&b={rng.choice(levels)}",
        "API role level": lambda: f"/api/v1/role-levels/{rng.choice(levels)}",
    }

    port = free_port()
    server = serve(args.database, port, args.workers)
    print(f"Serving with {args.workers} uvicorn worker(s); load average {os.getloadavg()[0]:.1f}")
    try:
        base = f"http://127.0.0.1:{port}"
        limits = httpx.Limits(max_connections=args.concurrency)
        with httpx.Client(base_url=base, limits=limits, timeout=60) as client:
            for make_url in endpoints.values():  # warm caches and the thread pool
                for _ in range(10):
                    timed(client, make_url())
            print(f"\nOne client, {args.requests} sequential requests per endpoint (ms):")
            sequential: dict[str, tuple[float, float]] = {}
            for name, make_url in endpoints.items():
                samples = [timed(client, make_url()) for _ in range(args.requests)]
                sequential[name] = percentiles(samples)
            report(sequential)

            total = args.requests * 5
            print(f"\n{args.concurrency} concurrent clients, {total} requests per endpoint (ms):")
            concurrent: dict[str, tuple[float, float]] = {}
            with ThreadPoolExecutor(args.concurrency) as pool:
                for name, make_url in endpoints.items():
                    urls = [make_url() for _ in range(total)]
                    started = time.perf_counter()
                    samples = list(pool.map(lambda u: timed(client, u), urls))
                    wall = time.perf_counter() - started
                    concurrent[name] = percentiles(samples)
                    print(f"  {name:<16} throughput {total / wall:7.0f} req/s")
            report(concurrent)
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(figures: dict[str, tuple[float, float]]) -> None:
    static_p50 = figures["static asset"][0]
    health_p50 = figures["/healthz"][0]
    for name, (p50, p95) in figures.items():
        print(
            f"  {name:<16} p50 {p50:7.2f}  p95 {p95:7.2f}   "
            f"p50 ratio: {p50 / static_p50:5.1f}× static asset, {p50 / health_p50:5.1f}× /healthz"
        )


if __name__ == "__main__":
    main()
