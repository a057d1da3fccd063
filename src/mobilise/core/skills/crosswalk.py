"""The ESCO ↔ framework crosswalk: which framework skills an ESCO skill stands for, and how sure.

Built from a similarity matrix (ESCO skills × framework skills, each score in 0..1) and a table of
reviewed decisions. The rule, for each ESCO skill:

- a framework skill is a candidate if its score reaches `threshold`;
- the best `per_esco` candidates are kept, and every candidate tied with the last of them (within
  `tie`), so the result never depends on the order skills were listed in;
- a reviewed decision wins over the computed one: an accepted pair is kept whatever its score, a
  rejected pair is dropped (and reported, so a rebuild cannot bring it back unseen).

The mapping is many-to-many: one ESCO skill may stand for several framework skills ("data
visualisation" for both "Data visualisation" and "Analysis") and one framework skill gathers many
ESCO skills.

Text is then mapped to the framework: each framework skill's support is the best, over the ESCO
skills found in the text, of (score of the ESCO skill in the text × score of the crosswalk link).
ESCO skills found with no accepted link are demand that no framework skill covers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Source = Literal["computed", "reviewed"]


@dataclass(frozen=True)
class CrosswalkRule:
    threshold: float = 0.55
    per_esco: int = 2
    tie: float = 1e-6

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError("threshold must be in 0..1")
        if self.per_esco < 1:
            raise ValueError("per_esco must be at least 1")
        if not 0.0 <= self.tie < 1.0:
            raise ValueError("tie must be in 0..1")


@dataclass(frozen=True)
class Review:
    """A person's decision on one pair: it stands for the skill (accepted) or it does not."""

    esco_key: str
    skill_key: str
    accepted: bool
    note: str = ""


@dataclass(frozen=True)
class Link:
    esco_key: str
    skill_key: str
    score: float
    source: Source
    accepted: bool
    note: str = ""


@dataclass(frozen=True)
class Crosswalk:
    links: tuple[Link, ...]
    # Reviews naming an ESCO or framework skill the matrix does not have (another version's).
    unmatched_reviews: tuple[Review, ...]

    def accepted(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.accepted)


def build_crosswalk(
    esco_keys: Sequence[str],
    skill_keys: Sequence[str],
    scores: NDArray[np.floating],
    reviews: Iterable[Review] = (),
    rule: CrosswalkRule | None = None,
) -> Crosswalk:
    """Links ordered by ESCO key, then best score first, then framework skill key."""
    rule = rule or CrosswalkRule()
    matrix = np.asarray(scores, dtype=np.float64)
    if matrix.shape != (len(esco_keys), len(skill_keys)):
        raise ValueError(
            f"scores has shape {matrix.shape}, expected ({len(esco_keys)}, {len(skill_keys)})"
        )
    if not np.isfinite(matrix).all():
        raise ValueError("scores must be finite")
    if len(set(esco_keys)) != len(esco_keys) or len(set(skill_keys)) != len(skill_keys):
        raise ValueError("keys must be unique")
    matrix = np.clip(matrix, 0.0, 1.0)
    chosen = _chosen(matrix, rule)

    esco_index = {key: i for i, key in enumerate(esco_keys)}
    skill_index = {key: j for j, key in enumerate(skill_keys)}
    decided: dict[tuple[int, int], Review] = {}
    unmatched: list[Review] = []
    for review in reviews:
        i, j = esco_index.get(review.esco_key), skill_index.get(review.skill_key)
        if i is None or j is None:
            unmatched.append(review)
        else:
            decided[(i, j)] = review  # the last decision on a pair is the one that stands

    links: list[Link] = []
    rows, columns = np.nonzero(chosen)
    for i, j in zip(rows.tolist(), columns.tolist(), strict=True):
        if (i, j) not in decided:
            links.append(
                Link(esco_keys[i], skill_keys[j], float(matrix[i, j]), "computed", accepted=True)
            )
    for (i, j), review in decided.items():
        links.append(
            Link(
                esco_keys[i],
                skill_keys[j],
                float(matrix[i, j]),
                "reviewed",
                accepted=review.accepted,
                note=review.note,
            )
        )
    links.sort(key=lambda link: (link.esco_key, -link.score, link.skill_key))
    return Crosswalk(tuple(links), tuple(unmatched))


def _chosen(matrix: NDArray[np.float64], rule: CrosswalkRule) -> NDArray[np.bool_]:
    """For each row, the candidates at or above the threshold among the best `per_esco`, ties in."""
    candidate = matrix >= rule.threshold
    if matrix.shape[1] == 0:
        return candidate
    k = min(rule.per_esco, matrix.shape[1])
    masked = np.where(candidate, matrix, -1.0)
    # The k-th best score of each row; anything within `tie` of it is kept too.
    kth = -np.partition(-masked, k - 1, axis=1)[:, k - 1]
    result: NDArray[np.bool_] = candidate & (masked >= (kth - rule.tie)[:, None])
    return result


@dataclass(frozen=True)
class Found:
    """An ESCO skill found in a text: its score there and the span that supports it."""

    esco_key: str
    esco_label: str
    score: float
    start: int
    end: int


@dataclass(frozen=True)
class Mapped:
    """A framework skill supported by a text, through its best ESCO skill."""

    skill_key: str
    score: float
    support: Found
    link_score: float


@dataclass(frozen=True)
class Mapping:
    skills: tuple[Mapped, ...]  # best first, then by skill key
    uncovered: tuple[Found, ...]  # ESCO skills found that no accepted link covers


def map_to_framework(found: Iterable[Found], links: Iterable[Link]) -> Mapping:
    """The framework skills a text supports, through accepted crosswalk links."""
    by_esco: dict[str, list[Link]] = {}
    for link in links:
        if link.accepted:
            by_esco.setdefault(link.esco_key, []).append(link)
    best: dict[str, Mapped] = {}
    uncovered: dict[str, Found] = {}
    for item in found:
        targets = by_esco.get(item.esco_key)
        if not targets:
            held = uncovered.get(item.esco_key)
            if held is None or (-item.score, item.start, item.end) < (
                -held.score,
                held.start,
                held.end,
            ):
                uncovered[item.esco_key] = item
            continue
        for link in targets:
            # Reviewed links carry whatever score the matrix had; a person vouched for them.
            strength = 1.0 if link.source == "reviewed" else link.score
            candidate = Mapped(link.skill_key, item.score * strength, item, strength)
            held_skill = best.get(link.skill_key)
            if held_skill is None or _better(candidate, held_skill):
                best[link.skill_key] = candidate
    skills = sorted(best.values(), key=lambda m: (-m.score, m.skill_key))
    left = sorted(uncovered.values(), key=lambda f: (-f.score, f.esco_key))
    return Mapping(tuple(skills), tuple(left))


def _better(a: Mapped, b: Mapped) -> bool:
    # Ties go to the earlier span, then the smaller ESCO key, so the answer is order-free.
    return _order(a) < _order(b)


def _order(m: Mapped) -> tuple[float, int, int, str, float, float]:
    return (
        -m.score,
        m.support.start,
        m.support.end,
        m.support.esco_key,
        -m.link_score,
        -m.support.score,
    )
