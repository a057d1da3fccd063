"""Workforce statistics: disclosure control of counts of people, and projections to targets."""

from mobilise.core.analytics.disclosure import (
    CountTable,
    ProtectedTable,
    determined,
    protect,
)

__all__ = ["CountTable", "ProtectedTable", "determined", "protect"]
