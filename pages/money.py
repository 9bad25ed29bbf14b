"""Money lost (managers): what the losses cost by category, the most costly lines and machines, and the trend by
day over a chosen window. The figures are GET /api/v1/oee's `cost` for the same window (core.money)."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import Money as ids

dash.register_page(__name__, path="/money", name="Money lost", title="Money lost", permission="money.view",
                   area="Management", order=115)

PRESETS = [{"label": "Today", "value": "today"}, {"label": "Yesterday", "value": "yesterday"},
           {"label": "Last 7 days", "value": "7d"}, {"label": "Last 30 days", "value": "30d"}]
MONEY = {"function": "params.value == null ? '—' : d3.format(',.2f')(params.value)"}
COST_COLUMNS = [{"field": key, "headerName": name, "type": "numericColumn", "valueFormatter": MONEY, "flex": 1}
                for key, name in (("breakdowns", "Breakdowns"), ("setup", "Setup"), ("idle", "Idle"),
                                  ("small_stops", "Small stops"), ("reduced_speed", "Reduced speed"),
                                  ("rejects", "Rejects"))]
TOTAL_COLUMN = {"field": "total", "headerName": "Total", "type": "numericColumn", "valueFormatter": MONEY, "flex": 1,
                "sort": "desc", "cellClass": "fw-bold"}
LINE_COLUMNS = [{"field": "line", "headerName": "Line", "flex": 2}, *COST_COLUMNS, TOTAL_COLUMN]
MACHINE_COLUMNS = [{"field": "machine", "headerName": "Machine", "flex": 2},
                   {"field": "line", "headerName": "Line", "width": 80}, *COST_COLUMNS, TOTAL_COLUMN]


def _card(title: str, body) -> dbc.Card:
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody(body)], className="mb-3")


def _graph(graph_id: str) -> dcc.Loading:
    return dcc.Loading(dcc.Graph(id=graph_id, config={"displaylogo": False}, style={"height": "340px"}))


def _grid(grid_id: str, columns: list[dict]) -> dag.AgGrid:
    # A plant has tens of lines and machines, not thousands: the grid grows to show them all.
    return dag.AgGrid(id=grid_id, columnDefs=columns, rowData=[], getRowId="params.data.key",
                      defaultColDef={"sortable": True, "resizable": True},
                      dashGridOptions={"animateRows": False, "domLayout": "autoHeight"}, style={"height": None})


def layout(preset: str = "yesterday", **_query):
    # ?preset=today (the home page's link) opens on that preset; the days follow it (callbacks/money.py).
    chosen = preset if preset in {p["value"] for p in PRESETS} else "yesterday"
    return html.Div(
        [
            html.H1("Money lost", className="h2"),
            dbc.Row(
                [
                    dbc.Col(dbc.RadioItems(id=ids.PRESET, options=PRESETS, value=chosen,
                                           className="btn-group", inputClassName="btn-check",
                                           labelClassName="btn btn-outline-primary",
                                           labelCheckedClassName="active"), md="auto"),
                    dbc.Col(dcc.DatePickerRange(id=ids.DATES, display_format="YYYY-MM-DD", minimum_nights=0),
                            md="auto"),
                    dbc.Col(dcc.Dropdown(id=ids.LINE, placeholder="All lines"), md=3),
                ],
                className="g-2 mb-3 align-items-center",
            ),
            html.Div(id=ids.SUMMARY, className="mb-3"),
            dbc.Row([dbc.Col(_card("By category", _graph(ids.CATEGORY)), lg=5),
                     dbc.Col(_card("By day", _graph(ids.TREND)), lg=7)]),
            _card("Lines, most costly first", _grid(ids.LINES, LINE_COLUMNS)),
            _card("Machines, most costly first", _grid(ids.MACHINES, MACHINE_COLUMNS)),
            html.Div(id=ids.NOTES, className="text-body-secondary small"),
        ]
    )
