"""The REST API, `/api/v1`: machine events in, equipment and counts out. Bearer API keys only.

Each view unpacks the request, calls one use case in `core` and returns JSON;
errors are JSON too, naming the parameter or event at fault.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Flask, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from core.api_keys import authenticate_api_key
from core.clock import utc_now
from core.ingest import InvalidBatch, Known, ingest_events
from core.live_status import floor_now
from core.money.money_lost import MoneyLost, money_lost
from core.oee.service import OeeRequestError, Scope, oee_for, shift_window, window_between
from core.plant.equipment import active_reason_codes, machines, site_calendar
from core.timeline import count_totals
from dashapp.services import current_services

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(server: Flask) -> None:
    from dashapp import api_andon  # noqa: F401  (its views join this blueprint before it is registered)

    server.register_blueprint(blueprint)


@blueprint.before_request
def require_api_key():
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    name = authenticate_api_key(current_services().db, key.strip()) if scheme.lower() == "bearer" else None
    if name is None:
        response = jsonify(error="a valid API key is required: Authorization: Bearer <key>")
        response.headers["WWW-Authenticate"] = 'Bearer realm="floorboard"'
        return response, 401
    g.api_key_name = name
    return None


@blueprint.errorhandler(HTTPException)
def json_error(error: HTTPException):
    if error.code == 413:
        limit_mb = (current_app.config["MAX_CONTENT_LENGTH"] or 0) / 1024 / 1024
        return jsonify(error=f"the body is larger than {limit_mb:g} MB: send smaller batches"), 413
    return jsonify(error=error.description or error.name), error.code


@blueprint.post("/events")
def post_events():
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # absurdly deep nesting
        body = None
    if body is None:
        return jsonify(error="the body must be JSON: {\"events\": [...]}"), 400
    db = current_services().db
    known = Known({m.code: m.id for m in machines(db)}, active_reason_codes(db))
    try:
        result = ingest_events(db, body, known, sender=g.api_key_name)
    except InvalidBatch as refused:
        return jsonify(error="no event was stored: fix the events listed", events=refused.problems), 422
    return jsonify(stored=result.stored, duplicates=result.duplicates), 200


@blueprint.get("/equipment")
def list_equipment():
    floor = floor_now(current_services().db, utc_now())
    return jsonify([
        {"code": m.code, "name": m.name, "line": m.line_code, "state": m.state,
         "state_since": m.since.isoformat() if m.since else None, "reason": m.reason_code}
        for m in floor.machines
    ])


@blueprint.get("/equipment/<code>/counts")
def equipment_counts(code: str):
    db = current_services().db
    machine = next((m for m in machines(db) if m.code == code), None)
    if machine is None:
        return jsonify(error=f"unknown machine {code!r}"), 404
    try:
        window = window_between(_iso_parameter("start"), _iso_parameter("end"))
    except OeeRequestError as refused:
        return jsonify(error=str(refused), parameter=refused.parameter), 422
    good, reject = count_totals(db, [machine.id], window.start, window.end)[machine.id]
    return jsonify(good=good, reject=reject)


@blueprint.get("/oee")
def oee():
    db = current_services().db
    args = request.args
    try:
        scope = Scope(line=args.get("line") or None, equipment=args.get("equipment") or None)
        if args.get("date") or args.get("shift"):
            window = shift_window(site_calendar(db), _date_parameter("date"), args.get("shift"))
        else:
            window = window_between(_iso_parameter("start"), _iso_parameter("end"))
        now = utc_now()
        result = oee_for(db, scope, window, now)
        money = money_lost(db, scope, window, now)
    except OeeRequestError as refused:
        return jsonify(error=str(refused), parameter=refused.parameter), 422
    figures = result.figures.as_dict()
    return jsonify({**figures, "cost": cost_of(money),
                    "scope": {"line": scope.line, "equipment": scope.equipment, "machines": result.machines},
                    "explanation": result.explanation})


def cost_of(money: MoneyLost) -> dict | None:
    """The losses priced (core.money.money_lost), rounded to cents; null where no machine of the scope has a rate.
    Keys: breakdowns, setup, idle, small_stops, reduced_speed, rejects, total, currency, not_priced. Each machine
    is priced over the window as one period, so for one machine each time category is exactly its `losses` x
    cost_per_hour. `total` (idle included) is rounded from the unrounded sum, so it may differ from the sum of
    the rounded categories by a cent."""
    costs = money.by_category()
    if costs is None:
        return None
    return {**{key: round(value, 2) for key, value in costs.items()}, "currency": money.currency,
            "not_priced": list(money.not_priced)}


def _iso_parameter(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise OeeRequestError(name, f"not an ISO 8601 timestamp: {raw!r}") from None


def _date_parameter(name: str) -> date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise OeeRequestError(name, f"not a date (YYYY-MM-DD): {raw!r}") from None
