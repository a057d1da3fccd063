"""The text of an uploaded CV: a plain-text file (UTF-8), or a Word document (.docx).

A .docx is a zip of XML parts; only its text is read (paragraphs and table cells, in order).
Nothing in it runs: python-docx reads XML, macros are never executed, and a file that carries
macros (a .docm renamed, or an embedded vbaProject) is refused rather than half-read. Before
anything is parsed the zip's declared sizes are checked, so a small file that expands to
gigabytes (a zip bomb) is refused by its numbers; XML entities are not resolved (python-docx's
parser), so a hostile document cannot read files or the network.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from lxml import etree

from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.jobs.visibility import UploadTooLarge
from mobilise.services.skill_inference import MAX_TEXT_BYTES
from mobilise.services.skill_suggestions import decode_upload

# A CV's document.xml is tens of kilobytes; 20 MB of XML in all is far beyond any real one.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_PARTS = 2000
WORD_EXTENSIONS = (".docx",)
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")


def _refusal(filename: str, rule: str, *, size: bool = False) -> InvalidInput:
    problems = [Problem("upload", None, "file", filename, rule)]
    return UploadTooLarge(problems) if size else InvalidInput(problems)


def _check_package(archive: zipfile.ZipFile, filename: str) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise _refusal(filename, f"has {len(parts):,} parts; a Word document has far fewer")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        rule = f"unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,} are read"
        raise _refusal(filename, rule, size=True)
    names = {part.filename.lower() for part in parts}
    if any(name.rsplit("/", 1)[-1] in MACRO_PARTS for name in names):
        raise _refusal(
            filename, "contains macros, which Mobilise never runs; save it as a .docx without them"
        )
    if "word/document.xml" not in names:
        raise _refusal(filename, "is not a Word document (.docx): it has no word/document.xml")


def _blocks(document: WordDocument) -> Iterator[str]:
    """Paragraphs and table rows in document order (a CV's jobs are often laid out in tables)."""
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield "".join(t.text or "" for t in child.iter(qn("w:t")))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = [
                    "".join(t.text or "" for t in cell.iter(qn("w:t")))
                    for cell in row.iter(qn("w:tc"))
                ]
                yield " | ".join(c for c in cells if c.strip())


def read_docx(raw: bytes, filename: str) -> str:
    """The text of a .docx; InvalidInput naming the rule it breaks (UploadTooLarge for size)."""
    if len(raw) > MAX_TEXT_BYTES:
        raise _refusal(filename, f"is larger than {MAX_TEXT_BYTES:,} bytes", size=True)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            _check_package(archive, filename)
    except zipfile.BadZipFile:
        raise _refusal(
            filename, "is not a readable Word document (.docx); it may be damaged"
        ) from None
    try:
        document = Document(io.BytesIO(raw))
        text = "\n".join(block for block in _blocks(document) if block.strip())
    except (ValueError, KeyError, zipfile.BadZipFile, OSError, etree.LxmlError):
        # A damaged or hand-made part: say what it is not, never how the parser failed.
        raise _refusal(
            filename, "is not a readable Word document (.docx); it may be damaged"
        ) from None
    if not text.strip():
        raise _refusal(filename, "has no text to read")
    return text


def text_of_upload(raw: bytes, filename: str) -> str:
    """An uploaded CV's text: a .docx read as above, anything else as UTF-8 plain text."""
    if filename.lower().endswith(WORD_EXTENSIONS) or raw[:4] == b"PK\x03\x04":
        return read_docx(raw, filename)
    return decode_upload(raw, filename)
