"""Collect every problem of an input, keeping the first thousand and counting the rest."""

from __future__ import annotations

from mobilise.core.problems import InvalidInput, Problem

PROBLEM_LIMIT = 1000


class ProblemLog:
    """Problems of one source; `raise_if_any` ends the import when at least one was found."""

    def __init__(self, source: str, limit: int = PROBLEM_LIMIT) -> None:
        self.source = source
        self.limit = limit
        self.problems: list[Problem] = []
        self.unlisted = 0

    def add(self, row: int | None, column: str | None, value: str | None, rule: str) -> None:
        if len(self.problems) < self.limit:
            self.problems.append(Problem(self.source, row, column, value, rule))
        else:
            self.unlisted += 1

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem.row, problem.column, problem.value, problem.rule)

    @property
    def count(self) -> int:
        return len(self.problems) + self.unlisted

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if not self.problems:
            return
        problems = list(self.problems)
        if self.unlisted:
            problems.append(
                Problem(
                    self.source,
                    None,
                    None,
                    None,
                    f"{self.unlisted} more problem(s) not listed; fix the ones above and retry",
                )
            )
        raise InvalidInput(problems)
