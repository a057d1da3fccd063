"""Eligibility rules on plain facts: each condition restricts alone, and all together."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import InvalidInput
from mobilise.core.programmes import (
    ApplicantFacts,
    EligibilityRule,
    describe,
    rule_document,
    rule_from_document,
    unmet,
)

DATA_AT_WORKING_LEVEL = EligibilityRule(families=frozenset({"data"}), min_level_order=3)


def test_data_family_at_working_level_or_above() -> None:
    assert unmet(DATA_AT_WORKING_LEVEL, ApplicantFacts(family="data", level_order=3)) == []
    assert unmet(DATA_AT_WORKING_LEVEL, ApplicantFacts(family="data", level_order=5)) == []
    assert unmet(DATA_AT_WORKING_LEVEL, ApplicantFacts(family="data", level_order=2)) == [
        "your role level is below working level"
    ]
    assert unmet(DATA_AT_WORKING_LEVEL, ApplicantFacts(family="architecture", level_order=4)) == [
        "your current role is not in the data job family"
    ]
    assert len(unmet(DATA_AT_WORKING_LEVEL, ApplicantFacts())) == 2


def test_people_with_no_organisation_only_where_the_rule_lets_them() -> None:
    councils = EligibilityRule(organisation_kinds=frozenset({"local_authority"}))
    candidates = EligibilityRule(
        organisation_kinds=frozenset({"department"}), no_organisation_allowed=True
    )
    nobody = ApplicantFacts(organisation_kind=None)

    assert unmet(councils, nobody) == ["you are not part of an organisation"]
    assert unmet(councils, ApplicantFacts(organisation_kind="local_authority")) == []
    assert unmet(candidates, nobody) == []
    assert unmet(candidates, ApplicantFacts(organisation_kind="agency")) == [
        "your organisation is not a department"
    ]


def test_skills_must_be_claimed_at_the_level() -> None:
    rule = EligibilityRule(skills=(("programming", SkillLevel.WORKING),))
    assert unmet(rule, ApplicantFacts(skills={"programming": 2})) == []
    assert unmet(rule, ApplicantFacts(skills={"programming": 1})) == [
        "you have not claimed programming at working or above"
    ]


facts = st.builds(
    ApplicantFacts,
    family=st.sampled_from([None, "data", "architecture"]),
    role=st.sampled_from([None, "data-scientist", "data-engineer"]),
    level_order=st.one_of(st.none(), st.integers(1, 7)),
    organisation_kind=st.sampled_from([None, "department", "local_authority"]),
    grade=st.sampled_from([None, "G7", "SCS1"]),
    skills=st.dictionaries(st.sampled_from(["a", "b"]), st.integers(1, 4)),
)
rules = st.builds(
    EligibilityRule,
    families=st.frozensets(st.sampled_from(["data", "architecture"])),
    roles=st.frozensets(st.sampled_from(["data-scientist"])),
    min_level_order=st.one_of(st.none(), st.integers(1, 3)),
    max_level_order=st.one_of(st.none(), st.integers(3, 7)),
    organisation_kinds=st.frozensets(st.sampled_from(["department", "local_authority"])),
    no_organisation_allowed=st.booleans(),
    grades=st.frozensets(st.sampled_from(["G7", "SCS1"])),
    skills=st.lists(
        st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(list(SkillLevel))), max_size=2
    ).map(tuple),
)


@given(rules, facts)
def test_a_rule_survives_its_document_and_the_open_rule_admits_everyone(
    rule: EligibilityRule, person: ApplicantFacts
) -> None:
    assert rule_from_document(rule_document(rule)) == rule
    assert unmet(EligibilityRule(), person) == []
    assert describe(EligibilityRule()) == []


@given(rules, rules, facts)
def test_each_condition_only_ever_restricts(
    first: EligibilityRule, second: EligibilityRule, person: ApplicantFacts
) -> None:
    # Meeting a rule with more conditions implies meeting each condition it added.
    both = EligibilityRule(
        families=first.families,
        roles=first.roles,
        min_level_order=first.min_level_order,
        max_level_order=first.max_level_order,
        organisation_kinds=first.organisation_kinds,
        no_organisation_allowed=first.no_organisation_allowed,
        grades=first.grades,
        skills=first.skills + second.skills,
    )
    if not unmet(both, person):
        assert not unmet(first, person)


def test_a_bad_rule_names_each_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        rule_from_document(
            {"families": "data", "min_level_order": 0, "colour": "red", "skills": [{"skill": "x"}]}
        )
    columns = {p.column for p in refused.value.problems}
    assert columns == {"families", "min_level_order", "colour", "skills[0].level"}
