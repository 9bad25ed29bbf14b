"""Callbacks of the trials page that change trials (trials.manage): plan one, save its plan, start, complete or
cancel the chosen one. Each calls one use case of core.trials; a refusal shows its reason and stores nothing."""

from __future__ import annotations

from typing import Callable

import dash_bootstrap_components as dbc
from dash import Input, Output, State, no_update

from core.plant.equipment import site_zone
from core.clock import utc_now
from core.trials.access import MANAGE
from core.trials.lifecycle import TrialError
from core.trials.planning import create_trial, edit_trial
from core.trials.progress import cancel_trial, complete_trial, start_trial
from core.trials.trial_input import local_moment, trial_plan
from core.trials.views import TrialView
from dashapp.actor import current_actor
from pages.ids import Trials as ids

PLAN = [State(ids.TITLE, "value"), State(ids.LINE, "value"), State(ids.PLANNED_START, "value"),
        State(ids.PLANNED_END, "value"), State(ids.PARAMETERS, "value"), State(ids.EXPECTED, "value")]
SUCCESS = {"yes": True, "no": False}


def _alert(text: str, color: str = "danger") -> dbc.Alert:
    return dbc.Alert(text, color=color, dismissable=True)


def outcome(change: Callable[[], str], refresh: int | None) -> tuple:
    """The page's message and its refresh counter: the change's own words, or the reason it was refused."""
    try:
        done = change()
    except TrialError as error:
        return _alert(str(error)), no_update
    return _alert(done, "success"), (refresh or 0) + 1


def _chosen(trial_id: int | None) -> int:
    if trial_id is None:
        raise TrialError("choose a trial in the list first")
    return trial_id


def _said(trial: TrialView, what: str) -> str:
    return f"Trial “{trial.title}” on {trial.line_code} {what}."


def register(guard, services) -> None:
    db = services.db
    message = [Output(ids.MESSAGE, "children", allow_duplicate=True), Output(ids.REFRESH, "data", allow_duplicate=True)]

    def plan_of(title, line, start, end, parameters, expected):
        zone = site_zone(db)
        return trial_plan(title, line, parameters, expected, local_moment(start, zone), local_moment(end, zone))

    @guard.callback(Output(ids.MESSAGE, "children"), Output(ids.REFRESH, "data"), Input(ids.CREATE, "n_clicks"),
                    *PLAN, State(ids.REFRESH, "data"), prevent_initial_call=True, permission=MANAGE)
    def create(_clicks, title, line, start, end, parameters, expected, refresh):
        return outcome(lambda: _said(create_trial(db, plan_of(title, line, start, end, parameters, expected),
                                                  current_actor(), utc_now()), "planned"), refresh)

    @guard.callback(*message, Input(ids.SAVE, "n_clicks"), State(ids.SELECTED, "data"), *PLAN,
                    State(ids.REFRESH, "data"), prevent_initial_call=True, permission=MANAGE)
    def save(_clicks, trial_id, title, line, start, end, parameters, expected, refresh):
        return outcome(lambda: _said(edit_trial(db, _chosen(trial_id), plan_of(title, line, start, end, parameters,
                                                                                expected),
                                                current_actor(), utc_now()), "saved"), refresh)

    @guard.callback(*message, Input(ids.START, "n_clicks"), State(ids.SELECTED, "data"), State(ids.AT, "value"),
                    State(ids.REFRESH, "data"), prevent_initial_call=True, permission=MANAGE)
    def start(_clicks, trial_id, at, refresh):
        return outcome(lambda: _said(start_trial(db, _chosen(trial_id), current_actor(), utc_now(),
                                                 local_moment(at, site_zone(db))), "started"), refresh)

    @guard.callback(*message, Input(ids.COMPLETE, "n_clicks"), State(ids.SELECTED, "data"),
                    State(ids.RESULTS, "value"), State(ids.LEARNINGS, "value"), State(ids.SUCCESS, "value"),
                    State(ids.AT, "value"), State(ids.REFRESH, "data"), prevent_initial_call=True, permission=MANAGE)
    def complete(_clicks, trial_id, results, learnings, success, at, refresh):
        return outcome(lambda: _said(complete_trial(db, _chosen(trial_id), results, learnings, SUCCESS.get(success),
                                                    current_actor(), utc_now(), local_moment(at, site_zone(db))),
                                     "completed"), refresh)

    @guard.callback(*message, Input(ids.CANCEL, "n_clicks"), State(ids.SELECTED, "data"),
                    State(ids.LEARNINGS, "value"), State(ids.REFRESH, "data"), prevent_initial_call=True,
                    permission=MANAGE)
    def cancel(_clicks, trial_id, reason, refresh):
        return outcome(lambda: _said(cancel_trial(db, _chosen(trial_id), reason, current_actor(), utc_now()),
                                     "cancelled"), refresh)
