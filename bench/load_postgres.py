"""The load test's PostgreSQL: a cluster kept between runs (started as the `postgres` user when run
as root, Unix socket only), its database, and the CPU time of a process tree (the app's workers,
PostgreSQL's backends) read from /proc."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from mobilise.store.database import make_engine

TICKS = os.sysconf("SC_CLK_TCK")

DATABASE = "mobilise_load"


def _descendants(root: int) -> list[int]:
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                queue.extend(int(c) for c in children.read_text().split())
            except OSError:
                continue
    return found


def cpu_seconds(root: int | None) -> float:
    """User and system CPU of `root` and every process below it, living or ended (0 for None).

    A process's own times plus the times of its children that ended (which the kernel adds to the
    parent that reaps them), summed over the living tree, count every process once: PostgreSQL's
    backends come and go with the app's connection pools.
    """
    if root is None:
        return 0.0
    total = 0
    for pid in _descendants(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / TICKS


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _bindir() -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.support.postgres import find_bindir  # the tests' own way of finding PostgreSQL

    found = find_bindir()
    if found is None:
        raise SystemExit("PostgreSQL is not installed (no initdb/pg_ctl found)")
    return found


@contextmanager
def kept_cluster(root: Path, keep_running: bool) -> Iterator[str]:
    """A PostgreSQL cluster kept in `root` between runs; yields the admin URL."""
    bindir = _bindir()
    data = root / "data"
    if not (data / "PG_VERSION").exists():
        root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(root, entry.pw_uid, entry.pw_gid)
        print(f"Creating a PostgreSQL cluster in {data}")
        initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
        subprocess.run(
            _as_postgres([*initdb, "-E", "UTF8", "--no-sync"]),
            check=True,
            capture_output=True,
        )
    running = (
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "status"]),
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    if not running:
        # Durability off (as in the tests): the bench measures reads, and a lost cluster is
        # reloaded. Enough connections for 4 processes' pools (30 each) and the loader.
        options = (
            f"-c listen_addresses='' -c unix_socket_directories={root} -p 5432 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200 -c shared_buffers=512MB"
        )
        pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log")]
        subprocess.run(
            _as_postgres([*pg_ctl, "-w", "-t", "60", "start"]),
            check=True,
            capture_output=True,
        )
    try:
        yield f"postgresql+psycopg://postgres@/{{database}}?host={root}&port=5432"
    finally:
        if not running and not keep_running:
            subprocess.run(
                _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                capture_output=True,
                check=False,
            )


def ensure_database(admin_url: str, fresh: bool) -> str:
    admin = make_engine(admin_url.format(database="postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if fresh:
            connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": DATABASE}
        )
        if not exists:
            connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    return admin_url.format(database=DATABASE)
