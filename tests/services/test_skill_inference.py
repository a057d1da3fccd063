"""infer_skills on the shipped ESCO taxonomy and the DDaT framework, and bad input."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.core.skills import TaxonomyEntry
from mobilise.services.framework import read_framework_directory, shipped_ddat_directory
from mobilise.services.skill_inference import (
    MAX_TEXT_BYTES,
    Method,
    available_method,
    ddat_entries,
    fit_skill_blend,
    infer_skills,
    read_esco_entries,
    stored_ddat_entries,
)
from mobilise.services.skill_model import load_encoder, read_vectors, skill_vectors, write_vectors
from tests.support.skills import labelled


def test_the_shipped_esco_file_has_every_skill() -> None:
    entries = read_esco_entries()
    assert len(entries) == 13_896
    assert len({e.key for e in entries}) == len(entries)


def test_obvious_esco_skills() -> None:
    found = infer_skills(["Strong Python programming skills.", "Fluent in Spanish."], "esco", 10)
    assert "Python (computer programming)" in [s.label for s in found[0][:5]]
    assert "Spanish" in [s.label for s in found[1][:5]]


def test_ddat_skills_from_the_stored_default_framework(engine: Engine) -> None:
    text = "I design accessible services for people with impaired vision."
    found = infer_skills([text], "ddat", 3, engine=engine)[0]
    assert "accessibility" in [s.key for s in found]


def test_empty_text_gives_an_empty_result() -> None:
    assert infer_skills(["", "  "], "esco", 5) == [[], []]


def test_another_language_is_graceful() -> None:
    found = infer_skills(["这是一个关于烹饪的句子。", "Je parle français."], "esco", 5)
    assert len(found) == 2
    assert all(0.0 <= s.score <= 1.0 for row in found for s in row)


def test_more_than_a_megabyte_is_rejected_by_name() -> None:
    with pytest.raises(InvalidInput) as raised:
        infer_skills(["fine", "x" * (MAX_TEXT_BYTES + 1)], "esco", 5)
    (problem,) = raised.value.problems
    assert problem.row == 2
    assert "1 MB" in problem.rule


def test_top_out_of_range_and_unknown_taxonomy_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="top"):
        infer_skills(["Python"], "esco", 0)
    with pytest.raises(InvalidInput, match="must be esco or ddat"):
        infer_skills(["Python"], "onet", 5)  # type: ignore[arg-type]


MODEL_REQUIRED = os.environ.get("CI", "").lower() == "true"


def _model_or_skip() -> None:
    # `make install` installs the model; CI must have it, a bare checkout may not.
    if load_encoder() is None and not MODEL_REQUIRED:
        pytest.skip("the sentence-embedding model package is not installed")


@pytest.mark.parametrize("method", ["fast", "best"])
def test_both_paths_find_obvious_skills(method: Method) -> None:
    if method == "best":
        _model_or_skip()
    assert available_method(method) == method
    found = infer_skills(["You will write Python code."], "esco", 5, method=method)[0]
    assert "Python (computer programming)" in [s.label for s in found]


@pytest.mark.parametrize("method", ["fast", "best"])
def test_a_blend_fitted_on_a_few_sentences_ranks_their_skills(method: Method) -> None:
    if method == "best":
        _model_or_skip()
    sentences, labels = labelled()
    blend = fit_skill_blend(sentences, labels, method)
    assert len(blend.features) == len(blend.weights)
    found = infer_skills(sentences, "esco", 10, method=method, blend=blend)
    hits = sum(gold[0] in [s.label for s in row] for gold, row in zip(labels, found, strict=True))
    assert hits >= 6


def test_fitting_names_a_label_that_is_not_an_esco_skill() -> None:
    with pytest.raises(InvalidInput) as raised:
        fit_skill_blend(["Python"], [["Python (computer programming)", "snake charming"]], "fast")
    (problem,) = raised.value.problems
    assert (problem.row, problem.value) == (1, "snake charming")


def test_skill_vectors_round_trip_and_refuse_other_entries(tmp_path: Path) -> None:
    _model_or_skip()
    encoder = load_encoder()
    assert encoder is not None
    entries = [
        TaxonomyEntry("a", "bake bread", ("baking",), "Make bread."),
        TaxonomyEntry("b", "drive vehicles", (), ""),
    ]
    vectors = skill_vectors(encoder, entries, alt_labels=True)
    assert vectors.alt_owner.tolist() == [0]
    assert skill_vectors(encoder, entries).alt_labels.shape == (0, encoder.dimension)
    path = tmp_path / "vectors.npz"
    write_vectors(path, entries, vectors)
    stored = read_vectors(path, entries)
    assert stored is not None
    assert np.allclose(stored.labels, vectors.labels, atol=1e-3)
    changed = [entries[0], TaxonomyEntry("b", "drive lorries", (), "")]
    assert read_vectors(path, changed) is None


def test_ddat_entries_come_from_the_stored_default_framework(engine: Engine) -> None:
    stored = stored_ddat_entries(engine)
    shipped = ddat_entries(read_framework_directory(shipped_ddat_directory()))
    assert [(e.key, e.label, e.description) for e in stored] == [
        (e.key, e.label, e.description) for e in shipped
    ]
