"""The register's closed vocabularies.

Phases are the GOV.UK finder's phase facet values (DESIGN.md, "ATRS data"), copied here so that
the store's CHECK constraint and the core agree without reading a file; a test compares them with
the shipped finder_facets.json.
"""

from __future__ import annotations

PHASES: tuple[str, ...] = (
    "pre-deployment",
    "beta-pilot",
    "private-beta",
    "public-beta",
    "production",
    "retired",
)

# A project is a draft until every required ATRS field is answered; only then can it be published.
STATUSES: tuple[str, ...] = ("draft", "published")

# The finder facets a register search filters on, by the ATRS field each maps to.
FILTER_FACETS: tuple[str, ...] = ("function", "region", "capability", "organisation_type")
