"""`GET /metrics`: the sources' sync figures in Prometheus text format, read from the database at each scrape.

A fresh registry per scrape, holding one collector that reads core.sync.source_status: no global state, so
every gunicorn worker answers the same. A scraper sends an API key (`Authorization: Bearer <key>`); a
logged-in user needs the data sources permission; anybody else gets 401.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterator

from flask import Blueprint, Flask, Response, jsonify, request
from flask_login import current_user
from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker

from core.api_keys import authenticate_api_key
from core.clock import utc_now
from core.sync.source_status import SourceStatus, source_statuses
from dashapp.services import current_services

PERMISSION = "datasources.manage"

blueprint = Blueprint("metrics", __name__)


def init_app(server: Flask) -> None:
    server.register_blueprint(blueprint)


class SourceSyncCollector(Collector):
    """One sample per source (label `source`) of each figure the admin page shows."""

    def __init__(self, db: sessionmaker[Session], now: Callable[[], datetime] = utc_now):
        self.db, self.now = db, now

    def collect(self) -> Iterator[Metric]:
        statuses = source_statuses(self.db, self.now())
        counters = (
            ("floorboard_sync_rows_read", "Source rows read since the source was first synced", "total_read"),
            ("floorboard_sync_rows_written", "Source rows written since the source was first synced",
             "total_written"),
            ("floorboard_sync_runs_failed", "Sync runs that failed", "runs_failed"),
        )
        for name, help_text, field in counters:
            family = CounterMetricFamily(name, help_text, labels=["source"])
            for status in statuses:
                family.add_metric([status.name], getattr(status, field))
            yield family
        gauges: tuple[tuple[str, str, Callable[[SourceStatus], float | None]], ...] = (
            ("floorboard_sync_last_run_rows_read", "Rows read by the last run", lambda s: s.rows_read),
            ("floorboard_sync_last_run_rows_written", "Rows written by the last run", lambda s: s.rows_written),
            ("floorboard_sync_last_run_rows_quarantined", "Rows quarantined by the last run",
             lambda s: s.rows_quarantined),
            ("floorboard_sync_last_run_ok", "1 when the last finished run succeeded, 0 when it failed",
             lambda s: None if s.run_ok is None else float(s.run_ok)),
            ("floorboard_sync_last_run_finished_timestamp_seconds", "When the last run finished (Unix time)",
             lambda s: _timestamp(s.run_finished_at)),
            ("floorboard_sync_last_success_timestamp_seconds", "When the last good run finished (Unix time)",
             lambda s: _timestamp(s.last_success_at)),
            ("floorboard_sync_quarantined_rows", "Source rows held in quarantine now", lambda s: s.in_quarantine),
            ("floorboard_sync_watermark_id", "The largest source row id taken in", lambda s: s.watermark_id),
            ("floorboard_sync_lag_rows", "Source rows past the watermark at the last good run",
             lambda s: s.lag_rows),
            ("floorboard_sync_lag_seconds", "The source's newest row start minus ours at the last good run",
             lambda s: s.lag_seconds),
        )
        for name, help_text, value_of in gauges:
            family = GaugeMetricFamily(name, help_text, labels=["source"])
            for status in statuses:
                value = value_of(status)
                if value is not None:  # unknown is left out, never shown as 0
                    family.add_metric([status.name], float(value))
            yield family


def _timestamp(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


@blueprint.before_request
def require_key_or_permission():
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() == "bearer" and authenticate_api_key(current_services().db, key.strip()) is not None:
        return None
    if current_user.is_authenticated:
        return None if current_user.can(PERMISSION) else (jsonify(error="not allowed"), 403)
    response = jsonify(error="an API key is required: Authorization: Bearer <key>")
    response.headers["WWW-Authenticate"] = 'Bearer realm="floorboard"'
    return response, 401


@blueprint.get("/metrics")
def metrics():
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SourceSyncCollector(current_services().db))
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))  # text 0.0.4, or OpenMetrics if asked
    return Response(encode(registry), content_type=content_type)
