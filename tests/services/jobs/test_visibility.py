"""Uploads queued as imports: streamed to disk, refused whole, stored only for those who may."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Actor, Role
from mobilise.services.audit import NotPermitted
from mobilise.services.jobs.queue import enqueue_job
from mobilise.services.jobs.visibility import UploadTooLarge, jobs_for, queue_upload
from tests.support.workforce import add_workforce

FIRMS = b"key,name,kind,region\nacme,Acme Digital,private_firm,London\n"


def test_an_upload_is_stored_in_chunks_and_queued(engine: Engine, tmp_path: Path) -> None:
    add_workforce(engine)
    operator = development_sign_in(engine, "outsider", [Role.SERVICE_ADMIN])

    job = queue_upload(
        engine,
        operator,
        "organisations",
        "firms.csv",
        io.BytesIO(FIRMS),
        directory=tmp_path / "uploads",
        max_bytes=len(FIRMS),
    )

    (stored,) = (tmp_path / "uploads").iterdir()
    assert stored.read_bytes() == FIRMS
    assert job.parameters["table"] == "organisations"
    assert job.parameters["path"] == str(stored)


def test_nothing_is_stored_for_whom_may_not_queue_or_when_too_big(
    engine: Engine, tmp_path: Path
) -> None:
    add_workforce(engine)
    person = development_sign_in(engine, "analyst", [])
    operator = development_sign_in(engine, "outsider", [Role.SERVICE_ADMIN])

    with pytest.raises(NotPermitted):
        queue_upload(
            engine,
            person,
            "organisations",
            "firms.csv",
            io.BytesIO(FIRMS),
            directory=tmp_path / "uploads",
            max_bytes=10_000,
        )
    with pytest.raises(UploadTooLarge):
        queue_upload(
            engine,
            operator,
            "organisations",
            "firms.csv",
            io.BytesIO(FIRMS),
            directory=tmp_path / "uploads",
            max_bytes=len(FIRMS) - 1,
        )

    uploads = tmp_path / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_an_admin_of_several_organisations_sees_each_ones_jobs(engine: Engine) -> None:
    for organisation in (1, 2, 3):
        enqueue_job(
            engine, "demo", {"people": organisation, "seed": 1}, organisation_id=organisation
        )
    admin = Actor(
        account_id=7,
        display_name="admin of two",
        roles=frozenset({Role.ORGANISATION_ADMIN}),
        grants=frozenset({(Role.ORGANISATION_ADMIN, 1), (Role.ORGANISATION_ADMIN, 3)}),
    )

    seen = jobs_for(engine, admin)

    assert sorted(job.organisation_id or 0 for job in seen.jobs) == [1, 3]
    assert seen.total == 2
