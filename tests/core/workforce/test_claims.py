"""Skill claims follow each person's role level requirements, with noise, from several sources."""

from __future__ import annotations

import numpy as np
import pytest

from mobilise.core.workforce import (
    AS_OF,
    CLAIM_SOURCES,
    FrameworkProfile,
    OrganisationSpec,
    Workforce,
    generate_workforce,
)
from tests.core.workforce.conftest import PEOPLE


def _required(profile: FrameworkProfile, role_level: int) -> dict[int, int]:
    begin, end = profile.requirement_start[role_level], profile.requirement_start[role_level + 1]
    return dict(
        zip(
            profile.requirement_skill[begin:end].tolist(),
            profile.requirement_level[begin:end].tolist(),
            strict=True,
        )
    )


def test_about_the_requested_number_of_claims(workforce: Workforce) -> None:
    assert len(workforce.claims) / PEOPLE == pytest.approx(8.0, rel=0.1)
    assert workforce.claims.person.max() < PEOPLE  # leavers have no current claims


def test_claims_are_unique_per_person_skill_source_and_day(workforce: Workforce) -> None:
    claims = workforce.claims
    key = np.stack(
        [claims.person, claims.skill, claims.source, claims.claimed_on.astype(np.int64)], axis=1
    )
    assert len(np.unique(key, axis=0)) == len(claims)


def test_ddat_claims_match_requirements_with_noise(
    workforce: Workforce, profile: FrameworkProfile
) -> None:
    claims, people = workforce.claims, workforce.people
    own = claims.source == CLAIM_SOURCES.index("self")
    differences: list[int] = []
    required_share: list[bool] = []
    for person in np.flatnonzero(people.role_level[:PEOPLE] >= 0)[:400]:
        required = _required(profile, int(people.role_level[person]))
        mine = own & (claims.person == person)
        for skill, level in zip(claims.skill[mine], claims.level[mine], strict=True):
            required_share.append(int(skill) in required)
            if int(skill) in required:
                differences.append(int(level) - required[int(skill)])
    assert 0.8 < np.mean(required_share) < 0.98  # mostly required skills, some extra ones
    assert abs(np.mean(differences)) < 0.3
    assert set(differences) >= {-1, 0, 1}
    assert np.mean(np.array(differences) == 0) > 0.45


def test_levels_sources_and_dates_are_plausible(workforce: Workforce) -> None:
    claims, people = workforce.claims, workforce.people
    assert claims.level.min() >= 1
    assert claims.level.max() <= 4
    shares = np.bincount(claims.source, minlength=len(CLAIM_SOURCES)) / len(claims)
    assert shares[CLAIM_SOURCES.index("self")] > 0.5
    assert shares[CLAIM_SOURCES.index("manager")] > 0.1
    assert shares[CLAIM_SOURCES.index("assessed")] > 0.05
    assert np.all(claims.claimed_on <= np.datetime64(AS_OF.isoformat()))
    assert np.all(claims.claimed_on >= people.started_on[claims.person])
    by_manager = claims.source == CLAIM_SOURCES.index("manager")
    np.testing.assert_array_equal(
        claims.validated_by[by_manager], people.manager[claims.person[by_manager]]
    )
    assert np.all(claims.validated_by[~by_manager] == -1)
    # People outside DDaT claim fewer and lower skills.
    ddat = people.role_level[claims.person] >= 0
    assert claims.level[ddat].mean() > claims.level[~ddat].mean() + 0.5


def test_claims_per_person_is_honoured(
    organisations: list[OrganisationSpec], profile: FrameworkProfile
) -> None:
    few = generate_workforce(organisations, profile, people=5000, seed=3, claims_per_person=2.0)
    none = generate_workforce(organisations, profile, people=500, seed=3, claims_per_person=0.0)
    assert len(few.claims) / 5000 == pytest.approx(2.0, rel=0.1)
    assert len(none.claims) == 0
