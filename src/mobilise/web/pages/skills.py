"""`/me/skills/from-text`: paste a CV (or upload it as .txt) and confirm the skills it suggests;
`/skills/change-requests`: skill demand no framework skill covers, for admins; a learning item's
skill tags reviewed by learning admins (shown on the item's page)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    HTTPException,
    Path,
    Query,
    Request,
    UploadFile,
)
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import InvalidInput
from mobilise.services.actors import Actor, Role
from mobilise.services.cv_documents import text_of_upload
from mobilise.services.learning import LearningItemNotFound
from mobilise.services.opportunity_skills import answer_suggestions
from mobilise.services.skill_calibration import threshold_in_force
from mobilise.services.skill_crosswalk import (
    CrosswalkEntryNotFound,
    list_crosswalk,
    review_entry,
)
from mobilise.services.skill_demand import (
    ChangeRequestNotFound,
    decide_change_request,
    list_change_requests,
)
from mobilise.services.skill_inference import MAX_TEXT_BYTES
from mobilise.services.skill_suggestions import (
    TextSuggestions,
    record_suggestions,
    suggest_skills,
)
from mobilise.services.skill_tags import LearningTagNotFound, review_tag
from mobilise.web.access import PUBLIC, OperatorActor, Requirement, SignedInActor
from mobilise.web.dependencies import EngineDep
from mobilise.web.rendering import render

router = APIRouter(include_in_schema=False)

AdminActor = Annotated[Actor, Depends(Requirement(Role.ORGANISATION_ADMIN, Role.SERVICE_ADMIN))]
LEVELS = [(int(level), level.label.capitalize()) for level in SkillLevel]
# Form fields are bounded a little over the service's own limit so its message is the one shown.
MAX_FORM_TEXT = MAX_TEXT_BYTES + 1024
CONTEXT = 300
CRUMBS = [{"text": "Your profile", "href": "/me"}]


def _message(error: InvalidInput) -> str:
    problem = error.problems[0]
    column = (problem.column or "text").capitalize()
    return f"{column} {problem.rule}" if column != "File" else f"The file {problem.rule}"


def _form(
    request: Request, *, text: str = "", error: str | None = None, status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "skills/from_text.html",
        {
            "title": "Find skills in your CV",
            "text": text,
            "errors": {"text": error} if error else {},
            "limit_kb": MAX_TEXT_BYTES // 1024,
            "breadcrumbs": CRUMBS,
        },
        status_code=status,
    )


def _passages(text: str, found: TextSuggestions) -> list[dict[str, Any]]:
    """Each suggestion with its supporting span cut out, so the template marks it up escaped."""
    shown = []
    for s in found.suggestions:
        span = text[s.start : s.end]
        shown.append(
            {
                "suggestion": s,
                "span": span[:CONTEXT] + ("…" if len(span) > CONTEXT else ""),
            }
        )
    return shown


@router.get("/me/skills/from-text", response_class=HTMLResponse)
def paste_form(request: Request, actor: SignedInActor) -> HTMLResponse:
    return _form(request)


@router.post("/me/skills/from-text", response_class=HTMLResponse)
async def read_text(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    text: Annotated[str, Form(max_length=MAX_FORM_TEXT)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    try:
        if file is not None and file.filename:
            raw = await file.read(MAX_TEXT_BYTES + 1)
            text = text_of_upload(raw, file.filename)
        found = suggest_skills(engine, actor, text)
    except InvalidInput as error:
        return _form(request, text=text, error=_message(error), status=422)
    return render(
        request,
        "skills/suggestions.html",
        {
            "title": "Skills found in your text",
            "text": text,
            "found": found,
            "passages": _passages(text, found),
            "levels": LEVELS,
            "breadcrumbs": [
                *CRUMBS,
                {"text": "Find skills in your CV", "href": "/me/skills/from-text"},
            ],
        },
    )


@router.post("/me/skills/from-text/confirm", response_model=None)
async def confirm(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    text: Annotated[str, Form(max_length=MAX_FORM_TEXT)] = "",
    keep: Annotated[str, Form(pattern="^(rest|none)$")] = "rest",
) -> Response:
    form = await request.form()
    chosen = [value for value in form.getlist("skill") if isinstance(value, str)]
    levels: dict[str, int | str] = {}
    for key in chosen[:100]:
        level = form.get(f"level-{key}")
        levels[key] = level if isinstance(level, str) and level else int(SkillLevel.AWARENESS)
    try:
        record_suggestions(engine, actor, text, confirm=levels, keep_rest=keep == "rest")
    except InvalidInput as error:
        return _form(request, text=text, error=_message(error), status=422)
    return RedirectResponse(f"/people/{actor.person_key}#skills", status_code=303)


@router.get("/skills/change-requests", response_class=HTMLResponse)
def change_requests(
    request: Request,
    engine: EngineDep,
    actor: AdminActor,
    status: Annotated[str, Query(pattern="^(open|accepted|declined)$")] = "open",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    size = request.app.state.settings.page_size
    requests, total = list_change_requests(
        engine, actor, status=status, limit=size, offset=(page - 1) * size
    )
    return render(
        request,
        "skills/change_requests.html",
        {
            "title": "Skill change requests",
            "requests": requests,
            "total": total,
            "status": status,
            "page_number": page,
            "has_more": page * size < total,
            "may_decide": actor.is_operator,
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )


@router.post("/skills/change-requests/{request_id}", response_model=None)
def decide(
    engine: EngineDep,
    actor: OperatorActor,
    request_id: int,
    decision: Annotated[str, Form(pattern="^(accept|decline)$")],
    note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        decide_change_request(engine, actor, request_id, decision, note)
    except ChangeRequestNotFound:
        raise HTTPException(404) from None
    return RedirectResponse("/skills/change-requests", status_code=303)


@router.get("/skills/crosswalk", response_class=HTMLResponse)
def crosswalk(
    request: Request,
    engine: EngineDep,
    actor: OperatorActor,
    skill: Annotated[str, Query(max_length=200)] = "",
    source: Annotated[str, Query(pattern="^(|computed|reviewed)$")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    size = request.app.state.settings.page_size
    entries, total = list_crosswalk(
        engine,
        skill_key=skill or None,
        source=source or None,
        limit=size,
        offset=(page - 1) * size,
    )
    return render(
        request,
        "skills/crosswalk.html",
        {
            "title": "ESCO to framework crosswalk",
            "entries": entries,
            "total": total,
            "skill": skill,
            "source": source,
            "page_number": page,
            "has_more": page * size < total,
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )


@router.post("/skills/crosswalk/{entry_id}", response_model=None)
def review(
    request: Request,
    engine: EngineDep,
    actor: OperatorActor,
    entry_id: int,
    decision: Annotated[str, Form(pattern="^(accept|reject)$")],
    note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        review_entry(engine, actor, entry_id, decision == "accept", note)
    except CrosswalkEntryNotFound:
        raise HTTPException(404) from None
    back = request.headers.get("referer", "")
    # Back to the list the reviewer was reading, but only ever to this page.
    target = back if "/skills/crosswalk" in back and back.startswith(str(request.base_url)) else ""
    return RedirectResponse(target or "/skills/crosswalk", status_code=303)


@router.post("/learning/{key}/skill-tags", response_model=None)
def review_learning_tag(
    engine: EngineDep,
    actor: OperatorActor,
    key: Annotated[str, Path(max_length=200)],
    esco: Annotated[str, Form(max_length=200)],
    decision: Annotated[str, Form(pattern="^(confirm|reject)$")],
    level: Annotated[int, Form(ge=1, le=4)] = 2,
) -> Response:
    try:
        review_tag(engine, actor, key, esco, decision, level=level)
    except (LearningItemNotFound, LearningTagNotFound):
        raise HTTPException(404) from None
    return RedirectResponse(f"/learning/{key}#skill-tags", status_code=303)


def suggestion_choices(form: Mapping[str, object]) -> dict[str, str]:
    """The owner's choice for each suggested skill of an opportunity form ("suggested-KEY": a
    level, "dismiss", or "" for not required); unchosen ones are left out."""
    prefix = "suggested-"
    return {
        name[len(prefix) :]: value
        for name, value in form.items()
        if name.startswith(prefix) and isinstance(value, str) and value
    }


@router.post("/opportunities/{key}/skill-suggestions", response_model=None)
async def answer_opportunity_suggestions(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: Annotated[str, Path(max_length=200)],
) -> Response:
    choices = suggestion_choices(await request.form())
    confirm = {skill: level for skill, level in choices.items() if level != "dismiss"}
    dismiss = [skill for skill, level in choices.items() if level == "dismiss"]
    answer_suggestions(engine, actor, key, confirm, dismiss=dismiss)
    return RedirectResponse(f"/opportunities/{key}#skills", status_code=303)


@router.get("/about/skills", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def about_skills(request: Request) -> HTMLResponse:
    return render(
        request,
        "skills/about.html",
        {
            "title": "How Mobilise suggests skills",
            "found": threshold_in_force(),
            "breadcrumbs": [{"text": "Home", "href": "/"}, {"text": "About", "href": "/about"}],
        },
    )
