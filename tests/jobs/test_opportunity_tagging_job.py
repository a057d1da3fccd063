"""The tag-opportunities job: a worker suggests required skills for every opportunity, reporting
progress, and refuses bad parameters naming them."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.jobs import JobState, enqueue_job
from mobilise.store.database import reading
from mobilise.store.models import Opportunity, OpportunitySkillSuggestion
from tests.support.marketplace import add_marketplace
from tests.support.workers import wait_for, worker_thread


def test_the_job_suggests_skills_for_every_opportunity_with_progress(engine: Engine) -> None:
    add_marketplace(engine)
    with worker_thread(engine):
        job = wait_for(engine, enqueue_job(engine, "tag-opportunities", {"top": 3}).id)
    assert job.state is JobState.succeeded, job.error
    assert job.result is not None
    with reading(engine) as session:
        opportunities = session.scalar(select(func.count()).select_from(Opportunity))
        stored = session.scalar(select(func.count()).select_from(OpportunitySkillSuggestion))
    assert job.result["opportunities"] == opportunities == 3
    assert job.result["suggestions"] == stored
    assert job.progress is not None
    assert job.progress.done == job.progress.total == 3


def test_bad_parameters_are_refused_before_queueing(engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="top"):
        enqueue_job(engine, "tag-opportunities", {"top": 0})
