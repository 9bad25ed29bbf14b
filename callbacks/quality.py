"""Callbacks of the quality page: machine and check choices, the check form with its live feedback, record a
check, record and take back scrap, and the period's overview."""

from __future__ import annotations

from dash import ALL, MATCH, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from callbacks.quality_charts import fpy_figure
from callbacks.quality_presenter import (
    check_form, check_result, check_rows, feedback, limits_data, line_yields_text, refused, scrap_result, scrap_rows,
)
from core.clock import utc_now
from core.plant.equipment import machines
from core.quality.catalog import defect_choices, machine_templates, machines_with_checks
from core.quality.checks import record_check
from core.quality.machine_context import QualityError
from core.quality.overview import quality_overview
from core.quality.scrap import record_scrap, void_scrap
from core.quality.scrap_moments import LATEST, made_by_moment, site_made_by_choices
from dashapp.actor import current_actor
from pages.ids import Quality as ids

PERMISSION = "quality.manage"


def register(guard, services) -> None:
    db = services.db
    register_records(guard, db)

    @guard.callback(Output(ids.MACHINE, "options"), Output(ids.MACHINE, "value"), Output(ids.SCRAP_DEFECT, "options"),
                    Input(ids.MACHINE, "id"), permission=PERMISSION)
    def offer_choices(_id):
        plant = machines(db)
        checked = machines_with_checks(db, utc_now())  # start where a check can be recorded
        first = checked[0] if checked else (plant[0].code if plant else None)
        return ([{"label": f"{m.code} · {m.name}", "value": m.code} for m in plant], first,
                [{"label": d.path, "value": d.code} for d in defect_choices(db)])

    @guard.callback(Output(ids.SCRAP_MADE, "options"), Output(ids.SCRAP_MADE, "value"), Input(ids.MACHINE, "value"),
                    Input(ids.REFRESH, "data"), permission=PERMISSION)
    def offer_made_by(_machine, _refresh):
        return [{"label": c.label, "value": c.value} for c in site_made_by_choices(db, utc_now())], LATEST

    @guard.callback(Output(ids.TEMPLATE, "options"), Output(ids.TEMPLATE, "value"), Input(ids.MACHINE, "value"),
                    permission=PERMISSION)
    def offer_templates(machine):
        templates = machine_templates(db, machine, utc_now()) if machine else []
        return [{"label": t.name, "value": t.code} for t in templates], templates[0].code if templates else None

    @guard.callback(Output(ids.FORM, "children"), Output(ids.LIMITS, "data"), Output(ids.RESULT, "children"),
                    Input(ids.TEMPLATE, "value"), State(ids.MACHINE, "value"), permission=PERMISSION)
    def show_form(code, machine):
        template = next((t for t in machine_templates(db, machine, utc_now()) if t.code == code), None) \
            if machine and code else None
        return check_form(template), limits_data(template), None

    @guard.callback(Output({"type": ids.FEEDBACK, "characteristic": MATCH, "sample": MATCH}, "children"),
                    Output({"type": ids.FEEDBACK, "characteristic": MATCH, "sample": MATCH}, "className"),
                    Input({"type": ids.VALUE, "characteristic": MATCH, "sample": MATCH}, "value"),
                    State(ids.LIMITS, "data"), permission=PERMISSION)
    def judge_value(value, limits):
        typed = ctx.inputs_list[0] if ctx.inputs_list else None
        if not isinstance(typed, dict):  # no value box of the form in the request
            raise PreventUpdate
        return feedback(value, (limits or {}).get(typed["id"]["characteristic"]))

    @guard.callback(Output(ids.FPY, "figure"), Output(ids.FPY_LINES, "children"), Output(ids.CHECKS, "rowData"),
                    Output(ids.SCRAP, "rowData"), Input(ids.PERIOD, "value"), Input(ids.REFRESH, "data"),
                    permission=PERMISSION)
    def show_overview(period, _refresh):
        overview = quality_overview(db, period or "today", utc_now())
        return (fpy_figure(overview.yields), line_yields_text(overview.yields), check_rows(overview.checks, overview.zone),
                scrap_rows(overview.scrap, overview.defect_names, overview.zone))


def register_records(guard, db) -> None:
    """The callbacks that store something: a check, a scrap entry, taking an entry back."""

    @guard.callback(Output(ids.RESULT, "children", allow_duplicate=True), Output(ids.REFRESH, "data"),
                    Input(ids.SUBMIT, "n_clicks"), State(ids.MACHINE, "value"), State(ids.TEMPLATE, "value"),
                    State({"type": ids.VALUE, "characteristic": ALL, "sample": ALL}, "value"),
                    State(ids.NOTE, "value"), State(ids.REFRESH, "data"), prevent_initial_call=True,
                    permission=PERMISSION, running=[(Output(ids.SUBMIT, "disabled"), True, False)])
    def submit_check(_clicks, machine, template, _values, note, refresh):
        if not machine or not template:
            raise PreventUpdate
        values: dict[str, list] = {}
        for state in sorted(ctx.states_list[2], key=lambda s: s["id"]["sample"]):
            values.setdefault(state["id"]["characteristic"], []).append(state.get("value"))
        try:
            result = record_check(db, machine, template, values, current_actor(), utc_now(), note or "")
        except QualityError as exc:
            return refused(str(exc), "quality-check-refused"), no_update
        return check_result(result), (refresh or 0) + 1

    @guard.callback(Output(ids.SCRAP_RESULT, "children"), Output(ids.REFRESH, "data", allow_duplicate=True),
                    Input(ids.SCRAP_RECORD, "n_clicks"), State(ids.MACHINE, "value"),
                    State(ids.SCRAP_QUANTITY, "value"), State(ids.SCRAP_DEFECT, "value"), State(ids.SCRAP_MADE, "value"),
                    State(ids.SCRAP_NOTE, "value"), State(ids.REFRESH, "data"), prevent_initial_call=True,
                    permission=PERMISSION, running=[(Output(ids.SCRAP_RECORD, "disabled"), True, False)])
    def submit_scrap(_clicks, machine, quantity, defect, made, note, refresh):
        now = utc_now()
        try:
            result = record_scrap(db, machine, defect, quantity, current_actor(), now,
                                  made_by=made_by_moment(made, now), note=note or "")
        except QualityError as exc:
            return refused(str(exc), "quality-scrap-refused"), no_update
        return scrap_result(result), (refresh or 0) + 1

    @guard.callback(Output(ids.VOID_MESSAGE, "children"), Output(ids.REFRESH, "data", allow_duplicate=True),
                    Input(ids.VOID, "n_clicks"), State(ids.SCRAP, "selectedRows"), State(ids.REFRESH, "data"),
                    prevent_initial_call=True, permission=PERMISSION)
    def take_back(_clicks, selected, refresh):
        if not selected:
            return refused("Select a scrap entry in the list first.", "quality-void-refused"), no_update
        try:
            void_scrap(db, int(selected[0]["id"]), current_actor(), utc_now())
        except QualityError as exc:
            return refused(str(exc), "quality-void-refused"), no_update
        return f"Scrap entry {selected[0]['id']} taken back.", (refresh or 0) + 1
