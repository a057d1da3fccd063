"""Skill inference as a use case: the shipped ESCO taxonomy or the DDaT framework's skills, an
inferencer built once per process for each, and input checked before any work is done."""

from __future__ import annotations

import csv
import gzip
import io
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine

from mobilise.core.framework import Framework
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.skills import SkillInferencer, Suggestion, TaxonomyEntry
from mobilise.core.skills.lexical import CharTfidfScorer
from mobilise.services.framework import (
    load_framework,
    read_framework_directory,
    shipped_ddat_directory,
)

Taxonomy = Literal["esco", "ddat"]
TAXONOMIES: tuple[Taxonomy, ...] = ("esco", "ddat")
# A CV is a few KB; a megabyte of text is not a person's writing but a mistake or an attack.
MAX_TEXT_BYTES = 1024 * 1024
MAX_TOP = 100
SOURCE = "text"

_lock = threading.Lock()
_inferencers: dict[object, SkillInferencer] = {}


def shipped_esco_file() -> Path:
    return Path(str(resources.files("mobilise") / "data" / "esco" / "esco_skills.csv.gz"))


def read_esco_entries(path: Path | None = None) -> list[TaxonomyEntry]:
    """The ESCO skills of the shipped file (or `path`): key is the URI, or the label if none."""
    raw = (path or shipped_esco_file()).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    entries = []
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
        label = row["preferred_label"]
        alt_labels = tuple(a.strip() for a in row["alt_labels"].split("|") if a.strip())
        entries.append(TaxonomyEntry(row["uri"] or label, label, alt_labels, row["description"]))
    return entries


def ddat_entries(framework: Framework) -> list[TaxonomyEntry]:
    """The framework's skills as taxonomy entries: the name is the label, the slug the key."""
    return [TaxonomyEntry(s.key, s.name, (), s.description) for s in framework.skills]


def build_inferencer(entries: Sequence[TaxonomyEntry]) -> SkillInferencer:
    return SkillInferencer(entries, CharTfidfScorer(entries))


def inferencer_for(taxonomy: Taxonomy, engine: Engine | None = None) -> SkillInferencer:
    """The process's inferencer for a taxonomy, built on first use.

    For "ddat" the skills come from the default framework version stored in `engine`, or the
    shipped framework when no engine is given; a changed framework gets a new inferencer.
    """
    if taxonomy == "esco":
        cache_key: object = "esco"
        entries: Sequence[TaxonomyEntry] | None = None
    elif taxonomy == "ddat":
        framework = (
            load_framework(engine)
            if engine is not None
            else read_framework_directory(shipped_ddat_directory())
        )
        entries = ddat_entries(framework)
        cache_key = ("ddat", tuple(entries))
    else:
        raise InvalidInput(
            [Problem("skills", None, "taxonomy", str(taxonomy), "must be esco or ddat")]
        )
    with _lock:
        found = _inferencers.get(cache_key)
        if found is None:
            found = build_inferencer(read_esco_entries() if entries is None else entries)
            _inferencers[cache_key] = found
        return found


def check_texts(texts: Sequence[str], top: int) -> None:
    """InvalidInput naming each text that is too large, and a `top` out of range."""
    problems = []
    if not 1 <= top <= MAX_TOP:
        problems.append(Problem(SOURCE, None, "top", str(top), f"must be 1 to {MAX_TOP}"))
    for number, text in enumerate(texts, start=1):
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > MAX_TEXT_BYTES:
            problems.append(
                Problem(
                    SOURCE,
                    number,
                    "text",
                    text[:40],
                    f"is {size:,} bytes; at most {MAX_TEXT_BYTES:,} bytes (1 MB) of text is read",
                )
            )
    if problems:
        raise InvalidInput(problems)


def infer_skills(
    texts: Sequence[str],
    taxonomy: Taxonomy = "esco",
    top: int = 10,
    *,
    engine: Engine | None = None,
) -> list[list[Suggestion]]:
    """The `top` skills suggested for each text, best first, with scores in 0..1 and the span
    that supports each; an empty list for a blank text or one with nothing recognisable."""
    check_texts(texts, top)
    return inferencer_for(taxonomy, engine).infer(texts, top)
