"""Programme funnels (applied → selected → completed → moved role) per programme and cohort, and
the diversity and regional spread of each programme's participants against its published aims.

Funnel stages are nested, so their differences count people too (applied but not selected): each
table is protected as a partition of applicants into exclusive stages — not selected, selected
but not a participant (an offer pending or declined), a participant who has not completed,
completed without a move, completed and moved — and a cumulative stage is published only where
it follows from the shown values. The programme targets' participant series is published on the
same terms (participant_series), so no target page reveals a count the funnels hide. Diversity
counts consenting participants only (docs/disclosure.md).
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
    protect_spread,
)
from mobilise.services.actors import Actor
from mobilise.services.analytics.statistics import (
    Column,
    StatisticRow,
    StatisticTable,
    check_reader,
    share,
)
from mobilise.settings import get_settings
from mobilise.store.database import reading
from mobilise.store.models import (
    Application,
    ApplicationTransition,
    Cohort,
    Person,
    Position,
    Programme,
    SensitiveAttributes,
    Target,
)

# States an application reaches only through an offer: the applicant was selected.
SELECTED_STATES = frozenset({"offered", "accepted", "declined", "completed", "left"})
PARTICIPANT_STATES = ("accepted", "completed", "left")
STAGES = ("applied", "selected", "accepted", "completed", "moved")
PARTICIPANT_STAGE = 2
MAJORITY_ETHNIC_GROUP = "White"


@dataclass(frozen=True)
class _Applicant:
    cohort_id: int
    # 0 not selected, 1 selected only, 2 participant, 3 completed, 4 completed and moved role
    stage: int


@dataclass(frozen=True)
class _CohortRow:
    id: int
    programme_key: str
    programme: str
    name: str
    starts_on: date


def _stages(session: Any) -> tuple[list[_CohortRow], list[_Applicant]]:
    cohorts = [
        _CohortRow(row.id, row.key, row.programme, row.name, row.starts_on)
        for row in session.execute(
            select(
                Cohort.id,
                Programme.key,
                Programme.name.label("programme"),
                Cohort.name,
                Cohort.starts_on,
            )
            .join(Programme, Programme.id == Cohort.programme_id)
            .order_by(Programme.name, Cohort.starts_on, Cohort.name)
        )
    ]
    offered = set(
        session.scalars(
            select(ApplicationTransition.application_id).where(
                ApplicationTransition.to_state == "offered"
            )
        )
    )
    # A person moved role if a new position of theirs started after their cohort ended.
    moved = {
        (person, cohort)
        for person, cohort in session.execute(
            select(Application.person_id, Application.cohort_id)
            .join(Cohort, Cohort.id == Application.cohort_id)
            .join(Position, Position.person_id == Application.person_id)
            .where(Application.state == "completed", Position.started_on > Cohort.ends_on)
            .distinct()
        )
    }
    applicants = []
    for app_id, cohort_id, person_id, state in session.execute(
        select(Application.id, Application.cohort_id, Application.person_id, Application.state)
    ):
        stage = 0
        if state in SELECTED_STATES or app_id in offered:
            stage = 1
        if state in PARTICIPANT_STATES:
            stage = 2
        if state == "completed":
            stage = 4 if (person_id, cohort_id) in moved else 3
        applicants.append(_Applicant(cohort_id, stage))
    return cohorts, applicants


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
class _Funnels:
    cohorts: list[_CohortRow]
    cells: npt.NDArray[np.int64]
    protected: ProtectedTable


def _funnels(engine: Engine, threshold: int) -> _Funnels:
    with reading(engine) as session:
        cohorts, applicants = _stages(session)
    index = {cohort.id: i for i, cohort in enumerate(cohorts)}
    cells = np.zeros((len(cohorts), len(STAGES)), dtype=np.int64)
    for applicant in applicants:
        cells[index[applicant.cohort_id], applicant.stage] += 1
    return _Funnels(cohorts, cells, protect(CountTable(cells), threshold))


def participant_series(
    engine: Engine, programme_key: str, threshold: int
) -> list[tuple[date, int | None]]:
    """A programme's participants so far at the end of each month a cohort of it started; a
    month's figure is published only where the funnel table's shown values give it."""
    funnels = _funnels(engine, threshold)
    rows, columns = funnels.cells.shape
    mine = [i for i, c in enumerate(funnels.cohorts) if c.programme_key == programme_key]
    months = sorted({_month_end(funnels.cohorts[i].starts_on) for i in mine})
    series: list[tuple[date, int | None]] = []
    for month in months:
        weights = np.zeros((rows + 1, columns + 1))
        for i in mine:
            if _month_end(funnels.cohorts[i].starts_on) <= month:
                weights[i, PARTICIPANT_STAGE:columns] = 1
        value = int((weights[:rows, :columns] * funnels.cells).sum())
        series.append((month, value if determined(funnels.protected, weights) else None))
    return series


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def programme_funnels(
    engine: Engine, actor: Actor, *, threshold: int | None = None
) -> StatisticTable:
    """Every cohort's funnel, protected, with all cohorts' totals."""
    check_reader(actor)
    threshold = threshold or get_settings().disclosure_threshold
    funnels = _funnels(engine, threshold)
    cohorts, cells, protected = funnels.cohorts, funnels.cells, funnels.protected
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

    rows = tuple(
        StatisticRow(
            str(cohort.id),
            f"{cohort.programme}: {cohort.name}",
            figures(_cumulative(protected, cells, i)),
        )
        for i, cohort in enumerate(cohorts)
    )
    return StatisticTable(
        key="programme-funnels",
        title="Programme funnels by cohort",
        row_heading="Programme and cohort",
        columns=columns,
        rows=rows,
        totals=StatisticRow("all", "All cohorts", figures(_cumulative(protected, cells, None))),
        threshold=threshold,
        notes=(
            "Selected: offered a place. Accepted: took the place up (the programme's "
            "participants). Moved role: completed, then started a new position after the cohort "
            "ended.",
        ),
    )


def programme_spread(
    engine: Engine, actor: Actor, *, threshold: int | None = None
) -> StatisticTable:
    """Each programme's participants outside London and, of those who consented, from ethnic
    minority backgrounds — with the programme's published aim where one is set."""
    check_reader(actor)
    threshold = threshold or get_settings().disclosure_threshold
    with reading(engine) as session:
        programmes = list(
            session.execute(
                select(Programme.id, Programme.key, Programme.name).order_by(Programme.name)
            )
        )
        participants = session.execute(
            select(
                Cohort.programme_id,
                Application.person_id,
                Person.region,
                SensitiveAttributes.consent,
                SensitiveAttributes.ethnic_group,
            )
            .join(Cohort, Cohort.id == Application.cohort_id)
            .join(Person, Person.id == Application.person_id)
            .outerjoin(SensitiveAttributes, SensitiveAttributes.person_id == Person.id)
            .where(Application.state.in_(PARTICIPANT_STATES))
        ).all()
        aims = {
            scope.partition(":")[2]: value
            for scope, value in session.execute(
                select(Target.scope, Target.value).where(
                    Target.metric == "programme_share_outside_london"
                )
            )
        }
    seen: dict[int, dict[int, tuple[str | None, bool, str | None]]] = defaultdict(dict)
    for programme_id, person_id, region, consent, ethnic_group in participants:
        seen[programme_id][person_id] = (region, bool(consent), ethnic_group)
    keys = [p for p in programmes if seen.get(p.id)]
    cross = np.zeros((len(keys), 2, 3), dtype=np.int64)
    for k, programme in enumerate(keys):
        for region, consent, ethnic_group in seen[programme.id].values():
            where = LONDON if region is None or region == "London" else OUTSIDE_LONDON
            if not consent or ethnic_group is None:
                group = NOT_RECORDED
            else:
                group = WHITE if ethnic_group == MAJORITY_ETHNIC_GROUP else MINORITY
            cross[k, where, group] += 1
    # Both breakdowns count the same people, so they are protected jointly: no difference of
    # two figures (participants less those who consented) is a count the threshold forbids.
    figures = protect_spread(cross, threshold)
    rows = []
    for programme, f in zip(keys, figures, strict=True):
        rows.append(
            StatisticRow(
                programme.key,
                programme.name,
                (
                    f.participants,
                    share(f.outside_london, f.participants),
                    aims.get(programme.key),
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
            "Participants: accepted onto a cohort. Ethnic minority backgrounds: any recorded "
            "ethnic group other than White, among participants who consented; nobody's answer is "
            "ever shown on its own.",
        ),
    )
