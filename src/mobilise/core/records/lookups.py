"""What the store already holds that a file's rows may refer to, as plain key → id mappings."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from mobilise.core.records.problem_log import ProblemLog


@dataclass(frozen=True)
class FrameworkKeys:
    """The keys of one framework version's skills and role levels, with their store ids."""

    skills: Mapping[str, int]
    role_levels: Mapping[str, int]


def _no_parent(_key: str) -> str | None:
    return None


@dataclass(frozen=True)
class Lookups:
    organisations: Mapping[str, int] = field(default_factory=dict)
    people: Mapping[str, int] = field(default_factory=dict)
    frameworks: Mapping[str, FrameworkKeys] = field(default_factory=dict)
    # The version a row means when its `framework` column is empty.
    default_framework: str | None = None
    grades: Collection[str] = ()
    regions: Collection[str] = ()
    organisation_kinds: Collection[str] = ()
    # The stored manager of a person (by key) and parent of an organisation, for cycle checks.
    stored_manager: Callable[[str], str | None] = _no_parent
    stored_parent: Callable[[str], str | None] = _no_parent

    def framework(self, row: int, column: str, name: str, log: ProblemLog) -> FrameworkKeys | None:
        """The framework version `name` (the default one if empty), or None after logging why."""
        chosen = name or self.default_framework
        if chosen is None:
            log.add(row, column, name, "no framework version is stored: import a framework first")
            return None
        keys = self.frameworks.get(chosen)
        if keys is None:
            log.add(row, column, chosen, "refers to no framework version")
        return keys
