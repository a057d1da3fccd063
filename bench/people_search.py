"""People who could work on an AI project, ranked by fit, at workforce scale.

    .venv/bin/python bench/people_search.py [--people 20000] [--opted-in 0.25] [--repeats 5]

A demo workforce (services/demo.py) in a fresh SQLite file; a share of its people opt in; a
published project needs three of the most claimed skills. Timed, median of the repeats: ranking
the opted-in people as `people_for_project` does: profiles derived only for those who claim one of
the needed skills, and only the first page of 20 explained skill by skill. Baseline, in the same
run: every opted-in person's profile derived and every fit explained, as a straightforward
service would. Both must rank the same people in the same order. Also timed: the whole
`people_for_project` call (reading the project and its needs too).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select

from mobilise.services import people_search
from mobilise.services.actors import command_line_actor
from mobilise.services.demo import generate_demo
from mobilise.services.framework import ensure_default_framework
from mobilise.store.database import make_engine, reading, transaction
from mobilise.store.models import AIProject, AIProjectSkill, Person, ProjectSearchOptIn, SkillClaim
from mobilise.store.schema import upgrade

T = TypeVar("T")
PAGE = 20


def timed(call: Callable[[], T], repeats: int) -> tuple[float, T]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--opted-in", type=float, default=0.25)
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp(prefix='people-search-'))}/b.db")
    upgrade(engine)
    ensure_default_framework(engine)
    generate_demo(engine, people=arguments.people, seed=7)
    rng = random.Random(7)
    now = datetime.now(UTC)
    with transaction(engine) as session:
        ids = list(session.scalars(select(Person.id).order_by(Person.id)))
        chosen = rng.sample(ids, int(len(ids) * arguments.opted_in))
        session.add_all(ProjectSearchOptIn(person_id=i, opted_in_at=now) for i in chosen)
        skills = list(
            session.scalars(
                select(SkillClaim.skill_id)
                .group_by(SkillClaim.skill_id)
                .order_by(func.count().desc(), SkillClaim.skill_id)
                .limit(3)
            )
        )
        project = AIProject(
            key="bench-project",
            title="Bench project",
            summary="",
            description="",
            users="",
            status="published",
            record={},
            created_at=now,
            updated_at=now,
        )
        session.add(project)
        session.flush()
        project_id = project.id
        session.add_all(AIProjectSkill(project_id=project_id, skill_id=s, level=3) for s in skills)
        claims = session.scalar(select(func.count(SkillClaim.id))) or 0
    print(
        f"{arguments.people} people, {claims} claims, {len(chosen)} opted in, a project needing "
        f"3 skills; median of {arguments.repeats} runs"
    )

    def ranked(shipped: bool) -> tuple[list[str], int]:
        with reading(engine) as session:
            need, names = people_search._needs(session, project_id)
            people = people_search._opted_in(session, need if shipped else None)
            fits, total = people_search._fits(
                session, need, names, people, slice(0, PAGE) if shipped else slice(None)
            )
            return [f.person.key for f in fits], total

    baseline, expected = timed(lambda: ranked(shipped=False), arguments.repeats)
    shipped, found = timed(lambda: ranked(shipped=True), arguments.repeats)
    assert found == (expected[0][:PAGE], expected[1]), "the shipped way changed the ranking"
    whole, page = timed(
        lambda: people_search.people_for_project(engine, command_line_actor(), "bench-project"),
        arguments.repeats,
    )
    print(f"baseline: every opted-in profile, every fit explained  {baseline * 1000:8.1f} ms")
    print(
        f"shipped: claimers of a needed skill, a page explained  {shipped * 1000:8.1f} ms  "
        f"({baseline / shipped:.2f}x the baseline's speed); {found[1]} people ranked"
    )
    print(
        f"people_for_project (project, needs, first page of {len(page.people)}): "
        f"{whole * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
