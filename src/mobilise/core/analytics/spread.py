"""A programme's participants by region and by ethnic group, protected jointly.

The programmes page publishes, per programme, its participants (P), the share of them based
outside London (so the count outside, O), how many consented and gave an ethnic group (C) and the
share of those from ethnic minority backgrounds (so that count, M). These are margins of one
cross-classification of the same people — region (outside London, London) by ethnic group
(minority, White, not consented or not recorded) — whose inside is never published. Differencing
published margins gives further counts of people: P - O (in London), P - C (who did not consent:
the defect this module fixes), C - M (White), P - M. So the figures are protected as two tables
sharing their row totals (P):

- by region, [O, London], and
- by ethnic group, [M, White, not recorded], with C = M + White and P - M = White + not recorded
  as derived figures (core/analytics/disclosure.py): wherever the shown values give one, it must
  be zero or at least the threshold;

and a P hidden in either table is hidden in both (the tables are protected again until they
agree), so neither reveals what the other hides. C is published only where the shown values give
it. Programmes are separate rows with no totals over them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mobilise.core.analytics.disclosure import CountTable, ProtectedTable, determined, protect

# Region groups (rows of each programme's cross-classification) and ethnic groups (columns).
OUTSIDE_LONDON, LONDON = 0, 1
MINORITY, WHITE, NOT_RECORDED = 0, 1, 2


@dataclass(frozen=True)
class SpreadFigures:
    """One programme's published counts; None where suppressed."""

    participants: int | None
    outside_london: int | None
    consenting: int | None
    minority: int | None


def _hidden_totals(protected: ProtectedTable) -> npt.NDArray[np.bool_]:
    found: npt.NDArray[np.bool_] = protected.row_total_suppressed.copy()
    return found


def protect_spread(
    cross: npt.NDArray[np.int64],
    threshold: int,
    participants_hidden: npt.NDArray[np.bool_] | None = None,
) -> list[SpreadFigures]:
    """`cross[k]` is programme k's 2 × 3 count of participants: region group by ethnic group.

    `participants_hidden` marks programmes whose number of participants another table on the
    page hides (the funnels): it is hidden here too, with what would give it away."""
    counts = np.asarray(cross, dtype=np.int64).reshape(-1, 2, 3)
    programmes = counts.shape[0]
    by_region = counts.sum(axis=2)  # [O, London]
    by_ethnicity = counts.sum(axis=1)  # [M, White, not recorded]
    region_table = CountTable(by_region, column_totals_shown=False, grand_total_shown=False)
    ethnic_table = CountTable(by_ethnicity, column_totals_shown=False, grand_total_shown=False)
    consenting, others = [], []
    for k in range(programmes):
        w = np.zeros((programmes + 1, 4))
        w[k, MINORITY] = w[k, WHITE] = 1
        consenting.append(w)
        w = np.zeros((programmes + 1, 4))
        w[k, WHITE] = w[k, NOT_RECORDED] = 1
        others.append(w)
    hidden = np.zeros(programmes, dtype=bool)
    if participants_hidden is not None:
        hidden |= np.asarray(participants_hidden, dtype=bool)
    while True:
        forced_region = np.zeros((programmes + 1, 3), dtype=bool)
        forced_region[:programmes, 2] = hidden
        forced_ethnic = np.zeros((programmes + 1, 4), dtype=bool)
        forced_ethnic[:programmes, 3] = hidden
        region = protect(region_table, threshold, hide=forced_region)
        ethnic = protect(
            ethnic_table, threshold, derived=[*consenting, *others], hide=forced_ethnic
        )
        agreed = _hidden_totals(region) | _hidden_totals(ethnic)
        if (agreed == hidden).all() and ((_hidden_totals(region) == _hidden_totals(ethnic)).all()):
            break
        hidden = agreed
    figures = []
    for k in range(programmes):
        given = determined(ethnic, consenting[k])
        figures.append(
            SpreadFigures(
                participants=region.row_total(k),
                outside_london=region.cell(k, OUTSIDE_LONDON),
                consenting=int(by_ethnicity[k, :2].sum()) if given else None,
                minority=ethnic.cell(k, MINORITY),
            )
        )
    return figures
