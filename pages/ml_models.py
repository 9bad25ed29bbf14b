"""Engineers: a prediction model's record — the active version (windows, features, checksum), its accuracy against
the naive baseline on the holdout and as achieved since, how far each feature has drifted from training (PSI,
with the retraining threshold), and every version with why it was or was not made active. Holders of
models.manage (admins) make a version active or roll back to the one before, after a confirmation."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import MlModels as ids

dash.register_page(__name__, path="/engineering/models", name="Prediction models", title="Prediction models",
                   permission="predictions.view", area="Engineering", order=325)

MODELS = [{"label": "Downtime risk", "value": "downtime_risk"}, {"label": "Anomalies", "value": "anomaly"}]


def _card(title: str, body) -> dbc.Card:
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody(body)], className="mb-3")


def layout(model: str | None = None, **_query):
    chosen = model if model in {m["value"] for m in MODELS} else "downtime_risk"
    return html.Div([
        dcc.Store(id=ids.REFRESH, data=0),
        dcc.Store(id=ids.PENDING),
        html.Div([html.H1("Prediction models", className="h2 mb-0"),
                  dcc.Link("Risk board", href="/engineering/risk", className="risk-link")], className="risk-title"),
        dbc.Row(dbc.Col(dcc.Dropdown(id=ids.MODEL, options=MODELS, value=chosen, clearable=False), md=4),
                className="mb-3"),
        _card("Active version", dcc.Loading(html.Div(id=ids.ACTIVE))),
        _card("How accurate it is", html.Div(id=ids.ACCURACY)),
        _card("Drift: how far each feature has moved since training", [
            html.Div(id=ids.DRIFT_NOTE, className="mb-2"),
            dcc.Graph(id=ids.DRIFT, config={"displayModeBar": False}),
        ]),
        _card("Versions", [html.Div(id=ids.MESSAGE), html.Div(id=ids.VERSIONS, className="models-versions")]),
        dbc.Modal([
            dbc.ModalHeader(dbc.ModalTitle("Change the active version?")),
            dbc.ModalBody(id=ids.CONFIRM_TEXT),
            dbc.ModalFooter([dbc.Button("Back", id=ids.CONFIRM_BACK, color="secondary", size="lg"),
                             dbc.Button("Yes, change it", id=ids.CONFIRM, color="danger", size="lg")]),
        ], id=ids.CONFIRM_DIALOG, is_open=False, centered=True),
    ], className="ml-models")
