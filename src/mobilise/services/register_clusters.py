"""Clusters of similar projects across government, for analysts (over core/project_clusters.py).

An analyst sees every published project and the drafts of the organisations they are an analyst
of (a service admin or the command line: every draft); a draft is never shown to an analyst of
another organisation. Clustering the register takes about a second, so each process keeps the
clusters it computed, per database, per set of projects seen and per threshold, until the
register changes (the projects' count, newest update and highest id, read on each call).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, func, or_, select

from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.project_clusters import DEFAULT_MIN_SIMILARITY, cluster_projects
from mobilise.core.register.similarity import ProjectText
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted
from mobilise.store.database import reading
from mobilise.store.models import AIProject, Organisation

MIN_THRESHOLD = 0.05
MAX_THRESHOLD = 0.9
MAX_HELD = 32  # clusterings kept per process (a handful of thresholds and analysts' scopes)


@dataclass(frozen=True, slots=True)
class ClusterMember:
    key: str
    title: str
    organisation_name: str | None
    published: bool


@dataclass(frozen=True, slots=True)
class ClusterView:
    number: int
    members: tuple[ClusterMember, ...]
    organisations: tuple[str, ...]  # the members' organisations, by name
    shared_terms: tuple[str, ...]
    cohesion: float  # the mean similarity of its pairs, 0 to 1

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True, slots=True)
class RegisterClusters:
    clusters: tuple[ClusterView, ...]
    projects: int  # the projects clustered (published, and the drafts the analyst may see)
    drafts: int
    min_similarity: float

    @property
    def clustered(self) -> int:
        return sum(c.size for c in self.clusters)

    @property
    def across_organisations(self) -> int:
        return sum(1 for c in self.clusters if len(c.organisations) > 1)


_held: dict[tuple[object, ...], RegisterClusters] = {}
_lock = threading.Lock()


def _require_analyst(actor: Actor) -> None:
    if not (actor.is_operator or actor.has(Role.ANALYST)):
        raise NotPermitted("only analysts see clusters of the register's projects")


def _seen(actor: Actor) -> ColumnElement[bool]:
    """Published projects, and the drafts the actor may see."""
    if actor.is_operator:
        return AIProject.id.is_not(None)
    own = actor.organisations_where(Role.ANALYST)
    return or_(AIProject.status == "published", AIProject.organisation_id.in_(own))


def _checked_threshold(min_similarity: float) -> float:
    if not MIN_THRESHOLD <= min_similarity <= MAX_THRESHOLD:
        raise InvalidInput(
            [
                Problem(
                    "register clusters",
                    None,
                    "min_similarity",
                    str(min_similarity),
                    f"must be from {MIN_THRESHOLD} to {MAX_THRESHOLD}",
                )
            ]
        )
    return round(min_similarity, 3)


def register_clusters(
    engine: Engine, actor: Actor, *, min_similarity: float = DEFAULT_MIN_SIMILARITY
) -> RegisterClusters:
    """The clusters of similar projects the analyst may see, largest first, each with the terms
    its members share and their organisations; NotPermitted for anyone but analysts."""
    _require_analyst(actor)
    threshold = _checked_threshold(min_similarity)
    seen = _seen(actor)
    with reading(engine) as session:
        count, updated, highest = session.execute(
            select(func.count(AIProject.id), func.max(AIProject.updated_at), func.max(AIProject.id))
        ).one()
        scope = (
            "all" if actor.is_operator else tuple(sorted(actor.organisations_where(Role.ANALYST)))
        )
        held_key: tuple[object, ...] = (
            str(engine.url),
            int(count),
            updated,
            highest,
            scope,
            threshold,
        )
        with _lock:
            held = _held.get(held_key)
        if held is not None:
            return held
        rows = session.execute(
            select(AIProject, Organisation.key, Organisation.name)
            .outerjoin(Organisation, Organisation.id == AIProject.organisation_id)
            .where(seen)
            .order_by(AIProject.key)
        ).all()
        projects = [
            (p.key, p.title, p.summary, p.description, p.status == "published", org, name)
            for p, org, name in rows
        ]
    texts = [ProjectText(p[0], p[5], p[1], p[2], p[3]) for p in projects]
    found = cluster_projects(texts, min_similarity=threshold)
    views = []
    for number, cluster in enumerate(found, start=1):
        members = tuple(
            ClusterMember(projects[i][0], projects[i][1], projects[i][6], projects[i][4])
            for i in cluster.members
        )
        organisations = tuple(sorted({m.organisation_name for m in members if m.organisation_name}))
        views.append(
            ClusterView(number, members, organisations, cluster.shared_terms, cluster.cohesion)
        )
    result = RegisterClusters(
        clusters=tuple(views),
        projects=len(projects),
        drafts=sum(1 for p in projects if not p[4]),
        min_similarity=threshold,
    )
    with _lock:
        if len(_held) >= MAX_HELD:
            _held.clear()
        _held[held_key] = result
    return result
