"""Workforce statistics: disclosure control of counts of people, and projections to targets."""

from mobilise.core.analytics.disclosure import (
    CountTable,
    ProtectedTable,
    determined,
    protect,
    series_changes,
)

__all__ = ["CountTable", "ProtectedTable", "determined", "protect", "series_changes"]
