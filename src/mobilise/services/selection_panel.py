"""The selection panel: its members score applications against the programme's rubric, and
owners and panel members list a cohort's applications with their scores."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import ApplicationState, CohortState, check_sheet, sheet_total
from mobilise.services.actors import Actor
from mobilise.services.application_transitions import now
from mobilise.services.application_views import ApplicationSummary, select_summaries, summary_of
from mobilise.services.applications import load_application, reader_of
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.programmes import find_cohort, on_panel, owns, rubric_of
from mobilise.store.database import reading, transaction
from mobilise.store.models import Application, PanelScore

COMMENT_LENGTH = 2000


@dataclass(frozen=True)
class PanelRow:
    application: ApplicationSummary
    sheets: int  # panel members who have scored it
    mean_total: float | None  # raw mean of their totals (selection removes severity)
    my_total: float | None  # the reader's own sheet


def score_application(
    engine: Engine,
    actor: Actor,
    key: str,
    points: Mapping[str, int],
    *,
    comment: str = "",
) -> float:
    """A panel member scores an application (again: their sheet is replaced); returns the total."""
    if len(comment) > COMMENT_LENGTH:
        raise InvalidInput(
            [Problem(f"scores of {key}", None, "comment", comment[:40], "is too long")]
        )
    with transaction(engine) as session:
        application, cohort, programme = load_application(session, key)
        reader = reader_of(session, actor, application, cohort, programme)
        if not reader.panel or actor.person_id is None:
            raise NotPermitted("only members of the cohort's selection panel score applications")
        if application.state != ApplicationState.RELEASED.value or cohort.state not in (
            CohortState.OPEN.value,
            CohortState.CLOSED.value,
        ):
            raise InvalidInput(
                [
                    Problem(
                        f"application {key}",
                        None,
                        "state",
                        application.state,
                        "can be scored only once released and before selection",
                    )
                ]
            )
        rubric = rubric_of(programme)
        check_sheet(rubric, points, source=f"scores of {key}")
        total = round(sheet_total(rubric, points), 4)
        sheet = session.get(PanelScore, (application.id, actor.person_id))
        before = None if sheet is None else {"points": json.loads(sheet.points)}
        if sheet is None:
            sheet = PanelScore(application_id=application.id, judge_id=actor.person_id)
            session.add(sheet)
        sheet.points = json.dumps(dict(sorted(points.items())))
        sheet.total = total
        sheet.comment = comment.strip()
        sheet.scored_at = now()
        record_event(
            session,
            actor,
            "application.scored",
            entity_type="application",
            entity_key=application.key,
            organisation_id=programme.organisation_id,
            before=before,
            after={"points": dict(points), "total": total},
        )
        return total


def cohort_applications(
    engine: Engine,
    actor: Actor,
    cohort_key: str,
    *,
    state: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[PanelRow], int]:
    """The cohort's applications for its owners and panel: selection order once selected
    (score, then waiting position), otherwise oldest first."""
    with reading(engine) as session:
        cohort, programme = find_cohort(session, cohort_key)
        if not (owns(actor, programme) or on_panel(session, actor, cohort)):
            raise NotPermitted("only the cohort's programme admins and panel see its applications")
        conditions = [Application.cohort_id == cohort.id]
        if state:
            conditions.append(Application.state == ApplicationState(state).value)
        total = session.scalar(select(func.count(Application.id)).where(*conditions)) or 0
        rows = session.execute(
            select_summaries(*conditions)
            .order_by(
                Application.score.desc().nulls_last(),
                Application.submitted_at,
                Application.id,
            )
            .limit(limit)
            .offset(offset)
        ).all()
        ids = [r[0].id for r in rows]
        stats = {
            application_id: (count, mean)
            for application_id, count, mean in session.execute(
                select(
                    PanelScore.application_id,
                    func.count(PanelScore.judge_id),
                    func.avg(PanelScore.total),
                )
                .where(PanelScore.application_id.in_(ids))
                .group_by(PanelScore.application_id)
            ).all()
        }
        mine = dict(
            session.execute(
                select(PanelScore.application_id, PanelScore.total).where(
                    PanelScore.application_id.in_(ids),
                    PanelScore.judge_id == (actor.person_id or -1),
                )
            ).all()
        )
        return [
            PanelRow(
                summary_of(r),
                int(stats.get(r[0].id, (0, None))[0]),
                None if stats.get(r[0].id) is None else float(stats[r[0].id][1]),
                mine.get(r[0].id),
            )
            for r in rows
        ], int(total)
