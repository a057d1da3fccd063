"""A programme's impact as CSV: one row per cohort and figure, suppressed figures as [c]."""

from __future__ import annotations

import csv
import io

from mobilise.services.analytics.statistics import SUPPRESSED
from mobilise.services.impact import OUTCOMES, ProgrammeImpact

COLUMNS = ("cohort", "measure", "months_after_end", "value", "low", "high", "people")


def _number(value: float | int | None, places: int = 3) -> str:
    if value is None:
        return SUPPRESSED
    return str(value) if isinstance(value, int) else f"{value:.{places}f}"


def impact_csv(impact: ProgrammeImpact) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for cohort in impact.cohorts:
        writer.writerow([cohort.key, "participants", "", _number(cohort.participants), "", "", ""])
        for key, _ in OUTCOMES:
            writer.writerow([cohort.key, key, "12", _number(cohort.outcomes[key]), "", "", ""])
        writer.writerow(
            [cohort.key, "register_projects_offered", "", str(cohort.projects_offered), "", "", ""]
        )
        for follow_up in cohort.follow_ups:
            months = str(follow_up.months)
            people = _number(follow_up.people)
            writer.writerow(
                [
                    cohort.key,
                    "mean_level_at_entry",
                    months,
                    _number(follow_up.level_before),
                    "",
                    "",
                    people,
                ]
            )
            writer.writerow(
                [
                    cohort.key,
                    "mean_level_after",
                    months,
                    _number(follow_up.level_after),
                    "",
                    "",
                    people,
                ]
            )
            effect = follow_up.effect
            writer.writerow(
                [
                    cohort.key,
                    "effect_difference_in_differences",
                    months,
                    _number(effect.estimate if effect else None),
                    _number(effect.low if effect else None),
                    _number(effect.high if effect else None),
                    _number(follow_up.pairs),
                ]
            )
    writer.writerow(["all cohorts", "participants", "", _number(impact.participants), "", "", ""])
    for key, _ in OUTCOMES:
        writer.writerow(["all cohorts", key, "12", _number(impact.outcomes.get(key)), "", "", ""])
    buffer.write(
        f"# Counts of people from 1 to {impact.threshold - 1}, the counts that would reveal them, "
        f"and means or effects over fewer than {impact.threshold} people are shown as "
        f"{SUPPRESSED} (docs/disclosure.md). Effects: matched difference in differences with a "
        "95% bootstrap interval (docs/impact.md).\n"
    )
    return buffer.getvalue()
