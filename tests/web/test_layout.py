"""The flat page frame (templates/layout.html) is the document GOV.UK Frontend's template makes.

Each page is served twice from the same database: by the app, and by the same app whose layout
extends GOV.UK's own template.html and fills its blocks with GOV.UK's macros, the way GOV.UK
documents (govuk_layout.html). The two documents must be the same but for whitespace between tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.templating import Jinja2Templates
from fastapi.testclient import TestClient
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import Engine, select

from mobilise.store.database import reading
from mobilise.store.models import FrameworkVersion
from mobilise.web.app import create_app
from mobilise.web.templating import make_environment
from tests.support.workforce import add_workforce
from tests.web.signing_in import sign_in

GOVUK_LAYOUT = (Path(__file__).parent / "govuk_layout.html").read_text(encoding="utf-8")


def govuk_templates() -> Jinja2Templates:
    """The app's templates, but with a layout that extends GOV.UK's page template."""
    environment = make_environment()
    assert environment.loader is not None
    # GOV.UK's macro takes the navigation as dictionaries (rendering.py makes tuples).
    environment.globals["navigation_items"] = lambda navigation: [
        {"text": text, "href": href, "active": active, "current": current}
        for text, href, active, current in navigation
    ]
    environment.loader = ChoiceLoader(
        [DictLoader({"layout.html": GOVUK_LAYOUT}), environment.loader]
    )
    return Jinja2Templates(env=environment)


def normalised(html: str) -> str:
    """Whitespace between tags dropped, other runs of it made one space, and characters beyond
    ASCII that the app writes as references (page_frame.ascii_html) written as themselves."""
    html = re.sub(r"&#(\d+);", lambda m: chr(int(m[1])) if int(m[1]) > 127 else m[0], html)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.fixture
def clients(sqlite_engine: Engine) -> Iterator[tuple[TestClient, TestClient]]:
    add_workforce(sqlite_engine)
    reference = create_app(engine=sqlite_engine)
    reference.state.templates = govuk_templates()
    with (
        TestClient(create_app(engine=sqlite_engine)) as ours,
        TestClient(reference) as theirs,
    ):
        yield ours, theirs


def assert_same_documents(ours: TestClient, theirs: TestClient, path: str) -> str:
    mine = ours.get(path)
    theirs.cookies = ours.cookies  # the same reader (the two apps share the session key)
    govuk = theirs.get(path)
    assert mine.status_code == govuk.status_code, path
    assert mine.headers["content-type"].startswith("text/html"), path
    assert normalised(mine.text) == normalised(govuk.text), path
    return mine.text


def test_signed_out_pages_are_govuk_documents(
    clients: tuple[TestClient, TestClient], sqlite_engine: Engine
) -> None:
    ours, theirs = clients
    with reading(sqlite_engine) as session:
        version = session.scalars(select(FrameworkVersion.name)).first()
    for path in ("/", "/about", "/framework", f"/framework?framework={version}", "/sign-in"):
        assert_same_documents(ours, theirs, path)
    assert "You are looking at framework version" in assert_same_documents(
        ours, theirs, f"/framework?framework={version}"
    )


def test_signed_in_pages_with_and_without_breadcrumbs_are_govuk_documents(
    clients: tuple[TestClient, TestClient],
) -> None:
    ours, theirs = clients
    sign_in(ours, "lead")
    own = assert_same_documents(ours, theirs, "/people/lead")
    report = assert_same_documents(ours, theirs, "/people/analyst")
    assert_same_documents(ours, theirs, "/people")
    assert_same_documents(ours, theirs, "/people/no-such-person")  # the 404 page

    assert "govuk-breadcrumbs" not in own
    assert 'class="govuk-breadcrumbs__link" href="/people">People</a>' in report
    assert "Sign out" in own
    assert own.isascii()  # stored a byte a character, and encoded by copying
