"""The money lost in a scope (plant, line or machine) over a window: the OEE engine's losses priced with the
configured rates (core.money.pricing), by line, machine, category and local day, in the site's currency.

One rule for a window's cost (core.money.pricing.machine_costs): each machine is priced over the window as ONE
period, its time losses summed over the window first and reduced speed clamped at 0 once; a line is the sum of
its machines, the window the sum of its lines: money is summed, never averaged. So a machine's cost is exactly
the losses `GET /api/v1/oee` gives for it x its rates, and the API's cost, the money page's total, categories,
lines and machines, and the reports' money section (core.reports.sections.money_section) agree for a window.

Only the by-day trend prices each local day of the site's timezone on its own (a day cut by the window's ends
counts its part): where a machine ran faster than its ideal cycle on some day, that day's reduced speed costs 0
and does not offset the other days, so the days may add up to a little more than the window.

"Where rates exist": a machine is priced when it has a `cost_per_hour` above 0, or a unit cost above 0 applies
to it in the window (its own `unit_cost`, or that of a product it made). A machine without either is listed in
`not_priced` and adds nothing; a scope with no priced machine has no cost at all (`has_rates` is False).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from core.money.pricing import COST_KEYS, machine_costs, priced_machine_ids, stretch_costs
from core.money.stretches import machine_stretches
from core.oee.service import Scope, Window, period_boundaries, scope_machines
from core.plant.equipment import site_calendar

MACHINE_LABELS = ("line", "line_name", "equipment", "equipment_name")
LABELS = ("day",) + MACHINE_LABELS
DEFAULT_CURRENCY = "USD"  # the plant file's default, for a store with no plant loaded yet


@dataclass(frozen=True)
class MoneyLost:
    """Costs of one window: `rows` one row per priced machine over the whole window (MACHINE_LABELS + COST_KEYS),
    `day_rows` one row per priced machine and local day, each day priced on its own (LABELS + COST_KEYS)."""

    currency: str
    days: tuple[str, ...]  # the window's local days, YYYY-MM-DD, in order
    rows: pd.DataFrame
    day_rows: pd.DataFrame
    not_priced: tuple[str, ...]  # machine codes of the scope without any rate

    @property
    def has_rates(self) -> bool:
        return not self.rows.empty

    def by_category(self) -> dict[str, float] | None:
        """The whole window by category and `total`; None where no rate exists."""
        if not self.has_rates:
            return None
        return {key: float(self.rows[key].sum()) for key in COST_KEYS}

    def by_line(self) -> pd.DataFrame:
        """One row per line (line, line_name, COST_KEYS), the most costly first."""
        return self._summed(["line", "line_name"])

    def by_machine(self) -> pd.DataFrame:
        """One row per priced machine (line, equipment, equipment_name, COST_KEYS), the most costly first."""
        return self._summed(["line", "equipment", "equipment_name"])

    def by_day(self) -> pd.DataFrame:
        """One row per local day of the window (day, COST_KEYS) in day order, each day priced on its own; days
        without cost show 0."""
        summed = self.day_rows.groupby("day")[list(COST_KEYS)].sum() if self.has_rates else pd.DataFrame(
            columns=list(COST_KEYS))
        return summed.reindex(list(self.days), fill_value=0.0).rename_axis("day").reset_index()

    def _summed(self, keys: list[str]) -> pd.DataFrame:
        if not self.has_rates:
            return pd.DataFrame(columns=keys + list(COST_KEYS))
        summed = self.rows.groupby(keys, sort=False)[list(COST_KEYS)].sum().reset_index()
        return summed.sort_values("total", ascending=False, kind="stable").reset_index(drop=True)


def money_lost(db: sessionmaker[Session], scope: Scope, window: Window, now: datetime) -> MoneyLost:
    """The money lost in `scope` over `window` (time after `now` counts nowhere)."""
    calendar = site_calendar(db)
    chosen = scope_machines(db, scope)
    periods = period_boundaries(calendar, window.start, window.end, "day")
    days = tuple(label for _, _, label in periods)
    edges = [start for start, _, _ in periods] + [periods[-1][1]]
    stretches = machine_stretches(db, chosen, edges, now, calendar) if chosen else []
    rates = {m.id: m.cost_per_hour for m in chosen}
    priced = priced_machine_ids(stretches, rates)
    mine = [s for s in stretches if s.equipment_id in priced]
    whole, daily = machine_costs(mine, rates), stretch_costs(mine, rates)
    labels = {m.id: {"line": m.line_code, "line_name": m.line_name, "equipment": m.code, "equipment_name": m.name}
              for m in chosen}
    rows = [{**labels[m.id], **whole[m.id]} for m in chosen if m.id in whole]
    day_rows = [{"day": days[period], **labels[m.id], **daily[(m.id, period)]}
                for m in chosen for period in range(len(days)) if (m.id, period) in daily]
    return MoneyLost(calendar.currency if calendar else DEFAULT_CURRENCY, days,
                     pd.DataFrame(rows, columns=list(MACHINE_LABELS + COST_KEYS)),
                     pd.DataFrame(day_rows, columns=list(LABELS + COST_KEYS)),
                     tuple(m.code for m in chosen if m.id not in priced))
