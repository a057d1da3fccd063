"""The skills jobs: tag the learning catalogue, and infer skills for a file of texts, with progress;
bad files fail naming the line and leave no output behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.jobs import JobState, enqueue_job
from mobilise.services.learning import generate_demo_catalogue
from mobilise.services.skill_crosswalk import import_reviews, shipped_reviews_file
from mobilise.services.skill_tags import item_tags
from mobilise.store.database import reading
from mobilise.store.models import LearningItem, LearningItemTag
from tests.support.skill_texts import ANOTHER_LANGUAGE, COURSE, CV
from tests.support.workers import wait_for, worker_thread


def test_tagging_the_catalogue_and_inferring_a_file_of_texts(
    engine: Engine, tmp_path: Path
) -> None:
    generate_demo_catalogue(engine, items=30, seed=3)
    import_reviews(engine, None, shipped_reviews_file())
    texts = tmp_path / "texts.jsonl"
    lines = [{"id": f"cv-{n}", "text": t} for n, t in enumerate([CV, ANOTHER_LANGUAGE, COURSE])]
    lines.append({"sentence": "Python and SQL"})
    texts.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    output = tmp_path / "suggestions.jsonl"
    with worker_thread(engine):
        tagged = enqueue_job(engine, "tag-learning", {"top": 5})
        inferred = enqueue_job(
            engine, "infer-texts", {"input": str(texts), "output": str(output), "top": 3}
        )
        tagged, inferred = wait_for(engine, tagged.id), wait_for(engine, inferred.id)

    assert tagged.state is JobState.succeeded, tagged.error
    assert tagged.result is not None
    assert tagged.result["items"] == 30
    assert tagged.progress is not None
    assert tagged.progress.done == tagged.progress.total == 30
    with reading(engine) as session:
        stored = session.scalar(select(func.count()).select_from(LearningItemTag))
        some_key = session.scalars(select(LearningItem.key).order_by(LearningItem.id)).first()
    assert stored == tagged.result["tags"] > 0
    assert some_key is not None
    for tag in item_tags(engine, some_key):
        assert tag.span  # the words of the item that carry the skill

    assert inferred.state is JobState.succeeded, inferred.error
    assert inferred.result is not None
    assert inferred.result["texts"] == 4
    written = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [w["id"] for w in written] == ["cv-0", "cv-1", "cv-2", None]
    assert all(len(w["suggestions"]) <= 3 for w in written)
    assert "Python (computer programming)" in [s["label"] for s in written[3]["suggestions"]]


def test_a_bad_line_fails_the_job_naming_it_and_writes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    texts = tmp_path / "texts.jsonl"
    texts.write_bytes(b'{"text": "Python"}\n{"text": 3}\n')
    output = tmp_path / "out.jsonl"
    with worker_thread(engine):
        job = wait_for(
            engine,
            enqueue_job(engine, "infer-texts", {"input": str(texts), "output": str(output)}).id,
        )
    assert job.state is JobState.failed
    assert job.error is not None
    assert "texts.jsonl, row 2" in " ".join(job.error.problems)
    assert not output.exists()
    assert not list(tmp_path.glob("*.partial"))


def test_parameters_are_checked_before_queueing(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="exists"):
        enqueue_job(engine, "infer-texts", {"input": str(tmp_path / "no.jsonl"), "output": "x"})
    with pytest.raises(InvalidInput, match="top"):
        enqueue_job(engine, "tag-learning", {"top": 0})
