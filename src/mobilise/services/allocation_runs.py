"""Stored allocation runs (AllocationRun): record a run with its frozen inputs, list, show, replay.

A replay solves the frozen problem again with the stored method, seed and parameters and compares
the canonical result text: everything except `solve_seconds` must be identical, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from mobilise.services.actors import Actor
from mobilise.services.allocation import allocate_document
from mobilise.services.audit import record_event
from mobilise.store.database import reading, transaction
from mobilise.store.models import AllocationRunRecord

TIMINGS = ("solve_seconds",)


class UnknownRun(LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(f"no allocation run has the key {key!r}")


@dataclass(frozen=True)
class RunSummary:
    key: str
    created_at: datetime
    method: str
    seed: int
    parameters: dict[str, Any]
    problem_sha256: str
    applicants: int
    matched: int
    solve_seconds: float
    # The organisation whose programme admins may read it; None: service admins only.
    organisation_id: int | None = None


@dataclass(frozen=True)
class Replay:
    key: str
    identical: bool
    # Top-level and metric fields that differ (timings excluded); empty when identical.
    differences: tuple[str, ...]


def canonical(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _without_timings(result: dict[str, Any]) -> dict[str, Any]:
    metrics = {k: v for k, v in result.get("metrics", {}).items() if k not in TIMINGS}
    return {**result, "metrics": metrics}


def _summary(record: AllocationRunRecord) -> RunSummary:
    return RunSummary(
        key=record.key,
        created_at=record.created_at,
        method=record.method,
        seed=record.seed,
        parameters=json.loads(record.parameters),
        problem_sha256=record.problem_sha256,
        applicants=record.applicants,
        matched=record.matched,
        solve_seconds=record.solve_seconds,
        organisation_id=record.organisation_id,
    )


def record_run(
    engine: Engine,
    document: Any,
    method: str,
    *,
    seed: int = 0,
    objective: str = "rank",
    base: str = "welfare",
    min_group_count: int = 10,
    key: str | None = None,
    actor: Actor | None = None,
    organisation_id: int | None = None,
) -> tuple[RunSummary, dict[str, Any]]:
    """Solve and store the run with its frozen problem; bad input is rejected, nothing stored.

    With a `key` (a background job's id) the call is idempotent: when a run with that key is
    stored already, that run is returned and nothing is solved or stored again, so a job re-run
    after its worker died records its run exactly once.
    """
    if key is not None:
        try:
            return get_run(engine, key)
        except UnknownRun:
            pass
    problem_text = canonical(document)
    frozen = json.loads(problem_text)
    result, _ = allocate_document(
        frozen, method, seed=seed, objective=objective, base=base, min_group_count=min_group_count
    )
    parameters = {"objective": objective, "base": base, "min_group_count": min_group_count}
    record = AllocationRunRecord(
        # 64 random bits: short enough to type, and the unique index would refuse a collision.
        key=key or uuid.uuid4().hex[:16],
        created_at=datetime.now(UTC),
        method=method,
        seed=seed,
        parameters=canonical(parameters),
        problem=problem_text,
        problem_sha256=hashlib.sha256(problem_text.encode()).hexdigest(),
        result=canonical(result),
        applicants=result["metrics"]["applicants"],
        matched=result["metrics"]["matched"],
        solve_seconds=float(result["metrics"]["solve_seconds"]),
        organisation_id=organisation_id,
    )
    with transaction(engine) as session:
        session.add(record)
        session.flush()
        record_event(
            session,
            actor,
            "allocation_run.recorded",
            entity_type="allocation_run",
            entity_key=record.key,
            organisation_id=organisation_id,
            after={
                "method": method,
                "seed": seed,
                "parameters": parameters,
                "problem_sha256": record.problem_sha256,
                "applicants": record.applicants,
                "matched": record.matched,
            },
        )
        return _summary(record), result


def _find(session: Session, key: str) -> AllocationRunRecord:
    record = session.scalars(
        select(AllocationRunRecord).where(AllocationRunRecord.key == key)
    ).first()
    if record is None:
        raise UnknownRun(key)
    return record


def list_runs(
    engine: Engine,
    *,
    limit: int = 50,
    offset: int = 0,
    organisation_ids: frozenset[int] | None = None,
) -> tuple[list[RunSummary], int]:
    """Newest first, a page at a time, with the total count; only the runs of
    `organisation_ids` when given."""
    where = (
        []
        if organisation_ids is None
        else [AllocationRunRecord.organisation_id.in_(sorted(organisation_ids))]
    )
    with reading(engine) as session:
        total = int(session.scalar(select(func.count(AllocationRunRecord.id)).where(*where)) or 0)
        records = session.scalars(
            select(AllocationRunRecord)
            .where(*where)
            .order_by(AllocationRunRecord.created_at.desc(), AllocationRunRecord.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [_summary(r) for r in records], total


def get_run(engine: Engine, key: str) -> tuple[RunSummary, dict[str, Any]]:
    with reading(engine) as session:
        record = _find(session, key)
        return _summary(record), json.loads(record.result)


def frozen_problem_of(engine: Engine, key: str) -> str:
    """The run's problem exactly as stored (canonical JSON text)."""
    with reading(engine) as session:
        return _find(session, key).problem


def replay_run(engine: Engine, key: str) -> Replay:
    """Solve the frozen problem again and compare with the stored result, timings aside."""
    with reading(engine) as session:
        record = _find(session, key)
        problem, stored_text = json.loads(record.problem), record.result
        method, seed, parameters = record.method, record.seed, json.loads(record.parameters)
    again, _ = allocate_document(problem, method, seed=seed, **parameters)
    stored = _without_timings(json.loads(stored_text))
    fresh = _without_timings(again)
    if canonical(stored) == canonical(fresh):
        return Replay(key, True, ())
    differences = [k for k in sorted(stored.keys() | fresh.keys()) if stored.get(k) != fresh.get(k)]
    metrics = stored.get("metrics", {}), fresh.get("metrics", {})
    differences += [
        f"metrics.{k}"
        for k in sorted(metrics[0].keys() | metrics[1].keys())
        if metrics[0].get(k) != metrics[1].get(k)
    ]
    return Replay(key, False, tuple(differences))
