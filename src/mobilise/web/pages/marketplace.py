"""Marketplace pages: opportunities ranked by fit with the reasons, an opportunity (save, apply,
and its applicants ranked by fit for its owners), applying, an application (release, accept,
share), your applications and releases, rounds (close, allocate, start, finish, the moves), and
the forms to open a round and post an opportunity.

Every form posts to a route that calls the same service as the API; refusals come back as the
form with an error summary, or as the problem page, and change nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.framework import SkillLevel
from mobilise.core.marketplace import APPRENTICESHIP_ROLES, KIND_LABELS, OpportunityKind
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import CohortAction, CohortState
from mobilise.services.applications import SHARE_PART_LABELS, SHARE_PARTS
from mobilise.services.audit import NotPermitted
from mobilise.services.marketplace_applications import (
    act,
    apply,
    get_application,
    my_applications,
    ranked_applicants,
    release_queue,
    revoke_share,
    score_applicant,
)
from mobilise.services.marketplace_rounds import (
    RoundSpec,
    change_round,
    get_round,
    list_rounds,
    moves_of,
    open_round,
    round_problems,
)
from mobilise.services.opportunities import (
    OpportunitySpec,
    RequiredSkill,
    browse,
    get_opportunity,
    opportunity_problems,
    post_opportunity,
    save_opportunity,
)
from mobilise.services.opportunity_skills import (
    SuggestedSkill,
    stored_suggestions,
    suggest_required_skills,
)
from mobilise.services.programme_views import list_programmes
from mobilise.services.programmes import organisations_run_by
from mobilise.services.round_allocation import allocate_round
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.form_values import day, errors_for, lines, whole_number
from mobilise.web.pages.programmes import ACTION_LABELS, acted_on, problem_page
from mobilise.web.pages.skills import suggestion_choices
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

KINDS = [(k.value, KIND_LABELS[k]) for k in OpportunityKind]
ROUND_ACTIONS = {
    CohortState.OPEN: ("close", "Close applications"),
    CohortState.CLOSED: ("allocate", "Allocate the round"),
    CohortState.OFFERS_PUBLISHED: ("start", "Start: record the moves"),
    CohortState.RUNNING: ("finish", "Finish: record the returns"),
}
APPLY_FIELDS = {"statement": "statement", "share": "share", "consent": "consent"}
OPPORTUNITY_FIELDS = {
    "key": "key",
    "round": "round",
    "organisation": "organisation",
    "kind": "kind",
    "role": "role",
    "title": "title",
    "summary": "summary",
    "place": "place",
    "starts_on": "starts_on",
    "ends_on": "ends_on",
    "capacity": "capacity",
    "skills": "skills",
}
ROUND_FIELDS = {
    "key": "key",
    "name": "name",
    "organisation": "organisation",
    "applications_close_on": "applications_close_on",
    "programme": "programme",
    "outside_london": "outside_london",
    "under_represented": "under_represented",
    "constraints": "outside_london",
}


@router.get("/opportunities", response_class=HTMLResponse)
def opportunities(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    kind: Annotated[str, Query(max_length=30)] = "",
    saved: Annotated[bool, Query()] = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    size = request.app.state.settings.page_size
    chosen = kind if kind in {k for k, _ in KINDS} else None
    found, total = browse(
        engine, actor, kind=chosen, saved_only=saved, limit=size, offset=(page - 1) * size
    )
    return render(
        request,
        "opportunities/list.html",
        {
            "title": "Saved opportunities" if saved else "Opportunities",
            "opportunities": found,
            "total": total,
            "kinds": KINDS,
            "kind": chosen or "",
            "saved": saved,
            "page_number": page,
            "has_more": page * size < total,
            "may_post": bool(organisations_run_by(engine, actor)),
        },
    )


def _opportunity_page(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> HTMLResponse:
    view = get_opportunity(engine, actor, key)
    return render(
        request,
        "opportunities/opportunity.html",
        {
            "title": view.summary.title,
            "opportunity": view,
            "applicants": ranked_applicants(engine, actor, key) if view.owns else [],
            "suggested": stored_suggestions(engine, actor, key) if view.owns else [],
            "breadcrumbs": [{"text": "Opportunities", "href": "/opportunities"}],
        },
    )


@router.get("/opportunities/new", response_class=HTMLResponse)
def new_opportunity(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return _opportunity_form(request, engine, actor, {}, {})


@router.get("/opportunities/applications", response_class=HTMLResponse)
def applications(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return render(
        request,
        "opportunities/applications.html",
        {
            "title": "Your applications to opportunities",
            "mine": my_applications(engine, actor),
            "releases": release_queue(engine, actor),
            "breadcrumbs": [{"text": "Opportunities", "href": "/opportunities"}],
        },
    )


@router.get("/opportunities/{key}", response_class=HTMLResponse)
def opportunity(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> HTMLResponse:
    return _opportunity_page(request, engine, actor, key[:200])


@router.post("/opportunities/{key}/saved", response_class=HTMLResponse)
def save(
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    saved: Annotated[str, Form(pattern="^(yes|no)$")] = "yes",
) -> Response:
    save_opportunity(engine, actor, key[:200], saved=saved == "yes")
    return RedirectResponse(f"/opportunities/{key}", status_code=303)


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
    view = get_opportunity(engine, actor, key)
    return render(
        request,
        "opportunities/apply.html",
        {
            "title": f"Apply: {view.summary.title}",
            "opportunity": view,
            "parts": [(p, SHARE_PART_LABELS[p]) for p in SHARE_PARTS],
            "values": values or {"share": list(SHARE_PARTS)},
            "errors": errors or {},
            "breadcrumbs": [
                {"text": "Opportunities", "href": "/opportunities"},
                {"text": view.summary.title, "href": f"/opportunities/{key}"},
            ],
        },
        status_code=status,
    )


@router.get("/opportunities/{key}/apply", response_class=HTMLResponse)
def apply_form(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    return _apply_page(request, engine, actor, key[:200])


@router.post("/opportunities/{key}/apply", response_class=HTMLResponse)
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
            if problem.column == "opportunity":
                errors.setdefault("statement", f"You cannot apply: {problem.rule}")
            elif problem.column == "consent":
                errors.setdefault(
                    "consent", "Confirm that you consent to share these parts of your profile"
                )
            elif problem.column == "statement" and problem.value is None:
                errors.setdefault("statement", "Enter a statement")
        errors.update(
            {
                f: m
                for f, m in errors_for(error.problems, APPLY_FIELDS, "statement").items()
                if f not in errors
            }
        )
        return _apply_page(
            request,
            engine,
            actor,
            key[:200],
            values={"statement": statement, "share": share, "consent": consent},
            errors=errors,
            status=422,
        )
    return RedirectResponse(f"/opportunity-applications/{application}", status_code=303)


@router.get("/opportunity-applications/{key}", response_class=HTMLResponse)
def application(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> HTMLResponse:
    view = get_application(engine, actor, key[:40])
    return render(
        request,
        "opportunities/application.html",
        {
            "title": f"Application: {view.summary.opportunity_title}",
            "application": view,
            "action_labels": ACTION_LABELS,
            "part_labels": SHARE_PART_LABELS,
            "breadcrumbs": [
                {"text": "Your applications", "href": "/opportunities/applications"},
                {
                    "text": view.summary.opportunity_title,
                    "href": f"/opportunities/{view.summary.opportunity_key}",
                },
            ],
        },
    )


@router.post("/opportunity-applications/{key}/transitions", response_class=HTMLResponse)
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
        page=f"/opportunity-applications/{key}",
        releases="/opportunities/applications#releases",
    )


@router.post("/opportunity-applications/{key}/score", response_class=HTMLResponse)
def score(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    score: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    problems: list[Problem] = []
    value = whole_number(score, "score", f"application {key}", problems, high=100)
    view = get_application(engine, actor, key[:40])
    back = f"/opportunities/{view.summary.opportunity_key}#applicants"
    try:
        if value is None:
            raise InvalidInput(problems)
        score_applicant(engine, actor, key[:40], value)
    except InvalidInput as error:
        return problem_page(request, error, back)
    return RedirectResponse(back, status_code=303)


@router.post("/opportunity-applications/{key}/share", response_class=HTMLResponse)
def revoke(engine: EngineDep, actor: SignedInActor, key: str) -> Response:
    revoke_share(engine, actor, key[:40])
    return RedirectResponse(f"/opportunity-applications/{key}#sharing", status_code=303)


@router.get("/rounds", response_class=HTMLResponse)
def rounds(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return render(
        request,
        "opportunities/rounds.html",
        {
            "title": "Marketplace rounds",
            "rounds": list_rounds(engine, actor),
            "may_open": bool(organisations_run_by(engine, actor)),
            "breadcrumbs": [{"text": "Opportunities", "href": "/opportunities"}],
        },
    )


@router.get("/rounds/new", response_class=HTMLResponse)
def new_round(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    return _round_form(request, engine, actor, {}, {})


def _round_form(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    organisations = organisations_run_by(engine, actor)
    if not organisations:
        raise NotPermitted("only programme admins open rounds")
    return render(
        request,
        "opportunities/new_round.html",
        {
            "title": "Open a round",
            "organisations": organisations,
            "programmes": [("", "None: a round of its own")]
            + [(p.key, p.name) for p in list_programmes(engine, actor) if p.may_run],
            "values": values,
            "errors": errors,
            "breadcrumbs": [{"text": "Rounds", "href": "/rounds"}],
        },
        status_code=status,
    )


def _quotas(values: dict[str, str], source: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """The two quotas the form offers (TechTrack's), as the engine's quotas: shares in per cent
    of those placed, outside London (by where they are based) and from under-represented groups
    (the opaque code g1, for people who consented)."""
    quotas: list[dict[str, Any]] = []
    outside = whole_number(
        values["outside_london"], "outside_london", source, problems, high=100, required=False
    )
    if outside:
        quotas.append(
            {
                "id": "outside-london",
                "attribute": "region",
                "not_values": ["London"],
                "min_share": outside / 100,
            }
        )
    groups = whole_number(
        values["under_represented"], "under_represented", source, problems, high=100, required=False
    )
    if groups:
        quotas.append(
            {
                "id": "under-represented",
                "attribute": "group",
                "values": ["g1"],
                "min_share": groups / 100,
            }
        )
    return quotas


@router.post("/rounds/new", response_class=HTMLResponse)
async def open_round_submit(request: Request, engine: EngineDep, actor: SignedInActor) -> Response:
    form = await request.form()
    values = {name: str(form.get(name, ""))[:1000] for name in ROUND_FIELDS}
    source = f"round {values['key']}"
    problems: list[Problem] = []
    closes = day(
        values["applications_close_on"], "applications_close_on", source, problems, required=False
    )
    spec = RoundSpec(
        values["key"].strip(),
        values["name"],
        values["organisation"],
        closes,
        programme=values["programme"] or None,
        quotas=_quotas(values, source, problems),
    )
    try:
        if problems:
            raise InvalidInput(problems + round_problems(spec))
        key = open_round(engine, actor, spec)
    except InvalidInput as error:
        errors = errors_for(error.problems, ROUND_FIELDS, "key")
        return _round_form(request, engine, actor, values, errors, status=422)
    return RedirectResponse(f"/rounds/{key}", status_code=303)


@router.get("/rounds/{key}", response_class=HTMLResponse)
def round_page(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    found, items = get_round(engine, actor, key[:200])
    return render(
        request,
        "opportunities/round.html",
        {
            "title": found.name,
            "round": found,
            "opportunities": items,
            "next_action": ROUND_ACTIONS.get(found.state) if found.owns else None,
            "moves": moves_of(engine, actor, key[:200]) if found.owns else [],
            "breadcrumbs": [{"text": "Rounds", "href": "/rounds"}],
        },
    )


@router.post("/rounds/{key}/transitions", response_class=HTMLResponse)
def round_transition(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: str,
    action: Annotated[str, Form(pattern="^(close|allocate|start|finish)$")],
) -> Response:
    try:
        if action == "allocate":
            allocate_round(engine, actor, key[:200])
        else:
            change_round(engine, actor, key[:200], CohortAction(action))
    except InvalidInput as error:
        return problem_page(request, error, f"/rounds/{key}")
    return RedirectResponse(f"/rounds/{key}", status_code=303)


def _opportunity_form(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    suggested: list[SuggestedSkill] | None = None,
    choices: dict[str, str] | None = None,
) -> HTMLResponse:
    organisations = organisations_run_by(engine, actor)
    if not organisations:
        raise NotPermitted("only programme admins post opportunities")
    open_rounds = [
        (r.key, r.name) for r in list_rounds(engine, actor) if r.state is CohortState.OPEN
    ]
    return render(
        request,
        "opportunities/new_opportunity.html",
        {
            "title": "Post an opportunity",
            "organisations": organisations,
            "rounds": open_rounds,
            "kinds": KINDS,
            "values": {"kind": "project_role", **values},
            "errors": errors,
            "levels": SkillLevel.labels(),
            "suggested": suggested,
            "choices": choices or {},
            "roles": [("", "Not an apprenticeship")]
            + [(r, r.capitalize()) for r in APPRENTICESHIP_ROLES],
            "breadcrumbs": [{"text": "Opportunities", "href": "/opportunities"}],
        },
        status_code=status,
    )


def _required_skills(text: str, source: str, problems: list[Problem]) -> list[RequiredSkill]:
    """One "skill-key, level" per line."""
    found = []
    for index, line in enumerate(lines(text)):
        skill, _, level = line.partition(",")
        if not level.strip():
            problems.append(
                Problem(source, None, f"skills[{index}]", line[:40], "needs a comma and a level")
            )
            continue
        found.append(RequiredSkill(skill.strip(), level.strip()))
    return found


@router.post("/opportunities/new", response_class=HTMLResponse)
async def post_opportunity_submit(
    request: Request, engine: EngineDep, actor: SignedInActor
) -> Response:
    form = await request.form()
    values = {name: str(form.get(name, ""))[:5000] for name in OPPORTUNITY_FIELDS}
    source = f"opportunity {values['key']}"
    problems: list[Problem] = []
    starts = day(values["starts_on"], "starts_on", source, problems)
    ends = day(values["ends_on"], "ends_on", source, problems)
    capacity = whole_number(values["capacity"], "capacity", source, problems, high=100_000)
    skills = _required_skills(values["skills"], source, problems)
    # Suggested skills the owner chose a level for join those typed in (which win).
    choices = suggestion_choices(form)
    typed = {s.skill for s in skills}
    skills += [RequiredSkill(k, level) for k, level in choices.items() if k not in typed]
    if form.get("action") == "suggest":
        try:
            suggested = suggest_required_skills(engine, values["title"], values["summary"])
        except InvalidInput as error:
            errors = errors_for(error.problems, OPPORTUNITY_FIELDS, "summary")
            return _opportunity_form(request, engine, actor, values, errors, status=422)
        return _opportunity_form(
            request, engine, actor, values, {}, suggested=suggested, choices=choices
        )
    spec = OpportunitySpec(
        key=values["key"].strip(),
        round=values["round"],
        organisation=values["organisation"],
        kind=values["kind"],
        title=values["title"],
        starts_on=starts or ends or date.today(),
        ends_on=ends or starts or date.today(),
        capacity=capacity or 0,
        summary=values["summary"],
        place=values["place"],
        skills=skills,
        role=values["role"] or None,
    )
    try:
        if problems:
            raise InvalidInput(problems + opportunity_problems(spec))
        key = post_opportunity(engine, actor, spec)
    except InvalidInput as error:
        errors = errors_for(error.problems, OPPORTUNITY_FIELDS, "key")
        # Keep the owner's choices among the suggestions on the form shown again.
        again = (
            suggest_required_skills(engine, values["title"], values["summary"])
            if choices and values["summary"].strip()
            else None
        )
        return _opportunity_form(
            request, engine, actor, values, errors, 422, suggested=again, choices=choices
        )
    return RedirectResponse(f"/opportunities/{key}", status_code=303)
