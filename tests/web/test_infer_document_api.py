"""POST /api/v1/skills/infer/document: a Word document or a text file as multipart, answered as
/api/v1/skills/infer answers text; a hostile or broken file is a problem naming the rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mobilise.web.app import create_app
from tests.support.word_documents import with_part, word_cv
from tests.support.workforce import add_workforce
from tests.web.journeys import api_signed_in

PATH = "/api/v1/skills/infer/document"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LINES = ["Jo Bloggs", "Wrote Python (computer programming) to link survey data."]


@pytest.fixture
def reader(engine: Engine) -> Iterator[TestClient]:
    add_workforce(engine)
    with TestClient(create_app(engine=engine)) as client:
        yield client


def test_a_word_document_and_a_text_file_are_read_like_text(reader: TestClient) -> None:
    headers = api_signed_in(reader, "analyst")
    document = reader.post(
        PATH,
        files={"file": ("cv.docx", word_cv(LINES), DOCX)},
        data={"top": "5"},
        headers=headers,
    )
    assert document.status_code == 200, document.text
    body = document.json()
    assert body["taxonomy"] == "esco"
    assert "Python (computer programming)" in [s["label"] for s in body["suggestions"]]
    assert len(body["suggestions"]) <= 5
    text = "\n".join(LINES)
    for s in body["suggestions"]:
        assert s["span"] == text[s["start"] : s["end"]]

    plain = reader.post(
        PATH,
        files={"file": ("cv.txt", text.encode(), "text/plain")},
        data={"taxonomy": "ddat"},
        headers=headers,
    )
    assert plain.status_code == 200
    assert all(0 <= s["score"] <= 1 for s in plain.json()["suggestions"])


def test_macros_and_damage_are_problems_naming_the_file(reader: TestClient) -> None:
    headers = api_signed_in(reader, "analyst")
    macros = reader.post(
        PATH,
        files={"file": ("cv.docx", with_part(word_cv(LINES), "word/vbaProject.bin", b"x"), DOCX)},
        headers=headers,
    )
    assert macros.status_code == 422
    assert macros.headers["content-type"].startswith("application/problem+json")
    assert "contains macros" in macros.text
    broken = reader.post(
        PATH, files={"file": ("cv.docx", b"PK\x03\x04 broken", DOCX)}, headers=headers
    )
    assert broken.status_code == 422
    assert "may be damaged" in broken.text
    assert reader.post(PATH, files={"file": ("cv.txt", b"x", "text/plain")}).status_code in (
        401,
        403,
    )
