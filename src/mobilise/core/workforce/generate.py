"""The reproducible synthetic workforce: the same inputs and seed give identical arrays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from mobilise.core.workforce.calibration import (
    AS_OF,
    DDAT_PROPENSITY,
    DDAT_SHARE_TRAJECTORY,
    LEAVER_SHARE,
    LOCAL_AUTHORITY_DDAT_PROPENSITY,
    REGIONS,
)
from mobilise.core.workforce.claims import generate_claims
from mobilise.core.workforce.diversity import generate_diversity
from mobilise.core.workforce.hierarchy import assign_managers
from mobilise.core.workforce.history import Person, build_history
from mobilise.core.workforce.inputs import FrameworkProfile, OrganisationSpec
from mobilise.core.workforce.model import People, Workforce
from mobilise.core.workforce.names import FIRST_NAMES, LAST_NAMES
from mobilise.core.workforce.placement import (
    choose_grades,
    choose_regions,
    role_level_weights,
    spread_over_organisations,
    weighted_choice_without_replacement,
)

IntArray = npt.NDArray[np.int64]

# Bodies whose people all work in the body's own region.
REGIONAL_KINDS = ("local_authority", "devolved_administration", "private_firm")
TERRITORIAL_OFFICES = (
    "northern-ireland-office",
    "office-of-the-secretary-of-state-for-scotland",
    "office-of-the-secretary-of-state-for-wales",
)
# Independent random streams, so that changing one part leaves the others' draws unchanged.
STREAMS = (
    "organisations",
    "profession",
    "grades",
    "regions",
    "history",
    "managers",
    "claims",
    "diversity",
    "names",
)


def generate_workforce(
    organisations: Sequence[OrganisationSpec],
    framework: FrameworkProfile,
    *,
    people: int,
    seed: int,
    claims_per_person: float = 8.0,
    history: bool = True,
) -> Workforce:
    """`people` are in post at AS_OF; with history, about a fifth as many again left before."""
    if people < 0:
        raise ValueError("people must be zero or more")
    if not claims_per_person >= 0:
        raise ValueError("claims_per_person must be zero or more")
    headcount = np.array([max(o.headcount, 0) for o in organisations], dtype=np.float64)
    if people and not headcount.sum():
        raise ValueError("no organisation has a headcount to spread people over")
    rng = dict(
        zip(STREAMS, map(np.random.default_rng, np.random.SeedSequence(seed).spawn(9)), strict=True)
    )
    leavers = round(people * LEAVER_SHARE) if history else 0
    total = people + leavers

    organisation = (
        np.concatenate(
            [
                spread_over_organisations(headcount, people, rng["organisations"]),
                spread_over_organisations(headcount, leavers, rng["organisations"]),
            ]
        )
        if people
        else np.empty(0, dtype=np.int64)
    )
    previous_organisation = _previous_organisations(organisations, headcount, organisation, rng)

    propensity = np.array([_ddat_propensity(o) for o in organisations])[organisation]
    ddat = np.zeros(total, dtype=bool)
    has_levels = len(framework.role_level_keys) > 0
    now_share, first_share = DDAT_SHARE_TRAJECTORY[-1][1], DDAT_SHARE_TRAJECTORY[0][1]
    if has_levels:
        chosen = weighted_choice_without_replacement(
            propensity[:people], round(people * now_share), rng["profession"]
        )
        ddat[chosen] = True
        gone = weighted_choice_without_replacement(
            propensity[people:], round(leavers * first_share), rng["profession"]
        )
        ddat[people + gone] = True
    role_level = np.full(total, -1, dtype=np.int64)
    if has_levels:
        role_level[ddat] = rng["profession"].choice(
            len(framework.role_level_keys), size=int(ddat.sum()), p=role_level_weights(framework)
        )
    grade = np.where(
        ddat, framework.grade[np.maximum(role_level, 0)], choose_grades(total, rng["grades"])
    ).astype(np.int8)

    home = np.array([REGIONS.index(o.region) for o in organisations], dtype=np.int64)
    tied = np.array(
        [o.kind in REGIONAL_KINDS or o.key in TERRITORIAL_OFFICES for o in organisations]
    )
    region = choose_regions(organisation, ddat, home, tied, rng["regions"])

    past = build_history(
        Person(
            organisation=organisation,
            previous_organisation=previous_organisation,
            role_level=role_level,
            previous_level=np.where(
                role_level >= 0, framework.previous_level[np.maximum(role_level, 0)], -1
            ),
            grade=grade,
            grade_of_level=framework.grade,
            region=region,
        ),
        people,
        with_history=history,
        rng=rng["history"],
    )
    manager = np.full(total, -1, dtype=np.int64)
    manager[:people] = assign_managers(organisation[:people], grade[:people], rng["managers"])
    as_of = np.datetime64(AS_OF.isoformat(), "D")
    claims = generate_claims(
        framework,
        role_level[:people],
        manager[:people],
        past.started_on[:people],
        as_of,
        claims_per_person,
        rng["claims"],
    )
    until = np.where(np.isnat(past.left_on), as_of, past.left_on)
    names = rng["names"]
    return Workforce(
        as_of=AS_OF,
        in_post=people,
        people=People(
            organisation=organisation,
            grade=grade,
            region=region,
            role_level=role_level,
            manager=manager,
            started_on=past.started_on,
            left_on=past.left_on,
            first_name=names.integers(0, len(FIRST_NAMES), size=total),
            last_name=names.integers(0, len(LAST_NAMES), size=total),
        ),
        positions=past.positions,
        claims=claims,
        diversity=generate_diversity(past.started_on, until, rng["diversity"]),
    )


def _ddat_propensity(organisation: OrganisationSpec) -> float:
    if organisation.kind == "local_authority":
        return LOCAL_AUTHORITY_DDAT_PROPENSITY
    return DDAT_PROPENSITY.get(organisation.key, 1.0)


def _previous_organisations(
    organisations: Sequence[OrganisationSpec],
    headcount: npt.NDArray[np.float64],
    organisation: IntArray,
    rng: dict[str, np.random.Generator],
) -> IntArray:
    """Where a person would have come from if they moved: councils from councils, else the rest."""
    council = np.array([o.kind == "local_authority" for o in organisations])
    previous = organisation.copy()
    for pool in (council, ~council):
        weights = np.where(pool, headcount, 0.0)
        mine = np.flatnonzero(pool[organisation]) if len(organisation) else np.empty(0, int)
        if weights.sum() and len(mine):
            previous[mine] = rng["history"].choice(
                len(weights), size=len(mine), p=weights / weights.sum()
            )
    return previous
