"""The closed vocabularies of workforce records: grades, regions, claim sources and statuses.

Grades and regions are open-ended in the real world (a council has its own pay scales), so an import
accepts these lists plus any value already held in the store; see docs/formats.md.
"""

from __future__ import annotations

from mobilise.core.framework.levels import SkillLevel

# Civil Service grades, most junior first (Administrative Assistant … Senior Civil Service 4).
GRADES: tuple[str, ...] = (
    "Apprentice",
    "AA",
    "AO",
    "EO",
    "HEO",
    "SEO",
    "G7",
    "G6",
    "SCS1",
    "SCS2",
    "SCS3",
    "SCS4",
)

# The UK's International Territorial Level 1 regions, as the ONS names them.
REGIONS: tuple[str, ...] = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Wales",
    "Scotland",
    "Northern Ireland",
)

# The kinds the shipped organisations list uses (loaded through the same import rules).
ORGANISATION_KINDS: tuple[str, ...] = (
    "department",
    "agency",
    "local_authority",
    "private_firm",
    "devolved_administration",
)

CLAIM_SOURCES: tuple[str, ...] = ("self", "manager", "learning", "inferred", "assessed")
CLAIM_STATUSES: tuple[str, ...] = ("active", "suggested", "rejected")
DEFAULT_CLAIM_STATUS = "active"

_LEVELS_BY_TEXT: dict[str, SkillLevel] = {
    **{level.label: level for level in SkillLevel},
    **{str(int(level)): level for level in SkillLevel},
}

LEVEL_RULE = "must be one of awareness, working, practitioner, expert (or 1 to 4)"


def parse_level(text: str) -> SkillLevel | None:
    """The skill level named by `text` (a name in any case, or its rank 1-4), None if none is."""
    return _LEVELS_BY_TEXT.get(text.strip().lower())
