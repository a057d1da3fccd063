"""The real app served over HTTP on 127.0.0.1, and Debian's Chromium driven by Playwright.

One server and one browser per test session (per xdist worker): the server runs the app with
uvicorn in a thread over a copy of the template database plus a small demo workforce, which the
pages only read. Each test gets a fresh browser context (no cookies carried between tests).

Chromium comes from Debian (`apt-get install chromium`); Playwright's own browser download is not
used. Where /usr/bin/chromium is absent the browser tests are skipped, except under CI=true where
its absence fails the run (as for PostgreSQL in tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, CDPSession, sync_playwright
from sqlalchemy import Engine

from mobilise.services.demo import generate_demo
from mobilise.services.people import SignInExample, examples_for_sign_in
from mobilise.settings import Settings
from mobilise.store.database import make_engine
from mobilise.web.app import create_app
from tests.browser.visitor import Visitor

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_REQUIRED = os.environ.get("CI", "").lower() == "true"
CHROMIUM_ARGS = [
    # Root in a container has no user namespaces for Chromium's sandbox.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PEOPLE = 200
DEMO_SEED = 7
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class LiveServer:
    url: str
    engine: Engine


@dataclass(frozen=True)
class DemoPeople:
    """People of the demo workforce to sign in as: a manager and one of their reports."""

    manager: SignInExample
    report: SignInExample


@pytest.fixture(scope="session")
def live_server(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    path = tmp_path_factory.mktemp("browser") / "mobilise.db"
    shutil.copyfile(sqlite_template, path)
    database_url = f"sqlite:///{path}"
    engine = make_engine(database_url)
    generate_demo(engine, people=DEMO_PEOPLE, seed=DEMO_SEED)
    settings = Settings(DATABASE_URL=database_url, secret_key="browser-tests-" * 4)
    app = create_app(settings=settings, engine=engine)

    # Bound before the server starts, so the port is ours: no race for a "free" port number.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="live-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the live server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", engine=engine)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
        engine.dispose()


@pytest.fixture(scope="session")
def demo_people(live_server: LiveServer) -> DemoPeople:
    # The same people the sign-in page suggests: the manager with most reports, and their reports.
    examples = examples_for_sign_in(live_server.engine)
    manager = examples[0]
    report = next(e for e in examples[1:] if e.reports == 0)
    assert manager.reports > 0
    return DemoPeople(manager=manager, report=report)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if CHROMIUM_REQUIRED:
            pytest.fail(f"Chromium is required (CI=true) but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _visitor(browser: Browser, live_server: LiveServer, javascript: bool) -> Iterator[Visitor]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    scripts_off: CDPSession | None = None
    if not javascript:
        # Switched off for the tab's own scripts only: axe-core is still injected through the
        # DevTools protocol, which Playwright's java_script_enabled=False would refuse.
        scripts_off = context.new_cdp_session(page)
        scripts_off.send("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        yield Visitor(page, scripts_off=scripts_off)
    finally:
        context.close()


@pytest.fixture
def visitor(browser: Browser, live_server: LiveServer) -> Iterator[Visitor]:
    """A fresh browser tab with JavaScript on, not signed in."""
    yield from _visitor(browser, live_server, javascript=True)


@pytest.fixture
def visitor_without_javascript(browser: Browser, live_server: LiveServer) -> Iterator[Visitor]:
    """A fresh browser tab whose pages' scripts never run."""
    yield from _visitor(browser, live_server, javascript=False)
