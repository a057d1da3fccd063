"""Rules for rows of a skill claims file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.records.fields import Cells
from mobilise.core.records.layouts import CLAIMS
from mobilise.core.records.lookups import Lookups
from mobilise.core.records.problem_log import ProblemLog
from mobilise.core.records.vocabulary import (
    CLAIM_SOURCES,
    CLAIM_STATUSES,
    DEFAULT_CLAIM_STATUS,
    LEVEL_RULE,
    parse_level,
)

(
    _PERSON,
    _SKILL,
    _FRAMEWORK,
    _LEVEL,
    _SOURCE,
    _STATUS,
    _EVIDENCE,
    _CLAIMED,
    _EXPIRES,
    _VALIDATED_BY,
) = CLAIMS.columns

_SOURCE_RANK = {source: rank for rank, source in enumerate(CLAIM_SOURCES)}
NATURAL_KEY = "person, skill, source, claimed_on"
DUPLICATE_CLAIM_RULE = (
    "duplicate claim: an earlier row has the same person, skill, source and claimed_on"
)


@dataclass(frozen=True, slots=True)
class ClaimRow:
    row: int
    person_id: int
    skill_id: int
    level: SkillLevel
    source: str
    status: str
    evidence: str
    claimed_on: date
    expires_on: date | None
    validated_by_id: int | None


class ClaimsCheck:
    """Claims refer to people and skills already stored: import people first."""

    def __init__(self, lookups: Lookups, log: ProblemLog) -> None:
        self.lookups = lookups
        self.log = log
        self.cells = Cells(log)
        # One integer per claim for its natural key: a few tens of bytes a row, even for millions.
        self._seen: set[int] = set()

    def feed(self, row: int, values: Sequence[str]) -> ClaimRow | None:
        before = self.log.count
        cells = self.cells
        lookups = self.lookups
        log = self.log
        person = cells.text(row, _PERSON, values[0])
        person_id = lookups.people.get(person) if person else None
        if person and person_id is None:
            log.add(row, _PERSON.name, person, "refers to no person (import people first)")
        skill = cells.text(row, _SKILL, values[1])
        framework = cells.text(row, _FRAMEWORK, values[2])
        skill_id: int | None = None
        if skill:
            keys = lookups.framework(row, _FRAMEWORK.name, framework, log)
            if keys is not None:
                skill_id = keys.skills.get(skill)
                if skill_id is None:
                    log.add(row, _SKILL.name, skill, "refers to no skill of the framework")
        level_text = cells.text(row, _LEVEL, values[3])
        level = parse_level(level_text) if level_text else None
        if level_text and level is None:
            log.add(row, _LEVEL.name, level_text, LEVEL_RULE)
        source = cells.choice(row, _SOURCE, values[4], CLAIM_SOURCES, "claim source")
        status = (
            cells.choice(row, _STATUS, values[5], CLAIM_STATUSES, "claim status")
            or DEFAULT_CLAIM_STATUS
        )
        evidence = cells.text(row, _EVIDENCE, values[6])
        claimed_on = cells.date(row, _CLAIMED, values[7])
        expires_on = cells.date(row, _EXPIRES, values[8])
        cells.order(row, _EXPIRES, claimed_on, expires_on, "claimed_on")
        validator = cells.text(row, _VALIDATED_BY, values[9])
        validated_by_id: int | None = None
        if validator:
            validated_by_id = lookups.people.get(validator)
            if validated_by_id is None:
                log.add(row, _VALIDATED_BY.name, validator, "refers to no person")
        if (
            log.count != before
            or person_id is None
            or skill_id is None
            or level is None
            or claimed_on is None
        ):
            return None
        natural_key = (
            ((person_id << 40 | skill_id) << 3 | _SOURCE_RANK[source]) << 23
        ) | claimed_on.toordinal()
        if natural_key in self._seen:
            shown = f"{person}, {skill}, {source}, {claimed_on}"
            log.add(row, NATURAL_KEY, shown, DUPLICATE_CLAIM_RULE)
            return None
        self._seen.add(natural_key)
        return ClaimRow(
            row,
            person_id,
            skill_id,
            level,
            source,
            status,
            evidence,
            claimed_on,
            expires_on,
            validated_by_id,
        )

    def finish(self) -> None:
        """Claims have no rule that needs the whole file beyond duplicates, checked as fed."""
