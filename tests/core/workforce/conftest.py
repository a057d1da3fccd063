from __future__ import annotations

import csv

import pytest

from mobilise.core.workforce import (
    FrameworkProfile,
    OrganisationSpec,
    Workforce,
    generate_workforce,
)
from mobilise.services.framework import read_framework_directory, shipped_ddat_directory
from mobilise.services.organisations import shipped_organisations_path

PEOPLE = 40_000
SEED = 20260401


@pytest.fixture(scope="session")
def profile() -> FrameworkProfile:
    return FrameworkProfile.from_framework(read_framework_directory(shipped_ddat_directory()))


@pytest.fixture(scope="session")
def organisations() -> list[OrganisationSpec]:
    with shipped_organisations_path().open(encoding="utf-8") as file:
        return [
            OrganisationSpec(r["key"], int(r["headcount"] or 0), r["region"], r["kind"])
            for r in csv.DictReader(file)
        ]


@pytest.fixture(scope="session")
def workforce(organisations: list[OrganisationSpec], profile: FrameworkProfile) -> Workforce:
    return generate_workforce(organisations, profile, people=PEOPLE, seed=SEED)
