"""The generated workforce is reproducible and calibrated on the published figures."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mobilise.core.workforce import (
    GRADES,
    REGIONS,
    FrameworkProfile,
    OrganisationSpec,
    Workforce,
    generate_workforce,
)
from tests.core.workforce.conftest import PEOPLE, SEED


def _arrays(workforce: Workforce) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    for part in ("people", "positions", "claims", "diversity"):
        for field in dataclasses.fields(getattr(workforce, part)):
            found[f"{part}.{field.name}"] = getattr(getattr(workforce, part), field.name)
    return found


def test_same_seed_gives_identical_workforce(
    organisations: list[OrganisationSpec], profile: FrameworkProfile
) -> None:
    first = generate_workforce(organisations, profile, people=3000, seed=7)
    second = generate_workforce(organisations, profile, people=3000, seed=7)
    other = generate_workforce(organisations, profile, people=3000, seed=8)
    a, b, c = _arrays(first), _arrays(second), _arrays(other)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
    assert not np.array_equal(a["people.organisation"], c["people.organisation"])


def test_people_spread_in_proportion_to_headcount(
    workforce: Workforce, organisations: list[OrganisationSpec]
) -> None:
    headcount = np.array([o.headcount for o in organisations], dtype=float)
    expected = headcount / headcount.sum() * PEOPLE
    counts = np.bincount(workforce.people.organisation[:PEOPLE], minlength=len(organisations))
    assert np.all(np.abs(counts - expected) <= 1)
    assert counts[[o.kind == "private_firm" for o in organisations]].sum() == 0


def _share_in_post_on(workforce: Workforce, day: str) -> tuple[int, float]:
    positions = workforce.positions
    when = np.datetime64(day)
    active = (positions.started_on <= when) & (
        np.isnat(positions.ended_on) | (positions.ended_on > when)
    )
    return int(active.sum()), float((positions.role_level[active] >= 0).mean())


def test_ddat_share_rises_from_2022_to_2025(workforce: Workforce) -> None:
    in_2022, share_2022 = _share_in_post_on(workforce, "2022-03-31")
    in_2025, share_2025 = _share_in_post_on(workforce, "2025-03-31")
    assert share_2022 == pytest.approx(0.042, abs=0.004)
    assert share_2025 == pytest.approx(0.06, abs=0.002)
    assert in_2025 == PEOPLE
    # The civil service grew between 2020 and 2025 (456,410 → 549,660): about a fifth.
    in_2020, _ = _share_in_post_on(workforce, "2020-01-31")
    assert 0.75 < in_2020 / in_2025 < 0.9
    assert in_2020 < in_2022 < in_2025


def test_each_person_has_one_unbroken_history(workforce: Workforce) -> None:
    people, positions = workforce.people, workforce.positions
    assert np.all(np.diff(positions.person) >= 0)
    first = np.r_[True, positions.person[1:] != positions.person[:-1]]
    last = np.r_[positions.person[1:] != positions.person[:-1], True]
    assert np.array_equal(positions.person[first], np.arange(len(people)))
    np.testing.assert_array_equal(
        positions.started_on[first], people.started_on[positions.person[first]]
    )
    # Each spell ends where the next begins; the last ends when the person left, if they did.
    np.testing.assert_array_equal(positions.ended_on[~last], positions.started_on[1:][~last[:-1]])
    np.testing.assert_array_equal(positions.ended_on[last], people.left_on)
    assert np.all(positions.started_on[~last] < positions.ended_on[~last])
    assert np.isnat(people.left_on[:PEOPLE]).all()
    assert not np.isnat(people.left_on[PEOPLE:]).any()
    np.testing.assert_array_equal(positions.role_level[last], people.role_level)
    np.testing.assert_array_equal(positions.organisation[last], people.organisation)
    # Joiners, leavers, movers and promotions all occur.
    spells = np.bincount(positions.person)
    assert 0.05 < (spells > 1).mean() < 0.5
    moved = positions.organisation[1:] != positions.organisation[:-1]
    assert (moved & ~first[1:]).sum() > 0.05 * PEOPLE


def test_grades_never_fall_within_a_history(workforce: Workforce) -> None:
    positions = workforce.positions
    same = positions.person[1:] == positions.person[:-1]
    assert np.all(positions.grade[1:][same] >= positions.grade[:-1][same])
    promoted = same & (positions.grade[1:] > positions.grade[:-1])
    assert promoted.sum() > 0.03 * PEOPLE


def test_grades_follow_role_level_seniority(
    workforce: Workforce, profile: FrameworkProfile
) -> None:
    people = workforce.people
    ddat = people.role_level >= 0
    np.testing.assert_array_equal(people.grade[ddat], profile.grade[people.role_level[ddat]])
    for role in np.unique(profile.role):
        members = np.flatnonzero(profile.role == role)
        ordered = members[np.argsort(profile.level_order[members])]
        assert np.all(np.diff(profile.grade[ordered]) >= 0)
    shares = np.bincount(people.grade[:PEOPLE], minlength=len(GRADES)) / PEOPLE
    assert shares[GRADES.index("EO")] > shares[GRADES.index("G7")] > shares[GRADES.index("SCS1")]
    ddat_grades = people.grade[:PEOPLE][ddat[:PEOPLE]]
    assert np.median(ddat_grades) > np.median(people.grade[:PEOPLE])


def test_most_people_work_outside_london(workforce: Workforce) -> None:
    people = workforce.people
    london = people.region[:PEOPLE] == REGIONS.index("London")
    ddat = people.role_level[:PEOPLE] >= 0
    assert 0.75 <= 1 - london.mean() <= 0.88
    assert london[ddat].mean() > london.mean() + 0.05


def test_council_staff_work_in_their_council_region(
    workforce: Workforce, organisations: list[OrganisationSpec]
) -> None:
    for index, organisation in enumerate(organisations):
        if organisation.kind == "local_authority":
            mine = workforce.people.organisation == index
            assert {REGIONS[r] for r in workforce.people.region[mine]} == {organisation.region}


def test_diversity_data_only_with_consent(workforce: Workforce) -> None:
    diversity = workforce.diversity
    assert diversity.consent.mean() == pytest.approx(0.8, abs=0.01)
    for codes in (diversity.sex, diversity.ethnic_group, diversity.disability, diversity.age_band):
        assert np.all((codes >= 0) == diversity.consent)
    assert np.all(np.isnat(diversity.consented_on) == ~diversity.consent)
    white = (diversity.ethnic_group[diversity.consent] == 0).mean()
    assert white == pytest.approx(0.84, abs=0.01)


def test_without_history_everyone_is_in_post_with_one_position(
    organisations: list[OrganisationSpec], profile: FrameworkProfile
) -> None:
    workforce = generate_workforce(organisations, profile, people=2000, seed=SEED, history=False)
    assert len(workforce.people) == 2000
    assert len(workforce.positions) == 2000
    assert np.isnat(workforce.positions.ended_on).all()
    assert (workforce.people.role_level >= 0).sum() == 120


def test_zero_people_is_an_empty_workforce(
    organisations: list[OrganisationSpec], profile: FrameworkProfile
) -> None:
    workforce = generate_workforce(organisations, profile, people=0, seed=1)
    assert len(workforce.people) == len(workforce.positions) == len(workforce.claims) == 0


@pytest.mark.parametrize(("people", "claims"), [(-1, 8.0), (10, -0.5), (10, float("nan"))])
def test_bad_sizes_are_refused(
    organisations: list[OrganisationSpec], profile: FrameworkProfile, people: int, claims: float
) -> None:
    with pytest.raises(ValueError, match="zero or more"):
        generate_workforce(organisations, profile, people=people, seed=1, claims_per_person=claims)
