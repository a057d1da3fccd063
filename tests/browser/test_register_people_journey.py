"""Issue 9's people and programmes around the register in the browser: an analyst's clusters of
similar projects; a person agrees to be found for AI projects and a project's owner finds them,
then they withdraw and are gone; a programme admin offers the project to a cohort. Every page
checked with axe-core; the clusters and the opt-in also without JavaScript (plain forms)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mobilise.services.actors import command_line_actor
from mobilise.services.programmes import CohortSpec, ProgrammeSpec, create_programme, open_cohort
from mobilise.services.register_transfer import import_register
from mobilise.store.database import reading
from mobilise.store.models import Organisation, Person, SkillClaim
from tests.browser.conftest import LiveServer
from tests.browser.visitor import Visitor, sign_in
from tests.support.register_projects import add_project

pytestmark = pytest.mark.browser
PROJECT = "browser-people-project"
COHORT = "browser-register-cohort"


@pytest.fixture(scope="module")
def people(live_server: LiveServer) -> tuple[str, str, str]:
    """The shipped register; a published project of one organisation needing a skill that a
    person of another organisation holds; a cohort of the project's organisation. Returns
    (the person's key and name, the owner's key)."""
    engine = live_server.engine
    import_register(engine)
    with reading(engine) as session:
        key, name, organisation_id, skill_id = session.execute(
            select(Person.key, Person.display_name, Person.organisation_id, SkillClaim.skill_id)
            .join(SkillClaim, SkillClaim.person_id == Person.id)
            .where(
                Person.organisation_id.is_not(None),
                Person.left_on.is_(None),
                SkillClaim.status == "active",
                SkillClaim.expires_on.is_(None),
            )
            .order_by(Person.key)
            .limit(1)
        ).one()
        owner, owner_organisation = session.execute(
            select(Person.key, Organisation.key)
            .join(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.organisation_id != organisation_id, Person.left_on.is_(None))
            .order_by(Person.key)
            .limit(1)
        ).one()
        owner_organisation_id = session.scalar(
            select(Organisation.id).where(Organisation.key == owner_organisation)
        )
    add_project(
        engine,
        PROJECT,
        owner_organisation_id,
        "Browser letters summariser",
        "A large language model summarises letters from the public for caseworkers.",
        skills={skill_id: 1},
    )
    operator = command_line_actor()
    create_programme(
        engine,
        operator,
        ProgrammeSpec(
            key="browser-register-programme",
            name="Browser accelerator",
            kind="accelerator",
            organisation=owner_organisation,
            rubric=[{"key": "motivation", "name": "Motivation", "max_points": 5}],
        ),
    )
    starts = date.today() + timedelta(weeks=4)
    open_cohort(
        engine,
        operator,
        "browser-register-programme",
        CohortSpec(
            key=COHORT,
            name="Browser register cohort",
            starts_on=starts,
            ends_on=starts + timedelta(weeks=12),
            capacity=5,
        ),
    )
    return key, name, owner


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_analyst_clusters_and_the_opt_in_form(
    people: tuple[str, str, str], request: pytest.FixtureRequest, javascript: bool
) -> None:
    reader: Visitor = request.getfixturevalue(
        "visitor" if javascript else "visitor_without_javascript"
    )
    page = reader.page
    suffix = "" if javascript else "-no-js"
    person, _, owner = people
    sign_in(reader, owner, ("Analyst",))
    page.get_by_role("link", name="Project clusters").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Cluster 1:")
    reader.check("register-clusters" + suffix)
    page.get_by_label("How alike projects in a cluster must be").select_option(
        label="Very closely related"
    )
    page.get_by_role("button", name="Show clusters").click()
    expect(page.get_by_label("How alike projects in a cluster must be")).to_have_value("0.3")
    reader.check("register-clusters-close" + suffix)

    page.context.clear_cookies()
    sign_in(reader, person)
    page.get_by_role("link", name="Being found for AI projects").click()
    reader.check("ai-projects-opt-in" + suffix)
    page.get_by_label("No").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("AI projects can no longer find you.")
    reader.check("ai-projects-opt-in-saved" + suffix)


def test_found_for_a_project_then_withdrawn_and_the_project_offered_to_a_cohort(
    visitor: Visitor, people: tuple[str, str, str]
) -> None:
    person, name, owner = people
    page = visitor.page
    sign_in(visitor, person)
    visitor.open("/me/ai-projects")
    page.get_by_label("Yes, AI projects may find me").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("You can now be found for AI projects.")

    page.context.clear_cookies()
    sign_in(visitor, owner)
    visitor.open(f"/register/{PROJECT}")
    visitor.check("project-record-owner")
    page.get_by_role("link", name="People who could work on it").click()
    visitor.check("project-people")
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    visitor.check("project-person")

    page.context.clear_cookies()
    sign_in(visitor, person)
    visitor.open("/me/ai-projects")
    page.get_by_label("No").check()
    page.get_by_role("button", name="Save").click()
    page.context.clear_cookies()
    sign_in(visitor, owner, ("Programme admin",))
    visitor.open(f"/register/{PROJECT}/people")
    expect(page.get_by_role("link", name=name)).to_have_count(0)
    visitor.open(f"/register/{PROJECT}/people/{person}", status=404)

    visitor.open(f"/cohorts/{COHORT}")
    page.get_by_label("Offer a project from the register").fill(f"/register/{PROJECT}")
    page.get_by_role("button", name="Offer the project").click()
    expect(page.get_by_role("link", name="Browser letters summariser")).to_be_visible()
    visitor.check("cohort-projects")
    visitor.open(f"/register/{PROJECT}")
    expect(page.get_by_role("link", name="Browser register cohort")).to_be_visible()
    page.get_by_role("link", name="Cohorts it is offered to").click()
    expect(page.get_by_role("link", name="Browser register cohort")).to_be_visible()
    visitor.check("project-cohorts")
