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

from sqlalchemy import Engine, select

from mobilise.core.framework import Framework
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.skills import SkillInferencer, Suggestion, TaxonomyEntry
from mobilise.core.skills.blend import DEFAULT_CANDIDATES, Blend, all_features, fit_blend
from mobilise.core.skills.dense import DenseScorer
from mobilise.core.skills.fast import FAST_FEATURES, FastScorer, FastSkillInferencer
from mobilise.core.skills.lexical import LexicalScorer
from mobilise.services.framework import (
    get_version,
    read_framework_directory,
    shipped_ddat_directory,
)
from mobilise.services.skill_model import load_encoder, vectors_for
from mobilise.services.static_skill_model import shipped_static_model
from mobilise.store.database import reading
from mobilise.store.models import SkillRecord

Taxonomy = Literal["esco", "ddat"]
TAXONOMIES: tuple[Taxonomy, ...] = ("esco", "ddat")
# "best": lexical and sentence-embedding scorers blended; "fast": the lexical scorers alone.
Method = Literal["best", "fast"]
METHODS: tuple[Method, ...] = ("best", "fast")
# A CV is a few KB; a megabyte of text is not a person's writing but a mistake or an attack.
MAX_TEXT_BYTES = 1024 * 1024
MAX_TOP = 100
SOURCE = "text"

_lock = threading.Lock()
# Scorers are the expensive part (TF-IDF fitting, skill vectors): one set per taxonomy and method.
Scorer = LexicalScorer | DenseScorer | FastScorer
_built: dict[object, tuple[tuple[TaxonomyEntry, ...], list[Scorer]]] = {}
# The fast path's blend is fitted on more candidates than it keeps: a wider view of the negatives.
FAST_FIT_CANDIDATES = 200


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


def stored_ddat_entries(engine: Engine) -> list[TaxonomyEntry]:
    """The skills of the default framework version in the store (only the skills are read: a
    request should not load the whole framework to find ~200 names)."""
    with reading(engine) as session:
        version = get_version(session, None)
        rows = session.execute(
            select(SkillRecord.key, SkillRecord.name, SkillRecord.description)
            .where(SkillRecord.framework_version_id == version.id)
            .order_by(SkillRecord.id)
        ).all()
    return [TaxonomyEntry(key, name, (), description or "") for key, name, description in rows]


def ddat_entries(framework: Framework) -> list[TaxonomyEntry]:
    """The framework's skills as taxonomy entries: the name is the label, the slug the key."""
    return [TaxonomyEntry(s.key, s.name, (), s.description) for s in framework.skills]


def shipped_blend_file(method: Method) -> Path:
    return Path(str(resources.files("mobilise") / "data" / "esco" / f"blend-{method}.json"))


def read_blend(path: Path) -> Blend:
    """A blend from a JSON file (as `mobilise skills fit` writes); InvalidInput if unreadable."""
    try:
        return Blend.from_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise InvalidInput(
            [Problem(str(path), None, None, None, f"is not a skill blend: {error}")]
        ) from None


def available_method(method: Method, *, own_blend: bool = False) -> Method:
    """`method`, or "fast" when the best path's model (or, unless the caller brings its own
    blend, the shipped blend) is not installed."""
    if method != "best":
        return method
    if load_encoder() is None or not (own_blend or shipped_blend_file("best").exists()):
        return "fast"
    return method


def _scorers(entries: Sequence[TaxonomyEntry], method: Method) -> list[Scorer]:
    if method == "fast":
        return [FastScorer(entries, static=shipped_static_model())]
    scorers: list[Scorer] = [LexicalScorer(entries)]
    encoder = load_encoder()
    if method == "best" and encoder is not None:
        scorers.append(DenseScorer(encoder, vectors_for(encoder, entries)))
    return scorers


def build_inferencer(
    entries: Sequence[TaxonomyEntry], method: Method = "best", blend: Blend | None = None
) -> SkillInferencer:
    """An inferencer over `entries`: lexical scorers, plus the dense ones on the best path."""
    method = available_method(method, own_blend=blend is not None)
    blend = blend or read_blend(shipped_blend_file(method))
    return _inferencer(entries, _scorers(entries, method), blend)


def _inferencer(
    entries: Sequence[TaxonomyEntry], scorers: Sequence[Scorer], blend: Blend
) -> SkillInferencer:
    if len(scorers) == 1 and isinstance(scorers[0], FastScorer):
        return FastSkillInferencer(entries, scorers[0], blend)
    return SkillInferencer(entries, scorers, blend)


def inferencer_for(
    taxonomy: Taxonomy,
    engine: Engine | None = None,
    method: Method = "best",
    blend: Blend | None = None,
) -> SkillInferencer:
    """The process's inferencer for a taxonomy and method (its scorers built on first use),
    with the shipped blend or `blend`.

    For "ddat" the skills come from the default framework version stored in `engine`, or the
    shipped framework when no engine is given; a changed framework gets new scorers.
    """
    if method not in METHODS:
        raise InvalidInput([Problem("skills", None, "method", str(method), "must be best or fast")])
    if taxonomy == "esco":
        cache_key: object = "esco"
        entries: Sequence[TaxonomyEntry] | None = None
    elif taxonomy == "ddat":
        entries = (
            stored_ddat_entries(engine)
            if engine is not None
            else ddat_entries(read_framework_directory(shipped_ddat_directory()))
        )
        cache_key = ("ddat", tuple(entries))
    else:
        raise InvalidInput(
            [Problem("skills", None, "taxonomy", str(taxonomy), "must be esco or ddat")]
        )
    method = available_method(method, own_blend=blend is not None)
    blend = blend or read_blend(shipped_blend_file(method))
    return _inferencer(*_built_for(cache_key, entries, method), blend)


def _built_for(
    cache_key: object, entries: Sequence[TaxonomyEntry] | None, method: Method
) -> tuple[tuple[TaxonomyEntry, ...], list[Scorer]]:
    """The entries and scorers of a taxonomy (ESCO's when `entries` is None), built once."""
    with _lock:
        found = _built.get((cache_key, method))
        if found is None:
            chosen = tuple(read_esco_entries() if entries is None else entries)
            found = (chosen, _scorers(chosen, method))
            _built[(cache_key, method)] = found
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
    method: Method = "best",
    blend: Blend | None = None,
) -> list[list[Suggestion]]:
    """The `top` skills suggested for each text, best first, with scores in 0..1 (the blend's
    probability that the skill is right) and the span that supports each; an empty list for a
    blank text. `blend` replaces the shipped one (evaluation fits its own per fold)."""
    check_texts(texts, top)
    return inferencer_for(taxonomy, engine, method, blend).infer(texts, top)


def fit_skill_blend(
    sentences: Sequence[str],
    labels: Sequence[Sequence[str]],
    method: Method = "best",
    *,
    regularisation: float = 1.0,
) -> Blend:
    """A blend fitted on labelled ESCO sentences (each with its gold preferred labels).

    Only ever fitted on the validation split; the figures reported for it are cross-validated
    (bench/eval_skills.py fits one per fold).
    """
    method = available_method(method, own_blend=True)
    entries, scorers = _built_for("esco", None, method)
    features: tuple[str, ...] = FAST_FEATURES
    count = FAST_FIT_CANDIDATES
    if method == "best":
        features = all_features([name for scorer in scorers for name in scorer.names])
        count = DEFAULT_CANDIDATES
    probe = _inferencer(entries, scorers, Blend(features, (0.0,) * len(features), 0.0, count))
    position = {" ".join(e.label.split()).casefold(): i for i, e in enumerate(probe.entries)}
    problems = []
    relevant: list[set[int]] = []
    for number, gold in enumerate(labels, start=1):
        found = set()
        for label in gold:
            index = position.get(" ".join(label.split()).casefold())
            if index is None:
                problems.append(Problem(SOURCE, number, "labels", label, "is not an ESCO skill"))
            else:
                found.add(index)
        relevant.append(found)
    if problems:
        raise InvalidInput(problems)
    return fit_blend(probe.candidates(sentences), relevant, features, regularisation=regularisation)
