"""What `make run` does to an empty database, and that doing it again changes nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from mobilise.services.setup import prepare
from mobilise.store.database import make_engine, reading
from mobilise.store.models import AIProject, FrameworkVersion, LearningItem, Organisation, Person


def test_prepare_loads_everything_once(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    first = prepare(engine, demo_people=200, seed=1)
    assert first[1:-4] == [
        "Loaded the DDaT capability framework.",
        "Loaded 73 organisations.",
        "Loaded 8 items of public guidance.",
        "Generated a demo workforce of 200 people.",
        "Generated a demo learning catalogue of 650 items.",
        "Generated four demo programmes with 0 applications.",
    ]
    assert first[-4].startswith("Generated a demo marketplace of 40 opportunities with ")
    assert first[-3] == "Loaded the AI project register: 136 published transparency records."
    assert first[-2] == "Generated 2 demo hackathons with 32 participants."
    assert first[-1].startswith("Generated 5 demo communities, 4 events with 50 registrations")
    with reading(engine) as session:
        counts = [
            session.scalar(select(func.count()).select_from(model))
            for model in (FrameworkVersion, Organisation, Person, LearningItem, AIProject)
        ]
    again = prepare(engine, demo_people=200, seed=1)
    assert again == first[:1]
    with reading(engine) as session:
        assert counts == [
            session.scalar(select(func.count()).select_from(model))
            for model in (FrameworkVersion, Organisation, Person, LearningItem, AIProject)
        ]
    engine.dispose()
