"""Engineers: where the machines stopped and why, fault by fault — the state timeline (fault codes on hover),
the fault Pareto, MTBF and MTTR per machine and per fault code, and repeat faults. A bar of the Pareto lists
its stops. The filters live in the address, so a link shows the same view to anyone."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Faults as ids

dash.register_page(__name__, path="/engineering/faults", name="Fault analysis", title="Fault analysis",
                   permission="faults.view", area="Engineering", order=305)

_NUMBER = {"type": "numericColumn", "width": 120}
RELIABILITY_COLUMNS = [
    {"field": "breakdowns", "headerName": "Breakdowns", **_NUMBER},
    {"field": "breakdown_min", "headerName": "Repair min", **_NUMBER, "width": 150},
    {"field": "run_h", "headerName": "Run time h", **_NUMBER},
    {"field": "mtbf_min", "headerName": "MTBF min", **_NUMBER},
    {"field": "mttr_min", "headerName": "MTTR min", **_NUMBER},
]
MACHINE_COLUMNS = [{"field": "machine", "headerName": "Machine", "flex": 2, "minWidth": 160},
                   {"field": "line", "headerName": "Line", "width": 80}] + RELIABILITY_COLUMNS
FAULT_COLUMNS = [{"field": "fault", "headerName": "Fault", "width": 90},
                 {"field": "text", "headerName": "Text", "flex": 2, "minWidth": 160},
                 {"field": "machines", "headerName": "Machines", "flex": 1}] + RELIABILITY_COLUMNS


def _card(title: str, body, note: str | None = None) -> dbc.Card:
    parts = [body] + ([html.Div(note, className="small text-body-secondary mt-1")] if note else [])
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody(parts)], className="mb-3")


def _grid(grid_id: str, columns: list[dict]) -> dag.AgGrid:
    return dag.AgGrid(id=grid_id, columnDefs=columns, rowData=[], style={"height": None},
                      dashGridOptions={"domLayout": "autoHeight"}, className="ag-theme-alpine")  # a row per item


def layout(**_query):
    # The filters' values come from the address (callbacks/fault_analysis.py keeps both in step).
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Location(id=ids.DRILL, refresh="callback-nav"),
        html.H1("Fault analysis", className="h2"),
        dcc.Interval(id=ids.OVERDUE + "-tick", interval=60_000),
        html.Div(id=ids.OVERDUE),
        dbc.Row([
            dbc.Col(dcc.DatePickerRange(id=ids.START, display_format="YYYY-MM-DD", minimum_nights=0), md=4),
            dbc.Col(dcc.Dropdown(id=ids.LINE, placeholder="All lines"), md=3),
            dbc.Col(dcc.Dropdown(id=ids.MACHINE, placeholder="All machines"), md=3),
        ], className="g-2 mb-3"),
        html.Div(id=ids.SUMMARY, className="mb-3"),
        _card("State timeline", dcc.Loading(dcc.Graph(id=ids.TIMELINE, config={"displaylogo": False})),
              "Hover a bar for its fault code and text; drag to zoom, double-click to zoom out."),
        dbc.Row([
            dbc.Col(_card("Fault Pareto: time stopped and occurrences", dcc.Loading(dcc.Graph(
                id=ids.PARETO, config={"displaylogo": False}, style={"height": "360px"})),
                "Click a bar to list the stops behind it. Small stops with a fault code count too."), lg=7),
            dbc.Col(_card("Repeat faults", dcc.Loading(html.Div(id=ids.REPEATS, style={
                "maxHeight": "400px", "overflowY": "auto"}))), lg=5),
        ]),
        _card("MTBF and MTTR by machine", _grid(ids.BY_MACHINE, MACHINE_COLUMNS),
              "MTTR: mean full duration (start to end, or to now) of the breakdowns begun in the window, even "
              "past its end; MTBF: run time in the window / those breakdowns."),
        _card("MTBF and MTTR by fault code", _grid(ids.BY_FAULT, FAULT_COLUMNS),
              "The same per fault code: its breakdowns begun in the window; run time of the machines that had them."),
    ])
