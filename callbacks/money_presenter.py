"""The money page's tiles, figures and grid rows, built from core.money.money_lost.MoneyLost (DTO -> view)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from callbacks.oee_charts import LAYOUT, empty
from core.money.money_lost import MoneyLost
from core.money.pricing import CATEGORY_NAMES, COST_KEYS
from core.reports.formatting import shown

DAY_MS = 86_400_000
COLORS = {"breakdowns": "#fa5252", "setup": "#fd7e14", "idle": "#868e96", "small_stops": "#fcc419",
          "reduced_speed": "#4dabf7", "rejects": "#e599f7"}
HOW = ("Lost time (breakdowns, setup, idle, small stops, reduced speed) is priced at the machine's cost per hour; "
       "rejects (startup and production, scrap included once counted) at the unit cost of the product being made, "
       "else the machine's. Each machine is priced over the whole window as one period (as GET /api/v1/oee and the "
       "reports price it); machines and lines are summed.")
BY_DAY = ("The cost by day prices each day on its own: where a machine ran faster than ideal on some day, the days "
          "may add up to a little more than the window.")


def summary_tiles(money: MoneyLost, window_label: str) -> dbc.Row:
    costs = money.by_category()
    if costs is None:
        return dbc.Row(dbc.Col(dbc.Alert("No machine in this view has a cost per hour or a unit cost configured "
                                         "(plant file: cost_per_hour, unit_cost): nothing to price.",
                                         color="info", id="money-no-rates")))
    worst = max(CATEGORY_NAMES, key=lambda key: costs[key])
    tiles = [("Money lost", shown(costs["total"], "money", money.currency), "money-kpi-total"),
             ("Largest loss", f"{CATEGORY_NAMES[worst]} · {shown(costs[worst], 'money', money.currency)}"
              if costs[worst] > 0 else "—", "money-kpi-largest"),
             ("Window", window_label, "money-kpi-window")]
    return dbc.Row([dbc.Col(dbc.Card(dbc.CardBody([html.Div(label, className="text-body-secondary"),
                                                   html.Div(value, className="h3 mb-0", id=tile_id)])), md=4)
                    for label, value, tile_id in tiles], className="g-2")


def category_figure(money: MoneyLost) -> go.Figure:
    costs = money.by_category()
    if costs is None or costs["total"] <= 0:
        return empty("Nothing lost in this window" if costs is not None else "No rates configured")
    keys = sorted(CATEGORY_NAMES, key=lambda key: costs[key])
    figure = go.Figure(go.Bar(
        x=[costs[k] for k in keys], y=[CATEGORY_NAMES[k] for k in keys], orientation="h",
        marker=dict(color=[COLORS[k] for k in keys]), text=[shown(costs[k], "money") for k in keys],
        textposition="auto", hovertemplate=f"%{{y}}: %{{x:,.2f}} {money.currency}<extra></extra>"), layout=LAYOUT)
    figure.update_xaxes(title=money.currency)
    figure.update_layout(showlegend=False, margin=dict(l=110, r=20, t=20, b=40))
    return figure


def trend_figure(money: MoneyLost) -> go.Figure:
    days = money.by_day()
    if not money.has_rates or days["total"].sum() <= 0:
        return empty("Nothing lost in this window" if money.has_rates else "No rates configured")
    figure = go.Figure(layout=LAYOUT)
    for key, name in CATEGORY_NAMES.items():
        figure.add_trace(go.Bar(x=days["day"].tolist(), y=days[key].tolist(), name=name,
                                marker=dict(color=COLORS[key]),
                                hovertemplate=f"%{{x}} {name}: %{{y:,.2f}} {money.currency}<extra></extra>"))
    figure.update_layout(barmode="stack", legend=dict(orientation="h", y=-0.15))  # the tool bar sits on top
    figure.update_xaxes(type="date", tickformat="%d %b", dtick=DAY_MS if len(days) <= 14 else None)
    figure.update_yaxes(title=money.currency)
    return figure


def line_rows(money: MoneyLost) -> list[dict]:
    return [{"key": row["line"], "line": f"{row['line']} · {row['line_name']}",
             **{key: row[key] for key in COST_KEYS}} for row in money.by_line().to_dict("records")]


def machine_rows(money: MoneyLost) -> list[dict]:
    return [{"key": row["equipment"], "machine": f"{row['equipment']} · {row['equipment_name']}", "line": row["line"],
             **{key: row[key] for key in COST_KEYS}} for row in money.by_machine().to_dict("records")]


def notes(money: MoneyLost, api_query: str) -> list:
    parts = [html.P(f"{HOW} Amounts in {money.currency}."), html.P(BY_DAY, id="money-by-day-note")]
    if money.not_priced:
        parts.append(html.P(f"No rates configured for {', '.join(money.not_priced)}: not priced.",
                            id="money-not-priced"))
    parts.append(html.P(["The same figures: ", html.Code(f"GET /api/v1/oee?{api_query}"), " (its \"cost\")."]))
    return parts
