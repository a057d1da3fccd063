"""The AI project register: the ATRS standard as shipped, and reading projects.

The standard (fields.csv, finder_facets.json) ships in mobilise/data/atrs with the published
records; it is read once per process.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from mobilise.core.register.standard import Standard, build_standard
from mobilise.store.database import reading
from mobilise.store.models import AIProject, AIProjectLink, Organisation


def shipped_atrs_directory() -> Path:
    return Path(str(resources.files("mobilise") / "data" / "atrs"))


@lru_cache(maxsize=1)
def atrs_standard() -> Standard:
    """The ATRS v3.0 fields and the GOV.UK finder's facets, as shipped."""
    directory = shipped_atrs_directory()
    with (directory / "fields.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    finder = json.loads((directory / "finder_facets.json").read_text(encoding="utf-8"))
    return build_standard(rows, finder)


@dataclass(frozen=True, slots=True)
class ProjectLink:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class ProjectView:
    key: str
    title: str
    summary: str
    description: str
    organisation_id: int | None
    organisation_key: str | None
    organisation_name: str | None
    phase: str | None
    status: str
    published_on: date | None
    source_url: str | None
    record: dict[str, Any]
    links: tuple[ProjectLink, ...]


def get_project(engine: Engine, key: str) -> ProjectView:
    """One project with its record; LookupError if there is none by that key."""
    with reading(engine) as session:
        row = session.execute(
            select(AIProject, Organisation.key, Organisation.name)
            .outerjoin(Organisation, Organisation.id == AIProject.organisation_id)
            .where(AIProject.key == key)
        ).one_or_none()
        if row is None:
            raise LookupError(f"no AI project {key!r}")
        project, organisation_key, organisation_name = row
        links = session.scalars(
            select(AIProjectLink)
            .where(AIProjectLink.project_id == project.id)
            .order_by(AIProjectLink.position)
        ).all()
        return ProjectView(
            key=project.key,
            title=project.title,
            summary=project.summary,
            description=project.description,
            organisation_id=project.organisation_id,
            organisation_key=organisation_key,
            organisation_name=organisation_name,
            phase=project.phase,
            status=project.status,
            published_on=project.published_on,
            source_url=project.source_url,
            record=dict(project.record),
            links=tuple(ProjectLink(link.label, link.url) for link in links),
        )


def register_is_empty(engine: Engine) -> bool:
    with reading(engine) as session:
        return session.scalar(select(AIProject.id).limit(1)) is None


def list_project_keys(engine: Engine) -> list[str]:
    with reading(engine) as session:
        return list(session.scalars(select(AIProject.key).order_by(AIProject.key)))
