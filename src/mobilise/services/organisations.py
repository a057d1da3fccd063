"""Organisations: the shipped list of UK departments, agencies, councils and firms.

The shipped CSV is in the import format (docs/formats.md) and is loaded through the same import as
any user's file, so the default data obeys exactly the rules an import enforces: one set of rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, func, select

from mobilise.services.transfer import import_organisations
from mobilise.store.database import reading
from mobilise.store.models import Organisation


@dataclass(frozen=True, slots=True)
class OrganisationSummary:
    id: int
    key: str
    name: str
    kind: str
    region: str
    parent_key: str | None
    headcount: int | None


def shipped_organisations_path() -> Path:
    return Path(str(resources.files("mobilise") / "data" / "organisations.csv"))


def ensure_default_organisations(engine: Engine) -> int:
    """Load the shipped organisations if none are stored; how many were added."""
    with reading(engine) as session:
        if session.scalar(select(func.count(Organisation.id))):
            return 0
    return import_organisations(engine, shipped_organisations_path()).created


def list_organisations(engine: Engine) -> list[OrganisationSummary]:
    """Every stored organisation, ordered by key."""
    with reading(engine) as session:
        parent = select(Organisation.id, Organisation.key).subquery()
        rows = session.execute(
            select(
                Organisation.id,
                Organisation.key,
                Organisation.name,
                Organisation.kind,
                Organisation.region,
                parent.c.key,
                Organisation.headcount,
            )
            .outerjoin(parent, parent.c.id == Organisation.parent_id)
            .order_by(Organisation.key)
        ).all()
        return [OrganisationSummary(*row) for row in rows]
