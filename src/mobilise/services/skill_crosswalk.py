"""The ESCO ↔ framework crosswalk as a use case: compute it for a framework version, review it
(a framework admin accepts or rejects a link), import and export reviewed decisions, and read the
links that map text to the framework.

Similarity is agreement in both directions: an ESCO skill's label and description are read as text
against the version's skills (the fast, lexical path: there are 13,896 of them), and each
framework skill's name and description against ESCO (the best path). A pair scores the geometric
mean of the two; a pair only one side finds scores 0. The core's rule (core/skills/crosswalk.py)
then keeps each ESCO skill's best framework skills above a threshold.
Reviewed decisions, shipped (data/crosswalk/reviewed.csv) or stored, win over computed ones.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, cast

import numpy as np
from sqlalchemy import Engine, Select, delete, func, select
from sqlalchemy.orm import Session

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.skills.crosswalk import (
    CrosswalkRule,
    Link,
    Review,
    Source,
    build_crosswalk,
)
from mobilise.core.skills.model import TaxonomyEntry
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.framework import get_version
from mobilise.services.skill_inference import build_inferencer, inferencer_for, read_esco_entries
from mobilise.services.tabular import open_csv
from mobilise.store.database import reading, transaction
from mobilise.store.models import FrameworkVersion, SkillCrosswalkEntry, SkillRecord

# How many framework skills each ESCO skill is read against, and ESCO skills each framework skill.
ESCO_TO_FRAMEWORK_TOP = 3
FRAMEWORK_TO_ESCO_TOP = 50
DEFAULT_RULE = CrosswalkRule(threshold=0.3, per_esco=2)
OVERRIDE_COLUMNS = ("esco_uri", "ddat_skill", "decision")
EXPORT_COLUMNS = (
    "esco_uri",
    "esco_label",
    "ddat_skill",
    "ddat_skill_name",
    "score",
    "source",
    "decision",
    "reviewed_by",
    "reviewed_on",
    "note",
)
MAX_NOTE = 1000
Progress = Callable[[int, int], None]
AnySelect = Select[*tuple[Any, ...]]


class CrosswalkEntryNotFound(LookupError):
    """No crosswalk entry with this id."""


@dataclass(frozen=True)
class CrosswalkSummary:
    framework: str
    computed: int
    accepted_reviews: int
    rejected_reviews: int
    unmatched_reviews: int
    esco_skills_mapped: int
    framework_skills_mapped: int
    seconds: float


@dataclass(frozen=True)
class CrosswalkEntry:
    id: int
    esco_key: str
    esco_label: str
    skill_key: str
    skill_name: str
    score: float
    source: str
    accepted: bool
    reviewed_by: str | None
    reviewed_at: datetime | None
    note: str


@dataclass(frozen=True)
class StoredReview:
    """A reviewed decision with who made it and when, as a file or the store holds it."""

    review: Review
    reviewed_by: str
    reviewed_at: datetime


def shipped_reviews_file() -> Path:
    return Path(str(resources.files("mobilise") / "data" / "crosswalk" / "reviewed.csv"))


def _esco_labels() -> dict[str, str]:
    return {entry.key: entry.label for entry in read_esco_entries()}


def _require_framework_admin(actor: Actor | None) -> None:
    # Framework versions belong to the service admins (actors.ROLE_DESCRIPTIONS).
    if actor is not None and not actor.is_operator:
        raise NotPermitted("only service admins review the crosswalk of a framework")


def _similarities(
    esco: Sequence[TaxonomyEntry], skills: Sequence[TaxonomyEntry], progress: Progress | None
) -> np.ndarray:
    """ESCO × framework geometric mean of the two directions' scores (0 where one is missing)."""
    index = {entry.key: j for j, entry in enumerate(skills)}
    forward = np.zeros((len(esco), len(skills)), dtype=np.float64)
    backward = np.zeros_like(forward)
    # Thousands of ESCO texts are read against a few hundred skills: the lexical path is the one
    # that does that in seconds; the framework's few texts are read against ESCO on the best.
    framework_inferencer = build_inferencer(skills, method="fast")
    chunk = 2000
    for first in range(0, len(esco), chunk):
        texts = [f"{e.label}. {e.description}" for e in esco[first : first + chunk]]
        found = framework_inferencer.infer(texts, min(ESCO_TO_FRAMEWORK_TOP, len(skills)))
        for offset, suggestions in enumerate(found):
            for suggestion in suggestions:
                forward[first + offset, index[suggestion.key]] = suggestion.score
        if progress is not None:
            progress(min(first + chunk, len(esco)), len(esco) + len(skills))
    esco_index = {entry.key: i for i, entry in enumerate(esco)}
    texts = [f"{s.label}. {s.description}" for s in skills]
    found = inferencer_for("esco", method="best").infer(texts, FRAMEWORK_TO_ESCO_TOP)
    for j, suggestions in enumerate(found):
        for suggestion in suggestions:
            i = esco_index.get(suggestion.key)
            if i is not None:
                backward[i, j] = suggestion.score
    if progress is not None:
        progress(len(esco) + len(skills), len(esco) + len(skills))
    result: np.ndarray = np.sqrt(forward * backward)
    return result


@dataclass(frozen=True)
class _SkillRow:
    id: int
    key: str
    name: str
    description: str


def _version_skills(session: Session, version: FrameworkVersion) -> list[_SkillRow]:
    rows = session.execute(
        select(SkillRecord.id, SkillRecord.key, SkillRecord.name, SkillRecord.description)
        .where(SkillRecord.framework_version_id == version.id)
        .order_by(SkillRecord.key)
    ).all()
    return [_SkillRow(*row) for row in rows]


def _stored_reviews(session: Session, version_id: int) -> list[StoredReview]:
    rows = session.execute(
        select(SkillCrosswalkEntry, SkillRecord.key)
        .join(SkillRecord, SkillRecord.id == SkillCrosswalkEntry.skill_id)
        .where(
            SkillCrosswalkEntry.framework_version_id == version_id,
            SkillCrosswalkEntry.source == "reviewed",
        )
        .order_by(SkillCrosswalkEntry.reviewed_at, SkillCrosswalkEntry.id)
    ).all()
    return [
        StoredReview(
            Review(entry.esco_key, key, entry.accepted, entry.note),
            entry.reviewed_by or "",
            entry.reviewed_at or datetime.now(UTC),
        )
        for entry, key in rows
    ]


def compute_crosswalk(
    engine: Engine,
    actor: Actor | None = None,
    *,
    framework: str | None = None,
    rule: CrosswalkRule = DEFAULT_RULE,
    progress: Progress | None = None,
) -> CrosswalkSummary:
    """Rebuild the computed links of a framework version; reviewed decisions are kept (and the
    shipped ones added if the store does not have them yet). One transaction."""
    _require_framework_admin(actor)
    started = time.perf_counter()
    esco = read_esco_entries()
    labels = {entry.key: entry.label for entry in esco}
    with reading(engine) as session:
        version = get_version(session, framework)
        version_name, version_id = version.name, version.id
        records = _version_skills(session, version)
        stored = _stored_reviews(session, version_id)
    skills = [TaxonomyEntry(r.key, r.name, (), r.description) for r in records]
    skill_keys = [s.key for s in skills]
    matrix = _similarities(esco, skills, progress)
    shipped = _shipped_reviews(set(labels), set(skill_keys))
    known = {(s.review.esco_key, s.review.skill_key) for s in stored}
    reviews = [s for s in shipped if (s.review.esco_key, s.review.skill_key) not in known]
    reviews += stored  # stored decisions are the later ones: they win
    crosswalk = build_crosswalk(
        [e.key for e in esco], skill_keys, matrix, [s.review for s in reviews], rule
    )
    meta = {(s.review.esco_key, s.review.skill_key): s for s in reviews}
    with transaction(engine) as session:
        # Computed links are replaced; reviewed ones are updated in place (a stored review of
        # a skill the matrix lacks stays as it was).
        session.execute(
            delete(SkillCrosswalkEntry).where(
                SkillCrosswalkEntry.framework_version_id == version_id,
                SkillCrosswalkEntry.source == "computed",
            )
        )
        by_id = {r.key: r for r in records}
        for link in crosswalk.links:
            if link.source == "computed":
                session.add(
                    SkillCrosswalkEntry(
                        framework_version_id=version_id,
                        esco_key=link.esco_key,
                        esco_label=labels[link.esco_key][:300],
                        skill_id=by_id[link.skill_key].id,
                        score=round(link.score, 6),
                        source="computed",
                        accepted=True,
                        note="",
                    )
                )
            else:
                entry = _store_review(
                    session,
                    version_id,
                    by_id[link.skill_key].id,
                    meta[(link.esco_key, link.skill_key)],
                    labels,
                )
                entry.score = round(link.score, 6)
        summary = CrosswalkSummary(
            framework=version_name,
            computed=sum(1 for link in crosswalk.links if link.source == "computed"),
            accepted_reviews=sum(
                1 for link in crosswalk.links if link.source == "reviewed" and link.accepted
            ),
            rejected_reviews=sum(
                1 for link in crosswalk.links if link.source == "reviewed" and not link.accepted
            ),
            unmatched_reviews=len(crosswalk.unmatched_reviews),
            esco_skills_mapped=len({link.esco_key for link in crosswalk.accepted()}),
            framework_skills_mapped=len({link.skill_key for link in crosswalk.accepted()}),
            seconds=round(time.perf_counter() - started, 3),
        )
        record_event(
            session,
            actor,
            "crosswalk.computed",
            entity_type="framework_version",
            entity_key=version_name,
            after={
                "threshold": rule.threshold,
                "per_esco": rule.per_esco,
                "computed": summary.computed,
                "accepted_reviews": summary.accepted_reviews,
                "rejected_reviews": summary.rejected_reviews,
            },
        )
    return summary


def _shipped_reviews(esco_keys: set[str], skill_keys: set[str]) -> list[StoredReview]:
    """The shipped decisions that name skills of this version (others belong to other versions)."""
    reviews = read_reviews(shipped_reviews_file(), esco_keys, None, default_reviewer="shipped")
    return [s for s in reviews if s.review.skill_key in skill_keys]


def read_reviews(
    path: Path,
    esco_keys: set[str],
    skill_keys: set[str] | None,
    *,
    default_reviewer: str,
) -> list[StoredReview]:
    """Reviewed decisions from a CSV file (the export's columns, or the shipped file's); rows
    with a blank decision are skipped. InvalidInput names every bad row and column."""
    source = path.name
    header, rows = open_csv(path, source)
    missing = [c for c in OVERRIDE_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            [Problem(source, None, c, None, "is a required column") for c in missing]
        )
    problems: list[Problem] = []
    found: list[StoredReview] = []
    now = datetime.now(UTC)
    for number, row in enumerate(rows, start=1):
        decision = row["decision"].strip().lower()
        if not decision:
            continue
        esco_key, skill_key = row["esco_uri"].strip(), row["ddat_skill"].strip()
        note = row.get("note", "").strip()
        if decision not in ("accept", "reject"):
            problems.append(
                Problem(source, number, "decision", decision, "must be accept or reject")
            )
        if esco_key not in esco_keys:
            problems.append(Problem(source, number, "esco_uri", esco_key, "is not an ESCO skill"))
        if skill_keys is not None and skill_key not in skill_keys:
            problems.append(
                Problem(source, number, "ddat_skill", skill_key, "is not a skill of the framework")
            )
        if len(note) > MAX_NOTE:
            problems.append(
                Problem(source, number, "note", note[:40], f"is over {MAX_NOTE} characters")
            )
        reviewed_at = now
        on = row.get("reviewed_on", "").strip()
        if on:
            try:
                reviewed_at = datetime.fromisoformat(on).replace(tzinfo=UTC)
            except ValueError:
                problems.append(
                    Problem(source, number, "reviewed_on", on, "must be a date like 2026-11-23")
                )
        reviewer = row.get("reviewed_by", "").strip() or default_reviewer
        found.append(
            StoredReview(
                Review(esco_key, skill_key, decision == "accept", note), reviewer, reviewed_at
            )
        )
    if problems:
        raise InvalidInput(problems)
    return found


def import_reviews(
    engine: Engine, actor: Actor | None, path: Path, *, framework: str | None = None
) -> int:
    """Store reviewed decisions from a CSV file (one transaction); returns how many."""
    _require_framework_admin(actor)
    labels = _esco_labels()
    with transaction(engine) as session:
        version = get_version(session, framework)
        records = {r.key: r for r in _version_skills(session, version)}
        reviews = read_reviews(
            path,
            set(labels),
            set(records),
            default_reviewer=(actor.display_name if actor else "command line"),
        )
        for stored in reviews:
            skill_id = records[stored.review.skill_key].id
            _store_review(session, version.id, skill_id, stored, labels)
        record_event(
            session,
            actor,
            "crosswalk.reviews_imported",
            entity_type="framework_version",
            entity_key=version.name,
            after={"file": path.name, "reviews": len(reviews)},
        )
    return len(reviews)


def _store_review(
    session: Session,
    version_id: int,
    skill_id: int,
    stored: StoredReview,
    labels: dict[str, str],
) -> SkillCrosswalkEntry:
    entry = session.scalar(
        select(SkillCrosswalkEntry).where(
            SkillCrosswalkEntry.skill_id == skill_id,
            SkillCrosswalkEntry.esco_key == stored.review.esco_key,
        )
    )
    if entry is None:
        entry = SkillCrosswalkEntry(
            framework_version_id=version_id,
            esco_key=stored.review.esco_key,
            esco_label=labels.get(stored.review.esco_key, stored.review.esco_key)[:300],
            skill_id=skill_id,
            score=0.0,  # not computed yet; a rebuild fills in the similarity
        )
        session.add(entry)
    entry.source = "reviewed"
    entry.accepted = stored.review.accepted
    entry.reviewed_by = stored.reviewed_by[:300]
    entry.reviewed_at = stored.reviewed_at
    entry.note = stored.review.note
    session.flush()
    return entry


def review_entry(
    engine: Engine, actor: Actor, entry_id: int, accepted: bool, note: str = ""
) -> None:
    """A framework admin accepts or rejects one link; the decision survives rebuilds."""
    _require_framework_admin(actor)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            [Problem("review", None, "note", note[:40], f"is over {MAX_NOTE} characters")]
        )
    with transaction(engine) as session:
        entry = session.get(SkillCrosswalkEntry, entry_id)
        if entry is None:
            raise CrosswalkEntryNotFound(entry_id)
        before = {"source": entry.source, "accepted": entry.accepted, "note": entry.note}
        entry.source, entry.accepted, entry.note = "reviewed", accepted, note
        entry.reviewed_by = actor.display_name[:300]
        entry.reviewed_at = datetime.now(UTC)
        record_event(
            session,
            actor,
            "crosswalk.reviewed",
            entity_type="skill_crosswalk",
            entity_key=str(entry.id),
            before=before,
            after={"source": "reviewed", "accepted": accepted, "note": note},
        )


def _entries_query(version_id: int, skill_key: str | None, source: str | None) -> AnySelect:
    query: AnySelect = (
        select(SkillCrosswalkEntry, SkillRecord.key, SkillRecord.name)
        .join(SkillRecord, SkillRecord.id == SkillCrosswalkEntry.skill_id)
        .where(SkillCrosswalkEntry.framework_version_id == version_id)
    )
    if skill_key:
        query = query.where(SkillRecord.key == skill_key)
    if source:
        query = query.where(SkillCrosswalkEntry.source == source)
    return query


def _entry(entry: SkillCrosswalkEntry, key: str, name: str) -> CrosswalkEntry:
    reviewed_at = entry.reviewed_at
    if reviewed_at is not None and reviewed_at.tzinfo is None:
        reviewed_at = reviewed_at.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return CrosswalkEntry(
        id=entry.id,
        esco_key=entry.esco_key,
        esco_label=entry.esco_label,
        skill_key=key,
        skill_name=name,
        score=entry.score,
        source=entry.source,
        accepted=entry.accepted,
        reviewed_by=entry.reviewed_by,
        reviewed_at=reviewed_at,
        note=entry.note,
    )


def list_crosswalk(
    engine: Engine,
    *,
    framework: str | None = None,
    skill_key: str | None = None,
    source: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[CrosswalkEntry], int]:
    """Links of a version, by framework skill then best score first; and how many there are."""
    if source not in (None, "computed", "reviewed"):
        raise InvalidInput(
            [Problem("crosswalk", None, "source", source, "must be computed or reviewed")]
        )
    with reading(engine) as session:
        version = get_version(session, framework)
        query = _entries_query(version.id, skill_key, source)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(
            query.order_by(
                SkillRecord.key, SkillCrosswalkEntry.score.desc(), SkillCrosswalkEntry.id
            )
            .limit(limit)
            .offset(offset)
        ).all()
        return [_entry(*row) for row in rows], total


def export_crosswalk_csv(engine: Engine, *, framework: str | None = None) -> Iterator[str]:
    """Every link of a version as CSV: edit the `decision` column and import it back."""
    with reading(engine) as session:
        version = get_version(session, framework)
        rows = session.execute(
            _entries_query(version.id, None, None).order_by(
                SkillCrosswalkEntry.esco_key, SkillRecord.key
            )
        ).all()
        entries = [_entry(*row) for row in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for entry in entries:
        decision = "" if entry.source == "computed" else ("accept" if entry.accepted else "reject")
        writer.writerow(
            [
                entry.esco_key,
                entry.esco_label,
                entry.skill_key,
                entry.skill_name,
                f"{entry.score:.4f}",
                entry.source,
                decision,
                entry.reviewed_by or "",
                entry.reviewed_at.date().isoformat() if entry.reviewed_at else "",
                entry.note,
            ]
        )
    yield buffer.getvalue()


def accepted_links(session: Session, version_id: int, esco_keys: Iterable[str]) -> list[Link]:
    """The accepted links of a version from these ESCO skills, as the core's links."""
    keys = sorted(set(esco_keys))
    if not keys:
        return []
    rows = session.execute(
        select(
            SkillCrosswalkEntry.esco_key,
            SkillRecord.key,
            SkillCrosswalkEntry.score,
            SkillCrosswalkEntry.source,
        )
        .join(SkillRecord, SkillRecord.id == SkillCrosswalkEntry.skill_id)
        .where(
            SkillCrosswalkEntry.framework_version_id == version_id,
            SkillCrosswalkEntry.esco_key.in_(keys),
            SkillCrosswalkEntry.accepted.is_(True),
        )
    ).all()
    return [
        Link(esco, skill, score, cast(Source, source), accepted=True)
        for esco, skill, score, source in rows
    ]


def has_crosswalk(session: Session, version_id: int) -> bool:
    return (
        session.scalar(
            select(SkillCrosswalkEntry.id)
            .where(SkillCrosswalkEntry.framework_version_id == version_id)
            .limit(1)
        )
        is not None
    )
