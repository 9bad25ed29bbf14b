"""Trials (line experiments): plan a change on a line, start it, complete it with results and learnings, and see
its OEE beside the line's last 14 days. Everyone with OEE access reads them; trials.manage roles run them."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Trials as ids

dash.register_page(__name__, path="/trials", name="Trials", title="Trials", permission="oee.view",
                   area="Engineering", order=320)

COLUMNS = [
    {"field": "title", "headerName": "Trial", "flex": 2, "minWidth": 160, "tooltipField": "title"},
    {"field": "line", "headerName": "Line", "width": 80},
    {"field": "state", "headerName": "State", "width": 125},
    {"field": "when", "headerName": "When (ran, or planned)", "flex": 2, "minWidth": 170, "tooltipField": "when"},
    {"field": "success", "headerName": "Success", "width": 100,
     "cellClassRules": {"text-success fw-bold": "params.value == 'yes'",
                        "text-danger fw-bold": "params.value == 'no'"}},
]
SUCCESS_CHOICES = [{"label": "Succeeded", "value": "yes"}, {"label": "Did not succeed", "value": "no"}]


def _field(label: str, control, width: int = 12) -> dbc.Col:
    return dbc.Col([dbc.Label(label, className="mb-1"), control], md=width)


def _plan_form() -> dbc.Card:
    return dbc.Card([dbc.CardHeader("Plan"), dbc.CardBody([
        dbc.Row([
            _field("Title", dbc.Input(id=ids.TITLE, size="lg", maxLength=120, placeholder="Film tension 40 N"), 8),
            _field("Line", dcc.Dropdown(id=ids.LINE, placeholder="Line", clearable=False), 4),
        ], className="g-2 mb-2"),
        dbc.Row([
            _field("Planned start (plant time)", dbc.Input(id=ids.PLANNED_START, type="datetime-local", size="lg"), 6),
            _field("Planned end", dbc.Input(id=ids.PLANNED_END, type="datetime-local", size="lg"), 6),
        ], className="g-2 mb-2"),
        dbc.Row([
            _field("Parameters, one a line: name = value", dbc.Textarea(
                id=ids.PARAMETERS, rows=3, size="lg", placeholder="film tension = 40 N\nspeed = 60 /min"), 6),
            _field("Expected outcome", dbc.Textarea(id=ids.EXPECTED, rows=3, size="lg",
                                                    placeholder="Fewer film breaks: availability up 3 points"), 6),
        ], className="g-2 mb-3"),
        dbc.Row([
            dbc.Col(dbc.Button("Plan a new trial", id=ids.CREATE, color="primary", size="lg", className="w-100"),
                    md=5),
            dbc.Col(dbc.Button("Save changes", id=ids.SAVE, color="secondary", size="lg", className="w-100",
                               disabled=True), md=4),
            dbc.Col(dbc.Button("Clear", id=ids.CLEAR, color="secondary", outline=True, size="lg",
                               className="w-100"), md=3),
        ], className="g-2"),
    ])], className="mb-3")


def _run_form() -> dbc.Card:
    return dbc.Card([dbc.CardHeader(html.Div("Choose a trial in the list", id=ids.HEADING)), dbc.CardBody([
        dbc.Row([
            _field("When it started or ended, if not now", dbc.Input(id=ids.AT, type="datetime-local", size="lg"), 6),
            dbc.Col(dbc.Button("Start", id=ids.START, color="success", size="lg", className="w-100", disabled=True),
                    md=6, className="d-flex align-items-end"),
        ], className="g-2 mb-3"),
        dbc.Row([
            _field("Results", dbc.Textarea(id=ids.RESULTS, rows=3, size="lg",
                                           placeholder="What happened, with numbers"), 6),
            _field("Learnings (or why it was cancelled)", dbc.Textarea(id=ids.LEARNINGS, rows=3, size="lg"), 6),
        ], className="g-2 mb-2"),
        dbc.RadioItems(id=ids.SUCCESS, options=SUCCESS_CHOICES, inline=True, className="fs-5 mb-3",
                       inputClassName="me-2", labelClassName="me-4"),
        dbc.Row([
            dbc.Col(dbc.Button("Complete", id=ids.COMPLETE, color="primary", size="lg", className="w-100",
                               disabled=True), md=6),
            dbc.Col(dbc.Button("Cancel the trial", id=ids.CANCEL, color="danger", outline=True, size="lg",
                               className="w-100", disabled=True), md=6),
        ], className="g-2"),
    ])], className="mb-3")


def layout(**_query):
    return html.Div([
        html.H1("Trials", className="h2"),
        html.P("A change tried on a line, judged by the line's OEE while it ran against the 14 days before it began.",
               className="text-body-secondary"),
        dcc.Store(id=ids.REFRESH, data=0),
        dcc.Store(id=ids.SELECTED),
        # sticky: the answer to a button at the bottom of the page stays in sight
        html.Div(id=ids.MESSAGE, style={"position": "sticky", "top": 0, "zIndex": 1000}),
        dag.AgGrid(id=ids.GRID, columnDefs=COLUMNS, rowData=[], getRowId="params.data.key",
                   dashGridOptions={"rowSelection": {"mode": "singleRow", "enableClickSelection": True},
                                    "tooltipShowDelay": 300},
                   style={"height": "290px"}, className="mb-3"),
        dbc.Row([
            dbc.Col(dbc.Card([dbc.CardHeader("Trial against baseline"), dbc.CardBody([
                html.Div(id=ids.SUMMARY),
                dcc.Graph(id=ids.CHART, config={"displaylogo": False}, style={"height": "320px"}),
            ])], className="mb-3"), lg=6),
            dbc.Col([_plan_form(), _run_form()], lg=6),
        ], className="g-3"),
    ])
