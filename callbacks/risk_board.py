"""Callbacks of the risk board: every minute the active model's latest scoring, every quarter of an hour its
accuracy against the baseline (one use case each of core.ml.service), presented by callbacks/risk_presenter.py."""

from dash import Input, Output

from callbacks.risk_presenter import accuracy_panel, beats_of, machine_rows, target_header
from core.clock import utc_now
from core.ml.service import model_overview, risk_board
from core.plant.equipment import site_zone
from pages.ids import RiskBoard as ids

PERMISSION = "predictions.view"


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.TARGET, "children"), Output(ids.MACHINES, "children"), Input(ids.TICK, "n_intervals"),
                    permission=PERMISSION)
    def show_risk(_tick):
        now = utc_now()
        board = risk_board(db, now)
        return target_header(board), machine_rows(board, now, site_zone(db))

    @guard.callback(Output(ids.ACCURACY, "children"), Input(ids.ACCURACY_TICK, "n_intervals"), permission=PERMISSION)
    def show_accuracy(_tick):
        overview = model_overview(db, "downtime_risk", utc_now())
        return accuracy_panel(overview.active, beats_of(overview.active), overview.achieved, site_zone(db))
