"""The synthetic demo workforce, calibrated on published civil service figures (pure numpy)."""

from mobilise.core.workforce.calibration import (
    AGE_BANDS,
    AS_OF,
    CLAIM_SOURCES,
    DISABILITIES,
    ETHNIC_GROUPS,
    GRADES,
    REGIONS,
    SEXES,
)
from mobilise.core.workforce.generate import generate_workforce
from mobilise.core.workforce.inputs import FrameworkProfile, OrganisationSpec
from mobilise.core.workforce.model import Claims, Diversity, People, Positions, Workforce
from mobilise.core.workforce.names import FIRST_NAMES, LAST_NAMES

__all__ = [
    "AGE_BANDS",
    "AS_OF",
    "CLAIM_SOURCES",
    "DISABILITIES",
    "ETHNIC_GROUPS",
    "FIRST_NAMES",
    "GRADES",
    "LAST_NAMES",
    "REGIONS",
    "SEXES",
    "Claims",
    "Diversity",
    "FrameworkProfile",
    "OrganisationSpec",
    "People",
    "Positions",
    "Workforce",
    "generate_workforce",
]
