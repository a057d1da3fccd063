"""Downloading a person's data and erasing a person, on a SQLite store of the demo workforce.

    .venv/bin/python bench/personal_data.py [--people 20000] [--claims 8]

Download: `personal_data_by_key` for 50 people (every section of the document). Erasure:
`approve_erasure` for 5 people, each one transaction that deletes, pseudonymises and scrubs
their name and email from every text and JSON column. Baseline measured in the same run on the
same store: one `LIKE '%name%'` scan of the skill claims' evidence, the largest text column,
which the scrub cannot avoid. The ratio says how many such scans an erasure costs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role
from mobilise.services.demo import generate_demo
from mobilise.services.erasure import approve_erasure, request_erasure
from mobilise.services.framework import ensure_default_framework
from mobilise.services.personal_data import personal_data_by_key
from mobilise.store.database import make_engine, reading
from mobilise.store.models import Person, SkillClaim
from mobilise.store.schema import upgrade


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--claims", type=float, default=8.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{Path(directory) / 'bench.db'}")
        upgrade(engine)
        ensure_default_framework(engine)
        generate_demo(engine, people=args.people, seed=7, claims_per_person=args.claims)
        with reading(engine) as session:
            claims = session.scalar(select(func.count()).select_from(SkillClaim)) or 0
            people = session.execute(
                select(Person.key, Person.display_name, Person.organisation_id)
                .where(Person.organisation_id.is_not(None))
                .order_by(Person.id)
                .limit(60)
            ).all()
        print(f"store: {args.people:,} people, {claims:,} skill claims")

        started = time.perf_counter()
        sizes = [len(str(personal_data_by_key(engine, key))) for key, _, _ in people[:50]]
        download = (time.perf_counter() - started) / 50
        mean_size = sum(sizes) // 50
        print(f"download: {download * 1000:.1f} ms a person (mean of 50, ~{mean_size:,} chars)")

        with reading(engine) as session:
            started = time.perf_counter()
            session.scalar(
                select(func.count()).where(SkillClaim.evidence.like(f"%{people[0][1]}%"))
            )
            scan = time.perf_counter() - started
        print(f"baseline, one LIKE scan of skill_claim.evidence: {scan * 1000:.1f} ms")

        admin = development_sign_in(engine, people[0][0], [Role.SERVICE_ADMIN])
        timings = []
        for key, _, _ in people[50:55]:
            asked = request_erasure(engine, development_sign_in(engine, key, []))
            started = time.perf_counter()
            approve_erasure(engine, admin, asked.key)
            timings.append(time.perf_counter() - started)
        erasure = sum(timings) / len(timings)
        print(f"erasure: {erasure * 1000:.0f} ms a person (mean of {len(timings)})")
        print(f"ratio erasure / one evidence scan: {erasure / scan:.1f}")


if __name__ == "__main__":
    main()
