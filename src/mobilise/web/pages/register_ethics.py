"""`/register/{key}/ethics`: a project's data-ethics self-assessment, for its team.

One page, a fieldset per cell (a principle in an activity) grouped by principle; each submit
saves the cells and comes back to the project's task list, which shows the overall state.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.register.ethics import (
    ACTIVITIES,
    CELLS,
    MAX_NOTES,
    PRINCIPLES,
    SCALE,
    EthicsEntry,
    cell_field,
)
from mobilise.services.ethics_assessment import Assessment, get_assessment, save_assessment
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

KEY_PATH = Path(min_length=1, max_length=200)
REGISTER = {"text": "AI register", "href": "/register"}


def element_id(field: str) -> str:
    """A cell part's id in the page ("transparency.diverse-expertise.score" has dots)."""
    return field.replace(".", "-")


def _page(
    request: Request, assessment: Assessment, answers: dict[str, str], errors: dict[str, str]
) -> HTMLResponse:
    key = assessment.key
    context = {
        "title": "Data-ethics self-assessment",
        "assessment": assessment,
        "principles": PRINCIPLES,
        "activities": ACTIVITIES,
        "scale": SCALE,
        "values": answers,
        "errors": errors,
        "max_notes": MAX_NOTES,
        "breadcrumbs": [REGISTER, {"text": assessment.title, "href": f"/register/{key}/edit"}],
    }
    status = 422 if errors else 200
    return render(request, "register/ethics.html", context, status_code=status)


@router.get("/register/{key}/ethics", response_class=HTMLResponse)
def ethics(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Annotated[str, KEY_PATH]
) -> HTMLResponse:
    assessment = get_assessment(engine, actor, key)
    values: dict[str, str] = {}
    for (principle, activity), entry in assessment.entries.items():
        score = "" if entry.score is None else str(entry.score)
        values[cell_field(principle, activity, "score")] = score
        values[cell_field(principle, activity, "notes")] = entry.notes
    return _page(request, assessment, values, {})


@router.post("/register/{key}/ethics", response_class=HTMLResponse)
async def ethics_submit(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Annotated[str, KEY_PATH]
) -> Response:
    assessment = get_assessment(engine, actor, key)
    form = await request.form()
    values: dict[str, str] = {}
    entries: list[EthicsEntry] = []
    problems: list[Problem] = []
    for principle, activity in CELLS:
        score_field = cell_field(principle, activity, "score")
        notes_field = cell_field(principle, activity, "notes")
        score = values[score_field] = str(form.get(score_field, "")).strip()[:5]
        notes = values[notes_field] = str(form.get(notes_field, ""))[: MAX_NOTES + 1]
        if score and not score.isdigit():
            problems.append(Problem("assessment", None, score_field, score, "must be 0 to 3"))
            continue
        entries.append(EthicsEntry(principle, activity, int(score) if score else None, notes))
    try:
        if problems:
            raise InvalidInput(problems)
        save_assessment(engine, actor, key, entries)
    except InvalidInput as error:
        errors: dict[str, Any] = {}
        for problem in error.problems:
            field = problem.column or ""
            errors.setdefault(element_id(field), _message(field, problem.rule))
        return _page(request, assessment, values, errors)
    return RedirectResponse(f"/register/{key}/edit#ethics", status_code=303)


def _message(field: str, rule: str) -> str:
    principle, _, rest = field.partition(".")
    activity, _, part = rest.partition(".")
    names = dict(PRINCIPLES) | dict(ACTIVITIES)
    where = f"{names.get(principle, principle)} in {names.get(activity, activity).lower()}"
    return f"{where}: {part} {rule}"
