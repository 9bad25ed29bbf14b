"""Admin: each `[[sources]]` sync (another database's machine log): its last run, rows, watermark, lag, errors;
"Sync now" and "Retry quarantined rows" for the jobs process; and the rows held in quarantine with the reason."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from pages.ids import AdminSources as ids

dash.register_page(__name__, path="/admin/sources", name="Data sources", title="Data sources",
                   permission="datasources.manage", area="Admin", order=915)

REFRESH_MS = 5000
QUARANTINE_COLUMNS = [
    {"field": "row_id", "headerName": "Source row id", "width": 130, "type": "rightAligned"},
    {"field": "reason", "headerName": "Reason", "flex": 2, "tooltipField": "reason", "wrapText": True,
     "autoHeight": True, "cellClass": "quarantine-cell"},
    {"field": "raw", "headerName": "Row as read", "flex": 4, "tooltipField": "raw", "wrapText": True,
     "autoHeight": True, "cellClass": "quarantine-cell font-monospace small"},
    {"field": "first_seen", "headerName": "First seen (site time)", "width": 170},
    {"field": "last_seen", "headerName": "Last seen", "width": 170},
    {"field": "times_seen", "headerName": "Seen", "width": 80, "type": "rightAligned"},
]


def layout(**_query):
    return html.Div(
        [
            html.H1("Data sources", className="h2"),
            html.P(["Other databases Floorboard reads machine data from (", html.Code("[[sources]]"),
                    " in the plant file). The jobs process syncs each one every few seconds to minutes; "
                    "\u201cSync now\u201d and \u201cRetry quarantined rows\u201d ask it to do so on its next tick. "
                    "Times are site time."], className="text-body-secondary"),
            html.Div(id=ids.MESSAGE),
            html.Div(id=ids.EMPTY),
            html.Div(id=ids.CARDS, className="source-cards mb-4"),
            html.Div([
                html.H2("Quarantined rows", className="h4"),
                html.P("Rows the sync could not take in, with the reason and the row as it was read. Fix the plant "
                       "file's mapping (or the source), then \u201cRetry quarantined rows\u201d.",
                       className="text-body-secondary"),
                dbc.Row(dbc.Col(dcc.Dropdown(id=ids.QUARANTINE_SOURCE, placeholder="Choose a source", clearable=False),
                                md=4), className="mb-2"),
                dag.AgGrid(id=ids.QUARANTINE, columnDefs=QUARANTINE_COLUMNS, rowData=[], getRowId="params.data.key",
                           defaultColDef={"resizable": True},
                           dashGridOptions={"tooltipShowDelay": 300, "enableCellTextSelection": True},
                           style={"height": "360px"}),
            ], id=ids.QUARANTINE_SECTION, hidden=True),
            dcc.Store(id=ids.REFRESH, data=0),
            dcc.Interval(id=ids.TICK, interval=REFRESH_MS),
        ]
    )
