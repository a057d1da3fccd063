"""Load test: several app processes against one PostgreSQL holding the demo workforce.

What it does, all on this machine (the app listens on 127.0.0.1 only and every run is bounded in
time):

1. A PostgreSQL database: the one --database-url names, or a cluster this script keeps in
   --cluster-dir (initdb on first use, as the `postgres` user when run as root, Unix socket only).
2. The demo workforce of --people people (`mobilise demo`'s generator, through `setup.prepare`),
   unless the database has it already: a loaded database is reused (--fresh drops it first).
3. The app started with the real command, `mobilise serve --workers N`, and signed-in sessions
   made through the development sign-in for the profile pages.
4. For each page set (framework pages; profile pages, signed in) and each number of concurrent
   clients (50 and 200): a warm-up, then wrk for --duration seconds, printing p50/p95/p99,
   throughput and errors (connection errors, timeouts, and any status other than 200).
5. A sweep of client counts on the framework pages to find the throughput knee.
6. The baseline, measured in the same run: one app process with the page cache off (how the app
   served before), on the same URLs at 50 clients; ratios compare p95 and throughput with it.

wrk (Debian package `wrk`) generates the load: it is C, so at 200 connections it leaves the two
cores to the app and the database, where a Python generator would compete with them for CPU. A
Lua script cycles through a list of URLs, each with its own session cookie, and counts responses
that are not 200.

    .venv/bin/python bench/load.py                       # first run: loads 550,000 people (~4 min)
    .venv/bin/python bench/load.py --workers 2 --duration 20
    .venv/bin/python bench/load.py --database-url postgresql+psycopg://user@/db?host=/run/pg
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from load_postgres import cpu_seconds, ensure_database, kept_cluster
from sqlalchemy import Engine, func, select, text

from mobilise.services import catalogue, setup
from mobilise.store.database import make_engine
from mobilise.store.models import Person

HOST = "127.0.0.1"  # never anything else: the load stays on this machine
SEED = 20260401
SECRET_KEY = "load-test-only-" + "k" * 40  # the same in every process, as in production
BASELINE = "baseline: 1 process, no page cache"
LOG = Path(tempfile.gettempdir()) / "mobilise-load-server.log"  # the app's own output

LUA = r"""
-- Cycle through the URL list; a line is "path" or "path<TAB>cookie".
local entries = {}
for line in io.lines(os.getenv("LOAD_URLS")) do
  local path, cookie = line:match("^([^\t]+)\t(.+)$")
  if path then
    entries[#entries + 1] = wrk.format("GET", path, { ["Cookie"] = cookie })
  else
    entries[#entries + 1] = wrk.format("GET", line)
  end
end
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

function init(args)
  position = (id * 7919) % #entries
  not_ok = 0
end

function request()
  position = position % #entries + 1
  return entries[position]
end

function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("not_ok") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, ' ..
    '"max": %.3f, "connect": %d, "read": %d, "write": %d, "timeout": %d, "not_200": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, e.connect, e.read, e.write, e.timeout, bad))
end
"""


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    max: float
    errors: int
    app_cpu: float = 0.0  # CPU seconds the app processes used during the run
    database_cpu: float | None = None  # the same for PostgreSQL, when it is our cluster
    load_cpu: float = 0.0  # the same for wrk
    # PostgreSQL sessions (connections) opened during the run: a pool that keeps its connections
    # opens none; one that overflows opens and closes them, at a backend's start-up cost each.
    connections: int | None = None

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        per = 1000 / max(self.requests, 1)
        cpu = f"CPU/request: app {self.app_cpu * per:4.1f} ms"
        if self.database_cpu is not None:
            cpu += f", PostgreSQL {self.database_cpu * per:3.1f} ms"
        cpu += f", wrk {self.load_cpu * per:3.1f} ms"
        if self.connections is not None:
            cpu += f"; {self.connections} connections opened"
        return (
            f"p50 {self.p50:7.1f} ms  p95 {self.p95:7.1f} ms  p99 {self.p99:7.1f} ms  "
            f"{self.throughput:6.0f} req/s  {self.requests:6d} requests  {self.errors} errors  "
            + cpu
        )


# --- CPU used by a process tree, which other work on the machine does not inflate much ---------


# --- PostgreSQL -----------------------------------------------------------------------------


def load_people(engine: Engine, people: int) -> int:
    with engine.connect() as connection:
        has_person_table = connection.scalar(text("SELECT to_regclass('person') IS NOT NULL"))
        stored = (
            connection.scalar(
                select(func.count()).select_from(Person).where(Person.left_on.is_(None))
            )
            if has_person_table
            else 0
        )
    if stored:
        print(f"  reusing the database: {stored:,} people in post")
        if stored < people:
            raise SystemExit(f"the database holds {stored:,} people, not {people:,}: use --fresh")
        setup.prepare(engine, demo_people=0, seed=SEED)  # migrations only
        return int(stored)
    started = time.perf_counter()
    for line in setup.prepare(engine, demo_people=people, seed=SEED):
        print(f"  {line}")
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
        stored = connection.scalar(
            select(func.count()).select_from(Person).where(Person.left_on.is_(None))
        )
    print(f"  loaded {stored:,} people in post in {time.perf_counter() - started:.0f} s")
    return int(stored or 0)


@dataclass(frozen=True)
class Target:
    base: str
    app_pid: int
    database_pid: int | None


# --- the app --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(
    database_url: str, workers: int, cache_size: int, database_pid: int | None
) -> Iterator[Target]:
    """`mobilise serve --workers N` on a free port of 127.0.0.1."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MOBILISE_SECRET_KEY": SECRET_KEY,
        "MOBILISE_PAGE_CACHE_SIZE": str(cache_size),
        "MOBILISE_DEMO_PEOPLE": "0",
        # As docs/deploy.md advises behind a load balancer, which logs each request itself.
        "MOBILISE_ACCESS_LOG": "false",
    }
    mobilise = Path(sys.executable).with_name("mobilise")
    command = [str(mobilise), "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers)]
    log = open(LOG, "ab")  # noqa: SIM115 (closed below, after the server)
    server = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )

    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise SystemExit(f"mobilise serve exited with {server.returncode}; see {LOG}")
            try:
                if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the app did not become healthy within 120 s")
            time.sleep(0.3)
        yield Target(base, server.pid, database_pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


# --- the pages ------------------------------------------------------------------------------

Line = tuple[str, str | None]  # path, and the session cookie to send with it (None: anonymous)


def framework_pages(engine: Engine, base: str, rng: random.Random, count: int) -> list[Line]:
    """The public framework pages, in the mix a reader browsing the framework makes."""
    levels = [r.key for r in catalogue.list_role_levels(engine, limit=100_000).items]
    skills = [s.key for s in catalogue.list_skills(engine, limit=100_000).items]
    roles = [r.key for r in catalogue.list_roles(engine, limit=100_000).items]
    words = ["data", "security", "user", "architect", "analysis", "delivery", "cloud", "ethics"]
    makers: list[tuple[float, Callable[[], str]]] = [
        (0.05, lambda: "/framework"),
        (0.05, lambda: "/framework/skills"),
        (0.15, lambda: f"/framework/roles/{rng.choice(roles)}"),
        (0.30, lambda: f"/framework/role-levels/{rng.choice(levels)}"),
        (0.25, lambda: f"/framework/skills/{rng.choice(skills)}"),
        (0.10, lambda: f"/framework/search?q={rng.choice(words)}&page={rng.randint(1, 3)}"),
        (0.10, lambda: f"/framework/compare?a={rng.choice(levels)}&b={rng.choice(levels)}"),
    ]
    weights = [w for w, _ in makers]
    return [(rng.choices(makers, weights)[0][1](), None) for _ in range(count)]


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in_all(base: str, person_keys: list[str]) -> dict[str, str]:
    """A session cookie for each person, made through the development sign-in.

    One client signs in as each in turn: the sign-in page (which lists example people, a heavy
    query on 550,000) is read once, and each next form's CSRF token is taken from the sign-out
    form on the profile page the last sign-in leads to.
    """
    cookies: dict[str, str] = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        token = CSRF_FIELD.search(client.get("/sign-in").text)
        for key in dict.fromkeys(person_keys):
            if token is None:
                raise SystemExit("no CSRF token to sign in with")
            response = client.post(
                "/sign-in/development",
                data={"person": key, "next": "/me", "csrf_token": token.group(1)},
            )
            if response.status_code != 303:
                raise SystemExit(f"development sign-in as {key} answered {response.status_code}")
            cookie = client.cookies.get("mobilise_session")
            if not cookie:
                raise SystemExit("the sign-in set no session cookie")
            cookies[key] = f"mobilise_session={cookie}"
            token = CSRF_FIELD.search(client.get("/me", follow_redirects=True).text)
    return cookies


def profile_pages(engine: Engine, base: str, rng: random.Random, count: int) -> list[Line]:
    """Signed-in people reading their own profile, and line managers reading their reports'."""
    with engine.connect() as connection:
        in_post = (
            connection.execute(
                select(Person.key).where(Person.left_on.is_(None)).order_by(Person.id)
            )
            .scalars()
            .all()
        )
        managed = [
            (key, manager)
            for key, manager in connection.execute(
                select(Person.key, Person.manager_id)
                .where(Person.left_on.is_(None), Person.manager_id.is_not(None))
                .order_by(Person.id)
            )
            if manager is not None
        ]
        sample = rng.sample(managed, 100)
        manager_ids = sorted({manager for _, manager in sample})
        manager_keys: dict[int, str] = dict(
            connection.execute(
                select(Person.id, Person.key).where(Person.id.in_(manager_ids))
            ).all()
        )
    readers = rng.sample(list(in_post), 100)
    print(f"  signing in {len(readers) + len(sample)} people through the development sign-in")
    cookies = sign_in_all(base, readers + [manager_keys[m] for _, m in sample])
    own = [(f"/people/{key}", cookies[key]) for key in readers]
    reports = [(f"/people/{key}", cookies[manager_keys[m]]) for key, m in sample]
    lines = own + reports
    return [rng.choice(lines) for _ in range(count)]


PAGE_SETS: dict[str, Callable[[Engine, str, random.Random, int], list[Line]]] = {
    "framework": framework_pages,
    "profile": profile_pages,
}


def check_pages(base: str, lines: list[Line]) -> None:
    """Every distinct URL answers 200 once before the load: a broken page is not a fast page."""
    with httpx.Client(base_url=base, timeout=30) as client:
        for path, cookie in dict.fromkeys(lines):
            headers = {"Cookie": cookie} if cookie else {}
            status = client.get(path, headers=headers).status_code
            if status != 200:
                raise SystemExit(f"{path} answered {status}")


def write_urls(lines: list[Line], directory: Path, name: str) -> Path:
    path = directory / f"{name}.urls"
    path.write_text("".join(f"{p}\t{c}\n" if c else f"{p}\n" for p, c in lines), encoding="ascii")
    return path


def sessions_opened(engine: Engine) -> int | None:
    """Sessions PostgreSQL has begun in the database since its statistics were reset."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        count = connection.scalar(
            text("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        )
    return int(count or 0)


def wrk(
    target: Target, urls: Path, script: Path, clients: int, seconds: int, engine: Engine
) -> Result:
    threads = min(2, clients)
    command = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(script), target.base]
    sessions_before = sessions_opened(engine)
    app_before, db_before = cpu_seconds(target.app_pid), cpu_seconds(target.database_pid)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = children.ru_utime + children.ru_stime
    done = subprocess.run(
        command,
        env={**os.environ, "LOAD_URLS": str(urls)},
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    found = re.search(r"^RESULT (.*)$", done.stdout, re.MULTILINE)
    if found is None:
        raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    app_cpu = cpu_seconds(target.app_pid) - app_before
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_cpu = children.ru_utime + children.ru_stime - load_before
    database_cpu = (
        cpu_seconds(target.database_pid) - db_before if target.database_pid is not None else None
    )
    sessions_after = sessions_opened(engine)
    # Both asked on the bench's own pooled connection, which opens no session in between.
    connections = (
        None
        if sessions_before is None or sessions_after is None
        else sessions_after - sessions_before
    )
    f = json.loads(found.group(1))
    errors = f["connect"] + f["read"] + f["write"] + f["timeout"] + f["not_200"]
    return Result(
        f["requests"],
        f["seconds"],
        f["p50"],
        f["p95"],
        f["p99"],
        f["max"],
        errors,
        app_cpu,
        database_cpu,
        load_cpu,
        connections,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an existing PostgreSQL database to use")
    parser.add_argument("--cluster-dir", type=Path, default=Path("/var/tmp/mobilise-load-pg"))
    parser.add_argument("--keep-running", action="store_true", help="leave the cluster running")
    parser.add_argument("--fresh", action="store_true", help="drop and reload the database")
    parser.add_argument("--people", type=int, default=550_000)
    parser.add_argument("--workers", type=int, default=2, help="app processes under test")
    parser.add_argument("--clients", default="50,200", help="concurrent clients to report")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per run")
    parser.add_argument("--sweep", default="1,5,10,25,50,100,200", help="clients for the knee")
    parser.add_argument("--sweep-duration", type=int, default=8)
    parser.add_argument("--pages", default=",".join(PAGE_SETS), help="page sets to load")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    if not 1 <= args.duration <= 300 or not 1 <= args.sweep_duration <= 60:
        raise SystemExit("keep each run between 1 and 300 seconds (sweep steps up to 60)")
    clients = [int(c) for c in args.clients.split(",")]
    sweep = [int(c) for c in args.sweep.split(",") if c]
    if max([*clients, *sweep]) > 1000:
        raise SystemExit("at most 1,000 concurrent clients")
    page_sets = [name for name in args.pages.split(",") if name]
    unknown = set(page_sets) - set(PAGE_SETS)
    if unknown:
        raise SystemExit(f"unknown page sets {sorted(unknown)}; known: {sorted(PAGE_SETS)}")

    print(f"Load test, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores")
    with (
        tempfile.TemporaryDirectory(prefix="mobilise-load-") as scratch,
        _database(args) as (
            url,
            database_pid,
        ),
    ):
        directory = Path(scratch)
        script = directory / "urls.lua"
        script.write_text(LUA, encoding="ascii")
        engine = make_engine(url)
        print("Database")
        load_people(engine, args.people)
        rng = random.Random(7)
        print(f"\nCandidate: mobilise serve --workers {args.workers} (page cache on)")
        results: dict[tuple[str, int], Result] = {}
        url_files: dict[str, Path] = {}
        with serving(url, args.workers, 500, database_pid) as target:
            for name in page_sets:
                lines = PAGE_SETS[name](engine, target.base, rng, 5000)
                check_pages(target.base, lines)
                url_files[name] = write_urls(lines, directory, name)
            for name in page_sets:
                wrk(target, url_files[name], script, 50, 5, engine)  # warm caches and pools
                for count in clients:
                    load = os.getloadavg()[0]
                    result = wrk(target, url_files[name], script, count, args.duration, engine)
                    results[(name, count)] = result
                    print(f"  {name:<9} {count:4d} clients: {result.line()}  (load {load:.1f})")
            for name in page_sets if sweep else []:
                print(f"\nThroughput by clients ({name} pages, {args.sweep_duration} s each):")
                for count in sweep:
                    load = os.getloadavg()[0]
                    result = wrk(
                        target, url_files[name], script, count, args.sweep_duration, engine
                    )
                    print(f"  {count:4d} clients: {result.line()}  (load {load:.1f})")
        engine.dispose()
        if args.no_baseline:
            return
        print(f"\n{BASELINE}, 50 clients, same URLs")
        with serving(url, 1, 0, database_pid) as target:
            for name in page_sets:
                wrk(target, url_files[name], script, 50, 5, engine)
                load = os.getloadavg()[0]
                baseline = wrk(target, url_files[name], script, 50, args.duration, engine)
                print(f"  {name:<9}   50 clients: {baseline.line()}  (load {load:.1f})")
                if (name, 50) in results:
                    ours = results[(name, 50)]
                    print(
                        f"  {name:<9} ratio at 50 clients: p95 {baseline.p95 / ours.p95:5.1f}× "
                        f"lower, throughput {ours.throughput / baseline.throughput:5.1f}× higher"
                    )


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[tuple[str, int | None]]:
    """The database URL, and the PostgreSQL server's process id when it is our own cluster."""
    if args.database_url:
        yield args.database_url, None
        return
    with kept_cluster(args.cluster_dir, args.keep_running) as admin_url:
        pid_file = args.cluster_dir / "data" / "postmaster.pid"
        pid = int(pid_file.read_text().split()[0])
        yield ensure_database(admin_url, args.fresh), pid


if __name__ == "__main__":
    main()
