"""Programme impact: matching participants with similar non-participants, and the effect as a
difference in differences with a bootstrap interval (docs/impact.md)."""

from mobilise.core.impact.effect import Effect, estimate_effect
from mobilise.core.impact.matching import Match, Unit, match_controls

__all__ = ["Effect", "Match", "Unit", "estimate_effect", "match_controls"]
