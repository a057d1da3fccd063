"""Hackathon team pages: the teams with their make-up (organisers form, re-form and adjust them,
and see the participants with what each shares), a team's page (its submission, the judges'
score sheet) and the public results page (no sign-in)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.hackathon_judging import public_results, score_team, submit, team_page
from mobilise.services.hackathon_signups import participants
from mobilise.services.hackathon_teams import (
    form_hackathon_teams,
    move_participant,
    set_team_challenge,
    teams_overview,
)
from mobilise.services.hackathons import get_hackathon
from mobilise.web.access import PUBLIC, SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.hackathons import CRUMBS, acted
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)
MAX_LINKS = 5


def _number(text: str, column: str, key: str) -> int:
    if not text.strip().isdigit():
        raise InvalidInput(
            [Problem(f"teams of {key}", None, column, text, "must be a whole number")]
        )
    return int(text.strip())


@router.get("/hackathons/{key}/teams", response_class=HTMLResponse)
def teams(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    view = get_hackathon(engine, actor, key[:200])
    size = request.app.state.settings.page_size
    rows, total = (
        participants(engine, actor, key[:200], limit=size, offset=(page - 1) * size)
        if view.organises
        else ([], 0)
    )
    return render(
        request,
        "hackathons/teams.html",
        {
            "title": f"Teams: {view.summary.title}",
            "hackathon": view,
            "overview": teams_overview(engine, actor, key[:200]),
            "participants": rows,
            "total": total,
            "page_number": page,
            "has_more": page * size < total,
            "breadcrumbs": [
                *CRUMBS,
                {"text": view.summary.title, "href": f"/hackathons/{view.summary.key}"},
            ],
        },
    )


@router.post("/hackathons/{key}/teams", response_class=HTMLResponse)
def form_teams(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    seed: Annotated[str, Form(max_length=12)] = "0",
) -> Response:
    page = f"/hackathons/{key}/teams"

    def change() -> None:
        chosen = _number(seed, "seed", key) % 2**31
        form_hackathon_teams(engine, actor, key[:200], seed=chosen)

    return acted(request, change, page, page)


@router.post("/hackathons/{key}/teams/moves", response_class=HTMLResponse)
def move(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    participant: Annotated[str, Form(max_length=40)] = "",
    team: Annotated[str, Form(max_length=6)] = "",
) -> Response:
    page = f"/hackathons/{key}/teams"

    def change() -> None:
        move_participant(engine, actor, key[:200], participant, _number(team, "team", key))

    return acted(request, change, page, page)


@router.post("/hackathons/{key}/teams/challenges", response_class=HTMLResponse)
def team_challenge(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    team: Annotated[str, Form(max_length=6)] = "",
    challenge: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    page = f"/hackathons/{key}/teams"

    def change() -> None:
        set_team_challenge(engine, actor, key[:200], _number(team, "team", key), challenge)

    return acted(request, change, page, page)


def _team_page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    values: dict[str, object] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    view = team_page(engine, actor, key)
    submission = view.submission
    links = list(submission.links) if submission else []
    defaults: dict[str, object] = {
        "title": submission.title if submission else "",
        "summary": submission.summary if submission else "",
        "links": links + [{"label": "", "url": ""}] * (MAX_LINKS - len(links)),
    }
    return render(
        request,
        "hackathons/team.html",
        {
            "title": f"{view.name}: {view.hackathon.title}",
            "team": view,
            "values": values or defaults,
            "problems": problems or [],
            "breadcrumbs": [
                *CRUMBS,
                {"text": view.hackathon.title, "href": f"/hackathons/{view.hackathon.key}"},
                {"text": "Teams", "href": f"/hackathons/{view.hackathon.key}/teams"},
            ],
        },
        status_code=status,
    )


@router.get("/hackathon-teams/{key}", response_class=HTMLResponse)
def team(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    return _team_page(request, engine, actor, key[:200])


@router.post("/hackathon-teams/{key}/submission", response_class=HTMLResponse)
async def submission(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> Response:
    form = await request.form()
    labels = [str(v)[:300] for v in form.getlist("label")][:MAX_LINKS]
    urls = [str(v)[:1200] for v in form.getlist("url")][:MAX_LINKS]
    pairs = list(zip(labels, urls, strict=False))
    title = str(form.get("title", ""))[:400]
    summary = str(form.get("summary", ""))[:6000]
    try:
        submit(engine, actor, key[:200], title=title, summary=summary, links=pairs)
    except InvalidInput as error:
        values: dict[str, object] = {
            "title": title,
            "summary": summary,
            "links": [{"label": label, "url": url} for label, url in pairs],
        }
        shown = [str(p) for p in error.problems]
        return _team_page(request, engine, actor, key[:200], values, shown, status=422)
    return RedirectResponse(f"/hackathon-teams/{key}", status_code=303)


@router.post("/hackathon-teams/{key}/scores", response_class=HTMLResponse)
async def scores(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    view = team_page(engine, actor, key[:200])
    form = await request.form()
    points: dict[str, int] = {}
    problems: list[Problem] = []
    for criterion in view.rubric:
        text = str(form.get(f"points-{criterion['key']}", "")).strip()[:6]
        if not text.isdigit():
            problems.append(
                Problem(f"scores for {key}", None, criterion["key"], text, "must be a number")
            )
        else:
            points[criterion["key"]] = int(text)
    comment = str(form.get("comment", ""))[:3000]

    def change() -> None:
        if problems:
            raise InvalidInput(problems)
        score_team(engine, actor, key[:200], points, comment)

    teams = f"/hackathons/{view.hackathon.key}/teams"
    return acted(request, change, f"/hackathon-teams/{key}", teams)


@router.get(
    "/hackathons/{key}/results", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)]
)
def results(request: Request, engine: EngineDep, key: str) -> HTMLResponse:
    found = public_results(engine, key[:200])
    return render(
        request,
        "hackathons/results.html",
        {"title": f"Results: {found.hackathon.title}", "results": found},
    )
