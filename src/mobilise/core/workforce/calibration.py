"""The published figures the synthetic workforce is calibrated on, and the assumptions around them.

Figures marked "figures.md" come from ../shared/data/figures.md (Civil Service Statistics and GOV.UK
announcements, Open Government Licence v3.0). Shares marked "approx." are rounded from Civil Service
Statistics 2024–25 tables (grade, region, sex, ethnicity, disability, age); the others are stated
modelling assumptions, chosen to give plausible histories, not published facts.
"""

from __future__ import annotations

from datetime import date

from mobilise.core.records.vocabulary import GRADES as ALL_GRADES
from mobilise.core.records.vocabulary import REGIONS as ALL_REGIONS

# Where civil servants work (approx., headcount share by ITL1 region): about 80% outside London.
_REGION_SHARE = {
    "London": 20.0,
    "South East": 8.5,
    "East of England": 4.5,
    "South West": 9.5,
    "West Midlands": 6.5,
    "East Midlands": 4.0,
    "Yorkshire and The Humber": 8.5,
    "North West": 12.0,
    "North East": 6.5,
    "Wales": 7.0,
    "Scotland": 11.5,
    "Northern Ireland": 1.5,
}
# Grades of all civil servants (approx.), and of DDaT professionals (assumption: a senior-heavy
# profession). Apprentices and SCS4 are left out of the demo.
_GRADE_SHARE = {
    "AA": (3.0, 0.0),
    "AO": (22.0, 1.0),
    "EO": (28.0, 8.0),
    "HEO": (17.0, 20.0),
    "SEO": (11.0, 25.0),
    "G7": (12.0, 28.0),
    "G6": (5.5, 13.0),
    "SCS1": (1.2, 4.0),
    "SCS2": (0.25, 0.8),
    "SCS3": (0.05, 0.2),
}

# The names come from the records vocabulary, so demo data always passes the import rules; the
# index of a grade is its rank (most junior first), the index of a region its code in the arrays.
GRADES = tuple(grade for grade in ALL_GRADES if grade in _GRADE_SHARE)
REGIONS = ALL_REGIONS
CIVIL_SERVICE_REGION_SHARE = tuple(_REGION_SHARE[region] for region in REGIONS)
CIVIL_SERVICE_GRADE_SHARE = tuple(_GRADE_SHARE[grade][0] for grade in GRADES)
DDAT_GRADE_SHARE = tuple(_GRADE_SHARE[grade][1] for grade in GRADES)
# DDaT posts are more London-heavy (assumption: about a third in London).
DDAT_LONDON_SHARE = 0.34
# Share of an organisation's people at its headquarters' region when that is not London.
HOME_REGION_SHARE = 0.5

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
