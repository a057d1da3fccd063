"""Set up a programme and open a cohort: GOV.UK forms for programme admins of their organisation
(and service admins), calling the same services as the API and `mobilise programmes create` /
`open-cohort`. A refused form comes back with an error summary naming each field."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.audit import NotPermitted
from mobilise.services.programme_views import get_programme
from mobilise.services.programmes import (
    DEFAULT_RUBRIC,
    PROGRAMME_KINDS,
    CohortSpec,
    CurriculumEntry,
    ProgrammeSpec,
    cohort_problems,
    create_programme,
    open_cohort,
    organisations_run_by,
    programme_problems,
)
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.form_values import day, errors_for, lines, whole_number
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

KIND_LABELS = {
    "accelerator": "Accelerator (upskilling cohorts)",
    "apprenticeship": "Apprenticeships",
    "academy": "Academy",
    "leadership": "Leadership programme",
}
PROGRAMME_FIELDS = {
    "key": "key",
    "name": "name",
    "kind": "kind",
    "organisation": "organisation",
    "summary": "summary",
    "waiting_list_size": "waiting_list_size",
    "min_attendance": "min_attendance",
    "target_people": "target_people",
    "target_year": "target_year",
}
COHORT_FIELDS = {
    "key": "key",
    "name": "name",
    "starts_on": "starts_on",
    "ends_on": "ends_on",
    "applications_close_on": "applications_close_on",
    "capacity": "capacity",
    "families": "families",
    "min_level_order": "min_level_order",
    "curriculum": "curriculum",
    "stages": "stages",
}


def _programme_form(
    request: Request,
    organisations: list[tuple[str, str]],
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "programmes/new_programme.html",
        {
            "title": "Set up a programme",
            "organisations": organisations,
            "kinds": [(k, KIND_LABELS[k]) for k in PROGRAMME_KINDS],
            "rubric": DEFAULT_RUBRIC,
            "values": values,
            "errors": errors,
            "breadcrumbs": [{"text": "Programmes", "href": "/programmes"}],
        },
        status_code=status,
    )


@router.get("/programmes/new", response_class=HTMLResponse)
def new_programme(request: Request, engine: EngineDep, actor: SignedInActor) -> HTMLResponse:
    organisations = organisations_run_by(engine, actor)
    if not organisations:
        raise NotPermitted("only programme admins set up programmes")
    values = {"organisation": organisations[0][0], "kind": "accelerator", "min_attendance": "80"}
    return _programme_form(request, organisations, values, {})


@router.post("/programmes/new", response_class=HTMLResponse)
async def create_programme_submit(
    request: Request, engine: EngineDep, actor: SignedInActor
) -> Response:
    organisations = organisations_run_by(engine, actor)
    if not organisations:
        raise NotPermitted("only programme admins set up programmes")
    form = await request.form()
    values = {name: str(form.get(name, ""))[:2000] for name in PROGRAMME_FIELDS}
    source = f"programme {values['key']}"
    problems: list[Problem] = []
    waiting = whole_number(
        values["waiting_list_size"], "waiting_list_size", source, problems, required=False
    )
    attendance = whole_number(
        values["min_attendance"], "min_attendance", source, problems, high=100
    )
    target = whole_number(
        values["target_people"], "target_people", source, problems, required=False
    )
    year = whole_number(
        values["target_year"], "target_year", source, problems, low=2000, high=2100, required=False
    )
    spec = ProgrammeSpec(
        key=values["key"].strip(),
        name=values["name"],
        kind=values["kind"],
        organisation=values["organisation"],
        summary=values["summary"].strip(),
        rubric=DEFAULT_RUBRIC,
        waiting_list_size=waiting,
        min_attendance=(attendance if attendance is not None else 80) / 100,
        target_people=target,
        target_year=year,
    )
    try:
        if problems:
            raise InvalidInput(problems + programme_problems(spec))
        key = create_programme(engine, actor, spec)
    except InvalidInput as error:
        errors = errors_for(error.problems, PROGRAMME_FIELDS, "key")
        return _programme_form(request, organisations, values, errors, status=422)
    return RedirectResponse(f"/programmes/{key}", status_code=303)


def _cohort_form(
    request: Request,
    programme: Any,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "programmes/new_cohort.html",
        {
            "title": f"Open a cohort of {programme.name}",
            "programme": programme,
            "values": values,
            "errors": errors,
            "breadcrumbs": [
                {"text": "Programmes", "href": "/programmes"},
                {"text": programme.name, "href": f"/programmes/{programme.key}"},
            ],
        },
        status_code=status,
    )


@router.get("/programmes/{key}/cohorts/new", response_class=HTMLResponse)
def new_cohort(request: Request, engine: EngineDep, actor: SignedInActor, key: str) -> HTMLResponse:
    programme = get_programme(engine, actor, key[:200])
    if not programme.may_run:
        raise NotPermitted(f"only programme admins of {programme.organisation_name} open cohorts")
    return _cohort_form(request, programme, {}, {})


def _stages(text: str, source: str, problems: list[Problem]) -> list[dict[str, Any]]:
    stages: list[dict[str, Any]] = []
    for index, line in enumerate(lines(text)):
        name, _, weeks = line.rpartition(",")
        if not name:
            name, weeks = weeks, ""
        stages.append(
            {
                "name": name.strip(),
                "weeks": whole_number(
                    weeks,
                    f"stages[{index}].weeks",
                    source,
                    problems,
                    low=1,
                    high=520,
                    required=False,
                ),
            }
        )
    return stages


@router.post("/programmes/{key}/cohorts/new", response_class=HTMLResponse)
async def open_cohort_submit(
    request: Request, engine: EngineDep, actor: SignedInActor, key: str
) -> Response:
    programme = get_programme(engine, actor, key[:200])
    if not programme.may_run:
        raise NotPermitted(f"only programme admins of {programme.organisation_name} open cohorts")
    form = await request.form()
    values = {name: str(form.get(name, ""))[:5000] for name in COHORT_FIELDS}
    source = f"cohort {values['key']}"
    problems: list[Problem] = []
    starts = day(values["starts_on"], "starts_on", source, problems)
    ends = day(values["ends_on"], "ends_on", source, problems)
    closes = day(
        values["applications_close_on"], "applications_close_on", source, problems, required=False
    )
    capacity = whole_number(values["capacity"], "capacity", source, problems, high=100_000)
    level = whole_number(
        values["min_level_order"],
        "min_level_order",
        source,
        problems,
        low=1,
        high=20,
        required=False,
    )
    eligibility: dict[str, Any] = {}
    families = [f.strip() for f in values["families"].split(",") if f.strip()]
    if families:
        eligibility["families"] = families
    if level is not None:
        eligibility["min_level_order"] = level
    curriculum = [
        CurriculumEntry(item.lstrip("*").strip(), item.startswith("*"))
        for item in lines(values["curriculum"])
    ]
    stages = _stages(values["stages"], source, problems)
    spec = CohortSpec(
        key=values["key"].strip(),
        name=values["name"],
        starts_on=starts or date.today(),
        ends_on=ends or starts or date.today(),
        capacity=capacity or 0,
        applications_close_on=closes,
        eligibility=eligibility,
        curriculum=curriculum,
        stages=stages,
    )
    try:
        if problems:
            raise InvalidInput(problems + cohort_problems(spec))
        cohort = open_cohort(engine, actor, programme.key, spec)
    except InvalidInput as error:
        errors = errors_for(error.problems, COHORT_FIELDS, "key")
        return _cohort_form(request, programme, values, errors, status=422)
    return RedirectResponse(f"/cohorts/{cohort}", status_code=303)
