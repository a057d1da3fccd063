"""Programme pages: programmes and cohorts, applying, an application (release, scores, offers,
modules, completion), the cohort's applications for its owners and panel, and messages.

Every form posts to a route that calls the same service as the API; refusals come back as the
page again with the problem (the services say exactly what was wrong and change nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import CohortAction, CohortState
from mobilise.services.application_views import (
    get_application,
    my_applications,
    release_queue,
    team_applications,
)
from mobilise.services.applications import (
    SHARE_PART_LABELS,
    SHARE_PARTS,
    act,
    apply,
    eligibility_for,
    revoke_share,
)
from mobilise.services.cohort_delivery import complete_module, participants, record_attendance
from mobilise.services.cohort_projects import projects_offered_to
from mobilise.services.cohort_selection import run_selection
from mobilise.services.marketplace_rounds import list_rounds
from mobilise.services.outbox import messages_for
from mobilise.services.programme_views import get_cohort, get_programme, list_programmes
from mobilise.services.programmes import add_panel_member, change_cohort, organisations_run_by
from mobilise.services.selection_panel import cohort_applications, score_application
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

KEY = r"^[A-Za-z0-9_-]+$"
ACTION_LABELS = {
    "release": "Endorse and release",
    "refuse_release": "Decline to release",
    "withdraw": "Withdraw the application",
    "accept": "Accept the place",
    "decline": "Decline the place",
    "complete": "Mark as completed",
    "leave": "Record that they left",
}
COHORT_ACTIONS = {
    CohortState.OPEN: ("close", "Close applications"),
    CohortState.CLOSED: ("select", "Run the selection"),
    CohortState.OFFERS_PUBLISHED: ("start", "Start the cohort"),
    CohortState.RUNNING: ("finish", "Finish the cohort"),
}


def problem_page(request: Request, error: InvalidInput, back: str) -> HTMLResponse:
    return render(
        request,
        "programmes/problem.html",
        {"title": "There is a problem", "problems": [str(p) for p in error.problems], "back": back},
        status_code=422,
    )


@router.get("/programmes", response_class=HTMLResponse)
def programmes(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return render(
        request,
        "programmes/list.html",
        {
            "title": "Programmes",
            "programmes": list_programmes(engine, actor),
            "single": False,
            "may_set_up": bool(organisations_run_by(engine, actor)),
            "today": date.today(),
        },
    )


@router.get("/programmes/{key}", response_class=HTMLResponse)
def programme(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    found = get_programme(engine, actor, key[:200])
    return render(
        request,
        "programmes/list.html",
        {
            "title": found.name,
            "programmes": [found],
            "single": True,
            "today": date.today(),
            "intakes": [r for r in list_rounds(engine, actor) if r.programme_key == found.key],
            "breadcrumbs": [{"text": "Programmes", "href": "/programmes"}],
        },
    )


def _cohort_page(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str, page: int = 1
) -> HTMLResponse:
    view = get_cohort(engine, actor, key)
    rows: list[Any] = []
    total = 0
    size = request.app.state.settings.page_size
    if view.may_run or view.on_panel:
        rows, total = cohort_applications(engine, actor, key, limit=size, offset=(page - 1) * size)
    mine = next((a for a in my_applications(engine, actor) if a.cohort_key == key), None)
    return render(
        request,
        "programmes/cohort.html",
        {
            "title": view.summary.name,
            "cohort": view,
            "rows": rows,
            "total": total,
            "page_number": page,
            "has_more": page * size < total,
            "mine": mine,
            "projects_on_offer": projects_offered_to(engine, key),
            "unmet": eligibility_for(engine, actor, key),
            "next_action": COHORT_ACTIONS.get(view.summary.state),
            "participants": participants(engine, actor, key)
            if view.may_run and view.summary.state is CohortState.RUNNING
            else [],
            "today": date.today().isoformat(),
            "breadcrumbs": [
                {"text": "Programmes", "href": "/programmes"},
                {
                    "text": view.summary.programme_name,
                    "href": f"/programmes/{view.summary.programme_key}",
                },
            ],
        },
    )


@router.get("/cohorts/{key}", response_class=HTMLResponse)
def cohort(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    return _cohort_page(request, engine, actor, key[:200], page)


@router.post("/cohorts/{key}/transitions", response_class=HTMLResponse)
def cohort_transition(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    action: Annotated[str, Form(pattern="^(close|select|start|finish)$")],
) -> Response:
    try:
        if action == "select":
            run_selection(engine, actor, key)
        else:
            change_cohort(engine, actor, key, CohortAction(action))
    except InvalidInput as error:
        return problem_page(request, error, f"/cohorts/{key}")
    return RedirectResponse(f"/cohorts/{key}#applications", status_code=303)


@router.post("/cohorts/{key}/panel", response_class=HTMLResponse)
def panel(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    person: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        add_panel_member(engine, actor, key, person.strip())
    except InvalidInput as error:
        return problem_page(request, error, f"/cohorts/{key}")
    return RedirectResponse(f"/cohorts/{key}#panel", status_code=303)


@router.post("/cohorts/{key}/attendance", response_class=HTMLResponse)
async def attendance(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> Response:
    form = await request.form()
    present = {str(v)[:40] for v in form.getlist("present")}
    try:
        on = date.fromisoformat(str(form.get("session_on", ""))[:10])
    except ValueError:
        on = None
    if on is None:
        problem = Problem(f"attendance of {key}", None, "session_on", None, "must be a date")
        return problem_page(request, InvalidInput([problem]), f"/cohorts/{key}")
    try:
        record_attendance(engine, actor, key, on, present)
    except InvalidInput as error:
        return problem_page(request, error, f"/cohorts/{key}")
    return RedirectResponse(f"/cohorts/{key}#attendance", status_code=303)


def _apply_page(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    view = get_cohort(engine, actor, key)
    return render(
        request,
        "programmes/apply.html",
        {
            "title": f"Apply to {view.summary.name}",
            "cohort": view,
            "unmet": eligibility_for(engine, actor, key),
            "parts": [(p, SHARE_PART_LABELS[p]) for p in SHARE_PARTS],
            "values": values or {"share": list(SHARE_PARTS)},
            "errors": errors or {},
            "breadcrumbs": [
                {"text": "Programmes", "href": "/programmes"},
                {"text": view.summary.name, "href": f"/cohorts/{key}"},
            ],
        },
        status_code=status,
    )


@router.get("/cohorts/{key}/apply", response_class=HTMLResponse)
def apply_form(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    return _apply_page(request, engine, actor, key[:200])


APPLY_FIELDS = {"statement": "statement", "share": "share", "consent": "consent"}


@router.post("/cohorts/{key}/apply", response_class=HTMLResponse)
async def apply_submit(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> Response:
    form = await request.form()
    statement = str(form.get("statement", ""))[:6000]
    share = [str(v)[:20] for v in form.getlist("share")][:10]
    consent = form.get("consent") == "yes"
    try:
        application = apply(engine, actor, key[:200], statement, share, consent=consent)
    except InvalidInput as error:
        errors: dict[str, str] = {}
        for problem in error.problems:
            field = APPLY_FIELDS.get(problem.column or "", "statement")
            message = {
                "statement": "Enter a statement"
                if problem.value is None
                else f"Statement {problem.rule}",
                "consent": "Confirm that you consent to share these parts of your profile",
            }.get(field, f"{(problem.column or '').capitalize()} {problem.rule}")
            if problem.column in ("eligibility", "cohort"):
                field, message = "statement", f"You cannot apply: {problem.rule}"
            errors.setdefault(field, message)
        return _apply_page(
            request,
            engine,
            actor,
            key[:200],
            values={"statement": statement, "share": share, "consent": consent},
            errors=errors,
            status=422,
        )
    return RedirectResponse(f"/applications/{application}", status_code=303)


@router.get("/applications", response_class=HTMLResponse)
def applications(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    team, team_total = team_applications(engine, actor, limit=request.app.state.settings.page_size)
    return render(
        request,
        "programmes/applications.html",
        {
            "title": "Applications",
            "mine": my_applications(engine, actor),
            "releases": release_queue(engine, actor),
            "team": team,
            "team_total": team_total,
            "breadcrumbs": [{"text": "Programmes", "href": "/programmes"}],
        },
    )


@router.get("/applications/{key}", response_class=HTMLResponse)
def application(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> HTMLResponse:
    view = get_application(engine, actor, key[:40])
    rubric = get_cohort(engine, actor, view.summary.cohort_key).rubric if view.may_score else []
    return render(
        request,
        "programmes/application.html",
        {
            "title": f"Application to {view.summary.cohort_name}",
            "application": view,
            "action_labels": ACTION_LABELS,
            "rubric": rubric,
            "part_labels": SHARE_PART_LABELS,
            "breadcrumbs": [
                {"text": "Applications", "href": "/applications"},
                {"text": view.summary.cohort_name, "href": f"/cohorts/{view.summary.cohort_key}"},
            ],
        },
    )


@router.post("/applications/{key}/transitions", response_class=HTMLResponse)
def application_transition(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    action: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=1100)] = "",
) -> Response:
    return acted_on(
        request,
        lambda: act(engine, actor, key[:40], action, reason=reason),
        action,
        page=f"/applications/{key}",
        releases="/applications#releases",
    )


def acted_on(
    request: Request, action_taken: Callable[[], object], action: str, *, page: str, releases: str
) -> Response:
    """Take an action on an application: back to its page, or to the release queue after a
    release decision, or the problem page when refused."""
    try:
        action_taken()
    except InvalidInput as error:
        return problem_page(request, error, page)
    if action in ("release", "refuse_release"):
        return RedirectResponse(releases, status_code=303)
    return RedirectResponse(page, status_code=303)


@router.post("/applications/{key}/scores", response_class=HTMLResponse)
async def scores(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    form = await request.form()
    points: dict[str, int] = {}
    for name, value in form.multi_items():
        if name.startswith("points-"):
            text = str(value).strip()
            points[name.removeprefix("points-")[:200]] = (
                int(text) if text.isdigit() and len(text) < 4 else -1
            )
    try:
        score_application(
            engine, actor, key[:40], points, comment=str(form.get("comment", ""))[:2000]
        )
    except InvalidInput as error:
        return problem_page(request, error, f"/applications/{key}")
    view = get_application(engine, actor, key[:40])
    return RedirectResponse(f"/cohorts/{view.summary.cohort_key}#applications", status_code=303)


@router.post("/applications/{key}/share", response_class=HTMLResponse)
def revoke(engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    revoke_share(engine, actor, key[:40])
    return RedirectResponse(f"/applications/{key}#sharing", status_code=303)


@router.post("/applications/{key}/modules", response_class=HTMLResponse)
def module(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    item: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        complete_module(engine, actor, key[:40], item)
    except InvalidInput as error:
        return problem_page(request, error, f"/applications/{key}")
    return RedirectResponse(f"/applications/{key}#modules", status_code=303)


@router.get("/me/messages", response_class=HTMLResponse)
def messages(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    size = request.app.state.settings.page_size
    found, total = messages_for(engine, actor, limit=size, offset=(page - 1) * size)
    return render(
        request,
        "programmes/messages.html",
        {
            "title": "Your messages",
            "messages": found,
            "total": total,
            "page_number": page,
            "has_more": page * size < total,
        },
    )
