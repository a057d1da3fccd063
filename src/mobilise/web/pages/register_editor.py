"""The ATRS record editor: a GOV.UK task list of the standard's sections, a page per section,
a preview of the published record, and the publish step; for the project's team only.

Every submit of a section saves its answers (save and come back); bad values come back with an
error summary linking to each field and change nothing. Publishing is refused, naming each
missing field, until every required field is answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.register.ethics import PRINCIPLES
from mobilise.core.register.record_rules import MAX_TEXT
from mobilise.core.register.standard import FieldSpec
from mobilise.core.register.task_list import Section, find_section
from mobilise.services.catalogue import UnknownKey
from mobilise.services.register import atrs_standard
from mobilise.services.register_drafts import TeamProject, team_project
from mobilise.services.register_editing import publish_project, save_section
from mobilise.services.register_search import filled_fields
from mobilise.services.register_similarity import similar_to_text
from mobilise.web.access import SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.pages.form_values import lines
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

REGISTER = {"text": "AI register", "href": "/register"}
KEY_PATH = Path(min_length=1, max_length=200)
SLUG_PATH = Path(min_length=1, max_length=80)
# One character over the record's limit (record_rules.MAX_TEXT), so that the rule, not a silent
# cut, answers an over-long answer.
MAX_ANSWER = MAX_TEXT + 1
# Free-text fields answered in a line, not a paragraph.
SHORT_FIELDS = frozenset(
    {
        "title",
        "organisation",
        "task",
        "atrs_version",
        "name",
        "organisation_or_department",
        "team",
        "senior_responsible_owner",
        "third_party",
        "companies_house_number",
        "procurement_procedure_type",
        "model_name",
        "model_version",
        "source_data_name",
    }
)


def field_control(spec: FieldSpec) -> str:
    """How the section page asks for a field: input, textarea, radios, checkboxes or lines."""
    allowed = atrs_standard().allowed(spec.field_id)
    if spec.type == "enum" and allowed:
        return "radios"
    if spec.type == "list":
        return "checkboxes" if allowed else "lines"
    if spec.type in ("url", "email", "date") or spec.field_id in SHORT_FIELDS:
        return "input"
    return "textarea"


def field_errors(problems: list[Problem]) -> dict[str, str]:
    """One message per field id (its first problem), worded with the field's label."""
    standard = atrs_standard()
    errors: dict[str, str] = {}
    for problem in problems:
        spec = standard.field(problem.column or "")
        label = spec.label if spec is not None else "The section"
        message = problem.rule if problem.rule.startswith(label) else f"{label} {problem.rule}"
        errors.setdefault(problem.column or "completed", message)
    return errors


def _choices(field_id: str) -> list[tuple[str, str]]:
    standard = atrs_standard()
    facet = standard.facets.get("phase" if field_id == "tool_phase" else field_id)
    labels = facet.labels if facet is not None else {}
    return [(value, labels.get(value, value)) for value in standard.allowed(field_id)]


def _shown(spec: FieldSpec, value: Any) -> Any:
    """A stored value as the form shows it: lists one a line unless they are ticked boxes."""
    if value is None:
        return [] if spec.type == "list" else ""
    if field_control(spec) == "lines" and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return value


def _crumbs(project: TeamProject) -> list[dict[str, str]]:
    return [REGISTER, {"text": project.view.title, "href": f"/register/{project.view.key}/edit"}]


@router.get("/register/{key}/edit", response_class=HTMLResponse)
def task_list_page(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Annotated[str, KEY_PATH]
) -> HTMLResponse:
    return _task_list(request, team_project(engine, actor, key), {})


def _task_list(
    request: Request, project: TeamProject, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "register/task_list.html",
        {
            "title": project.view.title,
            "project": project,
            "errors": errors,
            "principles": dict(PRINCIPLES),
            "breadcrumbs": [REGISTER],
        },
        status_code=status,
    )


def _section_page(
    request: Request,
    project: TeamProject,
    section: Section,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    state = next(s for s in project.sections if s.section.slug == section.slug)
    return render(
        request,
        "register/section.html",
        {
            "title": section.title,
            "project": project,
            "section": section,
            "state": state,
            "controls": {spec.field_id: field_control(spec) for spec in section.fields},
            "choices": {spec.field_id: _choices(spec.field_id) for spec in section.fields},
            "values": values,
            "errors": errors,
            "breadcrumbs": _crumbs(project),
        },
        status_code=status,
    )


@dataclass(frozen=True, slots=True)
class EditedSection:
    key: str  # the project's
    section: Section


def _edited_section(
    key: Annotated[str, KEY_PATH], slug: Annotated[str, SLUG_PATH]
) -> EditedSection:
    section = find_section(atrs_standard(), slug)
    if section is None:
        raise UnknownKey("section of the ATRS record", slug)
    return EditedSection(key, section)


Edited = Annotated[EditedSection, Depends(_edited_section)]


@router.get("/register/{key}/edit/{slug}", response_class=HTMLResponse)
def section_page(
    request: Request, engine: EngineDep, actor: SignedInActor, edited: Edited
) -> HTMLResponse:
    section = edited.section
    project = team_project(engine, actor, edited.key)
    values: dict[str, Any] = {
        spec.field_id: _shown(spec, project.view.record.get(spec.field_id))
        for spec in section.fields
    }
    state = next(s for s in project.sections if s.section.slug == section.slug)
    values["completed"] = "yes" if state.status.value == "completed" else ""
    return _section_page(request, project, section, values, {})


@router.post("/register/{key}/edit/{slug}", response_class=HTMLResponse)
async def section_submit(
    request: Request, engine: EngineDep, actor: SignedInActor, edited: Edited
) -> Response:
    key, section = edited.key, edited.section
    project = team_project(engine, actor, key)
    form = await request.form()
    shown: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    for spec in section.fields:
        control = field_control(spec)
        if control == "checkboxes":
            ticked = [str(v)[:200] for v in form.getlist(spec.field_id)]
            shown[spec.field_id] = answers[spec.field_id] = ticked
        else:
            text = str(form.get(spec.field_id, ""))[:MAX_ANSWER]
            shown[spec.field_id] = text
            answers[spec.field_id] = lines(text) if control == "lines" else text
    complete = form.get("completed") == "yes"
    shown["completed"] = "yes" if complete else ""
    try:
        refused = save_section(engine, actor, key, section.slug, answers, complete=complete)
    except InvalidInput as error:
        errors = field_errors(list(error.problems))
        return _section_page(request, project, section, shown, errors, status=422)
    if refused:
        # Saved, but not complete: say which answers the section still needs.
        saved = team_project(engine, actor, key)
        shown["completed"] = ""
        return _section_page(request, saved, section, shown, field_errors(refused), status=422)
    return RedirectResponse(f"/register/{key}/edit", status_code=303)


@router.get("/register/{key}/preview", response_class=HTMLResponse)
def preview(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Annotated[str, KEY_PATH]
) -> HTMLResponse:
    """The record as the public page will show it once published."""
    project = team_project(engine, actor, key)
    view = project.view
    facet = atrs_standard().facets.get("phase")
    return render(
        request,
        "register/record.html",
        {
            "title": view.title,
            "project": view,
            "sections": filled_fields(view),
            "similar": similar_to_text(
                engine, view.title, view.summary, view.description, exclude=key
            ),
            "phase_label": (facet.labels if facet else {}).get(view.phase or ""),
            "preview": True,
            "breadcrumbs": _crumbs(project),
        },
    )


@router.post("/register/{key}/publish", response_class=HTMLResponse)
def publish(
    request: Request, engine: EngineDep, actor: SignedInActor, key: Annotated[str, KEY_PATH]
) -> Response:
    try:
        publish_project(engine, actor, key)
    except InvalidInput as error:
        project = team_project(engine, actor, key)
        errors = {
            "publish": "Publishing needs every required field: "
            + ", ".join(f.label for f in project.missing)
        }
        if not project.missing:
            errors = {"publish": error.problems[0].rule}
        return _task_list(request, project, errors, status=422)
    return RedirectResponse(f"/register/{key}", status_code=303)
