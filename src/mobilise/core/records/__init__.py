"""Rules for workforce records in files: organisations, people and skill claims.

Pure: rows come in as lists of text in layout order, with what the store holds as plain lookups;
typed rows come out, and every broken rule goes to a ProblemLog naming row, column, value and rule.
"""

from mobilise.core.records.cells import neutralise_formula, restore_formula
from mobilise.core.records.claims import ClaimRow, ClaimsCheck
from mobilise.core.records.layouts import (
    CLAIMS,
    LAYOUTS,
    ORGANISATIONS,
    PEOPLE,
    Column,
    Layout,
    arrange,
    header_positions,
    object_values,
)
from mobilise.core.records.lookups import FrameworkKeys, Lookups
from mobilise.core.records.organisations import OrganisationRow, OrganisationsCheck
from mobilise.core.records.people import PeopleCheck, PersonRow
from mobilise.core.records.problem_log import PROBLEM_LIMIT, ProblemLog
from mobilise.core.records.vocabulary import (
    CLAIM_SOURCES,
    CLAIM_STATUSES,
    GRADES,
    ORGANISATION_KINDS,
    REGIONS,
    parse_level,
)

__all__ = [
    "CLAIMS",
    "CLAIM_SOURCES",
    "CLAIM_STATUSES",
    "GRADES",
    "LAYOUTS",
    "ORGANISATIONS",
    "ORGANISATION_KINDS",
    "PEOPLE",
    "PROBLEM_LIMIT",
    "REGIONS",
    "ClaimRow",
    "ClaimsCheck",
    "Column",
    "FrameworkKeys",
    "Layout",
    "Lookups",
    "OrganisationRow",
    "OrganisationsCheck",
    "PeopleCheck",
    "PersonRow",
    "ProblemLog",
    "arrange",
    "header_positions",
    "neutralise_formula",
    "object_values",
    "parse_level",
    "restore_formula",
]
