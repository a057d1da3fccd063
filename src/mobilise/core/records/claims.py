"""Rules for rows of a skill claims file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.records.fields import MULTILINE_FORBIDDEN as _EVIDENCE_FORBIDDEN
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
_STATUSES = frozenset(CLAIM_STATUSES)
_LEVELS = {level.label: level for level in SkillLevel} | {str(int(lv)): lv for lv in SkillLevel}
NATURAL_KEY = "person, skill, source, claimed_on"
DUPLICATE_CLAIM_RULE = (
    "duplicate claim: an earlier row has the same person, skill, source and claimed_on"
)


class ClaimRow(NamedTuple):
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
        self.cells = Cells(log, CLAIMS)
        # One integer per claim for its natural key: a few tens of bytes a row, even for millions.
        self._seen: set[int] = set()
        self._skills = {name: keys.skills for name, keys in lookups.frameworks.items()}
        if lookups.default_framework in self._skills:
            self._skills[""] = self._skills[lookups.default_framework]

    def feed(self, row: int, values: Sequence[str]) -> ClaimRow | None:
        claim = self._feed_clean(row, values)
        if claim is None:
            claim = self._feed_checked(row, values)
        if claim is None:
            return None
        natural_key = (
            ((claim.person_id << 40 | claim.skill_id) << 3 | _SOURCE_RANK[claim.source]) << 23
        ) | claim.claimed_on.toordinal()
        if natural_key in self._seen:
            shown = f"{values[0].strip()}, {values[1].strip()}, {claim.source}, {claim.claimed_on}"
            self.log.add(row, NATURAL_KEY, shown, DUPLICATE_CLAIM_RULE)
            return None
        self._seen.add(natural_key)
        return claim

    def _feed_clean(self, row: int, values: Sequence[str]) -> ClaimRow | None:
        """The claim of a row that breaks no rule, found with plain lookups; None if in doubt.

        Millions of rows are imported at once, and nearly all are valid: this path accepts only
        what `_feed_checked` would accept, identically, and leaves every other row to it.
        """
        person, skill, framework, level, source, status, evidence, claimed, expires, validator = (
            values
        )
        cells = self.cells
        cells.screen(values)
        if not cells.screened:
            return None
        people = self.lookups.people
        person_id = people.get(person.strip())
        skills = self._skills.get(framework.strip())
        if person_id is None or skills is None:
            return None
        skill_id = skills.get(skill.strip())
        skill_level = _LEVELS.get(level.strip().lower())
        source = source.strip()
        status = status.strip() or DEFAULT_CLAIM_STATUS
        dates = cells.known_dates
        claimed_on = dates.get(claimed.strip())
        expires = expires.strip()
        expires_on = dates.get(expires) if expires else None
        validator = validator.strip()
        validated_by_id = people.get(validator) if validator else None
        if (
            skill_id is None
            or skill_level is None
            or source not in _SOURCE_RANK
            or status not in _STATUSES
            or claimed_on is None
            or (expires and (expires_on is None or expires_on < claimed_on))
            or (validator and validated_by_id is None)
            or len(evidence) > _EVIDENCE.max_length
            or (evidence and _EVIDENCE_FORBIDDEN.search(evidence))
        ):
            return None
        return ClaimRow(
            row,
            person_id,
            skill_id,
            skill_level,
            source,
            status,
            evidence,
            claimed_on,
            expires_on,
            validated_by_id,
        )

    def _feed_checked(self, row: int, values: Sequence[str]) -> ClaimRow | None:
        """The claim of a row, every rule checked and every broken one logged."""
        before = self.log.count
        cells = self.cells
        cells.screen(values)
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
