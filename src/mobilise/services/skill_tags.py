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
from sqlalchemy.orm import Session

from mobilise.core.framework.levels import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.skills.crosswalk import Found, map_to_framework
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.framework import get_version
from mobilise.services.learning import LearningItemNotFound
from mobilise.services.skill_calibration import suggestion_threshold
from mobilise.services.skill_crosswalk import accepted_links, has_crosswalk
from mobilise.services.skill_demand import raise_demand
from mobilise.services.skill_inference import infer_skills
from mobilise.store.database import reading, transaction
from mobilise.store.models import LearningItem, LearningItemSkill, LearningItemTag, SkillRecord

TAG_TOP = 10
DEMAND_MIN_SCORE = 0.45
# Items read per call of the inferencer: large enough to use its matrix products well.
BATCH = 256
Progress = Callable[[int, int], None]
TAG_DECISIONS = ("confirm", "reject")
# What an item teaches from a confirmed tag, unless the admin says otherwise: a course that
# mentions a skill is taken to teach it to working level.
DEFAULT_TAUGHT_LEVEL = SkillLevel.WORKING


class LearningTagNotFound(LookupError):
    """The item has no tag for this ESCO skill."""


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
    status: str = "inferred"  # or confirmed, rejected (by a learning admin)
    reviewed_by: str | None = None
    start: int = 0
    end: int = 0
    skill_names: tuple[str, ...] = ()  # the names of `skills`, in the same order


def _text(item: tuple[int, str, str, str]) -> str:
    return f"{item[2]}. {item[3]}"


def tag_learning_catalogue(
    engine: Engine,
    actor: Actor | None = None,
    *,
    top: int = TAG_TOP,
    min_score: float | None = None,
    progress: Progress | None = None,
) -> TaggingSummary:
    """Replace every item's inferred tags with those found now (scoring at least `min_score`,
    by default the suggestion threshold); one transaction, audited."""
    started = time.perf_counter()
    threshold = suggestion_threshold() if min_score is None else min_score
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
                    if s.score >= threshold
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
        # Reviewed tags stay as the admin left them; a rejected one is not inferred again.
        session.execute(delete(LearningItemTag).where(LearningItemTag.status == "inferred"))
        reviewed = {
            (row.item_id, row.esco_key)
            for row in session.execute(select(LearningItemTag.item_id, LearningItemTag.esco_key))
        }
        for item, item_found in zip(items, found, strict=True):
            item_found = [f for f in item_found if (item[0], f.esco_key) not in reviewed]
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
    """An item's tags, best first, each with the framework skills it stands for (reviewed tags
    too: a page shows which were rejected)."""
    with reading(engine) as session:
        row = session.execute(
            select(LearningItem.id, LearningItem.title, LearningItem.description).where(
                LearningItem.key == item_key
            )
        ).first()
        if row is None:
            raise LearningItemNotFound(item_key)
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
        found = []
        for t in tags:
            keys = tuple(sorted(k for k in skills.get(t.esco_key, []) if k in names))
            found.append(
                ItemTag(
                    t.esco_key,
                    t.esco_label,
                    t.score,
                    text[t.span_start : t.span_end],
                    keys,
                    t.status,
                    t.reviewed_by,
                    t.span_start,
                    t.span_end,
                    tuple(names[k] for k in keys),
                )
            )
        return found


def may_review_tags(actor: Actor | None) -> bool:
    """The catalogue is the service's, not an organisation's: its admins are the service admins."""
    return actor is None or actor.is_operator


def _framework_skills(session: Session, esco_key: str) -> dict[str, int]:
    """The default version's skills (key to id) an ESCO skill maps to through the crosswalk."""
    version = get_version(session, None)
    keys = {link.skill_key for link in accepted_links(session, version.id, [esco_key])}
    if not keys:
        return {}
    rows = session.execute(
        select(SkillRecord.key, SkillRecord.id).where(
            SkillRecord.framework_version_id == version.id, SkillRecord.key.in_(keys)
        )
    )
    return {row.key: row.id for row in rows}


def review_tag(
    engine: Engine,
    actor: Actor | None,
    item_key: str,
    esco_key: str,
    decision: str,
    *,
    level: int = DEFAULT_TAUGHT_LEVEL,
) -> ItemTag:
    """A learning admin confirms or rejects one of an item's tags; one transaction, audited.

    Confirming adds the tag's framework skills (through the crosswalk) to what the item teaches,
    at `level`, so pathways and completions use them as they use the catalogue's own; skills the
    item already teaches are left as they are. Rejecting removes exactly what confirming added,
    and keeps the tag as rejected so that tagging again does not bring it back.
    """
    if not may_review_tags(actor):
        raise NotPermitted("only service admins review the learning catalogue's skill tags")
    problems = []
    if decision not in TAG_DECISIONS:
        problems.append(Problem("review", None, "decision", decision, "must be confirm or reject"))
    if level not in {int(v) for v in SkillLevel}:
        problems.append(Problem("review", None, "level", str(level), "must be a level 1 to 4"))
    if problems:
        raise InvalidInput(problems)
    with transaction(engine) as session:
        item_id = session.scalar(select(LearningItem.id).where(LearningItem.key == item_key))
        if item_id is None:
            raise LearningItemNotFound(item_key)
        tag = session.get(LearningItemTag, (item_id, esco_key))
        if tag is None:
            raise LearningTagNotFound(esco_key)
        before = {"status": tag.status, "added_skills": tag.added_skills.split()}
        if decision == "confirm" and tag.status != "confirmed":
            skills = _framework_skills(session, esco_key)
            taught = set(
                session.scalars(
                    select(LearningItemSkill.skill_id).where(LearningItemSkill.item_id == item_id)
                )
            )
            added = sorted(key for key, skill_id in skills.items() if skill_id not in taught)
            session.add_all(
                LearningItemSkill(item_id=item_id, skill_id=skills[key], level=level)
                for key in added
            )
            tag.added_skills = " ".join(added)
        elif decision == "reject" and tag.added_skills:
            version = get_version(session, None)
            ids = session.scalars(
                select(SkillRecord.id).where(
                    SkillRecord.framework_version_id == version.id,
                    SkillRecord.key.in_(tag.added_skills.split()),
                )
            ).all()
            session.execute(
                delete(LearningItemSkill).where(
                    LearningItemSkill.item_id == item_id, LearningItemSkill.skill_id.in_(ids)
                )
            )
            tag.added_skills = ""
        tag.status = "confirmed" if decision == "confirm" else "rejected"
        tag.reviewed_by = (actor.display_name if actor else "command line")[:300]
        tag.reviewed_at = datetime.now(UTC)
        record_event(
            session,
            actor,
            f"learning.tag_{tag.status}",
            entity_type="learning_item_tag",
            entity_key=f"{item_key} {esco_key}",
            before=before,
            after={"status": tag.status, "added_skills": tag.added_skills.split(), "level": level},
        )
    return next(t for t in item_tags(engine, item_key) if t.esco_key == esco_key)
