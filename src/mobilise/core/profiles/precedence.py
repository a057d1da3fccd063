"""A person's profile, derived from their skill claims by precedence of source.

Claims are never overwritten (every change is a new claim, so history is kept); the profile is a
view computed from all of them:

- Only `active` claims count. `rejected` never counts. `suggested` (inferred and not yet confirmed
  by the person) never counts; it is listed among the profile's suggestions instead.
- A claim whose `expires_on` is before `today` does not count (it counts on its expiry day).
- For each skill, the claim of the best source wins: assessed > manager > learning > self >
  inferred (an inferred claim is active only once the person has confirmed it).
- Within one source, the latest `claimed_on` wins. A later claim that is rejected or expired does
  not displace an earlier one of the same source that still counts: a manager rejecting a self
  claim of "expert" leaves the person's earlier self claim standing, and an assessment that lapsed
  leaves an older assessment without expiry in force.
- Confidence: "validated" for assessed and manager claims and for any claim a manager validated;
  "learning" for completed learning; "self-claimed" for self claims and confirmed inferences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.records.vocabulary import CLAIM_SOURCES, CLAIM_STATUSES, LEVEL_RULE

# Best first. Kept apart from CLAIM_SOURCES, whose order is the store's and the files'.
SOURCE_PRECEDENCE: tuple[str, ...] = ("assessed", "manager", "learning", "self", "inferred")
_RANK = {source: rank for rank, source in enumerate(SOURCE_PRECEDENCE)}
_VALIDATING_SOURCES = frozenset({"assessed", "manager"})
_LEVELS = frozenset(int(level) for level in SkillLevel)
PROBLEM_SOURCE = "skill claims"

Confidence = Literal["validated", "learning", "self-claimed"]


@dataclass(frozen=True, slots=True)
class ClaimFact:
    """What the profile needs of one stored claim. `claim_id` lets a page link back to it."""

    skill_id: int
    level: int
    source: str
    status: str
    claimed_on: date
    expires_on: date | None = None
    validated: bool = False
    claim_id: int | None = None

    def counts_on(self, today: date) -> bool:
        return self.status == "active" and not self.expired_on(today)

    def expired_on(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today


@dataclass(frozen=True, slots=True)
class ProfileEntry:
    skill_id: int
    level: int
    source: str
    claimed_on: date
    confidence: Confidence
    claim_id: int | None = None

    @property
    def is_validated(self) -> bool:
        return self.confidence == "validated"


@dataclass(frozen=True, slots=True)
class Profile:
    """One entry per skill with a claim that counts (by skill id), and the pending suggestions
    (every unexpired suggested claim, by skill id, latest first)."""

    entries: tuple[ProfileEntry, ...]
    suggestions: tuple[ClaimFact, ...]

    def levels(self) -> dict[int, int]:
        return {entry.skill_id: entry.level for entry in self.entries}

    def validated_skills(self) -> frozenset[int]:
        return frozenset(entry.skill_id for entry in self.entries if entry.is_validated)

    def entry(self, skill_id: int) -> ProfileEntry | None:
        for entry in self.entries:
            if entry.skill_id == skill_id:
                return entry
        return None


def confidence_of(claim: ClaimFact) -> Confidence:
    if claim.validated or claim.source in _VALIDATING_SOURCES:
        return "validated"
    if claim.source == "learning":
        return "learning"
    return "self-claimed"


def check_claims(claims: Iterable[ClaimFact]) -> None:
    """InvalidInput naming every claim whose level, source or status is outside the vocabulary.

    The store's constraints already hold these; the check is here so that a caller building facts
    by hand (a file, a test, another service) cannot get a silently wrong profile.
    """
    problems: list[Problem] = []
    for number, claim in enumerate(claims, start=1):
        row = claim.claim_id if claim.claim_id is not None else number
        if claim.level not in _LEVELS:
            problems.append(Problem(PROBLEM_SOURCE, row, "level", str(claim.level), LEVEL_RULE))
        if claim.source not in _RANK:
            rule = f"must be one of {', '.join(CLAIM_SOURCES)}"
            problems.append(Problem(PROBLEM_SOURCE, row, "source", claim.source, rule))
        if claim.status not in CLAIM_STATUSES:
            rule = f"must be one of {', '.join(CLAIM_STATUSES)}"
            problems.append(Problem(PROBLEM_SOURCE, row, "status", claim.status, rule))
    if problems:
        raise InvalidInput(problems)


def _recency(claim: ClaimFact) -> tuple[date, bool, int, int]:
    # The store keeps one claim per (skill, source, day); for hand-built facts that share a day the
    # validated, then the later recorded (higher id), then the higher level wins, so the result
    # never depends on the order the claims came in.
    return (
        claim.claimed_on,
        claim.validated,
        -1 if claim.claim_id is None else claim.claim_id,
        claim.level,
    )


def derive_profile(claims: Iterable[ClaimFact], today: date) -> Profile:
    """The profile the claims give on `today` (rules in the module docstring)."""
    facts = list(claims)
    check_claims(facts)
    best: dict[int, ClaimFact] = {}
    for claim in facts:
        if not claim.counts_on(today):
            continue
        held = best.get(claim.skill_id)
        if held is None or _better(claim, held):
            best[claim.skill_id] = claim
    entries = tuple(
        ProfileEntry(
            skill_id=skill_id,
            level=claim.level,
            source=claim.source,
            claimed_on=claim.claimed_on,
            confidence=confidence_of(claim),
            claim_id=claim.claim_id,
        )
        for skill_id, claim in sorted(best.items())
    )
    pending = [c for c in facts if c.status == "suggested" and not c.expired_on(today)]
    # Everything a claim has is in the key, so the order never depends on the input's.
    pending.sort(key=lambda c: (c.skill_id, _negated(_recency(c)), _RANK[c.source], _expiry(c)))
    return Profile(entries=entries, suggestions=tuple(pending))


def _better(claim: ClaimFact, held: ClaimFact) -> bool:
    rank, held_rank = _RANK[claim.source], _RANK[held.source]
    if rank != held_rank:
        return rank < held_rank
    if _recency(claim) != _recency(held):
        return _recency(claim) > _recency(held)
    # Twins but for their expiry: the one that lasts longer, whichever came first.
    return _expiry(claim) > _expiry(held)


def _expiry(claim: ClaimFact) -> int:
    return date.max.toordinal() if claim.expires_on is None else claim.expires_on.toordinal()


def _negated(recency: tuple[date, bool, int, int]) -> tuple[int, int, int, int]:
    day, validated, claim_id, level = recency
    return (-day.toordinal(), -int(validated), -claim_id, -level)
