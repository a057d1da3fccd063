"""Workforce statistics: disclosure control of counts of people, and projections to targets."""

from mobilise.core.analytics.disclosure import (
    CountTable,
    ProtectedTable,
    determined,
    protect,
)
from mobilise.core.analytics.series import protect_series

__all__ = ["CountTable", "ProtectedTable", "determined", "protect", "protect_series"]
