"""Uploads queued as imports: streamed to disk, refused whole, stored only for those who may."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role
from mobilise.services.audit import NotPermitted
from mobilise.services.jobs.visibility import UploadTooLarge, queue_upload
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
