"""Stored allocation runs: frozen inputs, listing, and replays that reproduce byte for byte."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update

from mobilise.core.problems import InvalidInput
from mobilise.services.allocation_runs import (
    UnknownRun,
    get_run,
    list_runs,
    record_run,
    replay_run,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import AllocationRunRecord

PROBLEM: dict[str, Any] = {
    "applicants": [
        {"id": "ana", "preferences": ["dwp", "hmrc"], "attributes": {"region": "London"}},
        {"id": "ben", "preferences": ["dwp"], "attributes": {"region": "Wales"}},
        {"id": "cat", "preferences": ["dwp", "hmrc"], "attributes": {"region": "Wales"}},
    ],
    "opportunities": [
        {"id": "dwp", "capacity": 1, "ranking": ["cat", "ben", "ana"]},
        {"id": "hmrc", "capacity": 1, "ranking": ["cat", "ana"]},
    ],
    "constraints": {
        "quotas": [{"id": "wales", "attribute": "region", "values": ["Wales"], "min_count": 2}]
    },
}


def count(engine: Engine) -> int:
    with reading(engine) as session:
        return int(session.scalar(select(func.count(AllocationRunRecord.id))) or 0)


@pytest.mark.parametrize("method", ["stable", "welfare", "fair"])
def test_a_recorded_run_replays_identically(engine: Engine, method: str) -> None:
    summary, result = record_run(engine, PROBLEM, method, seed=7)
    assert (summary.method, summary.seed, summary.applicants) == (method, 7, 3)
    stored_summary, stored = get_run(engine, summary.key)
    assert stored == json.loads(json.dumps(result))
    assert stored_summary.problem_sha256 == summary.problem_sha256
    assert replay_run(engine, summary.key).identical


def test_a_tampered_result_is_caught_by_replay(engine: Engine) -> None:
    summary, result = record_run(engine, PROBLEM, "stable")
    result["matches"][0]["explanation"] = "You were lucky."
    with transaction(engine) as session:
        session.execute(
            update(AllocationRunRecord)
            .where(AllocationRunRecord.key == summary.key)
            .values(result=json.dumps(result))
        )
    replay = replay_run(engine, summary.key)
    assert not replay.identical
    assert replay.differences == ("matches",)


def test_bad_problems_store_nothing(engine: Engine) -> None:
    broken = json.loads(json.dumps(PROBLEM))
    broken["opportunities"][0]["capacity"] = -1
    with pytest.raises(InvalidInput):
        record_run(engine, broken, "stable")
    with pytest.raises(InvalidInput):
        record_run(engine, PROBLEM, "lottery")
    assert count(engine) == 0


def test_runs_are_listed_newest_first_a_page_at_a_time(engine: Engine) -> None:
    keys = [record_run(engine, PROBLEM, "stable", seed=s)[0].key for s in range(3)]
    page, total = list_runs(engine, limit=2)
    assert total == 3
    assert [r.key for r in page] == keys[::-1][:2]
    rest, _ = list_runs(engine, limit=2, offset=2)
    assert [r.key for r in rest] == [keys[0]]


def test_unknown_runs_are_named(engine: Engine) -> None:
    with pytest.raises(UnknownRun, match="no allocation run has the key 'nope'"):
        replay_run(engine, "nope")


def test_a_keyed_run_is_recorded_once(engine: Engine) -> None:
    first, result = record_run(engine, PROBLEM, "stable", key="job0123456789ab")
    again, same = record_run(engine, PROBLEM, "welfare", key="job0123456789ab")
    # The second call, as a job re-run would, finds the first run instead of solving again.
    assert (first.key, first.method) == (again.key, again.method) == ("job0123456789ab", "stable")
    assert same == result
    assert count(engine) == 1
