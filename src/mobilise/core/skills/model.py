"""The two shapes skill inference deals in: a taxonomy entry and a suggestion for a text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaxonomyEntry:
    """One skill of a taxonomy: its stable key (an ESCO URI or a DDaT slug) and its words."""

    key: str
    label: str
    alt_labels: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Suggestion:
    """A skill suggested for a text.

    `score` is in 0..1 and comparable across texts, so one threshold can filter suggestions;
    `text[start:end]` is the passage that supports it.
    """

    key: str
    label: str
    score: float
    start: int
    end: int
