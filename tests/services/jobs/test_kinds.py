"""Job parameters are checked before anything is queued, and every bad one is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobilise.core.problems import InvalidInput
from mobilise.services.jobs.kinds import KINDS, check_parameters


def test_kinds_are_the_real_ones() -> None:
    assert KINDS == (
        "import",
        "demo",
        "allocate",
        "tag-learning",
        "infer-texts",
        "analytics-refresh",
        "tag-opportunities",
        "retention",
    )


def test_demo_parameters_take_defaults() -> None:
    assert check_parameters("demo", {"people": 10, "seed": 3}) == {
        "people": 10,
        "seed": 3,
        "claims_per_person": 8.0,
        "history": True,
        "replace": False,
    }


def test_files_are_stored_by_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "people.csv").write_text("key\n")
    monkeypatch.chdir(tmp_path)
    checked = check_parameters("import", {"table": "people", "path": "people.csv"})
    assert checked["path"] == str(tmp_path / "people.csv")


def test_an_unknown_kind_is_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_parameters("reindex", {})
    (problem,) = caught.value.problems
    assert (problem.column, problem.value) == ("kind", "reindex")
    assert "import, demo, allocate" in problem.rule


def test_every_bad_parameter_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_parameters(
            "demo", {"people": -4, "seed": "x", "claims_per_person": "inf", "colour": "red"}
        )
    found = {p.column: p for p in caught.value.problems}
    assert set(found) == {"people", "seed", "claims_per_person", "colour"}
    assert found["people"].value == "-4"
    assert "greater than or equal to 0" in found["people"].rule
    assert "finite" in found["claims_per_person"].rule
    assert found["colour"].rule == "is not a parameter of this kind of job"
    assert all(p.source == "demo job" for p in caught.value.problems)


def test_missing_files_and_unknown_choices_are_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_parameters("allocate", {"problem": str(tmp_path / "none.json"), "method": "lottery"})
    found = {p.column: p for p in caught.value.problems}
    assert found["problem"].rule == "must name a file that exists"
    assert found["method"].value == "lottery"
    with pytest.raises(InvalidInput) as missing:
        check_parameters("import", {"path": str(tmp_path)})
    columns = {p.column: p.rule for p in missing.value.problems}
    assert columns["table"] == "Field required"
    assert columns["path"] == "must name a file that exists"
