"""Programme funnels (applied → selected → completed → moved role) per programme and intake
(its cohorts and its marketplace intakes: services/analytics/intakes.py), and the diversity and
regional spread of each programme's participants against its published aims.

Funnel stages are nested, so their differences count people too (applied but not selected): each
programme's intakes are protected as one table partitioning applicants into exclusive stages —
not selected, selected but not a participant (an offer pending or declined), a participant who
has not completed, completed without a move, completed and moved — with the programme's totals.
Every cumulative stage, and the participants of the intakes started between any two months, are
derived figures of that table (zero or at least the threshold wherever its shown values give
them), and each is published only where the shown values give it. The programme targets'
participant series (participant_series) and the spread's participants are published on the same
terms, so no target page or spread reveals a count the funnels hide. Diversity counts consenting
participants only (docs/disclosure.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, select

from mobilise.core.analytics import CountTable, ProtectedTable, determined, protect
from mobilise.core.analytics.spread import (
    LONDON,
    MINORITY,
    NOT_RECORDED,
    OUTSIDE_LONDON,
    WHITE,
    SpreadFigures,
    protect_spread,
)
from mobilise.services.actors import Actor
from mobilise.services.analytics.intakes import (
    PARTICIPANT_STAGE,
    STAGES,
    Applicant,
    Intake,
    programme_intakes,
)
from mobilise.services.analytics.statistics import (
    Column,
    StatisticRow,
    StatisticTable,
    check_reader,
    share,
)
from mobilise.settings import get_settings
from mobilise.store.database import reading
from mobilise.store.models import Person, Programme, SensitiveAttributes, Target

MAJORITY_ETHNIC_GROUP = "White"


def _cumulative(
    protected: ProtectedTable, cells: npt.NDArray[np.int64], row: int | None
) -> list[int | None]:
    """Applied, selected, accepted, completed, moved for one row (None: the column totals)."""
    rows, columns = cells.shape
    figures: list[int | None] = []
    for least in range(len(STAGES)):
        weights = np.zeros((rows + 1, columns + 1))
        target_row = rows if row is None else row
        weights[target_row, least:columns] = 1
        if determined(protected, weights):
            chosen = cells.sum(axis=0) if row is None else cells[row]
            figures.append(int(chosen[least:].sum()))
        else:
            figures.append(None)
    return figures


@dataclass(frozen=True)
class _ProgrammeFunnel:
    """One programme's intakes, protected as a table of their own with the programme's totals:
    a small intake of one programme never costs another programme its figures."""

    key: str
    name: str
    intakes: list[Intake]
    cells: npt.NDArray[np.int64]
    protected: ProtectedTable

    def months(self) -> list[date]:
        return sorted({_month_end(intake.starts_on) for intake in self.intakes})

    def participants_by(self, month: date | None, after: date | None = None) -> npt.NDArray[Any]:
        """Weights of the participants of intakes started after `after`, up to `month`."""
        rows, columns = self.cells.shape
        weights = np.zeros((rows + 1, columns + 1))
        for i, intake in enumerate(self.intakes):
            started = _month_end(intake.starts_on)
            if (month is None or started <= month) and (after is None or started > after):
                weights[i, PARTICIPANT_STAGE:columns] = 1
        return weights

    def given(self, weights: npt.NDArray[Any]) -> int | None:
        """The weighted sum of the cells where the shown values give it."""
        if not determined(self.protected, weights):
            return None
        rows, columns = self.cells.shape
        return int((weights[:rows, :columns] * self.cells).sum())


def _counted_figures(cells: npt.NDArray[np.int64], months: list[list[int]]) -> list[Any]:
    """Every figure the pages publish from a programme's funnel, as weights: each intake's and
    the totals' applied, selected, accepted, completed (cumulative stages) and, per pair of
    months, the participants of the intakes that started between them — all counts of people,
    so disclosure control keeps each at zero or the threshold wherever the table gives it."""
    rows, columns = cells.shape
    found = []
    for row in range(rows + 1):
        for least in range(1, columns):
            weights = np.zeros((rows + 1, columns + 1))
            weights[row, least:columns] = 1
            found.append(weights)
    for start in range(len(months)):
        for end in range(start, len(months)):
            weights = np.zeros((rows + 1, columns + 1))
            for month in months[start : end + 1]:
                weights[month, PARTICIPANT_STAGE:columns] = 1
            found.append(weights)
    return found


def protect_funnel(
    cells: npt.NDArray[np.int64], months: list[list[int]], threshold: int
) -> ProtectedTable:
    """A programme's funnel (intakes × exclusive stages) with its totals, protected with every
    figure the pages derive from it; `months` groups the intakes (rows) by the month they
    started, in order."""
    return protect(CountTable(cells), threshold, derived=_counted_figures(cells, months))


@dataclass(frozen=True)
class _Funnels:
    programmes: list[_ProgrammeFunnel]
    applicants: list[Applicant]

    def of(self, programme_key: str) -> _ProgrammeFunnel | None:
        return next((p for p in self.programmes if p.key == programme_key), None)

    @property
    def intakes(self) -> list[Intake]:
        return [intake for programme in self.programmes for intake in programme.intakes]


def _funnels(engine: Engine, threshold: int) -> _Funnels:
    with reading(engine) as session:
        intakes, applicants = programme_intakes(session)
    by_programme: dict[str, list[Intake]] = defaultdict(list)
    for intake in intakes:
        by_programme[intake.programme_key].append(intake)
    index = {intake.key: i for i, intake in enumerate(intakes)}
    stages: dict[tuple[int, int], int] = defaultdict(int)
    for applicant in applicants:
        stages[index[applicant.intake], applicant.stage] += 1
    programmes = []
    for key, mine in by_programme.items():
        cells = np.zeros((len(mine), len(STAGES)), dtype=np.int64)
        for i, intake in enumerate(mine):
            for stage in range(len(STAGES)):
                cells[i, stage] = stages.get((index[intake.key], stage), 0)
        starts = sorted({_month_end(intake.starts_on) for intake in mine})
        months = [
            [i for i, intake in enumerate(mine) if _month_end(intake.starts_on) == month]
            for month in starts
        ]
        protected = protect_funnel(cells, months, threshold)
        programmes.append(_ProgrammeFunnel(key, mine[0].programme, mine, cells, protected))
    return _Funnels(programmes, applicants)


def participant_series(
    engine: Engine, programme_key: str, threshold: int
) -> list[tuple[date, int | None]]:
    """A programme's participants so far at the end of each month an intake of it started; a
    month's figure is published only where the funnel table's shown values give it (and then,
    like the change from any other month, it is zero or at least the threshold)."""
    funnel = _funnels(engine, threshold).of(programme_key)
    if funnel is None:
        return []
    # Intakes yet to start have no participants yet (their offers may be out already).
    started = [month for month in funnel.months() if month <= _month_end(date.today())]
    return [(month, funnel.given(funnel.participants_by(month))) for month in started]


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def programme_funnels(
    engine: Engine, actor: Actor, *, threshold: int | None = None
) -> StatisticTable:
    """Every intake's funnel, protected within its programme, with each programme's totals (when
    it has several intakes) and all programmes' (a sum of published totals)."""
    check_reader(actor)
    threshold = threshold or get_settings().disclosure_threshold
    funnels = _funnels(engine, threshold)
    columns = (
        Column("applied", "Applied"),
        Column("selected", "Selected"),
        Column("accepted", "Accepted (participants)"),
        Column("completed", "Completed"),
        Column("moved", "Moved role after"),
        Column("completion", "Completed of accepted", "share"),
    )

    def figures(values: list[int | None]) -> tuple[Any, ...]:
        return (*values, share(values[3], values[2]))

    rows = []
    overall: list[int | None] = [0] * len(STAGES)
    for funnel in sorted(funnels.programmes, key=lambda f: f.name.lower()):
        for i, intake in enumerate(funnel.intakes):
            rows.append(
                StatisticRow(
                    intake.key,
                    f"{intake.programme}: {intake.name}",
                    figures(_cumulative(funnel.protected, funnel.cells, i)),
                )
            )
        totals = _cumulative(funnel.protected, funnel.cells, None)
        if len(funnel.intakes) > 1:
            rows.append(
                StatisticRow(f"all-{funnel.key}", f"{funnel.name}: all intakes", figures(totals))
            )
        # Across programmes: a sum of published figures only (nothing protects it otherwise).
        overall = [
            None if a is None or b is None else a + b for a, b in zip(overall, totals, strict=True)
        ]
    return StatisticTable(
        key="programme-funnels",
        title="Programme funnels by intake",
        row_heading="Programme and intake",
        columns=columns,
        rows=tuple(rows),
        totals=StatisticRow("all", "All programmes", figures(overall)),
        threshold=threshold,
        notes=(
            "Intakes: a programme's cohorts, and the marketplace rounds that are its intakes "
            "(TechTrack's placements). Selected: offered a place. Accepted: took the place up "
            "(the programme's participants). Moved role: completed, then started a new position "
            "after the cohort or placement ended. Each programme's intakes are protected "
            "together with the programme's totals.",
        ),
    )


def _participants_given(funnels: _Funnels, programme_key: str) -> bool:
    """Whether the programme's funnel table gives its participants (all its intakes)."""
    funnel = funnels.of(programme_key)
    return funnel is not None and funnel.given(funnel.participants_by(None)) is not None


@dataclass(frozen=True)
class ProgrammeSpread:
    key: str
    name: str
    figures: SpreadFigures
    latest_start: date  # the month the latest intake with participants started


def _attributes(session: Any, people: set[int]) -> dict[int, tuple[str | None, bool, str | None]]:
    """Region, consent and ethnic group of each participant (read in batches of a thousand)."""
    found: dict[int, tuple[str | None, bool, str | None]] = {}
    chosen = sorted(people)
    for start in range(0, len(chosen), 1000):
        for person_id, region, consent, ethnic_group in session.execute(
            select(
                Person.id,
                Person.region,
                SensitiveAttributes.consent,
                SensitiveAttributes.ethnic_group,
            )
            .outerjoin(SensitiveAttributes, SensitiveAttributes.person_id == Person.id)
            .where(Person.id.in_(chosen[start : start + 1000]))
        ):
            found[person_id] = (region, bool(consent), ethnic_group)
    return found


def spread_by_programme(engine: Engine, threshold: int) -> list[ProgrammeSpread]:
    """Each programme's participants by region and ethnic group, protected jointly with each
    other and with the funnels: a participant counts once per intake, as in the funnels, so the
    programme's participants are the sum of its intakes' and are shown only where the funnel
    table's shown values give that sum (else the funnels' suppression could be undone here)."""
    funnels = _funnels(engine, threshold)
    intake_of = {intake.key: intake for intake in funnels.intakes}
    joined = [a for a in funnels.applicants if a.stage >= PARTICIPANT_STAGE]
    with reading(engine) as session:
        programmes = list(
            session.execute(select(Programme.key, Programme.name).order_by(Programme.name))
        )
        attributes = _attributes(session, {a.person_id for a in joined})
    taking_part = {intake_of[a.intake].programme_key for a in joined}
    keys = [p for p in programmes if p.key in taking_part]
    index = {p.key: k for k, p in enumerate(keys)}
    cross = np.zeros((len(keys), 2, 3), dtype=np.int64)
    latest: dict[str, date] = {}
    for applicant in joined:
        intake = intake_of[applicant.intake]
        region, consent, ethnic_group = attributes.get(applicant.person_id, (None, False, None))
        where = LONDON if region is None or region == "London" else OUTSIDE_LONDON
        if not consent or ethnic_group is None:
            group = NOT_RECORDED
        else:
            group = WHITE if ethnic_group == MAJORITY_ETHNIC_GROUP else MINORITY
        cross[index[intake.programme_key], where, group] += 1
        latest[intake.programme_key] = max(
            latest.get(intake.programme_key, intake.starts_on), intake.starts_on
        )
    # Both breakdowns count the same people, so they are protected jointly: no difference of
    # two figures (participants less those who consented) is a count the threshold forbids.
    hidden = np.array([not _participants_given(funnels, p.key) for p in keys], dtype=bool)
    figures = protect_spread(cross, threshold, hidden)
    return [
        ProgrammeSpread(p.key, p.name, f, latest[p.key]) for p, f in zip(keys, figures, strict=True)
    ]


def programme_spread(
    engine: Engine, actor: Actor, *, threshold: int | None = None
) -> StatisticTable:
    """Each programme's participants outside London and, of those who consented, from ethnic
    minority backgrounds — with the programme's published aim where one is set."""
    check_reader(actor)
    threshold = threshold or get_settings().disclosure_threshold
    with reading(engine) as session:
        aims = {
            scope.partition(":")[2]: value
            for scope, value in session.execute(
                select(Target.scope, Target.value).where(
                    Target.metric == "programme_share_outside_london"
                )
            )
        }
    rows = []
    for spread in spread_by_programme(engine, threshold):
        f = spread.figures
        rows.append(
            StatisticRow(
                spread.key,
                spread.name,
                (
                    f.participants,
                    share(f.outside_london, f.participants),
                    aims.get(spread.key),
                    f.consenting,
                    share(f.minority, f.consenting),
                ),
            )
        )
    return StatisticTable(
        key="programme-spread",
        title="Participants' regional spread and ethnic diversity by programme",
        row_heading="Programme",
        columns=(
            Column("participants", "Participants"),
            Column("outside_london", "Outside London", "share"),
            Column("aim_outside_london", "Aim outside London", "share"),
            Column("consenting", "Who consented to record ethnicity"),
            Column("minority", "From ethnic minority backgrounds", "share"),
        ),
        rows=tuple(rows),
        totals=None,
        threshold=threshold,
        notes=(
            "Participants: accepted onto one of the programme's intakes (a cohort, or a "
            "marketplace round that is its intake), once per intake. Ethnic minority "
            "backgrounds: any recorded ethnic group other than White, among participants who "
            "consented; nobody's answer is ever shown on its own.",
        ),
    )
