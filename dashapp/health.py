"""`/healthz`: is the database reachable and its schema at the newest migration (no login needed)."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify

from core.persistence.database import DatabaseUnavailable, check_reachable
from core.persistence.schema import current_revision, head_revision
from dashapp.services import current_services

blueprint = Blueprint("health", __name__)


def init_app(server: Flask) -> None:
    server.register_blueprint(blueprint)


@blueprint.route("/healthz")
def healthz():
    engine = current_services().engine
    head = head_revision()
    try:
        check_reachable(engine)
        revision = current_revision(engine)
    except DatabaseUnavailable as exc:
        current_app.logger.warning("healthz: database unreachable: %s", exc)  # details stay in the log
        return jsonify(status="error", database="unreachable", schema_head=head), 503
    healthy = revision == head
    body = dict(
        status="ok" if healthy else "error", database="ok",
        schema="at head" if healthy else "behind: run `floorboard init`", schema_revision=revision, schema_head=head,
    )
    return jsonify(body), 200 if healthy else 503
