"""`/team`: a line manager's team capability heatmap, and `/team.csv` to take it away."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from mobilise.services.actors import Actor, Role
from mobilise.services.team_capability import team_matrix, team_matrix_csv
from mobilise.web.access import Requirement
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

ManagerActor = Annotated[Actor, Depends(Requirement(Role.LINE_MANAGER))]
WholeLine = Annotated[bool, Query(description="Everyone in the reporting line, not just reports.")]
EverySkill = Annotated[bool, Query(description="Every skill anyone has, not just those required.")]


@router.get("/team", response_class=HTMLResponse)
def team(
    request: Request,
    engine: EngineDep,
    actor: ManagerActor,
    line: WholeLine = False,
    every: EverySkill = False,
) -> HTMLResponse:
    matrix = team_matrix(engine, actor, whole_line=line, every_skill=every)
    return render(
        request,
        "people/team.html",
        {
            "title": "Your team's capability",
            "matrix": matrix,
            "whole_line": line,
            "every_skill": every,
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )


@router.get("/team.csv")
def team_csv(
    engine: EngineDep, actor: ManagerActor, line: WholeLine = False, every: EverySkill = False
) -> Response:
    return Response(
        team_matrix_csv(team_matrix(engine, actor, whole_line=line, every_skill=every)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="team-capability.csv"'},
    )
