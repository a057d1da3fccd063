"""Benchmark `mobilise demo`: the generator alone, then the whole demo written to a fresh store.

Baseline, measured in the same run: the same kind of rows written through the ORM
(`session.add_all`) for a sample of people, as rows per second; the ratio compares the bulk path's
rows per second with it.

    .venv/bin/python bench/demo.py --people 550000
    .venv/bin/python bench/demo.py --people 550000 \
        --database-url postgresql+psycopg://.../a --baseline-database-url postgresql+psycopg://.../b
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import numpy.typing as npt
from measure import peak_rss_mb
from sqlalchemy import Engine, select

from mobilise.core.workforce import (
    CLAIM_SOURCES,
    FIRST_NAMES,
    GRADES,
    LAST_NAMES,
    REGIONS,
    FrameworkProfile,
    OrganisationSpec,
    Workforce,
    generate_workforce,
)
from mobilise.services.demo import generate_demo
from mobilise.services.framework import ensure_default_framework, load_framework
from mobilise.services.organisations import ensure_default_organisations, list_organisations
from mobilise.store.database import make_engine, reading, transaction
from mobilise.store.models import Person, Position, RoleLevelRecord, SkillClaim, SkillRecord
from mobilise.store.schema import upgrade


def fresh_engine(url: str | None, directory: Path, name: str) -> Engine:
    engine = make_engine(url or f"sqlite:///{directory / name}.db")
    upgrade(engine)
    ensure_default_framework(engine)
    ensure_default_organisations(engine)
    return engine


def inputs(engine: Engine) -> tuple[list[OrganisationSpec], FrameworkProfile]:
    organisations = [
        OrganisationSpec(o.key, o.headcount or 0, o.region, o.kind)
        for o in list_organisations(engine)
    ]
    return organisations, FrameworkProfile.from_framework(load_framework(engine))


def depths(manager: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    depth = np.zeros(len(manager), dtype=np.int64)
    above = manager.copy()
    while (above >= 0).any():
        depth += above >= 0
        above = np.where(above >= 0, manager[np.maximum(above, 0)], -1)
    return depth


def rows_of(workforce: Workforce) -> int:
    return 2 * len(workforce.people) + len(workforce.positions) + len(workforce.claims)


def orm_baseline(engine: Engine, people: int, seed: int, claims: float) -> tuple[int, float]:
    """People, positions and claims written as ORM objects; (rows, seconds)."""
    organisations, profile = inputs(engine)
    workforce = generate_workforce(
        organisations, profile, people=people, seed=seed, claims_per_person=claims
    )
    org_ids = [o.id for o in list_organisations(engine)]
    with reading(engine) as session:
        level_id = dict(session.execute(select(RoleLevelRecord.key, RoleLevelRecord.id)).all())
        skill_id = dict(session.execute(select(SkillRecord.key, SkillRecord.id)).all())
    levels = [level_id[k] for k in profile.role_level_keys]
    skills = [skill_id[k] for k in profile.skill_keys]
    p, pos, c = workforce.people, workforce.positions, workforce.claims

    def day(value: np.datetime64) -> object:
        return None if np.isnat(value) else value.astype(object)

    started = time.perf_counter()
    with transaction(engine) as session:
        # Managers first, so each row's manager exists when flushed.
        order = np.argsort(depths(p.manager), kind="stable")
        for i in order.tolist():
            session.add(
                Person(
                    id=i + 1,
                    key=f"orm-{i + 1:06d}",
                    display_name=f"{FIRST_NAMES[p.first_name[i]]} {LAST_NAMES[p.last_name[i]]}",
                    organisation_id=org_ids[p.organisation[i]],
                    grade=GRADES[p.grade[i]],
                    region=REGIONS[p.region[i]],
                    role_level_id=levels[p.role_level[i]] if p.role_level[i] >= 0 else None,
                    manager_id=int(p.manager[i]) + 1 if p.manager[i] >= 0 else None,
                    started_on=day(p.started_on[i]),
                    left_on=day(p.left_on[i]),
                )
            )
        session.flush()
        session.add_all(
            Position(
                person_id=int(pos.person[k]) + 1,
                organisation_id=org_ids[pos.organisation[k]],
                role_level_id=levels[pos.role_level[k]] if pos.role_level[k] >= 0 else None,
                grade=GRADES[pos.grade[k]],
                region=REGIONS[pos.region[k]],
                started_on=day(pos.started_on[k]),
                ended_on=day(pos.ended_on[k]),
            )
            for k in range(len(pos))
        )
        session.add_all(
            SkillClaim(
                person_id=int(c.person[k]) + 1,
                skill_id=skills[c.skill[k]],
                level=int(c.level[k]),
                source=CLAIM_SOURCES[c.source[k]],
                status="active",
                evidence="",
                claimed_on=day(c.claimed_on[k]),
                validated_by_id=int(c.validated_by[k]) + 1 if c.validated_by[k] >= 0 else None,
            )
            for k in range(len(c))
        )
    seconds = time.perf_counter() - started
    # The baseline writes no sensitive attributes; count what it wrote.
    return len(p) + len(pos) + len(c), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=550_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--claims-per-person", type=float, default=8.0)
    parser.add_argument("--baseline-people", type=int, default=20_000)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument(
        "--baseline-database-url",
        default=None,
        help="an empty database for the baseline; required with --database-url",
    )
    args = parser.parse_args()
    if (args.database_url is None) != (args.baseline_database_url is None):
        parser.error("give both --database-url and --baseline-database-url, or neither")

    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        engine = fresh_engine(args.database_url, directory, "bulk")
        organisations, profile = inputs(engine)
        rss_before = peak_rss_mb()

        tracemalloc.start()
        started = time.perf_counter()
        workforce = generate_workforce(
            organisations,
            profile,
            people=args.people,
            seed=args.seed,
            claims_per_person=args.claims_per_person,
        )
        generator_seconds = time.perf_counter() - started
        _, generator_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows = rows_of(workforce)
        print(
            f"generator: {args.people:,} people in post, {len(workforce.people):,} with leavers, "
            f"{len(workforce.positions):,} positions, {len(workforce.claims):,} claims: "
            f"{generator_seconds:.2f} s, peak traced memory {generator_peak / 2**20:.0f} MB"
        )
        del workforce

        started = time.perf_counter()
        result = generate_demo(
            engine,
            people=args.people,
            seed=args.seed,
            claims_per_person=args.claims_per_person,
        )
        demo_seconds = time.perf_counter() - started
        write_seconds = demo_seconds - generator_seconds
        print(
            f"mobilise demo (generate + write, one transaction, {engine.dialect.name}): "
            f"{demo_seconds:.1f} s wall, {rows:,} rows, {rows / demo_seconds:,.0f} rows/s overall, "
            f"about {rows / write_seconds:,.0f} rows/s for the write alone; "
            f"peak RSS {peak_rss_mb():.0f} MB (before generating: {rss_before:.0f} MB)"
        )
        engine.dispose()
        assert result.people == args.people

        baseline_engine = fresh_engine(args.baseline_database_url, directory, "orm")
        orm_rows, orm_seconds = orm_baseline(
            baseline_engine, args.baseline_people, args.seed, args.claims_per_person
        )
        baseline_engine.dispose()
        orm_rate = orm_rows / orm_seconds
        bulk_rate = rows / write_seconds
        print(
            f"baseline (ORM session.add_all, {args.baseline_people:,} people): {orm_rows:,} rows "
            f"in {orm_seconds:.1f} s = {orm_rate:,.0f} rows/s; at that rate the demo's rows would "
            f"take {rows / orm_rate:,.0f} s"
        )
        print(f"ratio (bulk write rows/s ÷ ORM rows/s): {bulk_rate / orm_rate:.1f}×")


if __name__ == "__main__":
    main()
