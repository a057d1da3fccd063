"""Benchmark: workforce analytics at civil-service scale (issue 10).

Over a SQLite store made by the demo generator (550,000 people in post and ~10 million skill
claims: `mobilise demo --people 550000 --claims-per-person 18.2`), this measures, in one run:

1. the full build of the DuckDB warehouse from the store (`refresh --full`);
2. each dashboard query through the service (DuckDB over the warehouse, disclosure control
   included) against the same aggregate through the ORM over the store (baseline), as a ratio;
3. each page's first request in a fresh app (cold: the warehouse file exists but no process has
   opened it), then warm;
4. an incremental refresh after an import of new claims for --changed people, against the full
   rebuild (ratio);
5. an incremental refresh after editing --edited (default 1 %) of the claims in place (level
   changed: the store's triggers note them in analytics_change) — all the claims of 1 % of the
   people, then 1 % of the claims scattered over many people — against a full rebuild of the
   same store (ratio), checking that both give the same warehouse.

    .venv/bin/python bench/analytics.py --database var/analytics-bench/store.db [--changed 1000]

Without --database it builds a store of --people (default 20,000) in a temporary folder first.
The store is copied to a temporary folder (and migrated to this release) so the measured import
leaves the original unchanged. --only-refresh skips steps 2 and 3.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, and_, case, func, insert, literal, or_, select, update

from mobilise.services import setup
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role, command_line_actor
from mobilise.services.analytics import warehouse
from mobilise.services.analytics.headcount import headcount
from mobilise.services.analytics.skills import skill_gaps
from mobilise.services.targets import target_progress
from mobilise.store import schema
from mobilise.store.database import make_engine, reading, transaction
from mobilise.store.models import (
    Person,
    Position,
    RoleLevelSkill,
    SensitiveAttributes,
    SkillClaim,
    SkillRecord,
)
from mobilise.web.app import create_app

ACTOR = command_line_actor()
RANK = {"assessed": 0, "manager": 1, "learning": 2, "self": 3, "inferred": 4}


def timed(action: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Median seconds of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def orm_headcount_by_organisation(engine: Engine) -> Sequence[Any]:
    with reading(engine) as session:
        return session.execute(
            select(
                Person.organisation_id,
                func.count().filter(Person.role_level_id.is_not(None)),
                func.count(),
            )
            .where(Person.left_on.is_(None))
            .group_by(Person.organisation_id)
        ).all()


def orm_headcount_by_grade(engine: Engine) -> Sequence[Any]:
    with reading(engine) as session:
        return session.execute(
            select(
                Person.grade,
                func.count().filter(Person.role_level_id.is_not(None)),
                func.count(),
            )
            .where(Person.left_on.is_(None))
            .group_by(Person.grade)
        ).all()


def orm_headcount_by_ethnic_group(engine: Engine) -> Sequence[Any]:
    with reading(engine) as session:
        return session.execute(
            select(
                SensitiveAttributes.ethnic_group,
                func.count().filter(Person.role_level_id.is_not(None)),
                func.count(),
            )
            .join(Person, Person.id == SensitiveAttributes.person_id)
            .where(Person.left_on.is_(None), SensitiveAttributes.consent.is_(True))
            .group_by(SensitiveAttributes.ethnic_group)
        ).all()


def orm_skill_cube(engine: Engine) -> list[Any]:
    """Profile levels by the same precedence (window over claims), crossed with requirements."""
    rank = case(*((SkillClaim.source == s, r) for s, r in RANK.items()), else_=4)
    ordered = (
        func.row_number()
        .over(
            partition_by=(SkillClaim.person_id, SkillClaim.skill_id),
            order_by=(rank, SkillClaim.claimed_on.desc()),
        )
        .label("n")
    )
    claims = (
        select(SkillClaim.person_id, SkillClaim.skill_id, SkillClaim.level, ordered)
        .where(
            SkillClaim.status == "active",
            or_(SkillClaim.expires_on.is_(None), SkillClaim.expires_on >= date.today()),
        )
        .subquery()
    )
    levels = (
        select(claims.c.person_id, claims.c.skill_id, claims.c.level)
        .where(claims.c.n == 1)
        .subquery()
    )
    requirement = (
        select(Person.id.label("person_id"), RoleLevelSkill.skill_id, RoleLevelSkill.level)
        .join(RoleLevelSkill, RoleLevelSkill.role_level_id == Person.role_level_id)
        .where(Person.left_on.is_(None))
        .subquery()
    )
    in_post = select(Person.id).where(Person.left_on.is_(None))
    with reading(engine) as session:
        supply = session.execute(
            select(levels.c.skill_id, levels.c.level, func.count())
            .where(levels.c.person_id.in_(in_post))
            .group_by(levels.c.skill_id, levels.c.level)
        ).all()
        demand = session.execute(
            select(
                requirement.c.skill_id,
                requirement.c.level,
                func.coalesce(levels.c.level, 0),
                func.count(),
            )
            .join(
                levels,
                and_(
                    levels.c.person_id == requirement.c.person_id,
                    levels.c.skill_id == requirement.c.skill_id,
                ),
                isouter=True,
            )
            .group_by(requirement.c.skill_id, requirement.c.level, func.coalesce(levels.c.level, 0))
        ).all()
    return [*supply, *demand]


def orm_monthly_ddat(engine: Engine) -> list[Any]:
    """DDaT people in post at each month end since 2020, one query per month (baseline)."""
    with reading(engine) as session:
        last = session.scalar(select(func.max(Position.started_on)))
    assert last is not None
    months, year, month = [], 2020, 1
    while (year, month) <= (last.year, last.month):
        following = date(year + month // 12, month % 12 + 1, 1)
        months.append(date.fromordinal(following.toordinal() - 1))
        year, month = following.year, following.month
    counts = []
    with reading(engine) as session:
        for end in months:
            counts.append(
                session.scalar(
                    select(func.count())
                    .select_from(Position)
                    .where(
                        Position.role_level_id.is_not(None),
                        Position.started_on <= end,
                        or_(Position.ended_on.is_(None), Position.ended_on > end),
                    )
                )
            )
    return counts


def import_claims(engine: Engine, people: int) -> int:
    """New claims for `people` people in post, as an import adds them (one per person)."""
    with transaction(engine) as session:
        chosen = list(
            session.scalars(
                select(Person.id).where(Person.left_on.is_(None)).order_by(Person.id).limit(people)
            )
        )
        skill = session.scalar(select(func.min(SkillRecord.id)))
        session.execute(
            insert(SkillClaim).from_select(
                ["person_id", "skill_id", "level", "source", "status", "evidence", "claimed_on"],
                select(
                    Person.id,
                    literal(skill),
                    literal(4),
                    literal("assessed"),
                    literal("active"),
                    literal("benchmark import"),
                    literal(date(2026, 11, 1)),
                ).where(Person.id.in_(chosen)),
            )
        )
    return len(chosen)


def edit_claims(engine: Engine, share: float, *, by_person: bool) -> tuple[int, int]:
    """Change the level of a share of the claims in place, as re-assessments do: every
    (1/share)-th claim, scattered over many people, or every claim of every (1/share)-th person
    (a team re-assessed). Returns the claims and the people edited."""
    step = max(1, round(1 / share))
    chosen = (SkillClaim.person_id if by_person else SkillClaim.id) % step == 0
    with transaction(engine) as session:
        edited, people = session.execute(
            select(func.count(), func.count(func.distinct(SkillClaim.person_id))).where(chosen)
        ).one()
        session.execute(
            update(SkillClaim)
            .where(chosen)
            .values(level=case((SkillClaim.level >= 4, 1), else_=SkillClaim.level + 1))
        )
    return int(edited), int(people)


def same_warehouse(first: Path, second: Path) -> bool:
    with (
        closing(warehouse.new_connection(str(first), read_only=True)) as a,
        closing(warehouse.new_connection(str(second), read_only=True)) as b,
    ):
        query = "SELECT * FROM {} ORDER BY ALL"
        return all(
            a.execute(query.format(table)).fetchall() == b.execute(query.format(table)).fetchall()
            for table in ("person_skill", "skill_cube", "person_fact")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=Path, help="A SQLite store to measure (copied).")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--changed", type=int, default=1_000)
    parser.add_argument("--edited", type=float, default=0.01, help="Share of claims edited.")
    parser.add_argument("--skip-orm-skills", action="store_true")
    parser.add_argument("--only-refresh", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store.db"
        if args.database:
            shutil.copyfile(args.database, store)
        engine = make_engine(f"sqlite:///{store}")
        if args.database:
            schema.upgrade(engine)
        if not args.database:
            setup.prepare(engine, demo_people=args.people, seed=20260401)
        path = Path(folder) / "analytics.duckdb"
        with reading(engine) as session:
            people = session.scalar(select(func.count()).select_from(Person))
            claims = session.scalar(select(func.max(SkillClaim.id)))
        print(f"store: {people:,} people (with leavers), {claims:,} skill claims")

        started = time.perf_counter()
        warehouse.refresh(engine, path, full=True)
        full_seconds = time.perf_counter() - started
        print(f"full warehouse build: {full_seconds:.1f} s ({path.stat().st_size / 2**20:.0f} MiB)")

        queries: list[tuple[str, Callable[[], Any], Callable[[], Any] | None]] = [
            (
                "headcount by organisation",
                lambda: headcount(engine, ACTOR, "organisation", path=path),
                lambda: orm_headcount_by_organisation(engine),
            ),
            (
                "headcount by grade",
                lambda: headcount(engine, ACTOR, "grade", path=path),
                lambda: orm_headcount_by_grade(engine),
            ),
            (
                "headcount by ethnic group (consenting)",
                lambda: headcount(engine, ACTOR, "ethnic_group", path=path),
                lambda: orm_headcount_by_ethnic_group(engine),
            ),
            (
                "skills supply and demand",
                lambda: skill_gaps(engine, ACTOR, path=path),
                None if args.skip_orm_skills else lambda: orm_skill_cube(engine),
            ),
            (
                "target trajectory (monthly DDaT share) + projection",
                lambda: target_progress(engine, ACTOR, "ddat-share-2030", path=path),
                lambda: orm_monthly_ddat(engine),
            ),
        ]
        worst = 0.0
        for name, service, baseline in [] if args.only_refresh else queries:
            ours, _ = timed(service)
            worst = max(worst, ours)
            if baseline is None:
                print(f"{name}: duckdb {ours * 1000:.0f} ms (ORM baseline skipped)")
                continue
            theirs, _ = timed(baseline, repeat=1)
            print(
                f"{name}: duckdb {ours * 1000:.0f} ms, ORM (baseline) {theirs * 1000:.0f} ms, "
                f"ratio {theirs / ours:.1f}x"
            )
        if not args.only_refresh:
            print(f"slowest dashboard query: {worst * 1000:.0f} ms; goal ≤ 1,000 ms")
            measure_pages(engine, path)
        measure_refreshes(engine, path, folder, args, full_seconds)
        engine.dispose()


def measure_pages(engine: Engine, path: Path) -> None:
    """Each page's first request in a fresh app, then warm."""
    with reading(engine) as session:
        key = session.scalar(select(Person.key).where(Person.left_on.is_(None)).limit(1))
    assert key is not None
    development_sign_in(engine, key, [Role.ANALYST])
    pages = [
        "/analytics/headcount?by=organisation",
        "/analytics/headcount?by=ethnic_group",
        "/analytics/skills",
        "/analytics/targets/ddat-share-2030",
        "/analytics/targets",
    ]
    # The app reads the warehouse beside the store; put the measured one there.
    shutil.copyfile(path, warehouse.default_path(engine))
    slowest_cold = 0.0
    for page in pages:
        warehouse.SNAPSHOTS.close_all()  # as in a fresh process: nothing opened yet
        with TestClient(create_app(engine=engine)) as client:
            form = client.get("/sign-in")
            token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
            client.post(
                "/sign-in/development",
                data={"person": key, "roles": ["analyst"], "csrf_token": token},
                follow_redirects=False,
            )
            started = time.perf_counter()
            response = client.get(page)
            cold = time.perf_counter() - started
            assert response.status_code == 200, response.text[:500]
            warm, _ = timed(lambda page=page: client.get(page), repeat=5)  # type: ignore[misc]
        slowest_cold = max(slowest_cold, cold)
        print(f"GET {page}: cold {cold * 1000:.0f} ms, warm median {warm * 1000:.0f} ms")
    print(f"slowest cold page: {slowest_cold * 1000:.0f} ms; goal ≤ 2,000 ms")


def measure_refreshes(
    engine: Engine, path: Path, folder: str, args: argparse.Namespace, full_seconds: float
) -> None:
    """Incremental refreshes after an import and after edits in place, against full builds."""
    changed = import_claims(engine, args.changed)
    started = time.perf_counter()
    result = warehouse.refresh(engine, path)
    incremental = time.perf_counter() - started
    assert not result.full
    assert result.people_changed == changed
    print(
        f"incremental refresh after an import of claims for {changed:,} people: "
        f"{incremental:.2f} s against the full build {full_seconds:.1f} s (baseline), "
        f"ratio {full_seconds / incremental:.0f}x"
    )
    for by_person in (True, False):
        edited, people = edit_claims(engine, args.edited, by_person=by_person)
        started = time.perf_counter()
        result = warehouse.refresh(engine, path)
        incremental = time.perf_counter() - started
        rebuilt = Path(folder) / "rebuilt.duckdb"
        rebuilt.unlink(missing_ok=True)
        started = time.perf_counter()
        warehouse.refresh(engine, rebuilt, full=True)
        full = time.perf_counter() - started
        kind = "full (over the incremental limit)" if result.full else "incremental"
        nth = round(1 / args.edited)
        how = f"all the claims of every {nth}th person" if by_person else f"every {nth}th claim"
        print(
            f"{kind} refresh after editing {edited:,} claims ({how}) of {people:,} people in "
            f"place: {incremental:.2f} s against a full build of the same store {full:.1f} s "
            f"(baseline), ratio {full / incremental:.1f}x; same warehouse: "
            f"{same_warehouse(path, rebuilt)}"
        )


if __name__ == "__main__":
    main()
