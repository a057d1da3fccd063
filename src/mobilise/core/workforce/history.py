"""Monthly history from 2020: joiners, leavers, moves into DDaT, promotions, moves between bodies.

The DDaT share of the workforce follows DDAT_SHARE_TRAJECTORY: the months in which people in post
entered DDaT are drawn from the cumulative distribution that the target share implies, given how
the workforce grows (joiners) and shrinks (leavers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from mobilise.core.workforce.calibration import (
    AS_OF,
    DDAT_ENTRY_BY_JOINING,
    DDAT_SHARE_TRAJECTORY,
    EARLIEST_START,
    HISTORY_START,
    JOINED_BEFORE_HISTORY,
    MOVE_CHANCE,
    PROMOTION_CHANCE_DDAT,
    PROMOTION_CHANCE_OTHER,
)
from mobilise.core.workforce.model import Positions

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
DayArray = npt.NDArray[np.datetime64]

NEVER = 1_000_000  # a month index later than any history
BEFORE = -1  # the month index of anything before HISTORY_START
ALWAYS = -2  # "since before the person joined"
NAT = np.datetime64("NaT", "D")
LAST_MONTH = (AS_OF.year - HISTORY_START.year) * 12 + AS_OF.month - HISTORY_START.month


@dataclass(frozen=True)
class Person:
    """What history needs of each person (people in post first, then leavers)."""

    organisation: IntArray
    previous_organisation: IntArray  # where a mover was before; equal to organisation if none
    role_level: IntArray  # current role level, -1 outside DDaT
    previous_level: IntArray  # the level below in the same role, -1 if none
    grade: npt.NDArray[np.int8]
    grade_of_level: IntArray
    region: npt.NDArray[np.int8]


@dataclass(frozen=True)
class History:
    started_on: DayArray
    left_on: DayArray
    positions: Positions


def month_start(month: IntArray) -> DayArray:
    base = np.datetime64(f"{HISTORY_START.year:04d}-{HISTORY_START.month:02d}", "M")
    return (base + month.astype("timedelta64[M]")).astype("datetime64[D]")


def _day(value: date) -> np.datetime64:
    return np.datetime64(value.isoformat(), "D")


def share_at_month_ends() -> FloatArray:
    """Target DDaT share at the end of each month of the history."""
    ends = month_start(np.arange(1, LAST_MONTH + 2)) - np.timedelta64(1, "D")
    points = np.array([_day(d) for d, _ in DDAT_SHARE_TRAJECTORY]).astype(np.int64)
    values = np.array([s for _, s in DDAT_SHARE_TRAJECTORY])
    share: FloatArray = np.interp(ends.astype(np.int64), points, values)
    return share


def ddat_entry_cdf(in_post: int, ddat_now: int, leavers: int, ddat_leavers: int) -> FloatArray:
    """P(a DDaT person in post had entered DDaT by the end of month t), t = -1..LAST_MONTH."""
    months = LAST_MONTH + 1
    x = np.arange(0, months + 1) / months  # share of the history elapsed at the end of month t
    g0 = JOINED_BEFORE_HISTORY
    workforce = in_post * (g0 + (1 - g0) * x) + leavers * (1 - x)
    share = np.concatenate([[DDAT_SHARE_TRAJECTORY[0][1]], share_at_month_ends()])
    in_ddat = share * workforce - ddat_leavers * (1 - x)
    cdf = np.maximum.accumulate(np.clip(in_ddat / max(ddat_now, 1), 0.0, 1.0))
    cdf[-1] = 1.0
    return cdf


def _days_before_history(count: int, rng: np.random.Generator) -> DayArray:
    first = _day(EARLIEST_START)
    span = int((_day(HISTORY_START) - first).astype(np.int64))
    days: DayArray = first + rng.integers(0, span, size=count).astype("timedelta64[D]")
    return days


def _day_in(month: IntArray, rng: np.random.Generator) -> DayArray:
    days: DayArray = month_start(month) + rng.integers(0, 28, size=len(month)).astype(
        "timedelta64[D]"
    )
    return days


def _month_after(month: IntArray, rng: np.random.Generator) -> IntArray:
    """A month strictly after `month` and within the history, or NEVER if there is none."""
    low = np.maximum(month + 1, 0)
    has_room = low <= LAST_MONTH
    draw = low + np.floor(rng.random(len(month)) * (LAST_MONTH + 1 - low)).astype(np.int64)
    return np.where(has_room, draw, NEVER)


def build_history(
    person: Person, in_post: int, *, with_history: bool, rng: np.random.Generator
) -> History:
    """Start and leave dates, and the dated positions, of everyone."""
    total = len(person.organisation)
    leavers = total - in_post
    ddat = person.role_level >= 0
    ddat_now = int(ddat[:in_post].sum())

    # When each person in post joined (month index; BEFORE for before the history).
    joined_early = rng.random(in_post) < JOINED_BEFORE_HISTORY
    join_month = np.where(joined_early, BEFORE, rng.integers(0, LAST_MONTH + 1, size=in_post))
    entered = np.full(in_post, ALWAYS, dtype=np.int64)
    entered[~ddat[:in_post]] = NEVER
    if with_history:
        cdf = ddat_entry_cdf(in_post, ddat_now, leavers, int(ddat[in_post:].sum()))
        month = np.searchsorted(cdf, rng.random(in_post)) - 1  # -1: before the history
        in_window = ddat[:in_post] & (month >= 0)
        joiner = in_window & (rng.random(in_post) < DDAT_ENTRY_BY_JOINING)
        mover = in_window & ~joiner
        join_month = np.where(ddat[:in_post] & ~in_window, BEFORE, join_month)
        join_month = np.where(joiner, month, join_month)
        # A mover joined before entering DDaT: before the history, or uniformly before the move.
        g0 = JOINED_BEFORE_HISTORY
        early_chance = g0 / (g0 + (1 - g0) * month / (LAST_MONTH + 1))
        earlier = np.floor(rng.random(in_post) * np.maximum(month, 1)).astype(np.int64)
        mover_early = (rng.random(in_post) < early_chance) | (month == 0)
        join_month = np.where(mover, np.where(mover_early, BEFORE, earlier), join_month)
        entered = np.where(mover, month, entered)
    started_on = np.where(
        join_month == BEFORE,
        _days_before_history(in_post, rng),
        _day_in(np.maximum(join_month, 0), rng),
    )

    level = person.role_level[:in_post]
    grade = person.grade[:in_post].astype(np.int64)
    organisation = person.organisation[:in_post]
    promoted_at = np.full(in_post, NEVER, dtype=np.int64)
    moved_at = np.full(in_post, NEVER, dtype=np.int64)
    if with_history:
        can_promote = np.where(ddat[:in_post], person.previous_level[:in_post] >= 0, grade > 0)
        chance = np.where(ddat[:in_post], PROMOTION_CHANCE_DDAT, PROMOTION_CHANCE_OTHER)
        promoted = can_promote & (rng.random(in_post) < chance)
        since = np.where((entered >= 0) & (entered < NEVER), entered, join_month)
        promoted_at = np.where(promoted, _month_after(since, rng), NEVER)
        moves = (rng.random(in_post) < MOVE_CHANCE) & (
            person.previous_organisation[:in_post] != organisation
        )
        moved_at = np.where(moves, _month_after(join_month, rng), NEVER)

    # Spells start at joining and at each distinct event month.
    events = np.sort(
        np.stack([np.where(entered >= 0, entered, NEVER), promoted_at, moved_at], 1), 1
    )
    distinct = np.concatenate(
        [np.ones((in_post, 1), bool), events[:, 1:] != events[:, :-1]], axis=1
    ) & (events < NEVER)
    starts = np.concatenate([join_month[:, None], events], axis=1)
    valid = np.concatenate([np.ones((in_post, 1), bool), distinct], axis=1)
    start_days = np.concatenate(
        [started_on[:, None], month_start(np.minimum(events, LAST_MONTH)).reshape(in_post, 3)],
        axis=1,
    )

    in_ddat = starts >= entered[:, None]
    was_promoted = (promoted_at < NEVER)[:, None]
    not_yet_promoted = was_promoted & (starts < promoted_at[:, None])
    spell_level = np.where(
        in_ddat,
        np.where(not_yet_promoted, person.previous_level[:in_post, None], level[:, None]),
        -1,
    )
    # Before entering DDaT a mover held the grade of their entry level, or the one below.
    entry_level = np.where(was_promoted[:, 0], person.previous_level[:in_post], level)
    entry_grade = person.grade_of_level[np.maximum(entry_level, 0)]
    before_grade = np.maximum(entry_grade - (rng.random(in_post) < 0.5), 0)
    spell_grade = np.where(
        spell_level >= 0,
        person.grade_of_level[np.maximum(spell_level, 0)],
        np.where(
            ddat[:in_post, None],
            before_grade[:, None],
            np.where(not_yet_promoted, grade[:, None] - 1, grade[:, None]),
        ),
    )
    spell_org = np.where(
        (moved_at < NEVER)[:, None] & (starts < moved_at[:, None]),
        person.previous_organisation[:in_post, None],
        organisation[:, None],
    )

    # A spell ends where the next valid one starts; the last one is current.
    ends = np.full((in_post, 4), NAT)
    next_start = np.full(in_post, NAT)
    for k in range(3, -1, -1):
        ends[:, k] = next_start
        next_start = np.where(valid[:, k], start_days[:, k], next_start)

    left_on = np.full(total, NAT)
    people_started = np.concatenate([started_on, _days_before_history(leavers, rng)])
    if leavers:
        left_on[in_post:] = _day_in(rng.integers(0, LAST_MONTH + 1, size=leavers), rng)

    rows, cols = np.nonzero(valid)
    gone = np.arange(in_post, total)
    positions = Positions(
        person=np.concatenate([rows.astype(np.int64), gone]),
        organisation=np.concatenate([spell_org[rows, cols], person.organisation[in_post:]]),
        role_level=np.concatenate([spell_level[rows, cols], person.role_level[in_post:]]),
        grade=np.concatenate([spell_grade[rows, cols], person.grade[in_post:]]).astype(np.int8),
        region=np.concatenate([person.region[rows], person.region[in_post:]]).astype(np.int8),
        started_on=np.concatenate([start_days[rows, cols], people_started[in_post:]]),
        ended_on=np.concatenate([ends[rows, cols], left_on[in_post:]]),
    )
    return History(started_on=people_started, left_on=left_on, positions=positions)
