"""What the team-formation engine (core/teams) reads about hackathon participants, and what a
team's make-up may say about them afterwards.

The engine mixes organisations (people from different organisations score higher together: a
"diverse" criterion), balances skills (two people's skill sets score by how much they add to each
other: Jaccard distance), and keeps people who chose the same challenge first together (a
"similar" criterion). Protected groups reach it only as opaque codes (`p1`, `p2`, ...) and the
rule never to leave one member of a group alone in a team. A team's description is aggregate:
counts of organisations and skills, and the share who chose its challenge, never who belongs to
which group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mobilise.core.teams.problem import TeamProblem, problem_from_document

# Weights of the engine's criteria: the challenge choice matters most (people came for it).
WEIGHTS: Mapping[str, float] = {"organisation": 1.0, "skills": 1.0, "challenge": 2.0}
# The attribute a protected group's code sits in; one attribute per group, as a person may be in
# several.
GROUP_ATTRIBUTE = "group_{code}"
NO_ORGANISATION = "(none)"
NO_CHALLENGE = "(any)"


@dataclass(frozen=True)
class TeamMember:
    key: str  # the participant's key (never a person's name or a group)
    organisation: str | None  # None: a person with no organisation
    skills: frozenset[str] = frozenset()  # shared with the organisers, else empty
    first_choice: str | None = None  # challenge key
    groups: frozenset[str] = frozenset()  # opaque protected-group codes, consented only


@dataclass(frozen=True)
class TeamFacts:
    size: int
    organisations: int  # distinct organisations (people with none are not one organisation)
    without_organisation: int
    skills: int  # distinct skills the team's members shared
    chose_challenge: int  # members whose first choice is the team's challenge
    challenge: str | None
    notes: list[str] = field(default_factory=list)


def hackathon_team_problem(
    members: Sequence[TeamMember], *, size: int, protected_codes: Sequence[str]
) -> TeamProblem:
    """The engine's problem; `protected_codes` are the groups never to leave alone in a team."""
    people = []
    for member in members:
        attributes: dict[str, object] = {
            # Each person without an organisation counts as their own: they add to the mix.
            "organisation": member.organisation or f"{NO_ORGANISATION}{member.key}",
            "skills": sorted(member.skills),
            "challenge": member.first_choice or f"{NO_CHALLENGE}{member.key}",
        }
        for code in member.groups:
            attributes[GROUP_ATTRIBUTE.format(code=code)] = "yes"
        people.append({"id": member.key, "attributes": attributes})
    return problem_from_document(
        {"people": people},
        size=size,
        similar=["challenge"],
        diverse=["organisation", "skills"],
        never_isolate=[f"{GROUP_ATTRIBUTE.format(code=code)}=yes" for code in protected_codes],
        weights=WEIGHTS,
    )


def team_challenge(members: Sequence[TeamMember], order: Sequence[str]) -> str | None:
    """The challenge most members chose first; ties go to the one listed first in `order`."""
    votes = Counter(m.first_choice for m in members if m.first_choice in order)
    if not votes:
        return None
    best = max(votes.values())
    return next(c for c in order if votes.get(c) == best)


def describe_team(members: Sequence[TeamMember], challenge: str | None) -> TeamFacts:
    """The team's make-up in aggregate (no person, no group)."""
    organisations = {m.organisation for m in members if m.organisation}
    without = sum(1 for m in members if not m.organisation)
    skills = set().union(*(m.skills for m in members)) if members else set()
    chose = sum(1 for m in members if challenge is not None and m.first_choice == challenge)
    notes = []
    if len(organisations) + without <= 1 and len(members) > 1:
        notes.append("Everyone is from one organisation.")
    if not skills:
        notes.append("No one shared their skills.")
    return TeamFacts(
        size=len(members),
        organisations=len(organisations),
        without_organisation=without,
        skills=len(skills),
        chose_challenge=chose,
        challenge=challenge,
        notes=notes,
    )
