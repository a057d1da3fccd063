"""Benchmark: the team capability page for a line manager with 200 reports.

Prepares a SQLite store like `make run` (framework, organisations, a demo workforce of --people),
gives one manager --team direct reports, signs in as them through the development sign-in, and
times GET /team in-process (the app and the database, without a network) --requests times.
Baseline, same run: the same team's profiles derived one person at a time, one query each (the
obvious per-row loop), against the service's one query for the whole team.

    .venv/bin/python bench/team_page.py [--people 20000] [--team 200] [--requests 200]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from mobilise.services import setup
from mobilise.services.accounts import development_sign_in
from mobilise.services.profiles import profile_for
from mobilise.services.team_capability import team_matrix
from mobilise.store.database import make_engine, reading, transaction
from mobilise.store.models import Person
from mobilise.web.app import create_app


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--team", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        setup.prepare(engine, demo_people=args.people, seed=20260401)
        with transaction(engine) as session:
            ids = list(
                session.scalars(
                    select(Person.id).where(Person.left_on.is_(None)).order_by(Person.id)
                ).all()[: args.team + 1]
            )
            manager, team = ids[0], ids[1:]
            session.execute(update(Person).where(Person.id.in_(team)).values(manager_id=manager))
            manager_key = session.scalar(select(Person.key).where(Person.id == manager))
        assert manager_key is not None
        actor = development_sign_in(engine, manager_key, [])

        naive = []
        for _ in range(5):
            started = time.perf_counter()
            with reading(engine) as session:
                for person in [manager, *team]:
                    profile_for(session, person)
            naive.append(time.perf_counter() - started)
        batched = []
        for _ in range(5):
            started = time.perf_counter()
            matrix = team_matrix(engine, actor)
            batched.append(time.perf_counter() - started)
        print(f"team of {len(matrix.members)} people × {len(matrix.skills)} skill columns")
        slow, quick = statistics.median(naive) * 1000, statistics.median(batched) * 1000
        print(f"profiles one query per person (baseline): median {slow:.1f} ms")
        print(
            f"team_matrix, one query for the team: median {quick:.1f} ms  ratio {slow / quick:.1f}x"
        )

        with TestClient(create_app(engine=engine)) as client:
            page = client.get("/sign-in")
            token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
            client.post(
                "/sign-in/development",
                data={"person": manager_key, "csrf_token": token},
                follow_redirects=False,
            )
            for _ in range(5):
                client.get("/team")  # warm up
            times = []
            for _ in range(args.requests):
                started = time.perf_counter()
                response = client.get("/team")
                times.append(time.perf_counter() - started)
                assert response.status_code == 200
        p50, p95, p99 = (percentile(times, share) * 1000 for share in (0.5, 0.95, 0.99))
        print(
            f"GET /team ({args.requests} requests, in-process): p50 {p50:.1f} ms  p95 {p95:.1f} ms"
            f"  p99 {p99:.1f} ms  ({len(response.content) / 1024:.0f} KiB); goal p95 ≤ 150 ms"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
