"""A simulated machine's life as a schedule of segments: run, small stops, breakdowns, changeovers, idling.

Deterministic: the schedule of each hour is drawn from a random generator
seeded by (seed, machine, hour), so any moment can be asked for in any order
and gives the same answer (an hour may look at the draws of the hours around
it, never at what was asked before). During breaks and outside shifts (the
planned intervals it is given) the machine stands still. The machine makes one
product at a time; when the product changes (a new order, every six hours on
average) it stops for a changeover. Its stops have causes a model can learn
(core.plc.sim_causes), unless the profile says `hidden_causes=False`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timedelta, timezone

from core.plc.sim_causes import (
    NOISE_TRIP_SHARE, PRECURSOR_TRIP_SHARE, Failure, PlannedSource, PlannedTime, failures_near,
    long_breakdown_chance, slowdown, wear,
)

BLOCK = timedelta(hours=1)
EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)

RUN, SMALL_STOP, BREAKDOWN, CHANGEOVER, STARVED, PLANNED = (
    "run", "small_stop", "breakdown", "changeover", "starved", "planned")
PRODUCTS = ("P-100", "P-200", "P-250", "P-300", "P-410")
ORDER_CHANGE_CHANCE = 1 / 6  # per hour: a new product every six hours on average
_LOOK_BACK_HOURS = 72


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    kind: str
    fault_bit: int | None = None
    rate_per_s: float = 0.0  # units per second while running
    reject_share: float = 0.0

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class MachineProfile:
    code: str
    ideal_cycle_time_s: float
    fault_bits: tuple[int, ...] = (1, 3, 4, 7)  # bits a breakdown may raise
    mean_run_minutes: float = 18.0
    speed_range: tuple[float, float] = (0.80, 0.97)
    reject_range: tuple[float, float] = (0.004, 0.03)
    failure_bit: int = 3  # what a wear-out failure raises (F04 main drive overload in the example plant)
    precursor_bit: int | None = 7  # what trips before it (F12 photo-eye); None: short jams (bit 1) instead
    hidden_causes: bool = True  # False: the same plant with nothing a model could foresee


def _block_index(moment: datetime) -> int:
    return int((moment - EPOCH) // BLOCK)


def _rng(seed: int, code: str, block: int) -> random.Random:
    return random.Random(f"{seed}:{code}:{block}")


def schedule(profile: MachineProfile, seed: int, start: datetime, end: datetime,
             planned: PlannedSource) -> list[Segment]:
    """The machine's segments covering [start, end), clipped to it.

    `planned` is the whole plan as a list of intervals, or a function giving
    the planned intervals within a window: the schedule asks it with margins
    around [start, end), so that each hour sees the same plan however it is asked.
    """
    plan = PlannedTime.of(planned, start, end)
    failures: dict[int, Failure | None] = {}
    segments: list[Segment] = []
    for block in range(_block_index(start), _block_index(end - timedelta(microseconds=1)) + 1):
        block_start = EPOCH + block * BLOCK
        for segment in _block(profile, seed, block, block_start, block_start + BLOCK, plan, failures):
            if segment.end > start and segment.start < end:
                segments.append(_clip(segment, start, end))
    return segments


def _clip(segment: Segment, start: datetime, end: datetime) -> Segment:
    if segment.start >= start and segment.end <= end:
        return segment
    return Segment(max(segment.start, start), min(segment.end, end), segment.kind, segment.fault_bit,
                   segment.rate_per_s, segment.reject_share)


@lru_cache(maxsize=1 << 16)  # a pure draw: product_at asks the same hours again and again
def _order_change(seed: int, code: str, block: int) -> datetime | None:
    """When, within hour `block`, the machine's product changes (None: it does not change that hour)."""
    rng = random.Random(f"{seed}:{code}:order:{block}")
    if rng.random() >= ORDER_CHANGE_CHANCE:
        return None
    return EPOCH + block * BLOCK + timedelta(minutes=rng.randrange(60))


def product_at(profile: MachineProfile, seed: int, moment: datetime, depth: int = 0) -> str:
    """The product being made at `moment`: a different one from each product change on."""
    block = _block_index(moment)
    for back in range(_LOOK_BACK_HOURS):
        change = _order_change(seed, profile.code, block - back)
        if change is not None and change <= moment:
            if depth >= 8:
                return PRODUCTS[0]
            previous = product_at(profile, seed, change - timedelta(microseconds=1), depth + 1)
            others = [p for p in PRODUCTS if p != previous]
            return others[_product_draw(seed, profile.code, block - back, len(others))]
    return PRODUCTS[0]


@lru_cache(maxsize=1 << 16)
def _product_draw(seed: int, code: str, block: int, choices: int) -> int:
    return random.Random(f"{seed}:{code}:product:{block}").randrange(choices)


def _block(profile: MachineProfile, seed: int, block: int, start: datetime, end: datetime, plan: PlannedTime,
           failure_cache: dict[int, Failure | None]) -> list[Segment]:
    rng = _rng(seed, profile.code, block)
    failures = failures_near(profile.code, seed, block, start, plan, failure_cache)
    outages = [(f.at, f.end) for f in failures if f.end is not None and f.end > start and f.at < end]
    out: list[Segment] = []
    changeover_at = _order_change(seed, profile.code, block)
    if changeover_at is not None and (plan.covering(changeover_at)
                                      or any(a <= changeover_at < b for a, b in outages)):
        changeover_at = None  # changed over while the machine stands still anyway: no production lost
    t = start
    while t < end:
        outage = next(((a, b) for a, b in outages if a <= t < b), None) if outages else None
        if outage:
            stop_end = min(outage[1], end)
            out.append(Segment(t, stop_end, BREAKDOWN, fault_bit=profile.failure_bit))
            t = stop_end
            continue
        next_outage = min((a for a, _ in outages if a > t), default=end) if outages else end
        if changeover_at is not None and t >= changeover_at:
            stop_end = min(t + timedelta(seconds=rng.uniform(600, 1800)), end, next_outage)
            out.append(Segment(t, stop_end, CHANGEOVER))
            changeover_at = None
            t = stop_end
            continue
        planned_now = plan.covering(t)
        if planned_now:
            stop_at = min(planned_now[1], end)
            out.append(Segment(t, stop_at, PLANNED))
            t = stop_at
            continue
        next_planned = plan.next_start(t) or end
        limit = min(next_planned, end, next_outage,
                    changeover_at if changeover_at is not None and changeover_at > t else end)
        progress = wear(failures, t) if profile.hidden_causes else None
        out.extend(_run_then_stop(rng, profile, t, limit, progress, plan))
        t = out[-1].end
    return out


def _run_then_stop(rng: random.Random, profile: MachineProfile, t: datetime, limit: datetime,
                   progress: float | None, plan: PlannedTime) -> list[Segment]:
    """A stretch of running from `t`, then the stop that ends it (unless `limit` comes first)."""
    mean_run_s = profile.mean_run_minutes * 60 * (0.5 if progress is not None else 1.0)  # more stops when worn
    run_for = timedelta(seconds=rng.expovariate(1 / mean_run_s))
    run_end = min(t + max(run_for, timedelta(seconds=20)), limit)
    speed = rng.uniform(*profile.speed_range) / (1 + slowdown(progress))
    run = Segment(t, run_end, RUN, rate_per_s=speed / profile.ideal_cycle_time_s,
                  reject_share=rng.uniform(*profile.reject_range))
    if run_end >= limit:
        return [run]
    kind, seconds, bit = _stop(rng, profile, progress, plan.since_last(run_end))
    return [run, Segment(run_end, min(run_end + timedelta(seconds=seconds), limit), kind, fault_bit=bit)]


def _stop(rng: random.Random, profile: MachineProfile, progress: float | None,
          since_break: timedelta) -> tuple[str, float, int | None]:
    trip_bit = profile.precursor_bit if profile.precursor_bit is not None else 1
    if progress is not None and rng.random() < PRECURSOR_TRIP_SHARE:
        return SMALL_STOP, rng.uniform(10, 45), trip_bit  # a failure is coming: the photo-eye trips
    draw = rng.random()
    if draw < 0.60:
        return SMALL_STOP, rng.uniform(8, 75), trip_bit if rng.random() < NOISE_TRIP_SHARE else 1  # short jams
    if draw < 0.88:
        long = rng.random() < long_breakdown_chance(since_break, profile.hidden_causes)
        return BREAKDOWN, rng.uniform(600, 1500) if long else rng.uniform(120, 540), rng.choice(profile.fault_bits)
    return STARVED, rng.uniform(60, 420), None
