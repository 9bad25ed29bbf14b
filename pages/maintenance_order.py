"""One maintenance work order, for a tablet in the workshop: what it is for, its tasks to tick, who has it,
start it, complete it with the time spent and the parts used (text and cost)."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import MaintenanceIds as ids

dash.register_page(__name__, path="/maintenance/work-orders/view", name="Work order", title="Work order",
                   permission="workorders.manage", area=None)  # reached from the list: ?id=N


def layout(id=None, **_query):  # noqa: A002 - the address says ?id=
    return html.Div(
        [
            dcc.Store(id=ids.ORDER, data=id),
            dcc.Store(id=ids.REFRESH, data=0),
            dbc.Button("← All work orders", href="/maintenance", color="link", className="ps-0"),
            html.H1("Work order", id=ids.ORDER_TITLE, className="h2"),
            html.Div(id=ids.ORDER_MESSAGE),
            html.Div(id=ids.ORDER_FACTS, className="mb-3"),
            dbc.Card([dbc.CardHeader("Tasks"), dbc.CardBody(html.Div(id=ids.TASKS))], className="mb-3"),
            dbc.Card([dbc.CardHeader("Assigned to"), dbc.CardBody(dbc.Row([
                dbc.Col(dbc.Select(id=ids.ASSIGN_TO, options=[], size="lg", placeholder="Choose who does the work"),
                        md=6),
                dbc.Col(dbc.Button("Assign", id=ids.ASSIGN, color="secondary", size="lg", className="w-100"),
                        md=3)], className="g-2"))], className="mb-3"),
            html.Div(id=ids.WORK, children=[
                dbc.Button("Start the work", id=ids.START, color="primary", size="lg",
                           className="maintenance-big-button w-100 mb-3"),
                dbc.Card(id=ids.COMPLETE_CARD, children=[dbc.CardHeader("Complete"), dbc.CardBody([
                    dbc.Row([
                        dbc.Col(dbc.InputGroup([dbc.Input(id=ids.MINUTES, type="number", min=1, step=1,
                                                          inputMode="numeric", placeholder="Time spent"),
                                                dbc.InputGroupText("min")], size="lg"), md=4),
                        dbc.Col(dbc.InputGroup([dbc.InputGroupText("Parts cost", id=ids.CURRENCY),
                                                dbc.Input(id=ids.COST, type="number", min=0, step=0.01,
                                                          inputMode="decimal", placeholder="0.00")], size="lg"),
                                md=4),
                    ], className="g-2 mb-2"),
                    dbc.Textarea(id=ids.PARTS, placeholder="Parts used (for example: 1 drive belt XPZ 1250)",
                                 rows=2, className="fs-5 mb-2"),
                    dbc.Button("Complete the work order", id=ids.COMPLETE, color="success", size="lg",
                               className="maintenance-big-button w-100"),
                ])]),
            ]),
        ],
        className="maintenance-order",
    )
