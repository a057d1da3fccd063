"""`mobilise serve`: several processes that agree on sessions; production never migrates."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from mobilise.cli import app
from mobilise.settings import get_settings
from mobilise.store.database import engine_for, make_engine
from mobilise.store.models import Person

runner = CliRunner()
PRODUCTION_KEY = "a-production-secret-key-of-more-than-32-characters"


@pytest.fixture
def settings_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/mobilise.db"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine_for.cache_clear()
    yield url
    get_settings.cache_clear()
    engine_for.cache_clear()


def test_reload_is_refused_with_several_workers(settings_env: str) -> None:
    result = runner.invoke(app, ["serve", "--reload", "--workers", "2"])

    assert result.exit_code == 2
    assert "--workers 1" in result.output


def test_production_refuses_a_database_behind_this_release_and_changes_nothing(
    settings_env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MOBILISE_ENVIRONMENT", "production")
    monkeypatch.setenv("MOBILISE_SECRET_KEY", PRODUCTION_KEY)
    get_settings.cache_clear()

    result = runner.invoke(app, ["serve"])

    assert result.exit_code == 2
    assert "run `mobilise db upgrade` first" in " ".join(result.output.split())
    engine = make_engine(settings_env)
    with engine.connect() as connection:
        tables = connection.exec_driver_sql("SELECT name FROM sqlite_master").all()
    engine.dispose()
    assert tables == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_several_processes_accept_each_others_sessions(tmp_path: Path) -> None:
    port = _free_port()
    database = f"sqlite:///{tmp_path}/mobilise.db"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "MOBILISE_DEMO_PEOPLE": "30",
        "MOBILISE_WORKERS": "2",
        "MOBILISE_PORT": str(port),
        "MOBILISE_ACCESS_LOG": "false",
    }
    env.pop("MOBILISE_SECRET_KEY", None)  # the development key: made once, in var/, by serve
    mobilise = Path(sys.executable).with_name("mobilise")
    server = subprocess.Popen(
        [str(mobilise), "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # migrating and making demo data, on a busy machine
        while True:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
            assert time.monotonic() < deadline, "the app did not start"
        engine = make_engine(database)
        with engine.connect() as connection:
            key, name = connection.execute(
                select(Person.key, Person.display_name).order_by(Person.key).limit(1)
            ).one()
        engine.dispose()
        assert (tmp_path / "var" / "secret-key").exists()

        with httpx.Client(base_url=base) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
            assert token is not None
            signed_in = client.post(
                "/sign-in/development",
                data={"person": key, "next": "/me", "csrf_token": token.group(1)},
            )
            assert signed_in.status_code == 303
            cookie = client.cookies["mobilise_session"]

        def profile(_: int) -> tuple[int, str]:
            # A new connection each time, many at once, so both processes serve some of them;
            # a key made per process would send about half of these to the sign-in page.
            with httpx.Client(base_url=base, cookies={"mobilise_session": cookie}) as client:
                response = client.get(f"/people/{key}")
                return response.status_code, response.text

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(profile, range(40)))
        assert {status for status, _ in answers} == {200}
        assert all(name.split()[0] in text for _, text in answers)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    output = server.stdout.read().decode() if server.stdout else ""
    assert "Serving Mobilise" in output
    assert f'"GET /people/{key} HTTP/1.1" 200' not in output  # no access log: it is turned off
