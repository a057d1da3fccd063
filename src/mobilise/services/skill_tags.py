"""Tag the learning catalogue: the ESCO skills each item's title and description suggest, stored
as the item's tags (framework skills follow through the crosswalk when read). Skills found that no
framework skill covers are counted as change requests, with the item's words as the example:
a learning description is not about a person.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select

from mobilise.core.skills.crosswalk import Found, map_to_framework
from mobilise.services.actors import Actor
from mobilise.services.audit import record_event
from mobilise.services.framework import get_version
from mobilise.services.skill_crosswalk import accepted_links, has_crosswalk
from mobilise.services.skill_demand import raise_demand
from mobilise.services.skill_inference import infer_skills
from mobilise.store.database import reading, transaction
from mobilise.store.models import LearningItem, LearningItemTag, SkillRecord

TAG_TOP = 10
TAG_MIN_SCORE = 0.3
DEMAND_MIN_SCORE = 0.45
# Items read per call of the inferencer: large enough to use its matrix products well.
BATCH = 256
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TaggingSummary:
    items: int
    tags: int
    demand: int
    seconds: float


@dataclass(frozen=True)
class ItemTag:
    esco_key: str
    esco_label: str
    score: float
    span: str
    skills: tuple[str, ...]  # framework skill keys of the default version, through the crosswalk


def _text(item: tuple[int, str, str, str]) -> str:
    return f"{item[2]}. {item[3]}"


def tag_learning_catalogue(
    engine: Engine,
    actor: Actor | None = None,
    *,
    top: int = TAG_TOP,
    min_score: float = TAG_MIN_SCORE,
    progress: Progress | None = None,
) -> TaggingSummary:
    """Replace every item's tags with those inferred now; one transaction, audited."""
    started = time.perf_counter()
    with reading(engine) as session:
        items = [
            (row.id, row.key, row.title, row.description)
            for row in session.execute(
                select(
                    LearningItem.id, LearningItem.key, LearningItem.title, LearningItem.description
                ).order_by(LearningItem.id)
            )
        ]
    found: list[list[Found]] = []
    for first in range(0, len(items), BATCH):
        chunk = items[first : first + BATCH]
        for suggestions in infer_skills([_text(i) for i in chunk], "esco", top):
            found.append(
                [
                    Found(s.key, s.label, s.score, s.start, s.end)
                    for s in suggestions
                    if s.score >= min_score
                ]
            )
        if progress is not None:
            progress(min(first + BATCH, len(items)), len(items))
    now = datetime.now(UTC)
    tags = 0
    demand = 0
    with transaction(engine) as session:
        version = get_version(session, None)
        covered = has_crosswalk(session, version.id)
        session.execute(delete(LearningItemTag))
        for item, item_found in zip(items, found, strict=True):
            session.add_all(
                LearningItemTag(
                    item_id=item[0],
                    esco_key=f.esco_key,
                    esco_label=f.esco_label[:300],
                    score=f.score,
                    span_start=f.start,
                    span_end=f.end,
                    tagged_at=now,
                )
                for f in item_found
            )
            tags += len(item_found)
            if covered:
                links = accepted_links(session, version.id, (f.esco_key for f in item_found))
                uncovered = map_to_framework(item_found, links).uncovered
                surest = [f for f in uncovered if f.score >= DEMAND_MIN_SCORE]
                demand += raise_demand(
                    session,
                    version.id,
                    surest,
                    text=_text(item),
                    example_source=f"learning item {item[1]}",
                )
        summary = TaggingSummary(len(items), tags, demand, round(time.perf_counter() - started, 3))
        record_event(
            session,
            actor,
            "learning.tagged",
            entity_type="learning_catalogue",
            entity_key="all",
            after={"items": summary.items, "tags": summary.tags, "demand": summary.demand},
        )
    return summary


def item_tags(engine: Engine, item_key: str) -> list[ItemTag]:
    """An item's tags, best first, each with the framework skills it stands for."""
    with reading(engine) as session:
        row = session.execute(
            select(LearningItem.id, LearningItem.title, LearningItem.description).where(
                LearningItem.key == item_key
            )
        ).first()
        if row is None:
            return []
        text = f"{row.title}. {row.description}"
        tags = session.scalars(
            select(LearningItemTag)
            .where(LearningItemTag.item_id == row.id)
            .order_by(LearningItemTag.score.desc(), LearningItemTag.esco_key)
        ).all()
        version = get_version(session, None)
        links = accepted_links(session, version.id, (t.esco_key for t in tags))
        skills: dict[str, list[str]] = {}
        for link in links:
            skills.setdefault(link.esco_key, []).append(link.skill_key)
        names = dict(
            session.execute(
                select(SkillRecord.key, SkillRecord.name).where(
                    SkillRecord.framework_version_id == version.id
                )
            ).all()
        )
        return [
            ItemTag(
                t.esco_key,
                t.esco_label,
                t.score,
                text[t.span_start : t.span_end],
                tuple(sorted(k for k in skills.get(t.esco_key, []) if k in names)),
            )
            for t in tags
        ]
