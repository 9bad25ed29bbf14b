"""The drill-down: the stops that make up one loss of the OEE waterfall, one bar of the downtime Pareto or one
bar of the fault Pareto, for a scope and window; with the engine's figure for that loss beside their sum."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from core.faults.counted_stops import (
    LOSS_KINDS, LOSS_NAMES, NOT_MADE_OF_STOPS, CountedStop, of_fault, of_loss, of_reason,
)
from core.faults.timeline_store import fault_texts
from core.faults.window_stops import window_stops
from core.oee.service import Scope, Window, downtime_pareto, oee_for, scope_machines
from core.plant.equipment import reason_names, site_calendar

ENGINE_LOSS = {"breakdowns": "breakdowns_s", "setup": "setup_s", "idle": "idle_s", "small_stops": "small_stops_s",
               "planned_stops": "planned_stops_s"}


class StopListError(ValueError):
    """The stops asked for cannot be listed; the message says why."""


@dataclass(frozen=True)
class StopQuery:
    scope: Scope
    window: Window
    loss: str | None = None  # a key of LOSS_KINDS or NOT_MADE_OF_STOPS
    reason: str | None = None  # a downtime Pareto bar: reason code, "" for stops without one
    fault: str | None = None  # a fault Pareto bar


@dataclass(frozen=True)
class StopList:
    title: str
    stops: list[CountedStop]
    total_s: float  # the stops' counted seconds
    loss_s: float | None  # what the OEE engine (or the Pareto) shows for it
    message: str | None = None  # why no stops make it up


def stop_list(db: sessionmaker[Session], query: StopQuery, now: datetime) -> StopList:
    chosen = [name for name in ("loss", "reason", "fault") if getattr(query, name) is not None]
    if len(chosen) != 1:
        raise StopListError("give one of loss, reason or fault")
    if query.loss is not None and query.loss in NOT_MADE_OF_STOPS:
        return StopList(_loss_name(query.loss), [], 0.0, None, NOT_MADE_OF_STOPS[query.loss])
    if query.loss is not None and query.loss not in LOSS_KINDS:
        known = ", ".join(list(LOSS_KINDS) + list(NOT_MADE_OF_STOPS))
        raise StopListError(f"loss: unknown loss {query.loss!r} (one of {known})")
    machines = scope_machines(db, query.scope)
    everything = window_stops(db, machines, query.window, now, site_calendar(db)).stops
    if query.loss is not None:
        stops = of_loss(everything, query.loss)
        loss_s = oee_for(db, query.scope, query.window, now).figures.losses[ENGINE_LOSS[query.loss]]
        title = LOSS_NAMES[query.loss]
    elif query.reason is not None:
        stops = of_reason(everything, query.reason)
        pareto = downtime_pareto(db, query.scope, query.window, now)
        bar = pareto[pareto["reason"] == (query.reason or "(no reason)")]
        loss_s = float(bar["seconds"].sum())
        title = f"Stops for {reason_names(db).get(query.reason, query.reason) if query.reason else 'no reason'}"
    else:
        stops = of_fault(everything, query.fault or "")
        loss_s = None
        title = f"Fault {query.fault}: {fault_texts(db).get(query.fault or '', 'not in the fault catalog')}"
    return StopList(title, stops, sum(s.counted_s for s in stops), loss_s)


def _loss_name(loss: str) -> str:
    return {"reduced_speed": "Reduced speed", "production_rejects": "Production rejects",
            "startup_rejects": "Startup rejects", "no_data": "No signal", "not_scheduled": "Not scheduled"}[loss]
