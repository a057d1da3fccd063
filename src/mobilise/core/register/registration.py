"""What a team says when it registers an AI project or challenge, and the rules it must meet.

The skills a project needs are framework skills at levels; whether each key names a skill of the
framework is the services' check (it needs the store).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.problems import Problem
from mobilise.core.register.record_rules import link_problem
from mobilise.core.register.vocabulary import KINDS, REGISTRATION_PHASES

MAX_TITLE = 300
MAX_TEXT = 10_000
MAX_TEAM = 300
MAX_LABEL = 300
MAX_LINKS = 20
MAX_SKILLS = 40
# Words a key may not be: they are pages under /register/.
RESERVED_KEYS = frozenset({"new", "edit", "preview", "publish", "ethics"})


@dataclass(frozen=True, slots=True)
class NeededSkill:
    skill: str  # a skill's key in the default framework version
    level: str  # awareness, working, practitioner or expert


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class ProjectDetails:
    title: str
    kind: str  # project or challenge
    phase: str  # a registration phase choice (vocabulary.REGISTRATION_PHASES)
    description: str
    users: str = ""  # who uses it, or would, in the team's words
    team: str = ""
    skills: tuple[NeededSkill, ...] = field(default_factory=tuple)
    links: tuple[Link, ...] = field(default_factory=tuple)


def details_problems(details: ProjectDetails, source: str) -> list[Problem]:
    """Every rule `details` breaks, each naming its field (skills[2].level, links[0].url, ...)."""
    problems: list[Problem] = []

    def text(name: str, value: str, limit: int, *, required: bool) -> None:
        if required and not value.strip():
            problems.append(Problem(source, None, name, None, "is needed"))
        elif len(value) > limit:
            problems.append(
                Problem(source, None, name, None, f"must be at most {limit:,} characters")
            )

    text("title", details.title, MAX_TITLE, required=True)
    text("description", details.description, MAX_TEXT, required=True)
    text("users", details.users, MAX_TEXT, required=False)
    text("team", details.team, MAX_TEAM, required=False)
    if details.kind not in KINDS:
        problems.append(Problem(source, None, "kind", details.kind, "must be project or challenge"))
    choices = [value for value, _, _ in REGISTRATION_PHASES]
    if details.phase not in choices:
        rule = "must be one of " + ", ".join(choices)
        problems.append(Problem(source, None, "phase", details.phase or None, rule))
    if len(details.skills) > MAX_SKILLS:
        problems.append(Problem(source, None, "skills", None, f"at most {MAX_SKILLS} skills"))
    first_index: dict[str, int] = {}
    for index, needed in enumerate(details.skills):
        if first_index.setdefault(needed.skill, index) != index:
            problems.append(Problem(source, None, f"skills[{index}]", needed.skill, "repeated"))
        if needed.level.strip().lower() not in SkillLevel.labels():
            rule = f"skill level must be one of {', '.join(SkillLevel.labels())}"
            problems.append(Problem(source, None, f"skills[{index}].level", needed.level, rule))
    if len(details.links) > MAX_LINKS:
        problems.append(Problem(source, None, "links", None, f"at most {MAX_LINKS} links"))
    for index, link in enumerate(details.links):
        if not link.label.strip() or len(link.label) > MAX_LABEL:
            rule = f"needs a label of 1 to {MAX_LABEL} characters"
            problems.append(Problem(source, None, f"links[{index}].label", link.label, rule))
        why = link_problem(link.url)
        if why is not None:
            problems.append(Problem(source, None, f"links[{index}].url", link.url, why))
    return problems


def first_sentence(text: str, limit: int = 300) -> str:
    """The opening sentence of `text` (a record's one-sentence summary), cut at `limit`."""
    opening = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0].strip()
    return opening if len(opening) <= limit else opening[: limit - 1].rstrip() + "…"


def project_key(organisation_key: str, title: str, taken: set[str]) -> str:
    """A new project's key: the organisation's and the title's words as a slug, numbered if
    already taken (or if it is a word the register's pages use)."""
    words = re.sub(r"[^a-z0-9]+", "-", f"{organisation_key} {title}".lower()).strip("-")
    base = words[:150].rstrip("-") or "project"
    key, number = base, 2
    while key in taken or key in RESERVED_KEYS:
        key, number = f"{base}-{number}", number + 1
    return key
