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

# What a team registers: a project (a tool being built or run) or a challenge (a problem it wants
# solved, which hackathons and the AI Accelerator can take up).
KINDS: tuple[str, ...] = ("project", "challenge")

# The phases a team chooses from when it registers (issue 9: idea, pre-deployment, beta,
# production, retired) and the finder value each is stored as. The finder has no "idea": an idea
# is not deployed, so it is recorded as pre-deployment.
REGISTRATION_PHASES: tuple[tuple[str, str, str], ...] = (
    ("idea", "pre-deployment", "Idea: not built yet"),
    ("pre-deployment", "pre-deployment", "Pre-deployment: being built or tested, not in use"),
    ("beta-pilot", "beta-pilot", "Beta or pilot"),
    ("private-beta", "private-beta", "Private beta"),
    ("public-beta", "public-beta", "Public beta"),
    ("production", "production", "Production: in use"),
    ("retired", "retired", "Retired: no longer in use"),
)


def finder_phase(choice: str) -> str | None:
    """The finder phase a registration choice is stored as, or None for no such choice."""
    return next((phase for value, phase, _ in REGISTRATION_PHASES if value == choice), None)
