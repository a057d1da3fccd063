from __future__ import annotations

from mobilise.core.records import PEOPLE, ProblemLog, arrange, header_positions, object_values


def test_header_may_list_columns_in_any_order_and_omit_optional_ones() -> None:
    log = ProblemLog("people.csv")
    positions = header_positions(PEOPLE, ["display_name", " key ", "manager"], log)
    assert positions is not None
    row = arrange(["Ada", "a1", "boss"], positions)
    assert row[PEOPLE.position("key")] == "a1"
    assert row[PEOPLE.position("manager")] == "boss"
    assert row[PEOPLE.position("email")] == ""


def test_missing_unknown_and_repeated_columns_are_all_reported() -> None:
    log = ProblemLog("people.csv")
    assert header_positions(PEOPLE, ["key", "sex", "key"], log) is None
    assert [(p.row, p.column, p.rule.split(" (")[0]) for p in log.problems] == [
        (None, "sex", "is not a column of the people format"),
        (None, "key", "column appears more than once in the header"),
        (None, "display_name", "required column is missing from the header"),
    ]


def test_json_objects_give_text_in_layout_order() -> None:
    log = ProblemLog("people.json")
    values = object_values(PEOPLE, 1, {"key": "a", "display_name": "A", "email": None}, log)
    assert log.problems == []
    assert values is not None
    assert values[:3] == ["a", "A", ""]


def test_json_shape_problems_are_named() -> None:
    log = ProblemLog("people.json")
    assert object_values(PEOPLE, 1, ["a"], log) is None
    assert object_values(PEOPLE, 2, {"key": 5, "display_name": "A", "shoe": "9"}, log) is None
    assert object_values(PEOPLE, 3, {"key": "c"}, log) is None
    assert [(p.row, p.column, p.rule) for p in log.problems] == [
        (1, None, "must be a JSON object with the people fields"),
        (2, "shoe", "is not a field of the people format"),
        (2, "key", "must be a string or null"),
        (3, "display_name", "required field is missing"),
    ]


def test_the_problem_log_keeps_a_thousand_and_counts_the_rest() -> None:
    log = ProblemLog("x.csv", limit=1000)
    for n in range(1, 1501):
        log.add(n, "key", "", "is required")
    assert len(log.problems) == 1000
    assert log.count == 1500
    try:
        log.raise_if_any()
    except Exception as error:
        problems = error.problems  # type: ignore[attr-defined]
        assert len(problems) == 1001
        assert problems[-1].rule.startswith("500 more problem(s) not listed")
    else:
        raise AssertionError("expected InvalidInput")
