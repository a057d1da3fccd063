"""The learning catalogue: browse and search it, read an item, load it for the pathway solver, and
generate the synthetic demo catalogue (completions: `mobilise.services.learning_completions`).

The catalogue is public within the service: anyone signed in may browse it, so reads take no actor.
Recording a completion acts on a person, so it takes the actor and follows the same rule as seeing
the person (`mobilise.services.people.visible_to`): the person themself, their manager chain, their
organisation's admins, and the command line. A completion creates a claim of source "learning" at
each level the item teaches; nothing is overwritten, and the claim and the completion are audited.
Imports and exports are in `mobilise.services.transfer.learning` (docs/formats.md).
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, Engine, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from mobilise.core.framework import SkillLevel
from mobilise.core.learning_demo import DEFAULT_ITEMS, generate_catalogue
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.records.learning_items import LEARNING_FORMATS
from mobilise.services.actors import Actor
from mobilise.services.framework import ensure_default_framework, get_version, load_framework
from mobilise.services.transfer import ImportReport, import_learning_items
from mobilise.store.database import reading
from mobilise.store.models import (
    FrameworkVersion,
    LearningCompletion,
    LearningItem,
    LearningItemSkill,
    LearningPrerequisite,
    SkillRecord,
)

MAX_QUERY_LENGTH = 100
MAX_PAGE_SIZE = 500
LEARNING_SOURCE = "learning"


class LearningItemNotFound(LookupError):
    """No learning item has this key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no learning item has the key {key!r}")
        self.key = key


@dataclass(frozen=True)
class SkillTaught:
    skill_key: str
    skill_name: str
    framework: str
    level: SkillLevel


@dataclass(frozen=True)
class ItemReference:
    key: str
    title: str


@dataclass(frozen=True)
class LearningItemSummary:
    key: str
    title: str
    provider: str
    format: str
    hours: Decimal
    cost_pence: int
    teaches: list[SkillTaught]

    @property
    def cost_pounds(self) -> str:
        """The cost as people read it: "Free" or "£1,250.00"."""
        if self.cost_pence == 0:
            return "Free"
        return f"£{self.cost_pence // 100:,}.{self.cost_pence % 100:02d}"


@dataclass(frozen=True)
class LearningItemView:
    summary: LearningItemSummary
    description: str
    url: str | None
    prerequisites: list[ItemReference]
    required_by: list[ItemReference]
    completions: int


@dataclass(frozen=True)
class CataloguePage:
    items: list[LearningItemSummary]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class CatalogueItem:
    """An item as the pathway solver reads it (`mobilise.core.learning.catalogue`'s
    LearningItemLike): plain values, ids of skills and items.

    Hours and cost are exact (Decimal hours with two places, whole pence) so that a solver that
    scales them to integers loses nothing.
    """

    id: int
    key: str
    hours: Decimal
    cost_pence: int
    teaches: dict[int, SkillLevel]
    prerequisites: frozenset[int]
    # Carried through the solver (it hands the same items back) for showing a pathway.
    title: str = ""
    provider: str = ""
    format: str = ""


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def refusal(column: str, value: str, rule: str) -> InvalidInput:
    return InvalidInput([Problem("learning", None, column, value, rule)])


def _filters(
    session: Session,
    query: str | None,
    item_format: str | None,
    skill: str | None,
    provider: str | None,
    framework: str | None,
) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    text = (query or "").strip()[:MAX_QUERY_LENGTH]
    if text:
        pattern = _like(text)
        filters.append(
            or_(
                LearningItem.title.ilike(pattern, escape="\\"),
                LearningItem.key.ilike(pattern, escape="\\"),
                LearningItem.provider.ilike(pattern, escape="\\"),
                LearningItem.description.ilike(pattern, escape="\\"),
            )
        )
    if item_format:
        if item_format not in LEARNING_FORMATS:
            rule = f"is not a learning format (one of: {', '.join(LEARNING_FORMATS)})"
            raise refusal("format", item_format, rule)
        filters.append(LearningItem.format == item_format)
    if provider:
        filters.append(LearningItem.provider == provider.strip())
    if skill:
        version = get_version(session, framework)
        filters.append(
            exists().where(
                LearningItemSkill.item_id == LearningItem.id,
                LearningItemSkill.skill_id == SkillRecord.id,
                SkillRecord.key == skill.strip(),
                SkillRecord.framework_version_id == version.id,
            )
        )
    return filters


SORTS = {
    "title": LearningItem.title,
    "hours": LearningItem.hours,
    "cost": LearningItem.cost_pence,
}


def list_items(
    engine: Engine,
    *,
    query: str | None = None,
    format: str | None = None,
    skill: str | None = None,
    provider: str | None = None,
    framework: str | None = None,
    page: int = 1,
    page_size: int = 50,
    sort: str = "title",
) -> CataloguePage:
    """Items `page_size` at a time, ordered by `sort` (title, hours or cost; "-hours" for most
    first): those whose title, key, provider or description contain `query` (any case), of a
    `format`, from a `provider`, teaching a `skill` (a key of the `framework` version, the default
    if None)."""
    column = SORTS.get(sort.removeprefix("-"))
    if column is None:
        raise refusal("sort", sort, "must be title, hours or cost, with - in front for descending")
    ordering = column.desc() if sort.startswith("-") else column.asc()
    if page < 1:
        raise refusal("page", str(page), "must be 1 or more")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise refusal("page_size", str(page_size), f"must be from 1 to {MAX_PAGE_SIZE}")
    with reading(engine) as session:
        filters = _filters(session, query, format, skill, provider, framework)
        total = session.scalar(select(func.count(LearningItem.id)).where(*filters)) or 0
        rows = session.scalars(
            select(LearningItem)
            .where(*filters)
            .order_by(ordering, LearningItem.title, LearningItem.key)
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).all()
        taught = _taught(session, [row.id for row in rows])
        items = [_summary(row, taught.get(row.id, [])) for row in rows]
    return CataloguePage(items, total, page, page_size)


def _summary(item: LearningItem, teaches: list[SkillTaught]) -> LearningItemSummary:
    return LearningItemSummary(
        key=item.key,
        title=item.title,
        provider=item.provider,
        format=item.format,
        hours=Decimal(item.hours),
        cost_pence=item.cost_pence,
        teaches=teaches,
    )


def _taught(session: Session, item_ids: list[int]) -> dict[int, list[SkillTaught]]:
    taught: dict[int, list[SkillTaught]] = defaultdict(list)
    if not item_ids:
        return taught
    rows = session.execute(
        select(
            LearningItemSkill.item_id,
            SkillRecord.key,
            SkillRecord.name,
            FrameworkVersion.name,
            LearningItemSkill.level,
        )
        .join(SkillRecord, SkillRecord.id == LearningItemSkill.skill_id)
        .join(FrameworkVersion, FrameworkVersion.id == SkillRecord.framework_version_id)
        .where(LearningItemSkill.item_id.in_(item_ids))
        .order_by(LearningItemSkill.item_id, SkillRecord.name)
    )
    for item_id, key, name, framework, level in rows:
        taught[item_id].append(SkillTaught(key, name, framework, SkillLevel(level)))
    return taught


def get_item(engine: Engine, key: str) -> LearningItemView:
    """One item with what it teaches, what it requires, what requires it, and how many people
    have completed it."""
    with reading(engine) as session:
        item = session.scalar(select(LearningItem).where(LearningItem.key == key))
        if item is None:
            raise LearningItemNotFound(key)
        other = aliased(LearningItem)
        prerequisites = session.execute(
            select(other.key, other.title)
            .join(LearningPrerequisite, LearningPrerequisite.required_item_id == other.id)
            .where(LearningPrerequisite.item_id == item.id)
            .order_by(other.title, other.key)
        ).all()
        required_by = session.execute(
            select(other.key, other.title)
            .join(LearningPrerequisite, LearningPrerequisite.item_id == other.id)
            .where(LearningPrerequisite.required_item_id == item.id)
            .order_by(other.title, other.key)
        ).all()
        completions = (
            session.scalar(
                select(func.count(LearningCompletion.id)).where(
                    LearningCompletion.item_id == item.id
                )
            )
            or 0
        )
        return LearningItemView(
            summary=_summary(item, _taught(session, [item.id]).get(item.id, [])),
            description=item.description,
            url=item.url,
            prerequisites=[ItemReference(k, t) for k, t in prerequisites],
            required_by=[ItemReference(k, t) for k, t in required_by],
            completions=completions,
        )


def list_providers(engine: Engine) -> list[str]:
    """Every provider in the catalogue, by name, for a filter."""
    with reading(engine) as session:
        return list(
            session.scalars(
                select(LearningItem.provider).distinct().order_by(LearningItem.provider)
            )
        )


def load_catalogue(engine: Engine, *, framework: str | None = None) -> list[CatalogueItem]:
    """The whole catalogue as the pathway solver's input, ordered by item id.

    With `framework`, each item's `teaches` keeps only skills of that version (an item teaching
    none of them is still listed: it may be another item's prerequisite).
    """
    with reading(engine) as session:
        version_id = None if framework is None else get_version(session, framework).id
        skill_filter: list[ColumnElement[bool]] = []
        if version_id is not None:
            skill_filter.append(
                LearningItemSkill.skill_id.in_(
                    select(SkillRecord.id).where(SkillRecord.framework_version_id == version_id)
                )
            )
        teaches: dict[int, dict[int, SkillLevel]] = defaultdict(dict)
        for item_id, skill_id, level in session.execute(
            select(
                LearningItemSkill.item_id, LearningItemSkill.skill_id, LearningItemSkill.level
            ).where(*skill_filter)
        ):
            teaches[item_id][skill_id] = SkillLevel(level)
        requires: dict[int, set[int]] = defaultdict(set)
        for item_id, required in session.execute(
            select(LearningPrerequisite.item_id, LearningPrerequisite.required_item_id)
        ):
            requires[item_id].add(required)
        return [
            CatalogueItem(
                id=item_id,
                key=key,
                hours=Decimal(hours),
                cost_pence=cost,
                teaches=teaches.get(item_id, {}),
                prerequisites=frozenset(requires.get(item_id, ())),
                title=title,
                provider=provider,
                format=item_format,
            )
            for item_id, key, hours, cost, title, provider, item_format in session.execute(
                select(
                    LearningItem.id,
                    LearningItem.key,
                    LearningItem.hours,
                    LearningItem.cost_pence,
                    LearningItem.title,
                    LearningItem.provider,
                    LearningItem.format,
                ).order_by(LearningItem.id)
            )
        ]


def catalogue_is_empty(engine: Engine) -> bool:
    with reading(engine) as session:
        return session.scalar(select(LearningItem.id).limit(1)) is None


def generate_demo_catalogue(
    engine: Engine,
    *,
    items: int = DEFAULT_ITEMS,
    seed: int,
    framework: str | None = None,
    actor: Actor | None = None,
) -> ImportReport:
    """Generate the synthetic catalogue from a framework version's skills and roles and import
    it through the same rules as any file (upserts by key: running it again changes nothing)."""
    if items < 0:
        raise refusal("items", str(items), "must be zero or more")
    ensure_default_framework(engine)
    version = load_framework(engine, framework)
    with reading(engine) as session:
        name = get_version(session, framework).name
    rows = generate_catalogue(version, items=items, seed=seed)
    document = io.BytesIO(json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    return import_learning_items(
        engine,
        document,
        format="json",
        framework=name,
        name=f"demo catalogue (seed {seed})",
        actor=actor,
    )


def ensure_demo_catalogue(engine: Engine, *, seed: int, items: int = DEFAULT_ITEMS) -> int:
    """Generate the demo catalogue if the catalogue is empty; how many items were added."""
    if not catalogue_is_empty(engine):
        return 0
    return generate_demo_catalogue(engine, items=items, seed=seed).created


__all__ = [
    "CatalogueItem",
    "CataloguePage",
    "ItemReference",
    "LearningItemNotFound",
    "LearningItemSummary",
    "LearningItemView",
    "SkillTaught",
    "catalogue_is_empty",
    "ensure_demo_catalogue",
    "generate_demo_catalogue",
    "get_item",
    "list_items",
    "list_providers",
    "load_catalogue",
]
