"""A CV uploaded as a Word document: its paragraphs and tables are read in order; a damaged,
macro-carrying, empty or explosive one is refused naming the rule; plain text still works."""

from __future__ import annotations

import pytest

from mobilise.core.problems import InvalidInput
from mobilise.services.cv_documents import MAX_UNPACKED_BYTES, read_docx, text_of_upload
from mobilise.services.jobs.visibility import UploadTooLarge
from mobilise.services.skill_inference import MAX_TEXT_BYTES
from tests.support.word_documents import with_part, without_part, word_cv

CV = word_cv(
    ["Jo Bloggs, data scientist", "Wrote Python (computer programming) to link survey data."],
    [["2021 to now", "Department A: applied statistics"]],
)


def test_paragraphs_and_table_rows_are_read_in_order() -> None:
    text = text_of_upload(CV, "cv.docx")
    assert text.splitlines() == [
        "Jo Bloggs, data scientist",
        "Wrote Python (computer programming) to link survey data.",
        "2021 to now | Department A: applied statistics",
    ]


def test_plain_text_is_still_read_as_utf8() -> None:
    assert text_of_upload(b"Python and SQL", "cv.txt") == "Python and SQL"
    with pytest.raises(InvalidInput, match="not UTF-8"):
        text_of_upload("Développeuse".encode("latin-1"), "cv.txt")


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        (b"PK\x03\x04 not really a zip", "may be damaged"),
        (CV[: len(CV) // 2], "may be damaged"),
        (b"\x00\x01 random bytes", "may be damaged"),
        (with_part(CV, "word/vbaProject.bin", b"\x00" * 64), "contains macros"),
        (without_part(CV, "word/document.xml"), "has no word/document.xml"),
        (word_cv([]), "has no text"),
    ],
)
def test_bad_documents_are_refused_naming_the_rule(raw: bytes, rule: str) -> None:
    with pytest.raises(InvalidInput, match=rule) as refused:
        read_docx(raw, "cv.docx")
    assert refused.value.problems[0].column == "file"
    assert refused.value.problems[0].value == "cv.docx"


def test_an_unrelated_extra_part_is_harmless() -> None:
    assert "Jo Bloggs" in read_docx(with_part(CV, "customXml/item9.xml", b"<x/>"), "cv.docx")


def test_a_small_file_that_unpacks_to_gigabytes_is_refused_by_its_numbers() -> None:
    bomb = with_part(CV, "word/media/padding.bin", b"\x00" * (MAX_UNPACKED_BYTES + 1))
    assert len(bomb) < MAX_TEXT_BYTES  # small on the wire
    with pytest.raises(UploadTooLarge, match="unpacks to"):
        read_docx(bomb, "cv.docx")


def test_a_file_over_the_upload_limit_is_refused_unread() -> None:
    with pytest.raises(UploadTooLarge, match="larger than"):
        read_docx(b"PK\x03\x04" + b"\x00" * MAX_TEXT_BYTES, "cv.docx")
