"""REST for andon boxes and other systems: raise, list, acknowledge, resolve. The API key's name is the actor."""

from __future__ import annotations

from flask import g, jsonify, request

from core.accounts import Actor
from core.andon_calls import (
    AndonError, AndonNotFound, AndonStateError, acknowledge_call, call_for_help, list_calls, resolve_call,
)
from core.clock import utc_now
from dashapp.api import blueprint
from dashapp.services import current_services


def _actor() -> Actor:
    return Actor(f"api:{g.api_key_name}", request.remote_addr or "")


def _json_object():
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # absurdly deep nesting
        body = None
    return body if isinstance(body, dict) else None


@blueprint.post("/andon")
def raise_call():
    body = _json_object()
    if body is None:
        return jsonify(error='the body must be a JSON object: {"equipment", "type", "priority", "note"}'), 400
    unknown = sorted(set(body) - {"equipment", "type", "priority", "note"})
    if unknown:
        return jsonify(error=f"unknown field(s) {', '.join(unknown)}"), 422
    if not isinstance(body.get("equipment"), str) or not isinstance(body.get("note", ""), str):
        return jsonify(error="equipment (a machine code) is required; note must be text"), 422
    try:
        call = call_for_help(current_services().db, body["equipment"], str(body.get("type", "help")),
                             str(body.get("priority", "medium")), body.get("note", ""), _actor(), "api", utc_now())
    except AndonError as exc:
        return jsonify(error=str(exc)), 422
    return jsonify(call.as_json()), 201


@blueprint.get("/andon")
def list_andon_calls():
    try:
        calls = list_calls(current_services().db, status=request.args.get("status") or None)
    except AndonError as exc:
        return jsonify(error=str(exc), parameter="status"), 422
    return jsonify([call.as_json() for call in calls])


@blueprint.post("/andon/<int:call_id>/acknowledge")
def acknowledge(call_id: int):
    try:
        call = acknowledge_call(current_services().db, call_id, _actor(), utc_now())
    except AndonNotFound as exc:
        return jsonify(error=str(exc)), 404
    except AndonStateError as exc:
        return jsonify(error=str(exc)), 409
    return jsonify(call.as_json())


@blueprint.post("/andon/<int:call_id>/resolve")
def resolve(call_id: int):
    body = _json_object()
    note = body.get("note") if body else None
    if not isinstance(note, str):
        return jsonify(error='the body must be {"note": "how it was resolved"}'), 422
    try:
        call = resolve_call(current_services().db, call_id, note, _actor(), utc_now())
    except AndonNotFound as exc:
        return jsonify(error=str(exc)), 404
    except AndonStateError as exc:
        return jsonify(error=str(exc)), 409
    except AndonError as exc:
        return jsonify(error=str(exc)), 422
    return jsonify(call.as_json())
