"""The published figures the synthetic workforce is calibrated on, and the assumptions around them.

Figures marked "figures.md" come from ../shared/data/figures.md (Civil Service Statistics and GOV.UK
announcements, Open Government Licence v3.0). Shares marked "approx." are rounded from Civil Service
Statistics 2024–25 tables (grade, region, sex, ethnicity, disability, age); the others are stated
modelling assumptions, chosen to give plausible histories, not published facts.
"""

from __future__ import annotations

from datetime import date

# Civil service grades, most junior first; the index is the grade's rank.
GRADES = ("AA", "AO", "EO", "HEO", "SEO", "G7", "G6", "SCS1", "SCS2", "SCS3")

# UK ITL1 regions, as the Office for National Statistics names them.
REGIONS = (
    "London",
    "South East",
    "East of England",
    "South West",
    "West Midlands",
    "East Midlands",
    "Yorkshire and The Humber",
    "North West",
    "North East",
    "Wales",
    "Scotland",
    "Northern Ireland",
)

# Where civil servants work (approx., headcount share by ITL1 region): about 80% outside London.
CIVIL_SERVICE_REGION_SHARE = (20.0, 8.5, 4.5, 9.5, 6.5, 4.0, 8.5, 12.0, 6.5, 7.0, 11.5, 1.5)
# DDaT posts are more London-heavy (assumption: about a third in London).
DDAT_LONDON_SHARE = 0.34
# Share of an organisation's people at its headquarters' region when that is not London.
HOME_REGION_SHARE = 0.5

# Grades of all civil servants (approx.), AA..SCS3.
CIVIL_SERVICE_GRADE_SHARE = (3.0, 22.0, 28.0, 17.0, 11.0, 12.0, 5.5, 1.2, 0.25, 0.05)
# Grades of DDaT professionals (assumption: a senior-heavy profession), AA..SCS3.
DDAT_GRADE_SHARE = (0.0, 1.0, 8.0, 20.0, 25.0, 28.0, 13.0, 4.0, 0.8, 0.2)

# DDaT share of the workforce: 4.2% in 2022 (20,010 people) and about 6% in 2025 (figures.md);
# the 2020 value is an assumption continuing the slower growth before 2022.
DDAT_SHARE_TRAJECTORY = (
    (date(2020, 1, 1), 0.038),
    (date(2022, 3, 31), 0.042),
    (date(2025, 3, 31), 0.060),
)
# Organisations whose share of DDaT people differs from the average (assumption).
DDAT_PROPENSITY = {
    "government-digital-service": 15.0,
    "hm-prison-and-probation-service": 0.2,
    "hm-courts-and-tribunals-service": 0.6,
}
LOCAL_AUTHORITY_DDAT_PROPENSITY = 0.7

# History runs monthly from January 2020 to the Civil Service Statistics date of March 2025, when
# the civil service had 549,660 people (figures.md): the generated workforce is the one in post
# then.
HISTORY_START = date(2020, 1, 1)
AS_OF = date(2025, 3, 31)
# Tenure before 2020 starts no earlier than this.
EARLIEST_START = date(1990, 1, 1)
# Of the people in post at AS_OF, the share who joined before 2020 (assumption; with the leavers
# below it grows the workforce by about a fifth over the five years, as the civil service grew).
JOINED_BEFORE_HISTORY = 0.63
# People who left during the history, as a share of the workforce in post at AS_OF (assumption).
LEAVER_SHARE = 0.2
# Of people who entered DDaT during the history, the share who joined from outside (the rest
# moved in from another profession).
DDAT_ENTRY_BY_JOINING = 0.55
# Chances that a person in post had a promotion, or moved organisation, during the history.
PROMOTION_CHANCE_DDAT = 0.35
PROMOTION_CHANCE_OTHER = 0.15
MOVE_CHANCE = 0.12

# Line management: people per manager (span of control).
SPAN_MIN = 5
SPAN_MAX = 10

# Skill claims. A claim's source may be the person, their manager or an assessment.
CLAIM_SOURCES = ("self", "manager", "assessed")
MANAGER_VALIDATION_CHANCE = 0.35
ASSESSMENT_CHANCE = 0.15
# Share of a DDaT person's claimed skills that their role level does not require.
EXTRA_SKILL_SHARE = 0.1
# A claim's level against the requirement: one below, equal, one above.
REQUIREMENT_NOISE = (0.2, 0.6, 0.2)
# Levels (awareness..expert) of skills claimed outside one's role level's requirements.
EXTRA_LEVEL_SHARE_DDAT = (0.35, 0.40, 0.20, 0.05)
EXTRA_LEVEL_SHARE_OTHER = (0.55, 0.35, 0.09, 0.01)
SELF_OPTIMISM_CHANCE = 0.12

# Diversity data (approx., civil servants who declared; ONS five ethnic groups).
CONSENT_SHARE = 0.8
SEXES = ("Female", "Male")
SEX_SHARE = (0.545, 0.455)
ETHNIC_GROUPS = (
    "White",
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "Other ethnic group",
)
ETHNIC_GROUP_SHARE = (0.84, 0.075, 0.045, 0.025, 0.015)
DISABILITIES = ("Disabled", "Not disabled")
DISABILITY_SHARE = (0.16, 0.84)
AGE_BANDS = ("16-19", "20-29", "30-39", "40-49", "50-59", "60-64", "65+")
AGE_BAND_SHARE = (0.01, 0.16, 0.24, 0.23, 0.25, 0.08, 0.03)
