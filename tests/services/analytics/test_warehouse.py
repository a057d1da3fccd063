"""The warehouse agrees with the store, and an incremental refresh with a full one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, or_, select

from mobilise.core.profiles.precedence import derive_profile
from mobilise.services.analytics.warehouse import open_snapshot, refresh
from mobilise.services.profiles import claim_facts
from mobilise.store.database import reading, transaction
from mobilise.store.models import Person, Position, SkillClaim, SkillRecord


def _levels(engine: Engine, path: Path) -> dict[tuple[int, int], int]:
    cursor = open_snapshot(engine, path)
    try:
        rows = cursor.execute("SELECT person_id, skill_id, level FROM person_skill").fetchall()
    finally:
        cursor.close()
    return {(p, s): level for p, s, level in rows}


def _cube(engine: Engine, path: Path) -> set[tuple[int, int, int, int]]:
    cursor = open_snapshot(engine, path)
    try:
        return set(cursor.execute("SELECT * FROM skill_cube WHERE people <> 0").fetchall())
    finally:
        cursor.close()


def test_skill_levels_follow_the_profile_precedence(demo_engine: Engine, warehouse: Path) -> None:
    levels = _levels(demo_engine, warehouse)
    with reading(demo_engine) as session:
        people = list(session.scalars(select(Person.id).order_by(Person.id).limit(300)))
        facts = claim_facts(session, people)
    expected = {
        (person, entry.skill_id): entry.level
        for person, claims in facts.items()
        for entry in derive_profile(claims, date.today()).entries
    }
    assert expected
    assert {k: v for k, v in levels.items() if k[0] in set(people)} == expected


def test_monthly_headcount_counts_the_positions_held_at_each_month_end(
    demo_engine: Engine, warehouse: Path
) -> None:
    cursor = open_snapshot(demo_engine, warehouse)
    try:
        series = dict(
            cursor.execute(
                "SELECT month_end, sum(people) FILTER (ddat) FROM monthly GROUP BY month_end"
            ).fetchall()
        )
    finally:
        cursor.close()
    with reading(demo_engine) as session:
        for month_end in (date(2020, 6, 30), date(2022, 3, 31), date(2024, 12, 31)):
            held = session.scalar(
                select(func.count())
                .select_from(Position)
                .where(
                    Position.role_level_id.is_not(None),
                    Position.started_on <= month_end,
                    or_(Position.ended_on.is_(None), Position.ended_on > month_end),
                )
            )
            assert series[month_end] == held


def test_an_incremental_refresh_reads_only_the_changed_people_and_matches_a_full_one(
    demo_engine: Engine, warehouse: Path, tmp_path: Path
) -> None:
    refresh(demo_engine, warehouse)
    with transaction(demo_engine) as session:
        person = session.scalars(select(Person).where(Person.left_on.is_(None)).limit(1)).one()
        skill = session.scalars(select(SkillRecord).order_by(SkillRecord.id.desc()).limit(1)).one()
        session.add(
            SkillClaim(
                person_id=person.id,
                skill_id=skill.id,
                level=4,
                source="assessed",
                status="active",
                evidence="",
                claimed_on=date(2026, 1, 5),
            )
        )
        person_id, skill_id = person.id, skill.id
        # And a self claim each for 300 more people, as a bulk import adds them.
        others = session.scalars(
            select(Person.id).where(Person.id != person_id).order_by(Person.id).limit(300)
        )
        session.add_all(
            SkillClaim(
                person_id=other,
                skill_id=skill_id,
                level=2,
                source="self",
                status="active",
                evidence="",
                claimed_on=date(2026, 2, 1),
                expires_on=date(2027, 2, 1) if other % 2 else None,
            )
            for other in others
        )
    result = refresh(demo_engine, warehouse)
    assert not result.full
    assert result.people_changed == 301
    assert not result.positions_recounted
    assert not result.people_reread
    incremental = _levels(demo_engine, warehouse)
    assert incremental[(person_id, skill_id)] == 4
    assert incremental == _levels(demo_engine, tmp_path / "full.duckdb")
    assert _cube(demo_engine, warehouse) == _cube(demo_engine, tmp_path / "full.duckdb")


def test_a_page_refreshes_a_stale_warehouse_before_reading_it(
    demo_engine: Engine, warehouse: Path
) -> None:
    refresh(demo_engine, warehouse)
    with transaction(demo_engine) as session:
        organisation = session.scalar(select(Person.organisation_id).limit(1))
        session.add(Person(key="late-joiner", display_name="Late", organisation_id=organisation))
    cursor = open_snapshot(demo_engine, warehouse)
    try:
        (people,) = cursor.execute("SELECT count(*) FROM person_fact").fetchone()
    finally:
        cursor.close()
    with reading(demo_engine) as session:
        assert people == session.scalar(select(func.count()).select_from(Person))


def test_a_refresh_with_nothing_new_leaves_the_file_alone(
    demo_engine: Engine, warehouse: Path
) -> None:
    refresh(demo_engine, warehouse)
    before = warehouse.stat().st_mtime_ns
    result = refresh(demo_engine, warehouse)
    assert (result.full, result.people_changed, result.people_reread) == (False, 0, False)
    assert warehouse.stat().st_mtime_ns == before


def test_claims_changed_in_place_are_re_read_incrementally(
    demo_engine: Engine, warehouse: Path, tmp_path: Path
) -> None:
    """A level edited, a claim rejected and one deleted keep (or lose) their ids, so only the
    store's triggers (analytics_change) tell the refresh about them."""
    refresh(demo_engine, warehouse)
    with transaction(demo_engine) as session:
        claims = list(
            session.scalars(
                select(SkillClaim)
                .where(SkillClaim.status == "active", SkillClaim.expires_on.is_(None))
                .order_by(SkillClaim.person_id)
                .limit(200)
            )
        )
        edited, rejected, deleted = (
            claims[0],
            next(c for c in claims if c.person_id != claims[0].person_id),
            claims[-1],
        )
        edited.level = 1 if edited.level != 1 else 4
        rejected.status = "rejected"
        session.delete(deleted)
        people = {edited.person_id, rejected.person_id, deleted.person_id}
        # Changing only who validated a claim changes no statistic and notes nothing.
        claims[1].validated_by_id = claims[2].person_id
    result = refresh(demo_engine, warehouse)
    assert not result.full
    assert result.people_changed == len(people)
    assert not result.people_reread
    assert _levels(demo_engine, warehouse) == _levels(demo_engine, tmp_path / "full.duckdb")
    assert _cube(demo_engine, warehouse) == _cube(demo_engine, tmp_path / "full.duckdb")


def test_people_and_positions_changed_in_place_are_re_read_incrementally(
    demo_engine: Engine, warehouse: Path, tmp_path: Path
) -> None:
    refresh(demo_engine, warehouse)
    with transaction(demo_engine) as session:
        leaver = session.scalars(
            select(Person).where(Person.left_on.is_(None), Person.role_level_id.is_not(None))
        ).first()
        assert leaver is not None
        leaver.left_on = date(2026, 1, 31)
        position = session.scalars(
            select(Position).where(Position.person_id == leaver.id, Position.ended_on.is_(None))
        ).first()
        assert position is not None
        position.ended_on = date(2026, 1, 31)
    result = refresh(demo_engine, warehouse)
    assert not result.full
    assert result.people_reread
    assert result.positions_recounted

    def facts(path: Path) -> tuple[object, ...]:
        cursor = open_snapshot(demo_engine, path)
        try:
            return (
                cursor.execute("SELECT * FROM person_fact ORDER BY person_id").fetchall(),
                cursor.execute("SELECT * FROM monthly ORDER BY ALL").fetchall(),
                set(cursor.execute("SELECT * FROM skill_cube").fetchall()),
            )
        finally:
            cursor.close()

    assert facts(warehouse) == facts(tmp_path / "full.duckdb")
