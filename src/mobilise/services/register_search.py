"""Searching the AI project register: words, and the GOV.UK finder's facets.

The public pages and the API filter by organisation (a stored organisation's key), phase (the
project's column), and function and region (rows of `ai_project_facet`, so each filter is an
indexed lookup). Words match the title, summary or description, any case; every word must occur.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Engine, func, or_, select

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.register.record_rules import link_problem
from mobilise.core.register.vocabulary import PHASES
from mobilise.services.catalogue import UnknownKey
from mobilise.services.register import ProjectView, atrs_standard, get_project
from mobilise.store.database import reading
from mobilise.store.models import AIProject, AIProjectFacet, Organisation

MAX_PAGE_SIZE = 200
MAX_WORDS = 10
# The finder facets a search filters on through ai_project_facet rows.
ROW_FACETS = ("function", "region")


@dataclass(frozen=True, slots=True)
class RegisterFilters:
    words: str | None = None
    organisation: str | None = None
    phase: str | None = None
    functions: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    key: str
    title: str
    summary: str
    organisation_key: str | None
    organisation_name: str | None
    phase: str | None
    published_on: date | None


@dataclass(frozen=True, slots=True)
class RegisterPage:
    projects: list[ProjectSummary]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class FilledField:
    label: str
    text: str
    link: bool  # an http(s) URL a public page may link to


@dataclass(frozen=True, slots=True)
class FilledSection:
    section: str
    fields: list[FilledField]


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class RegisterFacets:
    """What a search form offers: organisations that have projects, and the finder's values."""

    organisations: tuple[Choice, ...]
    phases: tuple[Choice, ...]
    functions: tuple[Choice, ...]
    regions: tuple[Choice, ...]


def _refusal(field: str, value: str, rule: str) -> InvalidInput:
    return InvalidInput([Problem("register search", None, field, value, rule)])


def _checked(filters: RegisterFilters) -> None:
    standard = atrs_standard()
    if filters.phase is not None and filters.phase not in PHASES:
        raise _refusal("phase", filters.phase, f"must be one of {', '.join(PHASES)}")
    for facet, chosen in (("function", filters.functions), ("region", filters.regions)):
        allowed = standard.allowed(facet)
        for value in chosen:
            if value not in allowed:
                raise _refusal(facet, value, "is not a value of the GOV.UK finder's facet")
    if filters.words is not None and len(filters.words.split()) > MAX_WORDS:
        raise _refusal("q", filters.words, f"must have at most {MAX_WORDS} words")


def _conditions(filters: RegisterFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [AIProject.status == "published"]
    for word in (filters.words or "").split():
        # LIKE wildcards in what the reader typed are literal characters.
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (AIProject.title, AIProject.summary, AIProject.description)
                )
            )
        )
    if filters.organisation:
        conditions.append(
            AIProject.organisation_id.in_(
                select(Organisation.id).where(Organisation.key == filters.organisation)
            )
        )
    if filters.phase:
        conditions.append(AIProject.phase == filters.phase)
    for facet, chosen in (("function", filters.functions), ("region", filters.regions)):
        if chosen:  # any of the chosen values of one facet; every facet chosen
            conditions.append(
                AIProject.id.in_(
                    select(AIProjectFacet.project_id).where(
                        AIProjectFacet.facet == facet, AIProjectFacet.value.in_(chosen)
                    )
                )
            )
    return conditions


def search_register(
    engine: Engine, filters: RegisterFilters, *, page: int = 1, page_size: int = 50
) -> RegisterPage:
    """Published projects matching `filters`, by title then key, `page_size` at a time."""
    if page < 1:
        raise _refusal("page", str(page), "must be 1 or more")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise _refusal("page_size", str(page_size), f"must be from 1 to {MAX_PAGE_SIZE}")
    _checked(filters)
    conditions = _conditions(filters)
    with reading(engine) as session:
        total = session.scalar(select(func.count(AIProject.id)).where(*conditions)) or 0
        rows = session.execute(
            select(AIProject, Organisation.key, Organisation.name)
            .outerjoin(Organisation, Organisation.id == AIProject.organisation_id)
            .where(*conditions)
            .order_by(func.lower(AIProject.title), AIProject.key)
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).all()
        projects = [
            ProjectSummary(
                key=project.key,
                title=project.title,
                summary=project.summary,
                organisation_key=organisation_key,
                organisation_name=organisation_name,
                phase=project.phase,
                published_on=project.published_on,
            )
            for project, organisation_key, organisation_name in rows
        ]
    return RegisterPage(projects, total, page, page_size)


def register_facets(engine: Engine) -> RegisterFacets:
    standard = atrs_standard()

    def finder(field_id: str) -> tuple[Choice, ...]:
        facet = standard.facets.get(field_id)
        labels = facet.labels if facet is not None else {}
        return tuple(Choice(v, labels.get(v, v)) for v in standard.allowed(field_id))

    with reading(engine) as session:
        organisations = session.execute(
            select(Organisation.key, Organisation.name)
            .where(
                Organisation.id.in_(
                    select(AIProject.organisation_id).where(AIProject.status == "published")
                )
            )
            .order_by(Organisation.name)
        ).all()
    return RegisterFacets(
        organisations=tuple(Choice(key, name) for key, name in organisations),
        phases=finder("phase"),
        functions=finder("function"),
        regions=finder("region"),
    )


def published_project(engine: Engine, key: str) -> ProjectView:
    """A published project; UnknownKey (a 404) for a draft too, which only its team may see."""
    try:
        project = get_project(engine, key)
    except LookupError:
        raise UnknownKey("published AI project", key) from None
    if project.status != "published":
        raise UnknownKey("published AI project", key)
    return project


def filled_fields(project: ProjectView) -> list[FilledSection]:
    """The ATRS fields the project's record answers, by section in the standard's order; lists
    joined, links marked as such only when they are safe to link to."""
    sections: list[FilledSection] = []
    for spec in atrs_standard().fields:
        value = project.record.get(spec.field_id)
        if value is None or value == "" or value == []:
            continue
        text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        link = spec.type == "url" and link_problem(text) is None
        if not sections or sections[-1].section != spec.section:
            sections.append(FilledSection(spec.section, []))
        sections[-1].fields.append(FilledField(spec.label, text, link))
    return sections
