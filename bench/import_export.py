"""Benchmark: import 100,000 people and 2,000,000 skill claims, against a naive ORM-per-row import.

Generates synthetic CSV files with numpy (not the demo generator), imports them into a fresh SQLite
file and, with --postgres-url, a fresh PostgreSQL database, then exports them again. The baseline,
measured in the same run on a 5,000-row sample of the same files, adds one ORM object per row and
flushes it (session.add + flush), with key lookups from dicts so only the write path differs.

    .venv/bin/python bench/import_export.py [--people N] [--claims N] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url

from mobilise.core.records import GRADES, REGIONS
from mobilise.services.framework import ensure_default_framework
from mobilise.services.organisations import ensure_default_organisations
from mobilise.services.transfer import (
    export_claims,
    export_people,
    import_claims,
    import_people,
)
from mobilise.store.database import make_engine, transaction
from mobilise.store.models import (
    Organisation,
    Person,
    RoleLevelRecord,
    SkillClaim,
    SkillRecord,
)
from mobilise.store.schema import upgrade

SOURCES = np.array(["self", "manager", "assessed", "learning"])
LEVELS = np.array(["awareness", "working", "practitioner", "expert"])
EPOCH = date(2018, 1, 1)


def prepare(engine: Engine) -> tuple[list[str], list[str], list[str]]:
    upgrade(engine)
    ensure_default_framework(engine)
    ensure_default_organisations(engine)
    with engine.connect() as connection:
        organisations = list(connection.scalars(select(Organisation.key)))
        levels = list(connection.scalars(select(RoleLevelRecord.key)))
        skills = list(connection.scalars(select(SkillRecord.key)))
    return organisations, levels, skills


def generate(
    directory: Path,
    people: int,
    claims: int,
    lookups: tuple[list[str], list[str], list[str]],
    seed: int = 2026,
) -> tuple[Path, Path]:
    organisations, levels, skills = lookups
    rng = np.random.default_rng(seed)
    keys = np.char.add("P", np.char.zfill(np.arange(1, people + 1).astype(str), 7))
    # Managers point at earlier or later rows alike: each person's manager is a random person of a
    # lower index, and the file is shuffled, so about half the managers are later rows.
    manager_index = (rng.random(people) * np.arange(people)).astype(np.int64)
    has_manager = np.arange(people) > people // 100
    order = rng.permutation(people)
    organisation = rng.integers(0, len(organisations), people)
    grade = rng.integers(0, len(GRADES), people)
    region = rng.integers(0, len(REGIONS), people)
    role_level = rng.integers(-len(levels) * 15, len(levels), people)  # ~6% in DDaT roles
    started = rng.integers(0, 2500, people)
    people_path = directory / "people.csv"
    with people_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(
            [
                "key",
                "display_name",
                "email",
                "organisation",
                "grade",
                "region",
                "role_level",
                "manager",
                "started_on",
            ]
        )
        for i in order:
            key = keys[i]
            writer.writerow(
                [
                    key,
                    f"Person {key[1:]}, Ünïcode",
                    f"{key.lower()}@example.gov.uk",
                    organisations[organisation[i]],
                    GRADES[grade[i]],
                    REGIONS[region[i]],
                    levels[role_level[i]] if role_level[i] >= 0 else "",
                    keys[manager_index[i]] if has_manager[i] else "",
                    (EPOCH + timedelta(days=int(started[i]))).isoformat(),
                ]
            )
    per_person = max(1, claims // people)
    owners = np.repeat(np.arange(people), per_person)[:claims]
    # Distinct skills per person: the first `per_person` columns of a random permutation.
    skill_index = np.argsort(rng.random((people, len(skills))), axis=1)[:, :per_person].ravel()
    source = rng.integers(0, len(SOURCES), claims)
    level = rng.integers(0, len(LEVELS), claims)
    claimed = rng.integers(0, 2500, claims)
    with_evidence = rng.random(claims) < 0.3
    claims_path = directory / "claims.csv"
    with claims_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["person", "skill", "level", "source", "evidence", "claimed_on"])
        dates = [(EPOCH + timedelta(days=d)).isoformat() for d in range(2500)]
        for n in range(claims):
            writer.writerow(
                [
                    keys[owners[n]],
                    skills[skill_index[n]],
                    LEVELS[level[n]],
                    SOURCES[source[n]],
                    'Led the "data" work,\nthen reviewed it' if with_evidence[n] else "",
                    dates[claimed[n]],
                ]
            )
    return people_path, claims_path


def orm_baseline_people(engine: Engine, path: Path, rows: int) -> float:
    """Rows per second of session.add + flush per person (keys prefixed so they are new)."""
    with engine.connect() as connection:
        organisations = dict(connection.execute(select(Organisation.key, Organisation.id)).all())
    sample = _sample(path, rows)
    started = time.perf_counter()
    with transaction(engine) as session:
        for row in sample:
            session.add(
                Person(
                    key="orm-" + row["key"],
                    display_name=row["display_name"],
                    email=row["email"],
                    organisation_id=organisations[row["organisation"]],
                    grade=row["grade"],
                    region=row["region"],
                    started_on=date.fromisoformat(row["started_on"]),
                )
            )
            session.flush()
        session.rollback()
    return len(sample) / (time.perf_counter() - started)


def orm_baseline_claims(engine: Engine, path: Path, rows: int) -> float:
    """Rows per second of session.add + flush per claim (dated in 2099 so they are new)."""
    with engine.connect() as connection:
        people = dict(connection.execute(select(Person.key, Person.id)).all())
        skills = dict(connection.execute(select(SkillRecord.key, SkillRecord.id)).all())
    sample = _sample(path, rows)
    levels = {name: rank for rank, name in enumerate(LEVELS, start=1)}
    started = time.perf_counter()
    with transaction(engine) as session:
        for n, row in enumerate(sample):
            session.add(
                SkillClaim(
                    person_id=people[row["person"]],
                    skill_id=skills[row["skill"]],
                    level=levels[row["level"]],
                    source=row["source"],
                    status="active",
                    evidence=row["evidence"],
                    claimed_on=date(2099, 1, 1) + timedelta(days=n),
                )
            )
            session.flush()
        session.rollback()
    return len(sample) / (time.perf_counter() - started)


def _sample(path: Path, rows: int) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return [row for _, row in zip(range(rows), reader, strict=False)]


def fresh_postgres(url: str) -> Engine:
    parsed = make_url(url)
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {parsed.database} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {parsed.database}"))
    admin.dispose()
    return make_engine(url)


def run(store: str, engine: Engine, files: tuple[Path, Path], sample: int) -> list[str]:
    prepare(engine)
    lines = []
    people_path, claims_path = files
    cpu = time.process_time()
    people = import_people(engine, people_path)
    lines.append(
        _line(store, "import people", people.rows, people.seconds)
        + f" [this process's CPU {time.process_time() - cpu:.1f} s]"
    )
    cpu = time.process_time()
    claims = import_claims(engine, claims_path)
    lines.append(
        _line(store, "import claims", claims.rows, claims.seconds)
        + f" [this process's CPU {time.process_time() - cpu:.1f} s]"
    )
    again = import_claims(engine, claims_path)
    lines.append(
        _line(store, "re-import claims (all unchanged)", again.rows, again.seconds)
        + f" unchanged={again.unchanged:,}"
    )
    for name, exporter in (("people", export_people), ("claims", export_claims)):
        sink = io.BytesIO()
        report = exporter(engine, sink, format="csv")
        lines.append(_line(store, f"export {name} (csv)", report.rows, report.seconds))
    for name, rate_of, bulk in (
        ("people", orm_baseline_people, people),
        ("claims", orm_baseline_claims, claims),
    ):
        path = people_path if name == "people" else claims_path
        baseline = rate_of(engine, path, sample)
        bulk_rate = bulk.rows / bulk.seconds
        lines.append(
            f"{store:10} ORM per row (baseline), {sample:,} {name}: {baseline:,.0f} rows/s; "
            f"bulk import {bulk_rate:,.0f} rows/s = {bulk_rate / baseline:.1f}× the baseline"
        )
    return lines


def _line(store: str, what: str, rows: int, seconds: float) -> str:
    return f"{store:10} {what}: {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=2_000_000)
    parser.add_argument("--sample", type=int, default=5_000, help="rows for the ORM baseline")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/mobilise-bench-import"))
    parser.add_argument(
        "--postgres-url",
        help="a database to drop and recreate, e.g. "
        "postgresql+psycopg://postgres@/bench?host=/tmp/pgbench&port=54329",
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    database = args.workdir / "bench.db"
    for leftover in args.workdir.glob("bench.db*"):
        leftover.unlink()
    sqlite = make_engine(f"sqlite:///{database}")
    started = time.perf_counter()
    files = generate(args.workdir, args.people, args.claims, prepare(sqlite))
    print(
        f"generated {args.people:,} people and {args.claims:,} claims as CSV in "
        f"{time.perf_counter() - started:.1f} s "
        f"({files[0].stat().st_size / 1e6:.0f} MB + {files[1].stat().st_size / 1e6:.0f} MB)"
    )
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)")
    lines = run("sqlite", sqlite, files, args.sample)
    if args.postgres_url:
        lines += run("postgresql", fresh_postgres(args.postgres_url), files, args.sample)
    print("\n".join(lines))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
