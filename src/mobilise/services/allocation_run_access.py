"""Allocation runs for the web pages and the API: who may list, read and create them, and what a
person placed by a run may read of it.

- Service admins (and the command line) see every run; programme admins see the runs of the
  organisations they run programmes for, and create runs for them. A selection's run (a
  cohort's or a marketplace round's) belongs to the organisation running it; the list shows
  the runs created here, and a selection's run is reached from its cohort or round.
- Anyone else sees a run only through their own outcome in it: the applicant ids that are their
  person key or the key of one of their applications. For them, and for anyone asking about a
  run they may not see, a run they are not in does not exist (UnknownRun, a 404): probing keys
  tells nothing.
- A large problem is solved by a background job (`allocate`), which stores the run under the
  job's id; a small one is solved at once.

Results hold ids, places and explanations; sensitive attributes never reach them at row level
(DESIGN.md): the engine reports groups only in aggregate, with the small-number threshold.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from mobilise.core.allocation.problem import problem_from_document
from mobilise.core.allocation.run import METHODS
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor, Role
from mobilise.services.allocation_runs import (
    RunSummary,
    UnknownRun,
    canonical,
    frozen_problem_of,
    get_run,
    list_runs,
    record_run,
)
from mobilise.services.audit import NotPermitted
from mobilise.services.jobs import Job
from mobilise.services.jobs.queue import enqueue_job
from mobilise.store.database import reading
from mobilise.store.models import (
    Application,
    Cohort,
    MarketplaceRound,
    Organisation,
    Programme,
)

# Problems with more preference edges than this are solved by a worker, not in the request.
BACKGROUND_EDGES = 50_000
OBJECTIVES = ("rank", "fit")
BASES = ("welfare", "stable")


@dataclass(frozen=True)
class RunRequest:
    """What a run is to solve, and how (the form's or the API body's fields, checked)."""

    method: str
    seed: int = 0
    objective: str = "rank"
    base: str = "welfare"
    organisation_id: int | None = None


@dataclass(frozen=True)
class Created:
    """A run stored at once, or the job that will store it."""

    run: RunSummary | None = None
    job: Job | None = None


def may_create_runs(actor: Actor) -> bool:
    return actor.is_operator or bool(actor.organisations_where(Role.PROGRAMME_ADMIN))


def _readable(actor: Actor) -> frozenset[int] | None:
    """The organisations whose runs the actor may read whole; None is every run."""
    if actor.is_operator:
        return None
    return actor.organisations_where(Role.PROGRAMME_ADMIN)


def runs_for(
    engine: Engine, actor: Actor, *, limit: int = 50, offset: int = 0
) -> tuple[list[RunSummary], int]:
    """The runs the actor may read whole, newest first, a page at a time."""
    if not may_create_runs(actor):
        raise NotPermitted("only programme admins and service admins list allocation runs")
    return list_runs(engine, limit=limit, offset=offset, organisation_ids=_readable(actor))


def organisation_of(engine: Engine, summary: RunSummary) -> int | None:
    """The organisation a run belongs to: the one it was created for, or, for a selection's
    run, the organisation running that cohort's programme or that marketplace round."""
    if summary.organisation_id is not None:
        return summary.organisation_id
    with reading(engine) as session:
        found = session.scalar(
            select(Programme.organisation_id)
            .join(Cohort, Cohort.programme_id == Programme.id)
            .where(Cohort.selection_run_key == summary.key)
        )
        if found is None:
            found = session.scalar(
                select(MarketplaceRound.organisation_id).where(
                    MarketplaceRound.allocation_run_key == summary.key
                )
            )
    return None if found is None else int(found)


def may_read_whole(engine: Engine, actor: Actor, summary: RunSummary) -> bool:
    readable = _readable(actor)
    if readable is None:
        return True
    organisation = organisation_of(engine, summary)
    return organisation is not None and organisation in readable


def run_for(engine: Engine, actor: Actor, key: str) -> tuple[RunSummary, dict[str, Any]]:
    """A run and its whole result, for those who may read it; UnknownRun for anyone else."""
    summary, result = get_run(engine, key)
    if not may_read_whole(engine, actor, summary):
        raise UnknownRun(key)
    return summary, result


def own_applicant_ids(engine: Engine, actor: Actor) -> frozenset[str]:
    """The applicant ids that mean this person: their key, and their applications' keys."""
    if actor.person_id is None:
        return frozenset()
    with reading(engine) as session:
        keys = session.scalars(
            select(Application.key).where(Application.person_id == actor.person_id)
        ).all()
    return frozenset(keys) | ({actor.person_key} if actor.person_key else frozenset())


def own_outcomes(engine: Engine, actor: Actor, key: str) -> tuple[RunSummary, list[dict[str, Any]]]:
    """The actor's own entries in a run's result (placed or not, with the explanation), and
    nothing of anyone else's; UnknownRun when the run does not place or consider them."""
    summary, result = get_run(engine, key)
    mine = own_applicant_ids(engine, actor)
    outcomes = [
        {
            "applicant": m["applicant"],
            "opportunity": m["opportunity"],
            "explanation": m["explanation"],
        }
        for m in result.get("matches", [])
        if m["applicant"] in mine
    ] + [
        {"applicant": u["applicant"], "opportunity": None, "explanation": u["explanation"]}
        for u in result.get("unmatched", [])
        if u["applicant"] in mine
    ]
    if not outcomes:
        raise UnknownRun(key)
    return summary, outcomes


def check_request(actor: Actor, request: RunRequest) -> list[Problem]:
    """The request's problems (each naming its field); NotPermitted for an organisation the
    actor does not run programmes for."""
    problems = []
    if request.method not in METHODS:
        problems.append(
            Problem("run", None, "method", request.method, f"must be one of {', '.join(METHODS)}")
        )
    if request.objective not in OBJECTIVES:
        problems.append(Problem("run", None, "objective", request.objective, "must be rank or fit"))
    if request.base not in BASES:
        problems.append(Problem("run", None, "base", request.base, "must be welfare or stable"))
    if not 0 <= request.seed < 2**31:
        problems.append(
            Problem("run", None, "seed", str(request.seed), "must be a whole number from 0")
        )
    if not actor.is_operator:
        allowed = actor.organisations_where(Role.PROGRAMME_ADMIN)
        if request.organisation_id is None or request.organisation_id not in allowed:
            raise NotPermitted("you may create allocation runs only for your own organisation")
    return problems


def create_run(
    engine: Engine,
    actor: Actor,
    document: Any,
    request: RunRequest,
    *,
    upload_directory: Path,
    min_group_count: int = 10,
) -> Created:
    """Validate and solve a PROBLEM.json document: at once if small, else queue a job for a
    worker. Bad input raises InvalidInput naming every problem, and nothing is stored."""
    if not may_create_runs(actor):
        raise NotPermitted("only programme admins and service admins create allocation runs")
    problems = check_request(actor, request)
    if problems:
        raise InvalidInput(problems)
    problem = problem_from_document(document)
    if len(problem.pref_opp) <= BACKGROUND_EDGES:
        summary, _ = record_run(
            engine,
            document,
            request.method,
            seed=request.seed,
            objective=request.objective,
            base=request.base,
            min_group_count=min_group_count,
            actor=actor,
            organisation_id=request.organisation_id,
        )
        return Created(run=summary)
    upload_directory.mkdir(parents=True, exist_ok=True)
    path = upload_directory / f"{uuid.uuid4().hex}.json"
    path.write_text(canonical(document), encoding="utf-8")
    try:
        job = enqueue_job(
            engine,
            "allocate",
            {
                "problem": str(path.resolve()),
                "method": request.method,
                "seed": request.seed,
                "objective": request.objective,
                "base": request.base,
                "organisation_id": request.organisation_id,
            },
            requested_by=actor.account_id,
            organisation_id=request.organisation_id,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Created(job=job)


def organisations_for_runs(engine: Engine, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the organisations the actor may create runs for, by name."""
    condition = (
        Organisation.id.is_not(None)
        if actor.is_operator
        else Organisation.id.in_(actor.organisations_where(Role.PROGRAMME_ADMIN))
    )
    with reading(engine) as session:
        rows = session.execute(
            select(Organisation.id, Organisation.name).where(condition).order_by(Organisation.name)
        ).all()
    return [(int(ident), str(name)) for ident, name in rows]


def problem_from_upload(raw: bytes, filename: str) -> Any:
    """An uploaded PROBLEM.json's document; not UTF-8 or not JSON is named with its line and
    character, as the command line does for a file."""
    source = filename or "problem.json"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([Problem(source, None, None, None, "is not valid UTF-8")]) from None
    if not text.strip():
        rule = "is empty: a JSON document is needed"
        raise InvalidInput([Problem(source, None, None, None, rule)])
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        rule = f"is not valid JSON: {error.msg}"
        raise InvalidInput(
            [Problem(source, error.lineno, f"character {error.colno}", None, rule)]
        ) from None


def frozen_problem(engine: Engine, actor: Actor, key: str) -> Mapping[str, Any]:
    """A stored run's problem, to solve again another way (stored data as the input)."""
    summary, _ = run_for(engine, actor, key)
    document: Mapping[str, Any] = json.loads(frozen_problem_of(engine, summary.key))
    return document
