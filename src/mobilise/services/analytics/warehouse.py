"""The analytics warehouse: a DuckDB file of query-ready facts, refreshed from the store.

DuckDB reads the store directly — the SQLite file through its sqlite_scanner extension, PostgreSQL
through postgres_scanner — with both extensions loaded from their PyPI packages, never downloaded
at run time (ADR 0015). A full refresh scans the store once and keeps, per person, the facts the
dashboards group by (no names, no sensitive attributes) and their profile level of each skill,
derived with the same precedence as profiles (core/profiles/precedence.py), plus monthly headcounts
from the dated positions and aggregate counts of consenting people's sensitive attributes.

An incremental refresh (after an import) re-reads only what changed: the claims of people with
claims newer than the last refresh, or whose claims were changed in place or deleted, read
through the store's indexes; the person facts (one row per person) when people or diversity
records were added or changed; the monthly counts when positions were added or changed. New rows
are found by id; rows changed in place by `analytics_change`, which the store's triggers fill on
every such write (migration 0017). `mobilise analytics refresh --full` rebuilds everything.

Each refresh writes a copy of the file and renames it into place, so readers in any number of app
processes keep a consistent snapshot and open the new one when they next ask.
"""

from __future__ import annotations

import fcntl
import importlib.resources
import os
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from sqlalchemy import Engine, String, case, cast, func, select

from mobilise.core.profiles.precedence import SOURCE_PRECEDENCE
from mobilise.store.database import reading, reading_rows
from mobilise.store.models import Person, Position, SensitiveAttributes, SkillClaim
from mobilise.store.models.analytics import AnalyticsChange

SCHEMA_VERSION = "3"
DUCKDB_EXTENSION_VERSION = "v1.5.5"
# Source precedence, best first (core/profiles/precedence.py, SOURCE_PRECEDENCE).
SOURCE_RANK_SQL = (
    "CASE source WHEN 'assessed' THEN 0 WHEN 'manager' THEN 1 WHEN 'learning' THEN 2 "
    "WHEN 'self' THEN 3 ELSE 4 END"
)
SOURCE_RANKS = {source: rank for rank, source in enumerate(SOURCE_PRECEDENCE)}
# The changed claims as _profile_levels reads claims (their source back from its rank).
CHANGED_CLAIMS = (
    "(SELECT person_id, skill_id, level, "
    "CASE source_rank WHEN 0 THEN 'assessed' WHEN 1 THEN 'manager' WHEN 2 THEN 'learning' "
    "WHEN 3 THEN 'self' ELSE 'inferred' END AS source, "
    "CASE WHEN active THEN 'active' ELSE 'inactive' END AS status, "
    "claimed_on::DATE AS claimed_on, expires_on::DATE AS expires_on FROM changed_claims)"
)
SENSITIVE_ATTRIBUTES = ("sex", "ethnic_group", "disability", "age_band")
# Claims of this many changed people at most are re-read incrementally; more is a full refresh.
INCREMENTAL_LIMIT = 50_000
_process_lock = threading.Lock()


@dataclass(frozen=True)
class RefreshResult:
    full: bool
    people_changed: int  # people whose skill levels were re-read
    people_reread: bool
    positions_recounted: bool
    seconds: float


def default_path(engine: Engine) -> Path:
    """Beside the SQLite file, or under var/analytics/ named after the PostgreSQL database."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(database.name + ".analytics.duckdb")
    return Path("var") / "analytics" / f"{url.database or 'store'}.analytics.duckdb"


def _extension(name: str) -> str:
    package = f"duckdb_extension_{name}"
    path = (
        importlib.resources.files(package)
        / "extensions"
        / DUCKDB_EXTENSION_VERSION
        / f"{name}.duckdb_extension"
    )
    return str(path)


def new_connection(database: str = ":memory:", *, read_only: bool = False) -> Any:
    """A DuckDB connection that can never download anything (extensions come from packages)."""
    return duckdb.connect(
        database,
        read_only=read_only,
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    )


def _libpq(engine: Engine) -> str:
    url = engine.url
    parts = {
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
        "host": url.query.get("host") or url.host,
        "port": url.query.get("port") or url.port,
    }
    return " ".join(f"{key}={value}" for key, value in parts.items() if value not in (None, ""))


def attach_store(connection: Any, engine: Engine, name: str = "source") -> None:
    """Attach the store read-only under `name`: SQLite or PostgreSQL, by the engine's URL."""
    backend = engine.url.get_backend_name()
    if backend == "sqlite":
        connection.execute(f"LOAD '{_extension('sqlite_scanner')}'")
        database = engine.url.database or ""
        connection.execute(f"ATTACH '{sql_string(database)}' AS {name} (TYPE sqlite, READ_ONLY)")
    elif backend == "postgresql":
        connection.execute(f"LOAD '{_extension('postgres_scanner')}'")
        connection.execute(
            f"ATTACH '{sql_string(_libpq(engine))}' AS {name} (TYPE postgres, READ_ONLY)"
        )
    else:
        raise ValueError(f"analytics cannot read a {backend} store")


def sql_string(text: str) -> str:
    """Text for inside single quotes in SQL (for paths, which DuckDB takes only as literals)."""
    return text.replace("'", "''")


@dataclass(frozen=True)
class Watermarks:
    """How far the warehouse has read the store (the largest ids it has seen)."""

    claim: int
    person: int
    position: int
    sensitive: int
    change: int  # the last analytics_change entry read: rows changed in place

    @classmethod
    def of_store(cls, engine: Engine) -> Watermarks:
        with reading(engine) as session:
            return cls(
                claim=session.scalar(select(func.max(SkillClaim.id))) or 0,
                person=session.scalar(select(func.max(Person.id))) or 0,
                position=session.scalar(select(func.max(Position.id))) or 0,
                sensitive=session.scalar(select(func.count()).select_from(SensitiveAttributes))
                or 0,
                change=session.scalar(select(func.max(AnalyticsChange.id))) or 0,
            )


def _profile_levels(claims: str) -> str:
    """Each person's level of each skill from the claims relation `claims` (the precedence rule:
    active and unexpired claims only; the best source, then the latest claim, wins)."""
    # `claims` is a relation name of this module's choosing, never input.
    return f"""
        SELECT person_id, skill_id,
               arg_min(level, {SOURCE_RANK_SQL} * 1000000 - (claimed_on - DATE '1900-01-01'))
                   AS level
        FROM {claims}
        WHERE status = 'active' AND (expires_on IS NULL OR expires_on >= current_date)
        GROUP BY person_id, skill_id
    """  # noqa: S608


PERSON_FACT_SQL = """
    CREATE OR REPLACE TABLE person_fact AS
    SELECT p.id AS person_id, p.organisation_id, p.region, p.grade, p.role_level_id,
           r.job_family_id, (p.left_on IS NULL OR p.left_on > current_date) AS in_post
    FROM source.person p
    LEFT JOIN source.role_level rl ON rl.id = p.role_level_id
    LEFT JOIN source.role r ON r.id = rl.role_id
"""

MONTHLY_SQL = """
    CREATE OR REPLACE TABLE monthly AS
    WITH bounds AS (
        SELECT greatest(min(last_day(started_on)), DATE '2020-01-31') AS first,
               last_day(greatest(max(started_on), coalesce(max(ended_on), max(started_on))))
                   AS last
        FROM source.position
    ),
    months AS (
        SELECT last_day(m::DATE) AS month_end
        FROM bounds, range(first::TIMESTAMP, last::TIMESTAMP + INTERVAL 1 DAY,
                           INTERVAL 1 MONTH) AS t(m)
    ),
    changes AS (
        SELECT greatest(last_day(started_on), (SELECT first FROM bounds)) AS month_end,
               organisation_id, role_level_id IS NOT NULL AS ddat, 1 AS delta
        FROM source.position
        UNION ALL
        SELECT last_day(ended_on), organisation_id, role_level_id IS NOT NULL, -1
        FROM source.position WHERE ended_on IS NOT NULL
    ),
    by_month AS (
        SELECT month_end, organisation_id, ddat, sum(delta) AS delta
        FROM changes GROUP BY ALL
    ),
    series AS (SELECT DISTINCT organisation_id, ddat FROM by_month)
    SELECT m.month_end, s.organisation_id, s.ddat,
           sum(coalesce(b.delta, 0)) OVER (
               PARTITION BY s.organisation_id, s.ddat ORDER BY m.month_end
           )::BIGINT AS people
    FROM months m CROSS JOIN series s
    LEFT JOIN by_month b USING (month_end, organisation_id, ddat)
"""


def _skill_cube_sql(people: str = "") -> str:
    """People in post by skill, the level their role level requires (0: none) and the level
    their profile gives (0: none); `people` optionally restricts to a relation of person ids.
    The pair (not required, no level) is left out: it is everyone else."""
    only = f" AND person_id IN (SELECT person_id FROM {people})" if people else ""  # noqa: S608
    return f"""
        WITH post AS (
            SELECT person_id, role_level_id FROM person_fact WHERE in_post{only}
        ),
        req AS (
            SELECT p.person_id, r.skill_id, r.level AS required
            FROM post p JOIN role_level_skill r USING (role_level_id)
        ),
        lev AS (
            SELECT ps.person_id, ps.skill_id, ps.level
            FROM person_skill ps SEMI JOIN post p USING (person_id)
        )
        SELECT skill_id, coalesce(required, 0) AS required, coalesce(level, 0) AS level,
               count(*) AS people
        FROM req FULL OUTER JOIN lev USING (person_id, skill_id)
        GROUP BY ALL
    """  # noqa: S608


def _diversity_sql() -> str:
    parts = [
        f"""SELECT f.organisation_id, f.region, f.grade, f.role_level_id IS NOT NULL AS ddat,
                   '{attribute}' AS attribute, s.{attribute} AS value, count(*) AS people
            FROM source.sensitive_attributes s JOIN person_fact f USING (person_id)
            WHERE s.consent AND f.in_post AND s.{attribute} IS NOT NULL
            GROUP BY ALL"""  # noqa: S608
        for attribute in SENSITIVE_ATTRIBUTES
    ]
    # Aggregate counts only: no row of the warehouse is a person's sensitive attribute.
    return "CREATE OR REPLACE TABLE diversity AS " + " UNION ALL ".join(parts)


def _write_meta(connection: Any, marks: Watermarks) -> None:
    connection.execute(
        "CREATE OR REPLACE TABLE meta AS SELECT ? AS schema_version, ? AS claim, ? AS person, "
        "? AS position, ? AS sensitive, ? AS change, ? AS refreshed_at",
        [
            SCHEMA_VERSION,
            marks.claim,
            marks.person,
            marks.position,
            marks.sensitive,
            marks.change,
            datetime.now(UTC).replace(tzinfo=None),
        ],
    )


def read_watermarks(connection: Any) -> Watermarks | None:
    try:
        row = connection.execute(
            "SELECT schema_version, claim, person, position, sensitive, change FROM meta"
        ).fetchone()
    except (duckdb.CatalogException, duckdb.BinderException):
        return None
    if row is None or row[0] != SCHEMA_VERSION:
        return None
    return Watermarks(claim=row[1], person=row[2], position=row[3], sensitive=row[4], change=row[5])


def _changed_people(engine: Engine, since: int) -> list[int]:
    # No DISTINCT: it tempts SQLite into walking a person index over every claim, where the id
    # range alone reads just the new rows.
    with reading(engine) as session:
        found = session.scalars(select(SkillClaim.person_id).where(SkillClaim.id > since))
        return sorted(set(found))


@dataclass(frozen=True)
class ChangedInPlace:
    """What the store's triggers noted since the warehouse's mark (analytics_change)."""

    claims_of: frozenset[int]  # people whose claims were edited or deleted
    people: bool  # a person's facts or diversity record changed or went
    positions: bool  # a position changed or went


def _changed_in_place(engine: Engine, since: int) -> ChangedInPlace:
    with reading(engine) as session:
        rows = session.execute(
            select(AnalyticsChange.entity, AnalyticsChange.person_id).where(
                AnalyticsChange.id > since
            )
        ).all()
    entities = {entity for entity, _ in rows}
    return ChangedInPlace(
        claims_of=frozenset(person for entity, person in rows if entity == "skill_claim"),
        people=bool(entities & {"person", "sensitive_attributes"}),
        positions="position" in entities,
    )


def _claims_of(engine: Engine, people: Sequence[int]) -> dict[str, Any]:
    """The changed people's claims, read through the (person, skill, …) index in batches, as
    numbers only: the source as its precedence rank, the status as active or not, the dates as
    ISO text parsed by numpy (a million Python date objects, or text arrays DuckDB must
    dictionary-encode, cost more than reading the rows)."""
    rank = case(*((SkillClaim.source == s, r) for s, r in SOURCE_RANKS.items()), else_=4)
    query = select(
        SkillClaim.person_id,
        SkillClaim.skill_id,
        SkillClaim.level,
        rank,
        case((SkillClaim.status == "active", 1), else_=0),
        cast(SkillClaim.claimed_on, String),
        cast(SkillClaim.expires_on, String),
    )
    batches: list[Any] = []
    with reading_rows(engine) as connection:
        for start in range(0, len(people), 1000):
            batch = people[start : start + 1000]
            batches.extend(
                connection.execute(query.where(SkillClaim.person_id.in_(batch))).fetchall()
            )
    columns = list(zip(*batches, strict=True)) if batches else [()] * 7
    return {
        "person_id": np.array(columns[0], dtype=np.int64),
        "skill_id": np.array(columns[1], dtype=np.int64),
        "level": np.array(columns[2], dtype=np.int64),
        "source_rank": np.array(columns[3], dtype=np.int64),
        "active": np.array(columns[4], dtype=np.bool_),
        # datetime64[s]: DuckDB has no datetime64[D]; CHANGED_CLAIMS casts back to DATE.
        "claimed_on": np.array(columns[5], dtype="datetime64[D]").astype("datetime64[s]"),
        "expires_on": np.array([d or "NaT" for d in columns[6]], dtype="datetime64[D]").astype(
            "datetime64[s]"
        ),
    }


@contextmanager
def _refresh_lock(path: Path) -> Iterator[None]:
    """One refresh at a time, in this process and across processes sharing the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _process_lock, open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def refresh(engine: Engine, path: Path | None = None, *, full: bool = False) -> RefreshResult:
    """Bring the warehouse up to date with the store: incrementally where it can."""
    started = time.perf_counter()
    path = path or default_path(engine)
    with _refresh_lock(path):
        marks = Watermarks.of_store(engine)
        draft = path.with_name(f".{path.name}.{os.getpid()}.draft")
        draft.unlink(missing_ok=True)
        previous: Watermarks | None = None
        if path.exists() and not full:
            shutil.copyfile(path, draft)
            with _closing(new_connection(str(draft))) as connection:
                previous = read_watermarks(connection)
        if previous is None:
            draft.unlink(missing_ok=True)
        elif previous == marks:
            # Another process refreshed it while this one waited for the lock.
            draft.unlink(missing_ok=True)
            return RefreshResult(False, 0, False, False, time.perf_counter() - started)
        changed: list[int] = []
        in_place = ChangedInPlace(frozenset(), False, False)
        if previous is not None:
            in_place = _changed_in_place(engine, previous.change)
            changed = sorted(set(_changed_people(engine, previous.claim)) | in_place.claims_of)
            if len(changed) > INCREMENTAL_LIMIT or marks.claim < previous.claim:
                previous = None
                draft.unlink(missing_ok=True)
        with _closing(new_connection(str(draft))) as connection:
            # People are re-read when people or their diversity records were added (one row
            # each, so cheap next to the claims); positions when new ones were recorded.
            reread_people = (
                previous is None
                or in_place.people
                or (marks.person, marks.sensitive) != (previous.person, previous.sensitive)
            )
            recount = previous is None or in_place.positions or marks.position != previous.position
            # The scanners are needed only for bulk reads; new claims come through the indexes.
            attached = reread_people or recount
            if attached:
                attach_store(connection, engine)
            if reread_people:
                connection.execute(PERSON_FACT_SQL)
            if attached:
                connection.execute(
                    "CREATE OR REPLACE TABLE role_level_skill AS "
                    "SELECT role_level_id, skill_id, level FROM source.role_level_skill"
                )
            # The skill cube is kept by difference when only some people's claims changed:
            # their old contribution out, their new one in (it is a sum over people).
            by_difference = not reread_people and bool(changed)
            if changed:
                connection.register(
                    "changed_people", {"person_id": np.array(changed, dtype=np.int64)}
                )
            if by_difference:
                connection.execute(
                    "CREATE TEMP TABLE cube_before AS " + _skill_cube_sql("changed_people")
                )
            if previous is None:
                connection.execute(
                    "CREATE OR REPLACE TABLE person_skill AS "
                    + _profile_levels("source.skill_claim")
                )
            elif changed:
                connection.register("changed_claims", _claims_of(engine, changed))
                connection.execute(
                    "DELETE FROM person_skill WHERE person_id IN "
                    "(SELECT person_id FROM changed_people)"
                )
                connection.execute("INSERT INTO person_skill " + _profile_levels(CHANGED_CLAIMS))
            if by_difference:
                connection.execute(
                    "CREATE OR REPLACE TABLE skill_cube AS "  # noqa: S608
                    "SELECT skill_id, required, level, sum(people)::BIGINT AS people FROM ("
                    "  SELECT * FROM skill_cube"
                    "  UNION ALL SELECT skill_id, required, level, -people FROM cube_before"
                    "  UNION ALL (" + _skill_cube_sql("changed_people") + ")) "
                    "GROUP BY ALL HAVING sum(people) <> 0"
                )
            elif previous is None or reread_people:
                connection.execute("CREATE OR REPLACE TABLE skill_cube AS " + _skill_cube_sql())
            if recount:
                connection.execute(MONTHLY_SQL)
            if reread_people:
                connection.execute(_diversity_sql())
            _write_meta(connection, marks)
            if attached:
                connection.execute("DETACH source")
            connection.execute("CHECKPOINT")
        os.replace(draft, path)
        return RefreshResult(
            full=previous is None,
            people_changed=len(changed),
            people_reread=reread_people,
            positions_recounted=recount,
            seconds=time.perf_counter() - started,
        )


@contextmanager
def _closing(connection: Any) -> Iterator[Any]:
    try:
        yield connection
    finally:
        connection.close()


class Snapshots:
    """Read-only connections to the newest warehouse file, one per file version per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[Path, tuple[tuple[int, int], Any]] = {}

    def cursor(self, path: Path) -> Any:
        stat = path.stat()
        version = (stat.st_ino, stat.st_mtime_ns)
        with self._lock:
            held = self._held.get(path)
            if held is None or held[0] != version:
                if held is not None:
                    held[1].close()
                connection = new_connection(str(path), read_only=True)
                self._held[path] = (version, connection)
                held = self._held[path]
            # A cursor per use: DuckDB connections are not to be shared between threads.
            return held[1].cursor()

    def close_all(self) -> None:
        """Close every held connection (the next use opens the file afresh)."""
        with self._lock:
            for _, connection in self._held.values():
                connection.close()
            self._held.clear()


SNAPSHOTS = Snapshots()


def open_snapshot(engine: Engine, path: Path | None = None) -> Any:
    """A read-only cursor on the warehouse, refreshing it first if the store has moved on."""
    path = path or default_path(engine)
    if not path.exists():
        refresh(engine, path)
    else:
        with _closing(SNAPSHOTS.cursor(path)) as cursor:
            held = read_watermarks(cursor)
        if held is None or held != Watermarks.of_store(engine):
            refresh(engine, path)
    return SNAPSHOTS.cursor(path)
