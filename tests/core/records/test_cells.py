from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mobilise.core.records import neutralise_formula, restore_formula
from mobilise.core.records.cells import FORMULA_TRIGGERS


@given(st.text(alphabet=st.sampled_from("=+-@'\t\rab1 "), max_size=6) | st.text())
def test_neutralising_then_restoring_gives_back_the_value(value: str) -> None:
    assert restore_formula(neutralise_formula(value)) == value


@given(st.text())
def test_no_neutralised_cell_starts_a_formula(value: str) -> None:
    cell = neutralise_formula(value)
    assert not cell or cell[0] not in FORMULA_TRIGGERS


def test_examples() -> None:
    assert neutralise_formula("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula("'Tis") == "'Tis"
    assert neutralise_formula("'=1") == "''=1"
    assert restore_formula("'=1") == "=1"
    assert restore_formula("'Tis") == "'Tis"
