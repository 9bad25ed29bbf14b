"""Callbacks of the PLC tags admin page: load a machine's settings, save them (checked, audited), test them."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, html
from dash.exceptions import PreventUpdate

from core.clock import utc_now
from core.plant.config_schema import TAG_ROLES
from core.plant.equipment import machines
from core.plc.machine_plc_settings import (
    ConnectionTest, MachinePlcSettings, PlcSettingsError, machine_plc_settings, save_machine_plc, try_plc_connection,
)
from dashapp.actor import current_actor
from pages.ids import AdminPlc as ids

PERMISSION = "datasources.manage"
ROLE_INPUTS = Output({"type": ids.ROLE_TAG, "role": ALL}, "value")
FORM = (State(ids.MACHINE, "value"), State(ids.DRIVER, "value"), State(ids.ADDRESS, "value"), State(ids.SLOT, "value"),
        State(ids.RATE, "value"), State(ids.TIMEOUT, "value"), State({"type": ids.ROLE_TAG, "role": ALL}, "value"),
        State(ids.TREND_TAGS, "value"), State(ids.TAG_TYPES, "value"), State(ids.DEADBANDS, "value"))


class FormError(ValueError):
    pass


def pairs(text: str | None, what: str) -> dict[str, str]:
    """'Tag = value' lines -> {tag: value}; a line without '=' is refused with its number."""
    found = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        tag, equals, value = line.partition("=")
        if not equals or not tag.strip() or not value.strip():
            raise FormError(f"{what}, line {number}: write 'Tag = value', got {line.strip()!r}")
        found[tag.strip()] = value.strip()
    return found


def settings_from_form(driver, address, slot, rate, timeout, role_tags, trend_tags, tag_types,
                       deadbands) -> MachinePlcSettings:
    try:
        bands = {tag: float(value) for tag, value in pairs(deadbands, "Deadbands").items()}
    except ValueError as exc:
        raise FormError(f"Deadbands: {exc}") from exc
    tags = {role: tag.strip() for role, tag in zip(TAG_ROLES, role_tags or []) if tag and tag.strip()}
    return MachinePlcSettings(
        driver or None, (address or "").strip(), int(slot or 0), float(rate or 1.0), float(timeout or 2.0), tags,
        [line.strip() for line in (trend_tags or "").splitlines() if line.strip()],
        {tag: value.upper() for tag, value in pairs(tag_types, "Tag types").items()}, bands)


def test_rows(result: ConnectionTest) -> list[dict]:
    return [{"tag": tag, "value": "" if value.value is None else str(value.value), "type": value.type or "",
             "quality": "good" if value.good else value.error} for tag, value in result.values.items()]


def _problems(exc: Exception) -> dbc.Alert:
    lines = exc.problems if isinstance(exc, PlcSettingsError) else [str(exc)]
    return dbc.Alert([html.Div("Not saved:" if len(lines) > 1 else "Not accepted:"), html.Ul([html.Li(p) for p in lines])],
                     color="danger", dismissable=True)


def register(guard, services) -> None:
    db = services.db

    @guard.callback(Output(ids.MACHINE, "options"), Input(ids.MACHINE, "id"), permission=PERMISSION)
    def list_machines(_id):
        return [{"label": f"{m.code} · {m.name} ({m.line_code})", "value": m.code} for m in machines(db)]

    @guard.callback(Output(ids.DRIVER, "value"), Output(ids.ADDRESS, "value"), Output(ids.SLOT, "value"),
                    Output(ids.RATE, "value"), Output(ids.TIMEOUT, "value"), ROLE_INPUTS,
                    Output(ids.TREND_TAGS, "value"), Output(ids.TAG_TYPES, "value"), Output(ids.DEADBANDS, "value"),
                    Input(ids.MACHINE, "value"), prevent_initial_call=True, permission=PERMISSION)
    def load_settings(code):
        if not code:
            raise PreventUpdate
        try:
            current = machine_plc_settings(db, code)
        except PlcSettingsError:  # the machine was removed meanwhile
            raise PreventUpdate from None
        return (current.driver or "", current.address, current.slot, current.rate_s, current.timeout_s,
                [current.tags.get(role, "") for role in TAG_ROLES], "\n".join(current.trend_tags),
                "\n".join(f"{tag} = {type_}" for tag, type_ in current.tag_types.items()),
                "\n".join(f"{tag} = {band:g}" for tag, band in current.deadbands.items()))

    @guard.callback(Output(ids.MESSAGE, "children"), Input(ids.SAVE, "n_clicks"), *FORM,
                    prevent_initial_call=True, permission=PERMISSION)
    def save_settings(_clicks, code, *form):
        if not code:
            return dbc.Alert("Choose a machine first.", color="warning", dismissable=True)
        try:
            save_machine_plc(db, code, settings_from_form(*form), current_actor())
        except (FormError, PlcSettingsError) as exc:
            return _problems(exc)
        return dbc.Alert(f"Saved. The jobs process reads {code} with these settings within seconds.",
                         color="success", dismissable=True)

    @guard.callback(Output(ids.MESSAGE, "children", allow_duplicate=True), Output(ids.TEST_RESULT, "rowData"),
                    Input(ids.TEST, "n_clicks"), *FORM, prevent_initial_call=True, permission=PERMISSION)
    def test_settings(_clicks, code, *form):
        if not code:
            return dbc.Alert("Choose a machine first.", color="warning", dismissable=True), []
        try:
            result = try_plc_connection(db, code, settings_from_form(*form), utc_now)
        except (FormError, PlcSettingsError) as exc:
            return _problems(exc), []
        if not result.ok:
            return dbc.Alert(f"No answer: {result.error}", color="danger", dismissable=True), []
        bad = sum(not value.good for value in result.values.values())
        summary = (f"Connected: {len(result.values)} tags read in {result.latency_ms:.0f} ms"
                   + (f", {bad} with an error (see the table)" if bad else ", all good") + ". Not saved yet.")
        return dbc.Alert(summary, color="warning" if bad else "success", dismissable=True), test_rows(result)
