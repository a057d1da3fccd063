"""Registering a project or challenge: the details' rules, its key and summary."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.register.registration import (
    RESERVED_KEYS,
    Link,
    NeededSkill,
    ProjectDetails,
    details_problems,
    first_sentence,
    project_key,
)
from mobilise.core.register.vocabulary import finder_phase


def details(**changes: object) -> ProjectDetails:
    values: dict[str, object] = {
        "title": "Parking chatbot",
        "kind": "project",
        "phase": "idea",
        "description": "A chatbot answers residents. It hands over to people.",
    }
    return ProjectDetails(**(values | changes))  # type: ignore[arg-type]


def test_good_details_have_no_problems_and_an_idea_is_pre_deployment() -> None:
    assert details_problems(details(), "p") == []
    assert finder_phase("idea") == "pre-deployment"
    assert finder_phase("beta") is None


def test_each_bad_field_is_named() -> None:
    problems = details_problems(
        details(
            title=" ",
            kind="programme",
            phase="beta",
            skills=(
                NeededSkill("data-engineering", "guru"),
                NeededSkill("data-engineering", "expert"),
            ),
            links=(Link("Repo", "javascript:alert(1)"), Link("", "https://www.gov.uk/x")),
        ),
        "p",
    )

    assert [p.column for p in problems] == [
        "title",
        "kind",
        "phase",
        "skills[0].level",
        "skills[1]",
        "links[0].url",
        "links[1].label",
    ]


def test_the_first_sentence_is_the_summary() -> None:
    assert (
        first_sentence("A chatbot answers residents. It hands over.")
        == "A chatbot answers residents."
    )
    assert first_sentence("x" * 400, limit=10) == "x" * 9 + "…"


@given(st.text(max_size=60), st.sets(st.text(alphabet="abc-", max_size=8), max_size=5))
def test_keys_are_slugs_never_taken_nor_reserved(title: str, taken: set[str]) -> None:
    key = project_key("dept-a", title, taken)

    assert key not in taken
    assert key not in RESERVED_KEYS
    assert key.startswith("dept-a")
    assert all((c.isalnum() and c.isascii()) or c == "-" for c in key)


def test_a_taken_key_is_numbered() -> None:
    assert project_key("dept-a", "Chatbot!", {"dept-a-chatbot"}) == "dept-a-chatbot-2"
