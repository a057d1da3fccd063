"""Who may apply to a cohort: a rule of plain data, evaluated on plain facts about a person.

A rule is a conjunction of optional conditions; a condition left out does not restrict. The
answer is the list of conditions the person does not meet, each in words they can act on, so the
apply page can say why someone is not eligible rather than just refusing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import InvalidInput, Problem


@dataclass(frozen=True)
class ApplicantFacts:
    """What eligibility may read about a person (never their sensitive attributes)."""

    family: str | None = None  # job family key of their current role level
    role: str | None = None
    level_order: int | None = None  # 1 trainee/apprentice … within their role
    organisation_kind: str | None = None  # department, agency, local_authority, firm; None: none
    grade: str | None = None
    skills: Mapping[str, int] = field(default_factory=dict)  # skill key → best active level


@dataclass(frozen=True)
class EligibilityRule:
    families: frozenset[str] = frozenset()  # current role level in one of these job families
    roles: frozenset[str] = frozenset()
    min_level_order: int | None = None  # current role level at this order or above
    max_level_order: int | None = None
    organisation_kinds: frozenset[str] = frozenset()
    no_organisation_allowed: bool = False  # with kinds: people with no organisation may apply too
    grades: frozenset[str] = frozenset()
    skills: tuple[tuple[str, SkillLevel], ...] = ()  # each skill at this level or above

    @property
    def is_open_to_all(self) -> bool:
        return self == EligibilityRule()


LEVEL_WORDS = {1: "entry (trainee or apprentice)", 2: "associate", 3: "working", 4: "senior"}


def _level_words(order: int) -> str:
    return LEVEL_WORDS.get(order, f"level {order}")


def describe(rule: EligibilityRule) -> list[str]:
    """The rule in words, one condition per line (empty: open to everyone)."""
    lines: list[str] = []
    if rule.families or rule.roles:
        where = sorted(rule.families) + sorted(rule.roles)
        line = "Current role in " + " or ".join(where)
        if rule.min_level_order is not None:
            line += f", at {_level_words(rule.min_level_order)} level or above"
        if rule.max_level_order is not None:
            line += f", at {_level_words(rule.max_level_order)} level or below"
        lines.append(line)
    elif rule.min_level_order is not None or rule.max_level_order is not None:
        lines.append(
            "Current role level between "
            f"{_level_words(rule.min_level_order or 1)} and "
            f"{_level_words(rule.max_level_order) if rule.max_level_order else 'any'}"
        )
    if rule.organisation_kinds:
        kinds = " or ".join(k.replace("_", " ") for k in sorted(rule.organisation_kinds))
        lines.append(
            f"Works for a {kinds}"
            + (", or for no organisation yet" if rule.no_organisation_allowed else "")
        )
    if rule.grades:
        lines.append("Grade " + ", ".join(sorted(rule.grades)))
    for skill, level in rule.skills:
        lines.append(f"{skill} at {level.label} or above")
    return lines


def unmet(rule: EligibilityRule, facts: ApplicantFacts) -> list[str]:
    """The conditions `facts` fail, in words; empty when the person is eligible."""
    reasons: list[str] = []
    if rule.families and facts.family not in rule.families:
        reasons.append(
            "your current role is not in the " + " or ".join(sorted(rule.families)) + " job family"
        )
    if rule.roles and facts.role not in rule.roles:
        reasons.append("your current role is not " + " or ".join(sorted(rule.roles)))
    if rule.min_level_order is not None and (
        facts.level_order is None or facts.level_order < rule.min_level_order
    ):
        reasons.append(f"your role level is below {_level_words(rule.min_level_order)} level")
    if rule.max_level_order is not None and (
        facts.level_order is None or facts.level_order > rule.max_level_order
    ):
        reasons.append(f"your role level is above {_level_words(rule.max_level_order)} level")
    if rule.organisation_kinds:
        if facts.organisation_kind is None:
            if not rule.no_organisation_allowed:
                reasons.append("you are not part of an organisation")
        elif facts.organisation_kind not in rule.organisation_kinds:
            kinds = " or ".join(k.replace("_", " ") for k in sorted(rule.organisation_kinds))
            reasons.append(f"your organisation is not a {kinds}")
    if rule.grades and facts.grade not in rule.grades:
        reasons.append("your grade is not " + ", ".join(sorted(rule.grades)))
    for skill, level in rule.skills:
        if facts.skills.get(skill, 0) < level:
            reasons.append(f"you have not claimed {skill} at {level.label} or above")
    return reasons


RULE_FIELDS = (
    "families",
    "roles",
    "min_level_order",
    "max_level_order",
    "organisation_kinds",
    "no_organisation_allowed",
    "grades",
    "skills",
)


def rule_document(rule: EligibilityRule) -> dict[str, Any]:
    """The rule as JSON-ready data (what is stored and what the API shows)."""
    document: dict[str, Any] = {}
    for name in ("families", "roles", "organisation_kinds", "grades"):
        values = getattr(rule, name)
        if values:
            document[name] = sorted(values)
    for name in ("min_level_order", "max_level_order"):
        if getattr(rule, name) is not None:
            document[name] = getattr(rule, name)
    if rule.no_organisation_allowed:
        document["no_organisation_allowed"] = True
    if rule.skills:
        document["skills"] = [{"skill": s, "level": level.label} for s, level in rule.skills]
    return document


def _strings(source: str, name: str, value: Any, problems: list[Problem]) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.append(Problem(source, None, name, str(value), "must be a list of keys"))
        return frozenset()
    return frozenset(value)


def _order(source: str, name: str, value: Any, problems: list[Problem]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(
            Problem(source, None, name, str(value), "must be a whole number, 1 or more")
        )
        return None
    return value


def rule_from_document(document: Mapping[str, Any], source: str = "eligibility") -> EligibilityRule:
    """Read a rule; InvalidInput names every field that breaks a rule."""
    problems: list[Problem] = []
    unknown = sorted(set(document) - set(RULE_FIELDS))
    for name in unknown:
        problems.append(
            Problem(source, None, name, None, "is not a condition: " + ", ".join(RULE_FIELDS))
        )
    sets = {
        name: _strings(source, name, document[name], problems)
        for name in ("families", "roles", "organisation_kinds", "grades")
        if name in document
    }
    low = _order(source, "min_level_order", document.get("min_level_order"), problems)
    high = _order(source, "max_level_order", document.get("max_level_order"), problems)
    if low is not None and high is not None and low > high:
        problems.append(
            Problem(source, None, "max_level_order", str(high), "must not be below min_level_order")
        )
    no_organisation = document.get("no_organisation_allowed", False)
    if not isinstance(no_organisation, bool):
        problems.append(
            Problem(
                source,
                None,
                "no_organisation_allowed",
                str(no_organisation),
                "must be true or false",
            )
        )
        no_organisation = False
    skills: list[tuple[str, SkillLevel]] = []
    for index, item in enumerate(document.get("skills", []) or []):
        where = f"skills[{index}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("skill"), str):
            problems.append(Problem(source, None, where, str(item), "must be {skill, level}"))
            continue
        try:
            skills.append((item["skill"], SkillLevel.parse(str(item.get("level", "")))))
        except ValueError as error:
            problems.append(
                Problem(source, None, where + ".level", str(item.get("level")), str(error))
            )
    if problems:
        raise InvalidInput(problems)
    return EligibilityRule(
        families=sets.get("families", frozenset()),
        roles=sets.get("roles", frozenset()),
        min_level_order=low,
        max_level_order=high,
        organisation_kinds=sets.get("organisation_kinds", frozenset()),
        no_organisation_allowed=no_organisation,
        grades=sets.get("grades", frozenset()),
        skills=tuple(skills),
    )
