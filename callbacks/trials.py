"""Callbacks of the trials page that read: the lines, the list, the chosen trial in the form, the comparison.
The changes (plan, save, start, complete, cancel) are in callbacks/trials_actions.py."""

from __future__ import annotations


from dash import Input, Output
from flask_login import current_user

from callbacks.oee_charts import empty
from callbacks.trials_presenter import comparison_figure, comparison_summary, form_values, heading, trial_rows
from core.clock import utc_now
from core.plant.equipment import lines, site_zone
from core.trials.access import MANAGE
from core.trials.comparison import compare_with_baseline
from core.trials.lifecycle import TrialError
from core.trials.views import get_trial, list_trials
from pages.ids import Trials as ids

PERMISSION = "oee.view"
FORM = [(ids.TITLE, "value"), (ids.LINE, "value"), (ids.PLANNED_START, "value"), (ids.PLANNED_END, "value"),
        (ids.PARAMETERS, "value"), (ids.EXPECTED, "value"), (ids.RESULTS, "value"), (ids.LEARNINGS, "value"),
        (ids.SUCCESS, "value"), (ids.AT, "value")]
BUTTONS = [(ids.SAVE, "disabled"), (ids.START, "disabled"), (ids.COMPLETE, "disabled"), (ids.CANCEL, "disabled")]
EMPTY_FORM = ("", None, "", "", "", "", "", "", None, "")


def disabled_buttons(state: str | None, may_manage: bool) -> tuple[bool, bool, bool, bool]:
    """Save, Start, Complete, Cancel: each offered only where the lifecycle allows it and to trials.manage roles."""
    if not may_manage or state is None:
        return True, True, True, True
    open_ = state in ("planned", "in_progress")
    return not open_, state != "planned", state != "in_progress", not open_


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.LINE, "options"), Input(ids.LINE, "id"), permission=PERMISSION)
    def offer_lines(_id):
        return [{"label": f"{line.code} · {line.name}", "value": line.code} for line in lines(db)]

    @guard.callback(Output(ids.GRID, "rowData"), Input(ids.REFRESH, "data"), permission=PERMISSION)
    def show_trials(_refresh):
        return trial_rows(list_trials(db), site_zone(db))

    @guard.callback(Output(ids.SELECTED, "data"), Input(ids.GRID, "selectedRows"), permission=PERMISSION)
    def remember_choice(selected):
        return selected[0]["id"] if selected else None

    @guard.callback(Output(ids.GRID, "selectedRows"), Input(ids.CLEAR, "n_clicks"), prevent_initial_call=True,
                    permission=PERMISSION)
    def clear(_clicks):
        return []

    @guard.callback(*[Output(i, p) for i, p in FORM + BUTTONS], Output(ids.HEADING, "children"),
                    Input(ids.SELECTED, "data"), Input(ids.REFRESH, "data"), permission=PERMISSION)
    def fill_form(trial_id, _refresh):
        may_manage = current_user.can(MANAGE)
        try:
            trial = get_trial(db, trial_id) if trial_id is not None else None
        except TrialError:  # deleted meanwhile: show the empty form
            trial = None
        if trial is None:
            return (*EMPTY_FORM, *disabled_buttons(None, may_manage), "Choose a trial in the list")
        return (*form_values(trial, site_zone(db)), "", *disabled_buttons(trial.state, may_manage), heading(trial))

    @guard.callback(Output(ids.SUMMARY, "children"), Output(ids.CHART, "figure"),
                    Input(ids.SELECTED, "data"), Input(ids.REFRESH, "data"), permission=PERMISSION)
    def compare(trial_id, _refresh):
        try:
            comparison = compare_with_baseline(db, trial_id, utc_now()) if trial_id is not None else None
        except TrialError:  # deleted meanwhile
            comparison = None
        if comparison is None:
            return "Choose a trial in the list to see its OEE against the baseline.", empty("No trial chosen")
        return comparison_summary(comparison, site_zone(db)), comparison_figure(comparison)

