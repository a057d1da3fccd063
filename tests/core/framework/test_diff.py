from __future__ import annotations

from dataclasses import replace

from mobilise.core.framework import Framework, Requirement, Skill, SkillLevel
from mobilise.core.framework.build import build_framework
from mobilise.core.framework.diff import diff_frameworks
from tests.core.framework.test_build import minimal_tables


def base() -> Framework:
    return build_framework(minimal_tables())


def test_a_framework_does_not_differ_from_itself() -> None:
    assert diff_frameworks(base(), base()).empty


def test_added_removed_and_changed_are_reported_by_key() -> None:
    old = base()
    new = replace(
        old,
        skills=(
            replace(old.skills[0], name="Structured Query Language"),
            Skill("python", "Python", ""),
        ),
        requirements=(Requirement("junior-analyst", "sql", SkillLevel.PRACTITIONER),),
    )
    result = diff_frameworks(old, new)
    assert result.kinds["skills"].added == ("python",)
    assert result.kinds["skills"].changed == ("sql",)
    assert result.kinds["requirements"].changed == ("junior-analyst/sql",)
    assert result.kinds["roles"].empty
    reverse = diff_frameworks(new, old)
    assert reverse.kinds["skills"].removed == ("python",)
