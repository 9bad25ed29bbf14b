"""Callbacks of the anomaly page: the chosen window's stretches and the model's state (core.ml.anomaly_timeline),
presented by callbacks/anomaly_presenter.py."""

from dash import Input, Output

from callbacks.anomaly_presenter import model_note, stretch_rows, timeline_figure
from core.clock import utc_now
from core.ml.anomaly_timeline import WINDOWS_HOURS, anomaly_timeline
from core.plant.equipment import site_zone
from pages.ids import Anomalies as ids

PERMISSION = "predictions.view"


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.NOTE, "children"), Output(ids.TIMELINE, "figure"), Output(ids.GRID, "rowData"),
                    Input(ids.WINDOW, "value"), Input(ids.TICK, "n_intervals"), permission=PERMISSION)
    def show_anomalies(hours, _tick):
        timeline = anomaly_timeline(db, utc_now(), hours if hours in WINDOWS_HOURS else WINDOWS_HOURS[0])
        zone = site_zone(db)
        return model_note(timeline, zone), timeline_figure(timeline, zone), stretch_rows(timeline, zone)
