"""A synthetic learning catalogue for the demo, generated from a framework's skills and roles.

Every item is invented: providers are fictional and marked "(synthetic)", descriptions say so,
keys start "demo-" and web addresses are under the reserved `.example` domain. The shape is meant
to be realistic enough for pathways to be interesting:

- a ladder per skill: an awareness item (an article or short e-learning), a working one, for most
  skills a practitioner one, and for some an expert one; a rung usually requires the one below;
- for each role with levels, two apprenticeship modules teaching a few of its junior level's
  skills, the second requiring the first;
- beyond those, alternatives to the rungs from other providers in other formats, trading hours
  for cost (a free self-paced course against a paid workshop), so that the cheapest and the
  quickest pathway differ.

Items come in priority order (every rung, then modules, then alternatives) and the first `items`
are kept, so a small catalogue is broad rather than deep, and an item's prerequisites always come
before it. The same framework, count and seed give the same rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mobilise.core.framework import Framework, Skill, SkillLevel

DEFAULT_ITEMS = 650
KEY_PREFIX = "demo-"
URL_BASE = "https://learning.example/"
SYNTHETIC_NOTE = "Synthetic demo item, invented for trying Mobilise: not a real course."

# Share of skills whose ladder reaches practitioner and expert (all reach working).
_PRACTITIONER_SHARE = 0.75
_EXPERT_SHARE = 0.2
# Chance that a rung requires the rung below it, by the rung's level.
_REQUIRES_BELOW = {
    SkillLevel.WORKING: 0.4,
    SkillLevel.PRACTITIONER: 0.7,
    SkillLevel.EXPERT: 0.9,
}
_MODULE_SKILLS = 3

_FORMATS_BY_LEVEL: dict[SkillLevel, tuple[str, ...]] = {
    SkillLevel.AWARENESS: ("article", "e-learning"),
    SkillLevel.WORKING: ("e-learning", "workshop"),
    SkillLevel.PRACTITIONER: ("course", "workshop"),
    SkillLevel.EXPERT: ("course", "workshop"),
}

_PROVIDERS: dict[str, tuple[str, ...]] = {
    "article": ("Digital Profession Notes (synthetic)", "Public Data Review (synthetic)"),
    "e-learning": ("Civic Learning Online (synthetic)", "Brightwater e-Learning (synthetic)"),
    "workshop": ("Meridian Training (synthetic)", "Civic Tech Academy (synthetic)"),
    "course": ("Northgate Open University (synthetic)", "Thames Valley Institute (synthetic)"),
    "apprenticeship-module": (
        "Whitehall Apprenticeships (synthetic)",
        "Northern Digital College (synthetic)",
    ),
}

_TITLES: dict[tuple[str, SkillLevel], tuple[str, ...]] = {
    ("article", SkillLevel.AWARENESS): (
        "{Name}: an introduction",
        "What is {name}?",
        "{Name} in government: a short guide",
        "Five things to know about {name}",
    ),
    ("e-learning", SkillLevel.AWARENESS): ("Introduction to {name}", "{Name} essentials"),
    ("e-learning", SkillLevel.WORKING): (
        "{Name} fundamentals",
        "Applying {name} in your team",
        "Getting started with {name}",
    ),
    ("workshop", SkillLevel.WORKING): (
        "{Name} in practice: a one-day workshop",
        "Hands-on {name}",
    ),
    ("course", SkillLevel.PRACTITIONER): (
        "{Name} for practitioners ({weeks}-week self-led course)",
        "Professional certificate in {name} ({weeks} weeks)",
    ),
    ("workshop", SkillLevel.PRACTITIONER): (
        "{Name}: practitioner workshop",
        "{Name} masterclass",
    ),
    ("course", SkillLevel.EXPERT): (
        "Advanced {name} ({weeks}-week course)",
        "Mastering {name}",
    ),
    ("workshop", SkillLevel.EXPERT): ("Leading {name}: an expert masterclass",),
}


@dataclass(frozen=True)
class _Item:
    key: str
    title: str
    provider: str
    format: str
    hours: float
    pence: int
    teaches: tuple[tuple[str, SkillLevel], ...]
    prerequisites: tuple[str, ...]
    description: str

    def row(self) -> dict[str, str]:
        """The item as a row of the learning items format (docs/formats.md)."""
        return {
            "key": self.key,
            "title": self.title,
            "provider": self.provider,
            "format": self.format,
            "hours": f"{self.hours:g}",
            "cost": f"{self.pence // 100}.{self.pence % 100:02d}",
            "teaches": "; ".join(f"{skill}:{level.label}" for skill, level in self.teaches),
            "prerequisites": "; ".join(self.prerequisites),
            "url": URL_BASE + self.key,
            "description": self.description,
        }


def generate_catalogue(
    framework: Framework, *, items: int = DEFAULT_ITEMS, seed: int
) -> list[dict[str, str]]:
    """`items` synthetic learning items as rows of the learning items format."""
    if items <= 0 or not framework.skills:
        return []
    rng = random.Random(seed)
    skills = sorted(framework.skills, key=lambda s: s.key)
    tops = {skill.key: _top_level(rng) for skill in skills}
    rungs: dict[SkillLevel, list[_Item]] = defaultdict(list)
    primary: dict[tuple[str, SkillLevel], _Item] = {}
    for skill in skills:
        for level in _ladder(tops[skill.key]):
            item = _rung(rng, skill, level, _below(primary, skill, level), variant=1)
            rungs[level].append(item)
            primary[(skill.key, level)] = item
    chosen: list[_Item] = []
    for level in SkillLevel:
        chosen.extend(rungs[level])
        if len(chosen) >= items:
            return [item.row() for item in chosen[:items]]
    first_modules, second_modules = _modules(rng, framework)
    chosen.extend(first_modules)
    chosen.extend(second_modules)
    alternatives = _alternatives(rng, skills, tops, primary)
    while len(chosen) < items:
        chosen.append(next(alternatives))
    return [item.row() for item in chosen[:items]]


def _ladder(top: SkillLevel) -> list[SkillLevel]:
    return [level for level in SkillLevel if level <= top]


def _below(
    primary: dict[tuple[str, SkillLevel], _Item], skill: Skill, level: SkillLevel
) -> str | None:
    """The key of the rung below `level` on the skill's ladder (None for awareness)."""
    if level == SkillLevel.AWARENESS:
        return None
    return primary[(skill.key, SkillLevel(level - 1))].key


def _top_level(rng: random.Random) -> SkillLevel:
    draw = rng.random()
    if draw < _EXPERT_SHARE:
        return SkillLevel.EXPERT
    if draw < _PRACTITIONER_SHARE:
        return SkillLevel.PRACTITIONER
    return SkillLevel.WORKING


def _rung(
    rng: random.Random,
    skill: Skill,
    level: SkillLevel,
    below: str | None,
    *,
    variant: int,
    avoid: str | None = None,
) -> _Item:
    formats = _FORMATS_BY_LEVEL[level]
    choices = [f for f in formats if f != avoid] or list(formats)
    item_format = rng.choice(choices)
    hours, pence = _effort(rng, item_format)
    weeks = max(2, round(hours / 5))
    template = rng.choice(_TITLES[(item_format, level)])
    title = template.format(Name=skill.name, name=_in_sentence(skill.name), weeks=weeks)
    suffix = "" if variant == 1 else f"-{variant}"
    key = f"{KEY_PREFIX}{skill.key}-{level.label}{suffix}"
    requires = below is not None and rng.random() < _REQUIRES_BELOW[level]
    described = skill.describe(level).strip() or skill.description.strip()
    return _Item(
        key=key,
        title=title,
        provider=rng.choice(_PROVIDERS[item_format]),
        format=item_format,
        hours=hours,
        pence=pence,
        teaches=((skill.key, level),),
        prerequisites=(below,) if requires and below is not None else (),
        description=f"{SYNTHETIC_NOTE}\n\nTeaches {skill.name} to {level.label} level. "
        f"{described}".strip(),
    )


def _effort(rng: random.Random, item_format: str) -> tuple[float, int]:
    """Hours and cost in pence typical of a format; free items are common, as in the real world."""
    if item_format == "article":
        return rng.choice((0.25, 0.5, 0.75, 1.0)), 0
    if item_format == "e-learning":
        hours = rng.randrange(2, 13) / 2
        return hours, 0 if rng.random() < 0.6 else rng.randrange(5, 51) * 500
    if item_format == "workshop":
        return rng.choice((3.5, 7.0, 14.0, 21.0)), rng.randrange(6, 49) * 2500
    if item_format == "course":
        hours = float(rng.randrange(12, 61))
        return hours, 0 if rng.random() < 0.25 else rng.randrange(6, 51) * 5000
    return float(rng.randrange(6, 19) * 10), 0  # apprenticeship modules: levy-funded


def _in_sentence(name: str) -> str:
    """A skill name inside a sentence: lower case first, unless it starts with an acronym."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def _modules(rng: random.Random, framework: Framework) -> tuple[list[_Item], list[_Item]]:
    levels_of: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for role_level in framework.role_levels:
        levels_of[role_level.role_key].append((role_level.level_order, role_level.key))
    names = {skill.key: skill.name for skill in framework.skills}
    first: list[_Item] = []
    second: list[_Item] = []
    for role in sorted(framework.roles, key=lambda r: r.key):
        if not levels_of[role.key]:
            continue
        junior = min(levels_of[role.key])[1]
        required = sorted(framework.requirements_of(junior))
        if len(required) < 2:
            continue
        taught = sorted(rng.sample(required, min(_MODULE_SKILLS, len(required))))
        provider = rng.choice(_PROVIDERS["apprenticeship-module"])
        listed = ", ".join(names[s] for s in taught)
        base = f"{KEY_PREFIX}{role.key}-module"
        for number, level, bucket in (
            (1, SkillLevel.WORKING, first),
            (2, SkillLevel.PRACTITIONER, second),
        ):
            hours, pence = _effort(rng, "apprenticeship-module")
            bucket.append(
                _Item(
                    key=f"{base}-{number}",
                    title=f"{role.name} apprenticeship: module {number}",
                    provider=provider,
                    format="apprenticeship-module",
                    hours=hours,
                    pence=pence,
                    teaches=tuple((s, level) for s in taught),
                    prerequisites=(f"{base}-1",) if number == 2 else (),
                    description=f"{SYNTHETIC_NOTE}\n\nModule {number} of a levy-funded "
                    f"apprenticeship for {_in_sentence(role.name)}s: {listed}, "
                    f"to {level.label} level.",
                )
            )
    return first, second


def _alternatives(
    rng: random.Random,
    skills: Sequence[Skill],
    tops: dict[str, SkillLevel],
    primary: dict[tuple[str, SkillLevel], _Item],
) -> Iterator[_Item]:
    """Other providers' versions of the rungs, round after round, for as many as are asked; the
    first round avoids the rung's own format, so that it offers a different trade of hours for
    cost (a free self-paced course against a paid workshop)."""
    variant = 1
    while True:
        variant += 1
        for skill in skills:
            for level in _ladder(tops[skill.key]):
                avoid = primary[(skill.key, level)].format if variant == 2 else None
                below = _below(primary, skill, level)
                yield _rung(rng, skill, level, below, variant=variant, avoid=avoid)
