"""Callbacks of the model page: show a model's record (predictions.view), and — for models.manage only, checked
on the server — ask to make a version active or to roll back, then do it after the confirmation. A refusal by
core.ml.service is shown in its own words and changes nothing."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, no_update
from flask_login import current_user

from callbacks.ml_model_presenter import (active_card, anomaly_panel, confirm_words, drift_figure, drift_more,
                                          drift_words, versions_table)
from callbacks.risk_presenter import accuracy_panel, beats_of
from core.clock import utc_now
from core.ml.service import activate_version, model_overview, roll_back
from core.plant.equipment import site_zone
from dashapp.actor import current_actor
from pages.ids import MlModels as ids

VIEW = "predictions.view"
MANAGE = "models.manage"


def pending_action(trigger: dict, overview) -> dict | None:
    """What the tapped button asks for, with the version numbers the confirmation names and the id of the version
    active now (the change is refused if another one is active by the time it is confirmed); None if it is gone."""
    active = overview.active.version if overview.active else None
    active_id = overview.active.id if overview.active else None
    if trigger.get("type") == ids.ROLL_BACK:
        return {"action": "roll_back", "model": overview.model, "version": active,
                "active_id": active_id} if active else None
    chosen = next((v for v in overview.versions if v.id == trigger.get("version")), None)
    if chosen is None:
        return None
    return {"action": "activate", "model": overview.model, "version_id": chosen.id, "version": chosen.version,
            "active": active, "active_id": active_id}


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.ACTIVE, "children"), Output(ids.ACCURACY, "children"), Output(ids.DRIFT, "figure"),
                    Output(ids.DRIFT, "style"), Output(ids.DRIFT_NOTE, "children"), Output(ids.VERSIONS, "children"),
                    Input(ids.MODEL, "value"), Input(ids.REFRESH, "data"), permission=VIEW)
    def show_model(model, _refresh):
        overview = model_overview(db, model or "downtime_risk", utc_now())
        zone = site_zone(db)
        color, words = drift_words(overview, zone)
        more = drift_more(overview)
        accuracy = (anomaly_panel(overview.active) if overview.model == "anomaly" else
                    accuracy_panel(overview.active, beats_of(overview.active), overview.achieved, zone))
        return (active_card(overview, zone), accuracy,
                drift_figure(overview), {} if overview.drift else {"display": "none"},
                dbc.Alert([words, " ", more] if more else words, color=color, className="mb-0"),
                versions_table(overview, zone, current_user.can(MANAGE), ids.MAKE_ACTIVE, ids.ROLL_BACK))

    @guard.callback(Output(ids.PENDING, "data"), Output(ids.CONFIRM_TEXT, "children"),
                    Output(ids.CONFIRM_DIALOG, "is_open"),
                    Input({"type": ids.MAKE_ACTIVE, "version": ALL}, "n_clicks"),
                    Input({"type": ids.ROLL_BACK, "model": ALL}, "n_clicks"), State(ids.MODEL, "value"),
                    prevent_initial_call=True, permission=MANAGE)
    def ask(_make_active, _roll_back, model):
        if not isinstance(ctx.triggered_id, dict) or not ctx.triggered[0].get("value"):
            return no_update, no_update, no_update  # the buttons were drawn again, nobody tapped
        pending = pending_action(dict(ctx.triggered_id), model_overview(db, model or "downtime_risk", utc_now()))
        if pending is None:
            return None, "That version is no longer there: the page has been redrawn.", False
        return pending, confirm_words(pending), True

    @guard.callback(Output(ids.CONFIRM_DIALOG, "is_open", allow_duplicate=True), Input(ids.CONFIRM_BACK, "n_clicks"),
                    prevent_initial_call=True, permission=MANAGE)
    def back(_clicks):
        return False

    @guard.callback(Output(ids.MESSAGE, "children"), Output(ids.REFRESH, "data"),
                    Output(ids.CONFIRM_DIALOG, "is_open", allow_duplicate=True), Input(ids.CONFIRM, "n_clicks"),
                    State(ids.PENDING, "data"), State(ids.REFRESH, "data"), prevent_initial_call=True,
                    permission=MANAGE)
    def confirm(_clicks, pending, refresh):
        if not pending:
            return dbc.Alert("Nothing to confirm: tap a version's button first.", color="warning"), no_update, False
        try:
            done = _carry_out(db, pending)
        except ValueError as refused:
            return dbc.Alert(str(refused), color="danger", dismissable=True, id="models-result"), no_update, False
        return dbc.Alert(done, color="success", dismissable=True, id="models-result"), (refresh or 0) + 1, False


def _carry_out(db, pending: dict) -> str:
    actor, now = current_actor(), utc_now()
    expected = pending.get("active_id")  # the version active when the admin asked
    if pending["action"] == "activate":
        version = activate_version(db, pending["version_id"], actor, now, expected_active_id=expected)
        return f"Version {version.version} of {pending['model']} is now active."
    version = roll_back(db, pending["model"], actor, now, expected_active_id=expected)
    return f"Rolled back: version {version.version} of {pending['model']} is active again."
