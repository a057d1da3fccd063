"""The data-ethics self-assessment: its cells, the rules of an entry, and the overall state."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.register.ethics import (
    ACTIVITIES,
    CELLS,
    HIGHEST,
    LOWEST,
    PRINCIPLES,
    AssessmentStatus,
    EthicsEntry,
    assessment_state,
    entry_problems,
)


def entry(principle: str, activity: str, score: int | None, notes: str = "") -> EthicsEntry:
    return EthicsEntry(principle, activity, score, notes)


def test_three_principles_across_five_activities() -> None:
    assert [p for p, _ in PRINCIPLES] == ["transparency", "accountability", "fairness"]
    assert len(ACTIVITIES) == 5
    assert len(CELLS) == 15


def test_an_empty_assessment_is_not_started_and_misses_every_cell() -> None:
    state = assessment_state([])

    assert state.status is AssessmentStatus.NOT_STARTED
    assert (state.answered, state.total, len(state.missing)) == (0, 15, 15)
    assert state.mean is None
    assert state.missing[0].what == "a score and notes"


def test_a_score_without_notes_and_notes_without_a_score_are_each_named() -> None:
    state = assessment_state(
        [
            entry("transparency", "diverse-expertise", 2),
            entry("fairness", "compliance-with-the-law", None, "DPIA done"),
        ]
    )

    gaps = {(g.principle, g.activity): g.what for g in state.missing}
    assert gaps[("transparency", "diverse-expertise")] == "notes"
    assert gaps[("fairness", "compliance-with-the-law")] == "a score"
    assert state.status is AssessmentStatus.IN_PROGRESS
    assert state.by_principle["transparency"] == 2
    assert state.by_principle["fairness"] is None


def test_every_cell_scored_with_notes_is_complete_and_low_scores_need_action() -> None:
    entries = [entry(p, a, 3, "Evidence in the DPIA.") for p, a in CELLS]
    entries[4] = entry(*CELLS[4], 1, "Not yet looked at policy effects.")

    state = assessment_state(entries)

    assert state.status is AssessmentStatus.COMPLETE
    assert state.missing == ()
    assert [(e.principle, e.activity) for e in state.needs_action] == [CELLS[4]]
    assert state.mean == round((14 * 3 + 1) / 15, 2)


def test_unknown_cells_scores_off_the_scale_and_repeats_are_refused() -> None:
    problems = entry_problems(
        [
            entry("kindness", "diverse-expertise", 1),
            entry("fairness", "dancing", 1),
            entry("fairness", "diverse-expertise", 7),
            entry("fairness", "diverse-expertise", 2),
            entry("transparency", "diverse-expertise", None, "x" * 5001),
        ],
        "assessment",
    )

    assert [(p.column, p.value) for p in problems] == [
        ("principle", "kindness"),
        ("activity", "dancing"),
        ("fairness.diverse-expertise.score", "7"),
        ("fairness.diverse-expertise.score", None),
        ("transparency.diverse-expertise.notes", None),
    ]


cells = st.dictionaries(
    st.sampled_from(CELLS),
    st.tuples(st.none() | st.integers(LOWEST, HIGHEST), st.sampled_from(["", "  ", "notes"])),
)


@given(cells)
def test_state_counts_add_up_and_means_stay_on_the_scale(
    chosen: dict[tuple[str, str], tuple[int | None, str]],
) -> None:
    entries = [entry(p, a, score, notes) for (p, a), (score, notes) in chosen.items()]
    assert entry_problems(entries, "a") == []

    state = assessment_state(entries)

    assert state.answered + len(state.missing) == state.total == 15
    assert (state.status is AssessmentStatus.COMPLETE) == (not state.missing)
    started = any(score is not None or notes.strip() for score, notes in chosen.values())
    assert (state.status is AssessmentStatus.NOT_STARTED) == (not started)
    for mean in [state.mean, *state.by_principle.values()]:
        assert mean is None or LOWEST <= mean <= HIGHEST
    assert all((e.score or 0) <= 1 for e in state.needs_action)
