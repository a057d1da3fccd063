"""Read-only framework queries for the pages and API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mobilise.core.framework import SkillLevel
from mobilise.services import catalogue
from mobilise.services.catalogue import UnknownKey
from mobilise.services.framework import (
    UnknownFramework,
    import_framework,
    load_framework,
    shipped_ddat_directory,
)


def test_queries_agree_with_the_loaded_framework(engine: Engine) -> None:
    framework = load_framework(engine)
    level = framework.role_levels[10]

    detail = catalogue.role_level_detail(engine, level.key)

    assert detail.role_level == level
    assert {r.skill.key: r.level for r in detail.requirements} == framework.requirements_of(
        level.key
    )
    families = catalogue.families_with_roles(engine)
    assert [f.family for f in families] == list(framework.job_families)
    assert sum(len(f.roles) for f in families) == len(framework.roles)


def test_roles_without_levels_have_their_own_skills(engine: Engine) -> None:
    detail = catalogue.role_detail(engine, "chief-technology-officer")

    assert detail.levels == ()
    assert len(detail.skills) == 6
    summaries = {r.key: r for f in catalogue.families_with_roles(engine) for r in f.roles}
    assert not summaries["chief-technology-officer"].has_levels


def test_a_skill_knows_every_role_level_that_needs_it(engine: Engine) -> None:
    framework = load_framework(engine)
    needing = {r.role_level_key for r in framework.requirements if r.skill_key == "accessibility"}

    detail = catalogue.skill_detail(engine, "accessibility")

    assert {n.role_level.key for n in detail.needed_by} == needing


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        (lambda e: catalogue.role_detail(e, "nope"), "role"),
        (lambda e: catalogue.role_level_detail(e, "nope"), "role level"),
        (lambda e: catalogue.skill_detail(e, "nope"), "skill"),
        (lambda e: catalogue.list_roles(e, family="nope"), "job family"),
        (
            lambda e: catalogue.compare_role_levels(e, "lead-business-architect", "nope"),
            "role level",
        ),
    ],
)
def test_unknown_keys_are_named(engine: Engine, query: object, kind: str) -> None:
    with pytest.raises(UnknownKey) as raised:
        query(engine)  # type: ignore[operator]

    assert raised.value.kind == kind
    assert raised.value.key == "nope"


def test_an_unknown_version_is_refused(engine: Engine) -> None:
    with pytest.raises(UnknownFramework):
        catalogue.list_skills(engine, "nope")


def test_keyset_pages_cover_the_list_once(engine: Engine) -> None:
    keys: list[str] = []
    after = None
    while True:
        page = catalogue.list_role_levels(engine, after=after, limit=40)
        keys.extend(level.key for level in page.items)
        if not page.has_more:
            break
        after = page.items[-1].key

    assert keys == sorted(set(keys))
    assert len(keys) == page.total == len(load_framework(engine).role_levels)


def test_compare_uses_the_stored_requirements(engine: Engine) -> None:
    result = catalogue.compare_role_levels(
        engine, "trainee-business-architect", "lead-business-architect"
    )

    business = next(s for s in result.comparison.skills if s.skill_key == "business-architecture")
    assert business.level_a == SkillLevel.AWARENESS
    assert business.level_b == SkillLevel.EXPERT
    assert result.skill_names["business-architecture"] == "Business architecture"
    same = catalogue.compare_role_levels(
        engine, "lead-business-architect", "lead-business-architect"
    )
    assert same.comparison.only_in_a == same.comparison.only_in_b == ()


def test_queries_read_the_named_version(engine: Engine) -> None:
    import_framework(engine, shipped_ddat_directory(), "second", title="Second")

    assert catalogue.describe_version(engine, "second").title == "Second"
    assert catalogue.describe_version(engine).name == "ddat"
    assert catalogue.role_detail(engine, "business-architect", "second").role.name == (
        "Business architect"
    )


def test_a_version_stamp_changes_only_when_the_default_moves(engine: Engine) -> None:
    default = catalogue.version_stamp(engine)
    assert catalogue.version_stamp(engine, "ddat") == default
    assert default.is_default

    import_framework(engine, shipped_ddat_directory(), "council-x", make_default=True)

    assert catalogue.version_stamp(engine, "ddat") == catalogue.VersionStamp(
        default.id, default.created_at, is_default=False
    )
    new_default = catalogue.version_stamp(engine)
    assert new_default == catalogue.version_stamp(engine, "council-x")
    assert new_default.id != default.id
    with pytest.raises(UnknownFramework):
        catalogue.version_stamp(engine, "no-such-version")
