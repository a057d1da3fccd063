"""The learned blend: candidate skills from every scorer, their features, and a logistic model
that turns the features into the probability that a skill is one the text shows.

Features of a (passage, skill) pair, for each scorer: its raw score, and 1 / (1 + rank) of the
skill among that scorer's top candidates for the passage (0 outside them). Ranks make scores of
different scales comparable; the logistic link makes the output comparable across texts, so that
one threshold filters suggestions. Plus log(1 + number of alternative labels): a rough prior,
since widely used skills have been given more names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from mobilise.core.skills.top import top_columns

FloatArray = NDArray[np.float32]
IntArray = NDArray[np.int64]
RANK_SUFFIX = ":rank"
PRIOR = "alt_label_count"
# How many of each scorer's best skills per passage are candidates for the blend.
DEFAULT_CANDIDATES = 50


@dataclass(frozen=True)
class Blend:
    """Weights of named features; `logistic` False means the single feature is the score."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    candidates: int = DEFAULT_CANDIDATES
    logistic: bool = True

    def __post_init__(self) -> None:
        if len(self.features) != len(self.weights):
            raise ValueError("a blend needs one weight per feature")
        if not self.logistic and len(self.features) != 1:
            raise ValueError("a blend without the logistic link takes exactly one feature")

    @classmethod
    def single(cls, feature: str, candidates: int = DEFAULT_CANDIDATES) -> Blend:
        """One scorer's raw score, unchanged: the baselines."""
        return cls((feature,), (1.0,), 0.0, candidates, logistic=False)

    def scorers(self) -> set[str]:
        return {f.removesuffix(RANK_SUFFIX) for f in self.features if f != PRIOR}

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(self.features),
                "weights": list(self.weights),
                "bias": self.bias,
                "candidates": self.candidates,
                "logistic": self.logistic,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> Blend:
        data = json.loads(text)
        return cls(
            tuple(str(f) for f in data["features"]),
            tuple(float(w) for w in data["weights"]),
            float(data["bias"]),
            int(data.get("candidates", DEFAULT_CANDIDATES)),
            bool(data.get("logistic", True)),
        )


@dataclass(frozen=True)
class Candidates:
    """One passage's candidate skills (taxonomy positions) and their feature rows."""

    skills: IntArray
    features: FloatArray


def candidates_of(
    matrices: Mapping[str, FloatArray],
    feature_names: Sequence[str],
    prior: FloatArray,
    count: int,
) -> list[Candidates]:
    """For each passage (row of the score matrices): the union of every scorer's `count` best
    skills, with the named features of each."""
    names = sorted(matrices)
    rows = next(iter(matrices.values())).shape[0]
    width = next(iter(matrices.values())).shape[1]
    count = min(count, width)
    tops: dict[str, IntArray] = {}
    # A scorer may give one matrix under two names (dense_alt_labels without alternative-label
    # vectors is dense_label): its best columns are found once.
    by_matrix: dict[int, IntArray] = {}
    for name in names:
        if id(matrices[name]) not in by_matrix:
            by_matrix[id(matrices[name])] = top_columns(matrices[name], count)
        tops[name] = by_matrix[id(matrices[name])]
    found = []
    for row in range(rows):
        skills = np.unique(np.concatenate([tops[name][row] for name in names]))
        columns: dict[str, FloatArray] = {PRIOR: prior[skills]}
        for name in names:
            columns[name] = matrices[name][row, skills]
            reciprocal = np.zeros(len(skills), dtype=np.float32)
            positions = np.searchsorted(skills, tops[name][row])
            reciprocal[positions] = 1.0 / (1.0 + np.arange(count, dtype=np.float32))
            columns[name + RANK_SUFFIX] = reciprocal
        features = np.stack([columns[f] for f in feature_names], axis=1).astype(np.float32)
        found.append(Candidates(skills.astype(np.int64), features))
    return found


def blended(blend: Blend, features: FloatArray) -> FloatArray:
    """The blend's score of each feature row: a probability in 0..1 with the logistic link."""
    linear = features @ np.asarray(blend.weights, dtype=np.float32) + np.float32(blend.bias)
    if not blend.logistic:
        clipped: FloatArray = np.clip(linear, 0.0, 1.0).astype(np.float32)
        return clipped
    probability: FloatArray = (1.0 / (1.0 + np.exp(-linear))).astype(np.float32)
    return probability


def all_features(scorer_names: Sequence[str]) -> tuple[str, ...]:
    return (*scorer_names, *(n + RANK_SUFFIX for n in scorer_names), PRIOR)


def fit_blend(
    examples: Sequence[Candidates],
    relevant: Sequence[set[int]],
    feature_names: Sequence[str],
    *,
    candidates: int = DEFAULT_CANDIDATES,
    regularisation: float = 1.0,
) -> Blend:
    """Logistic regression of "this candidate is a gold skill" on the candidates' features.

    `relevant[i]` holds the taxonomy positions of passage i's gold skills. Pointwise and linear on
    purpose: a few hundred labelled sentences support a dozen weights, not a deep ranker.
    """
    x = np.vstack([e.features for e in examples])
    y = np.concatenate(
        [np.isin(e.skills, sorted(gold)) for e, gold in zip(examples, relevant, strict=True)]
    )
    if y.all() or not y.any():
        raise ValueError("fitting a blend needs both relevant and irrelevant candidates")
    model = LogisticRegression(C=regularisation, max_iter=5000)
    model.fit(x, y)
    return Blend(
        tuple(feature_names),
        tuple(float(w) for w in model.coef_[0]),
        float(model.intercept_[0]),
        candidates,
    )
