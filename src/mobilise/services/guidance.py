"""The guidance hub: published guidance as links with summaries, and what applies to a project.

Anyone may read the guidance. Service admins (and the command line) add, change and supersede
items; each change is one transaction with its audit event, and when an item is new or replaces
another, the teams of the register projects it applies to are told through the outbox in the
same transaction. A project's team is the people of its organisation who wrote its record (their
accounts saved it: the register's audit events); a published record imported from GOV.UK has
none. The shipped items (src/mobilise/data/guidance/guidance.json) are loaded by
`seed_guidance` without notifications: they are the starting library, not news.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.register.record_rules import link_problem
from mobilise.core.register.vocabulary import KINDS, PHASES
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.outbox import notify
from mobilise.store.database import reading, transaction
from mobilise.store.models import Account, AIProject, AuditEvent, GuidanceItem, Person

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "guidance" / "guidance.json"
KEY_RULE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
MAX_TOPICS = 10
MAX_TOPIC_LENGTH = 60
MAX_SUMMARY = 2000
NOTICE_KIND = "guidance"


@dataclass(frozen=True, slots=True)
class GuidanceSpec:
    """What an admin writes: an item, and optionally the key of the older item it replaces."""

    key: str
    title: str
    publisher: str
    url: str
    summary: str
    published_on: date
    topics: tuple[str, ...] = ()
    phases: tuple[str, ...] = PHASES
    kinds: tuple[str, ...] = KINDS
    supersedes: str | None = None


@dataclass(frozen=True, slots=True)
class GuidanceRef:
    key: str
    title: str


@dataclass(frozen=True, slots=True)
class GuidanceView:
    key: str
    title: str
    publisher: str
    url: str
    summary: str
    topics: tuple[str, ...]
    phases: tuple[str, ...]
    kinds: tuple[str, ...]
    published_on: date
    superseded_by: GuidanceRef | None = None
    # Older items this one replaces, newest first (the chain followed backwards).
    replaces: tuple[GuidanceRef, ...] = field(default=())

    @property
    def current(self) -> bool:
        return self.superseded_by is None


def _now() -> datetime:
    return datetime.now(UTC)


def _problem(column: str, value: object, rule: str) -> Problem:
    return Problem("guidance item", None, column, None if value is None else str(value), rule)


def spec_problems(spec: GuidanceSpec) -> list[Problem]:
    """Every rule `spec` breaks, each naming the field, the value and the rule."""
    problems: list[Problem] = []
    if not KEY_RULE.match(spec.key):
        problems.append(
            _problem("key", spec.key, "must be 1 to 100 lower-case letters, digits or hyphens")
        )
    for column, text, limit in (
        ("title", spec.title, 300),
        ("publisher", spec.publisher, 200),
        ("summary", spec.summary, MAX_SUMMARY),
    ):
        if not text.strip():
            problems.append(_problem(column, text, "must not be empty"))
        elif len(text) > limit:
            problems.append(_problem(column, text[:80], f"must be at most {limit} characters"))
    link = link_problem(spec.url)
    if link is not None:
        problems.append(_problem("url", spec.url, link))
    if len(spec.topics) > MAX_TOPICS:
        problems.append(_problem("topics", len(spec.topics), f"must be at most {MAX_TOPICS}"))
    for topic in spec.topics:
        if not topic.strip() or len(topic) > MAX_TOPIC_LENGTH:
            problems.append(
                _problem("topics", topic, f"must be 1 to {MAX_TOPIC_LENGTH} characters")
            )
    for column, chosen, allowed in (("phases", spec.phases, PHASES), ("kinds", spec.kinds, KINDS)):
        if not chosen:
            problems.append(_problem(column, "", f"must name at least one of {', '.join(allowed)}"))
        for value in chosen:
            if value not in allowed:
                problems.append(_problem(column, value, f"must be one of {', '.join(allowed)}"))
    if spec.published_on > date.today():
        problems.append(_problem("published_on", spec.published_on, "must not be in the future"))
    if spec.supersedes == spec.key:
        problems.append(_problem("supersedes", spec.supersedes, "must not be the item itself"))
    return problems


def _ref(item: GuidanceItem | None) -> GuidanceRef | None:
    return None if item is None else GuidanceRef(item.key, item.title)


def _views(session: Session, items: list[GuidanceItem]) -> list[GuidanceView]:
    everything = {i.id: i for i in session.scalars(select(GuidanceItem))}
    replaced_by: dict[int, list[GuidanceItem]] = {}
    for item in everything.values():
        if item.superseded_by_id is not None:
            replaced_by.setdefault(item.superseded_by_id, []).append(item)

    def chain_back(item: GuidanceItem) -> tuple[GuidanceRef, ...]:
        found: list[GuidanceRef] = []
        seen = {item.id}
        frontier = list(replaced_by.get(item.id, []))
        while frontier:
            older = frontier.pop(0)
            if older.id in seen:  # a cycle cannot be written, but never loop on one
                continue
            seen.add(older.id)
            found.append(GuidanceRef(older.key, older.title))
            frontier.extend(replaced_by.get(older.id, []))
        return tuple(found)

    return [
        GuidanceView(
            key=item.key,
            title=item.title,
            publisher=item.publisher,
            url=item.url,
            summary=item.summary,
            topics=tuple(item.topics),
            phases=tuple(item.phases),
            kinds=tuple(item.kinds),
            published_on=item.published_on,
            superseded_by=_ref(everything.get(item.superseded_by_id or -1)),
            replaces=chain_back(item),
        )
        for item in items
    ]


def list_guidance(
    engine: Engine,
    *,
    topic: str | None = None,
    phase: str | None = None,
    kind: str | None = None,
    include_superseded: bool = True,
) -> list[GuidanceView]:
    """Guidance, current items first then newest first; filtered by a topic, phase or kind."""
    with reading(engine) as session:
        items = [
            item
            for item in session.scalars(select(GuidanceItem))
            if (topic is None or topic in item.topics)
            and (phase is None or phase in item.phases)
            and (kind is None or kind in item.kinds)
            and (include_superseded or item.superseded_by_id is None)
        ]
        items.sort(key=lambda i: (i.superseded_by_id is not None, -i.published_on.toordinal()))
        return _views(session, items)


def guidance_topics(engine: Engine) -> list[str]:
    with reading(engine) as session:
        return sorted(
            {t for topics in session.scalars(select(GuidanceItem.topics)) for t in topics}
        )


def get_guidance(engine: Engine, key: str) -> GuidanceView:
    with reading(engine) as session:
        item = session.scalar(select(GuidanceItem).where(GuidanceItem.key == key))
        if item is None:
            raise UnknownKey("guidance item", key)
        return _views(session, [item])[0]


def applies_to(item: GuidanceItem | GuidanceView, phase: str | None, kind: str) -> bool:
    """Whether current guidance applies to a project in `phase` of `kind`. A project whose phase
    is not stated (most imported records) gets the guidance for its kind in any phase."""
    return kind in item.kinds and (phase is None or phase in item.phases)


def guidance_for_project(engine: Engine, phase: str | None, kind: str) -> list[GuidanceView]:
    """The current guidance that applies to a project in `phase` of `kind`, newest first."""
    return [
        view
        for view in list_guidance(engine, include_superseded=False)
        if applies_to(view, phase, kind)
    ]


def project_guidance(engine: Engine, project_key: str) -> list[GuidanceView]:
    """The current guidance for the register project `project_key` (none if there is no such
    project: the caller has already decided who may see it)."""
    with reading(engine) as session:
        row = session.execute(
            select(AIProject.phase, AIProject.kind).where(AIProject.key == project_key)
        ).one_or_none()
    return [] if row is None else guidance_for_project(engine, row.phase, row.kind)


def _require_admin(actor: Actor | None) -> None:
    if actor is not None and not actor.is_operator:
        raise NotPermitted("only service admins publish guidance")


def _apply(item: GuidanceItem, spec: GuidanceSpec) -> None:
    item.title = spec.title.strip()
    item.publisher = spec.publisher.strip()
    item.url = spec.url
    item.summary = spec.summary.strip()
    item.topics = sorted({t.strip() for t in spec.topics})
    item.phases = [p for p in PHASES if p in spec.phases]
    item.kinds = [k for k in KINDS if k in spec.kinds]
    item.published_on = spec.published_on
    item.updated_at = _now()


def _audit_state(item: GuidanceItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "publisher": item.publisher,
        "url": item.url,
        "topics": list(item.topics),
        "phases": list(item.phases),
        "kinds": list(item.kinds),
        "published_on": item.published_on.isoformat(),
    }


def _item(session: Session, key: str, column: str) -> GuidanceItem:
    item = session.scalar(select(GuidanceItem).where(GuidanceItem.key == key))
    if item is None:
        raise InvalidInput([_problem(column, key, "names no guidance item")])
    return item


def _supersede(session: Session, older: GuidanceItem, newer: GuidanceItem) -> None:
    """Point `older` at `newer`, refusing a chain that would lead back to `older`."""
    step: GuidanceItem | None = newer
    while step is not None:
        if step.id == older.id:
            raise InvalidInput(
                [
                    _problem(
                        "supersedes",
                        older.key,
                        f"is already replaced, through others, by {newer.key}",
                    )
                ]
            )
        step = session.get(GuidanceItem, step.superseded_by_id) if step.superseded_by_id else None
    older.superseded_by_id = newer.id
    older.updated_at = _now()


def project_team(session: Session, project: AIProject) -> list[Person]:
    """The people of the project's organisation whose accounts wrote its record."""
    if project.organisation_id is None:
        return []
    writers = (
        select(Account.person_id)
        .join(AuditEvent, AuditEvent.actor_account_id == Account.id)
        .where(AuditEvent.entity_type == "ai_project", AuditEvent.entity_key == project.key)
    )
    return list(
        session.scalars(
            select(Person)
            .where(Person.id.in_(writers), Person.organisation_id == project.organisation_id)
            .order_by(Person.id)
        )
    )


def _tell_teams(session: Session, item: GuidanceItem, replaced: GuidanceItem | None) -> int:
    """Tell the team of every project the item applies to; returns the messages written."""
    told = 0
    what = f"replaces {replaced.title}" if replaced is not None else "is new"
    for project in session.scalars(select(AIProject).order_by(AIProject.id)):
        if not applies_to(item, project.phase, project.kind):
            continue
        for person in project_team(session, project):
            notify(
                session,
                person,
                NOTICE_KIND,
                f"Guidance for {project.title}: {item.title}",
                f"{item.title} ({item.publisher}) {what}, and applies to {project.title}."
                f"\n\n{item.summary}",
                f"/guidance/{item.key}",
            )
            told += 1
    return told


def create_guidance(engine: Engine, actor: Actor | None, spec: GuidanceSpec) -> int:
    """Add an item (replacing `spec.supersedes` if named) and tell the teams it applies to;
    returns how many messages went into the outbox."""
    _require_admin(actor)
    problems = spec_problems(spec)
    if problems:
        raise InvalidInput(problems)
    with transaction(engine) as session:
        if session.scalar(select(GuidanceItem.id).where(GuidanceItem.key == spec.key)):
            raise InvalidInput([_problem("key", spec.key, "is already used by another item")])
        item = GuidanceItem(key=spec.key, created_at=_now(), superseded_by_id=None)
        _apply(item, spec)
        session.add(item)
        session.flush()
        older = _item(session, spec.supersedes, "supersedes") if spec.supersedes else None
        if older is not None:
            _supersede(session, older, item)
        record_event(
            session,
            actor,
            "guidance.published",
            entity_type="guidance_item",
            entity_key=item.key,
            after={**_audit_state(item), "supersedes": spec.supersedes},
        )
        return _tell_teams(session, item, older)


def update_guidance(engine: Engine, actor: Actor | None, spec: GuidanceSpec) -> int:
    """Change an item's text, link and scope; naming an older item it replaces tells teams as a
    new item would. Returns how many messages went into the outbox."""
    _require_admin(actor)
    problems = spec_problems(spec)
    if problems:
        raise InvalidInput(problems)
    with transaction(engine) as session:
        item = session.scalar(select(GuidanceItem).where(GuidanceItem.key == spec.key))
        if item is None:
            raise UnknownKey("guidance item", spec.key)
        before = _audit_state(item)
        _apply(item, spec)
        older = _item(session, spec.supersedes, "supersedes") if spec.supersedes else None
        newly_replacing = older is not None and older.superseded_by_id != item.id
        if older is not None and newly_replacing:
            _supersede(session, older, item)
        record_event(
            session,
            actor,
            "guidance.changed",
            entity_type="guidance_item",
            entity_key=item.key,
            before=before,
            after={**_audit_state(item), "supersedes": spec.supersedes},
        )
        return _tell_teams(session, item, older) if newly_replacing else 0


def seed_guidance(engine: Engine, path: Path = SHIPPED) -> int:
    """Load the shipped items whose keys are not stored yet (no notifications); returns how many
    were added. Supersession pointers are set once both ends are stored."""
    document = json.loads(path.read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = document["items"]
    specs = [
        GuidanceSpec(
            key=row["key"],
            title=row["title"],
            publisher=row["publisher"],
            url=row["url"],
            summary=row["summary"],
            published_on=date.fromisoformat(row["published_on"]),
            topics=tuple(row["topics"]),
            phases=tuple(row["phases"]),
            kinds=tuple(row["kinds"]),
        )
        for row in rows
    ]
    problems = [p for spec in specs for p in spec_problems(spec)]
    if problems:
        raise InvalidInput(problems)
    with transaction(engine) as session:
        stored = set(session.scalars(select(GuidanceItem.key)))
        added = 0
        for spec in specs:
            if spec.key in stored:
                continue
            item = GuidanceItem(key=spec.key, created_at=_now(), superseded_by_id=None)
            _apply(item, spec)
            session.add(item)
            added += 1
        session.flush()
        for row in rows:
            if row["superseded_by"] and row["key"] not in stored:
                older = _item(session, row["key"], "key")
                _supersede(session, older, _item(session, row["superseded_by"], "superseded_by"))
        if added:
            record_event(
                session,
                None,
                "guidance.seeded",
                entity_type="guidance_item",
                entity_key="shipped",
                after={"added": added},
            )
        return added


def guidance_licence(path: Path = SHIPPED) -> str:
    """The attribution line shipped with the seeded items."""
    return str(json.loads(path.read_text(encoding="utf-8"))["licence"])
