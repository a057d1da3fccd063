"""Skill levels are ordered: awareness < working < practitioner < expert."""

from __future__ import annotations

from enum import IntEnum


class SkillLevel(IntEnum):
    AWARENESS = 1
    WORKING = 2
    PRACTITIONER = 3
    EXPERT = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> SkillLevel:
        """The level named by `text` (case and surrounding space ignored); ValueError otherwise."""
        key = text.strip().upper()
        try:
            return cls[key]
        except KeyError:
            raise ValueError(f"skill level must be one of {', '.join(cls.labels())}") from None

    @classmethod
    def labels(cls) -> list[str]:
        return [level.label for level in cls]
