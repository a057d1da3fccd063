"""The demo workforce (being built; see issue 3)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine


@dataclass(frozen=True)
class DemoResult:
    people: int


def workforce_is_empty(engine: Engine) -> bool:
    return False


def generate_demo(engine: Engine, *, people: int, seed: int) -> DemoResult:
    raise NotImplementedError
