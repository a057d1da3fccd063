"""Plain-English explanations of each applicant's outcome, from the matching and the lists alone.

Every sentence is checkable against the inputs: which choices were above the one you got, and for
each of them why it did not take you (no places; full with people it ranked higher, and where the
line fell; or full under the method's objective or quotas although it ranked you higher).
"""

from __future__ import annotations

import numpy as np

from mobilise.core.allocation.problem import AllocationProblem, IntArray
from mobilise.core.allocation.quality import worst_held_rank

DETAILED_CHOICES = 3


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _places(n: int) -> str:
    return "only place" if n == 1 else f"{n} places"


class Explainer:
    """Explains outcomes of one matching; per-opportunity facts are computed once."""

    def __init__(self, problem: AllocationProblem, assigned: IntArray, method: str) -> None:
        self.problem = problem
        self.assigned = assigned
        self.method = method
        self.filled, self.worst = worst_held_rank(problem, assigned)

    def _reason(self, opportunity: int, your_rank: int) -> str:
        """One of: closed, quota, higher, objective."""
        capacity = int(self.problem.capacity[opportunity])
        if capacity == 0:
            return "closed"
        if int(self.filled[opportunity]) < capacity:
            return "quota"
        return "higher" if int(self.worst[opportunity]) < your_rank else "objective"

    def _why_not(self, opportunity: int, your_rank: int) -> str:
        p = self.problem
        name = p.opportunity_ids[opportunity]
        capacity = int(p.capacity[opportunity])
        worst = int(self.worst[opportunity])
        reason = self._reason(opportunity, your_rank)
        if reason == "closed":
            return f"{name}, offered no places"
        if reason == "quota":
            return (
                f"{name}, still had a free place, but placing you there would have broken one of "
                "the run's quotas"
            )
        if reason == "higher":
            took = "applicants" if capacity > 1 else "an applicant"
            return (
                f"{name}, filled its {_places(capacity)} with {took} it ranked higher; the last "
                f"one it took was ranked {ordinal(worst + 1)}, you were {ordinal(your_rank + 1)}"
            )
        aim = (
            "meet the run's quotas"
            if self.method == "fair"
            else "place more people, or place them higher on their own lists"
        )
        return (
            f"{name}, filled its {_places(capacity)}; it ranked you {ordinal(your_rank + 1)}, "
            f"above its last pick ({ordinal(worst + 1)}), but the {self.method} method gave its "
            f"places to others to {aim}"
        )

    def explain(self, applicant: int) -> str:
        p = self.problem
        start, end = int(p.pref_ptr[applicant]), int(p.pref_ptr[applicant + 1])
        choices = p.pref_opp[start:end]
        ranks = p.pref_rank[start:end]
        if end == start:
            return "You were not placed: you listed no opportunities."
        match = int(self.assigned[applicant])
        position = int(np.flatnonzero(choices == match)[0]) if match >= 0 else len(choices)
        if match >= 0:
            head = f"You were placed with your {ordinal(position + 1)} choice, "
            head += f"{p.opportunity_ids[match]}."
            if position == 0:
                return head
        else:
            head = "You were not placed."
        sentences = [head]
        for k in range(min(position, DETAILED_CHOICES)):
            why = self._why_not(int(choices[k]), int(ranks[k]))
            sentences.append(f"Your {ordinal(k + 1)} choice, {why}.")
        rest = position - DETAILED_CHOICES
        if rest > 0:
            counts = {"higher": 0, "closed": 0, "quota": 0, "objective": 0}
            for k in range(DETAILED_CHOICES, position):
                counts[self._reason(int(choices[k]), int(ranks[k]))] += 1
            phrases = {
                "higher": "filled their places with applicants they ranked higher",
                "closed": "offered no places",
                "quota": "had free places that the run's quotas kept from you",
                "objective": f"gave their places to others under the {self.method} method",
            }
            parts = [f"{n} {phrases[kind]}" for kind, n in counts.items() if n]
            which = "above it" if match >= 0 else "choices"
            lead = (
                f"Of your other {rest} choices {which}"
                if match >= 0
                else f"Of your other {rest} {which}"
            )
            sentences.append(f"{lead}: {'; '.join(parts)}.")
        return " ".join(sentences)
