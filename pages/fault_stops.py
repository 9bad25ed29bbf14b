"""The stops that make up a loss (a bar of the OEE waterfall, of the downtime Pareto or of the fault Pareto),
for the scope and window in the address: ?start=&end=&line=&machine= and one of loss=, reason= or fault=.
Each stop links to its tag trend and to a work order for it."""

import dash
import dash_ag_grid as dag
from dash import dcc, html

from pages.ids import FaultStops as ids

dash.register_page(__name__, path="/engineering/stops", name="Stops of a loss", title="Stops of a loss",
                   permission="faults.view", area=None)  # reached from a chart, not the menu

COLUMNS = [
    {"field": "machine", "headerName": "Machine", "width": 120},
    {"field": "began", "headerName": "Began", "width": 180},
    {"field": "minutes", "headerName": "Minutes", "width": 110, "type": "numericColumn"},
    {"field": "counted", "headerName": "In the loss (min)", "width": 150, "type": "numericColumn"},
    {"field": "state", "headerName": "State", "width": 210},
    {"field": "reason", "headerName": "Reason", "flex": 1, "minWidth": 120},
    {"field": "fault", "headerName": "Fault", "flex": 1, "minWidth": 160},
    {"field": "trend", "headerName": "Trend", "width": 120, "cellRenderer": "markdown", "sortable": False},
    {"field": "work_order", "headerName": "Work order", "width": 130, "cellRenderer": "markdown",
     "sortable": False},
]


def layout(**_query):
    # What to list comes from the address (callbacks/fault_stops.py).
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        html.H1("Stops", id=ids.TITLE, className="h2"),
        html.Div(id=ids.SUMMARY, className="mb-3"),
        dag.AgGrid(id=ids.GRID, columnDefs=COLUMNS, rowData=[], getRowId="params.data.key",
                   defaultColDef={"sortable": True, "resizable": True}, style={"height": "560px"},
                   className="ag-theme-alpine"),
    ])
