"""Cut a text into passages (sentences, list items, lines) with their character spans.

Skills are scored per passage so that a long CV is not one diluted bag of words, and so that each
suggestion can point at the passage that supports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? followed by space and an upper-case letter or digit, or at a line break
# or a bullet; "e.g. the" and "v2.1" do not end one.
_BOUNDARY = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"'(•\-*])|\s*\n\s*|\s*[•·▪●]\s*")
# Passages longer than this are cut at the nearest space so that no passage dominates a batch.
MAX_PASSAGE_CHARS = 600


@dataclass(frozen=True, slots=True)
class Passage:
    start: int
    end: int


def passages_of(text: str) -> list[Passage]:
    """The non-blank passages of `text`, in order; `text[p.start:p.end]` is stripped of space."""
    found: list[Passage] = []
    position = 0
    for boundary in _BOUNDARY.finditer(text):
        _add(text, position, boundary.start(), found)
        position = boundary.end()
    _add(text, position, len(text), found)
    return found


def _add(text: str, start: int, end: int, found: list[Passage]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_PASSAGE_CHARS:
        cut = text.rfind(" ", start, start + MAX_PASSAGE_CHARS)
        if cut <= start:
            cut = start + MAX_PASSAGE_CHARS
        _add(text, start, cut, found)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        found.append(Passage(start, end))
