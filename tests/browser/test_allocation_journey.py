"""Issue 5's journey in the browser: a programme admin creates an allocation run from a
PROBLEM.json (after a refused attempt that names what is missing), reads its results, and a
person placed by it sees only their own outcome; every page is checked with axe-core."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from mobilise.services.allocation import allocate_document
from tests.browser.conftest import DemoPeople
from tests.browser.visitor import Visitor, sign_in

pytestmark = pytest.mark.browser


def problem(person: str) -> bytes:
    return json.dumps(
        {
            "applicants": [
                {"id": person, "preferences": ["data-secondment", "ml-loan"]},
                {"id": "candidate-2", "preferences": ["data-secondment"]},
                {"id": "candidate-3", "preferences": ["ml-loan", "data-secondment"]},
            ],
            "opportunities": [
                {
                    "id": "data-secondment",
                    "capacity": 1,
                    "ranking": ["candidate-2", person, "candidate-3"],
                },
                {"id": "ml-loan", "capacity": 1, "ranking": [person, "candidate-3"]},
            ],
        }
    ).encode()


@pytest.fixture
def compiled_kernels() -> None:
    """The welfare kernel compiled before the page is timed: on a fresh clone numba compiles it
    on first use, which on a busy CI machine outlasts a click's wait."""
    allocate_document(json.loads(problem("warm-up")), "welfare")


@pytest.mark.usefixtures("compiled_kernels")
def test_create_a_run_see_results_and_own_outcome(
    visitor: Visitor, demo_people: DemoPeople
) -> None:
    page = visitor.page
    person = demo_people.report.key
    sign_in(visitor, demo_people.manager.key, ("Programme admin",))
    visitor.open("/allocation-runs")
    visitor.check("allocation-runs")
    page.get_by_role("link", name="Create an allocation run").click()
    visitor.check("allocation-new")
    page.get_by_role("button", name="Create the run").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("choose a PROBLEM.json file")
    visitor.check("allocation-new-error")
    visitor.follow_error_link(
        summary.get_by_role("link", name=re.compile("choose a PROBLEM.json")), "file"
    )
    page.get_by_label("PROBLEM.json").set_input_files(
        {"name": "problem.json", "mimeType": "application/json", "buffer": problem(person)}
    )
    page.get_by_role("group", name="Method").get_by_label("Welfare").check()
    page.get_by_role("button", name="Create the run").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Allocation run")
    expect(page.get_by_role("main")).to_contain_text("Placed")
    expect(page.get_by_role("main")).to_contain_text("candidate-3")
    run = page.url
    visitor.check("allocation-run")

    page.context.clear_cookies()
    sign_in(visitor, person)
    visitor.open(run)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Your allocation outcome")
    expect(main).to_contain_text("You were placed with your")
    expect(main).not_to_contain_text("candidate-3")
    visitor.check("allocation-mine")
