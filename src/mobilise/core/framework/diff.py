"""What changed between two framework versions, by key."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from mobilise.core.framework.model import Framework


@dataclass(frozen=True)
class KindDiff:
    """Added, removed and changed keys of one kind of thing (roles, skills, …), sorted."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class FrameworkDiff:
    kinds: Mapping[str, KindDiff] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return all(k.empty for k in self.kinds.values())


def _diff(old: Mapping[str, Hashable], new: Mapping[str, Hashable]) -> KindDiff:
    return KindDiff(
        added=tuple(sorted(new.keys() - old.keys())),
        removed=tuple(sorted(old.keys() - new.keys())),
        changed=tuple(sorted(k for k in old.keys() & new.keys() if old[k] != new[k])),
    )


def _by_key(items: Iterable[Hashable], key: str = "key") -> dict[str, Hashable]:
    return {getattr(item, key): item for item in items}


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Compare two frameworks; a requirement is keyed "role-level/skill" and changes by level."""

    def requirements(fw: Framework) -> dict[str, Hashable]:
        return {f"{r.role_level_key}/{r.skill_key}": r.level for r in fw.requirements}

    def role_skills(fw: Framework) -> dict[str, Hashable]:
        return {f"{r.role_key}/{r.skill_key}": True for r in fw.role_skills}

    return FrameworkDiff(
        {
            "job_families": _diff(_by_key(old.job_families), _by_key(new.job_families)),
            "roles": _diff(_by_key(old.roles), _by_key(new.roles)),
            "role_levels": _diff(_by_key(old.role_levels), _by_key(new.role_levels)),
            "skills": _diff(_by_key(old.skills), _by_key(new.skills)),
            "requirements": _diff(requirements(old), requirements(new)),
            "role_skills": _diff(role_skills(old), role_skills(new)),
        }
    )
