"""Solve an allocation problem and store its AllocationRun inside the caller's transaction.

`allocation_runs.record_run` stores a run in a transaction of its own, which suits `mobilise
allocate --record` and jobs. A selection (a cohort's, a marketplace round's, TechTrack's) must
store the run together with the offers that follow from it: a failure anywhere leaves neither
the run nor any offer. This is that variant; the run is the same record, replayable the same way.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from mobilise.services.actors import Actor
from mobilise.services.allocation import allocate_document
from mobilise.services.allocation_runs import canonical
from mobilise.services.audit import record_event
from mobilise.store.models import AllocationRunRecord


def allocate_in(
    session: Session,
    actor: Actor | None,
    document: dict[str, Any],
    method: str,
    *,
    seed: int = 0,
    objective: str = "fit",
    key_prefix: str = "sel-",
    organisation_id: int | None = None,
) -> tuple[str, dict[str, Any]]:
    """Solve `document` by `method` and add its run to `session`; returns (run key, result).

    The key is the prefix and the start of the frozen problem's digest, so the run of one
    problem is named the same on every try and a second store of it is refused by the key's
    unique index rather than kept twice. `organisation_id` names the organisation whose
    programme admins may read the run (the programme's or the round's).
    """
    problem_text = canonical(document)
    digest = hashlib.sha256(problem_text.encode()).hexdigest()
    result, _ = allocate_document(json.loads(problem_text), method, seed=seed, objective=objective)
    parameters = {"objective": objective, "base": "welfare", "min_group_count": 10}
    metrics = result["metrics"]
    run = AllocationRunRecord(
        key=key_prefix + digest[:24],
        created_at=datetime.now(UTC),
        method=method,
        seed=seed,
        parameters=canonical(parameters),
        problem=problem_text,
        problem_sha256=digest,
        result=canonical(result),
        applicants=metrics["applicants"],
        matched=metrics["matched"],
        solve_seconds=float(metrics["solve_seconds"]),
        organisation_id=organisation_id,
    )
    session.add(run)
    session.flush()
    record_event(
        session,
        actor,
        "allocation_run.recorded",
        entity_type="allocation_run",
        entity_key=run.key,
        organisation_id=organisation_id,
        after={"method": method, "seed": seed, "parameters": parameters, "problem_sha256": digest},
    )
    return run.key, result
