"""Callbacks of the risk board: every minute, the active model's latest scoring and its accuracy (one use case
each of core.ml.service), presented by callbacks/risk_presenter.py."""

from dash import Input, Output

from callbacks.risk_presenter import accuracy_panel, machine_rows, target_header
from core.clock import utc_now
from core.ml.service import model_overview, risk_board
from core.plant.equipment import site_zone
from pages.ids import RiskBoard as ids

PERMISSION = "predictions.view"


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.TARGET, "children"), Output(ids.ACCURACY, "children"),
                    Output(ids.MACHINES, "children"), Input(ids.TICK, "n_intervals"), permission=PERMISSION)
    def show_risk(_tick):
        now = utc_now()
        board = risk_board(db, now)
        overview = model_overview(db, "downtime_risk", now)
        zone = site_zone(db)
        return (target_header(board), accuracy_panel(board.version, board.beats_baseline, overview.achieved, zone),
                machine_rows(board, now, zone))
