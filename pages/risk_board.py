"""Engineers: which machines are likely to stop in the next hours, why, and how far to trust it — the machines
riskiest first with each one's chance against its usual chance for the hour and its top three drivers, under
what is predicted and the model's accuracy against that baseline (on the holdout and as achieved since)."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import RiskBoard as ids

dash.register_page(__name__, path="/engineering/risk", name="Downtime risk", title="Downtime risk",
                   permission="predictions.view", area="Engineering", order=320)

REFRESH_MS = 60_000  # scoring runs hourly; a minute keeps "scored … ago" honest
ACCURACY_REFRESH_MS = 15 * 60_000  # achieved accuracy reads weeks of predictions: no need to redo it every minute


def layout(**_query):
    return html.Div([
        dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
        dcc.Interval(id=ids.ACCURACY_TICK, interval=ACCURACY_REFRESH_MS),
        html.Div([html.H1("Downtime risk", className="h2 mb-0"),
                  dcc.Link("Model and versions", href="/engineering/models", className="risk-link",
                           id=ids.MODELS_LINK)],
                 className="risk-title"),
        html.Div(id=ids.TARGET, className="mb-3"),
        dbc.Card([dbc.CardHeader("How accurate it has been, against the usual rate for the hour"),
                  dbc.CardBody(dcc.Loading(html.Div(id=ids.ACCURACY)))], className="mb-3"),
        dcc.Loading(html.Div(id=ids.MACHINES)),
    ], className="risk-board")
