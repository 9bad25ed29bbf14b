"""`GET /metrics`: refused to anybody without an API key or the data sources permission; in Prometheus text
format, each source's sync figures as they stand in the database at the scrape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.clock import utc_now
from tests.support.source_status_data import a_failing_source, load_plant


def samples(text: str) -> dict[tuple[str, str], float]:
    return {(sample.name, sample.labels.get("source", "")): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


@pytest.fixture
def sources(database_url, db):
    load_plant(db)
    return db


def test_anonymous_and_a_wrong_key_get_401_and_a_role_without_the_permission_403(sources, client, login_as):
    response = client.get("/metrics")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer not-a-key"}).status_code == 401
    assert login_as("production_manager").get("/metrics").status_code == 403
    assert login_as("admin").get("/metrics").status_code == 200


def test_a_scraper_with_an_api_key_reads_each_sources_figures(sources, client, api_key):
    now = utc_now()
    a_failing_source(sources, now)
    response = client.get("/metrics", headers={"Authorization": f"Bearer {api_key}"})
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=0.0.4")
    text = response.get_data(as_text=True)
    assert "# TYPE floorboard_sync_rows_read_total counter" in text
    figures = samples(text)
    good = (now - timedelta(minutes=10)).timestamp()
    assert {key: value for key, value in figures.items() if key[1] == "cimco"} == {
        ("floorboard_sync_rows_read_total", "cimco"): 50_000,
        ("floorboard_sync_rows_written_total", "cimco"): 49_500,
        ("floorboard_sync_runs_failed_total", "cimco"): 4,
        ("floorboard_sync_last_run_rows_read", "cimco"): 1234,
        ("floorboard_sync_last_run_rows_written", "cimco"): 1200,
        ("floorboard_sync_last_run_rows_quarantined", "cimco"): 3,
        ("floorboard_sync_last_run_ok", "cimco"): 0,
        ("floorboard_sync_last_run_finished_timestamp_seconds", "cimco"): pytest.approx(
            (now - timedelta(seconds=30)).timestamp(), abs=1e-3),
        ("floorboard_sync_last_success_timestamp_seconds", "cimco"): pytest.approx(good, abs=1e-3),
        ("floorboard_sync_quarantined_rows", "cimco"): 1,
        ("floorboard_sync_watermark_id", "cimco"): 98765,
        ("floorboard_sync_lag_rows", "cimco"): 87,
        ("floorboard_sync_lag_seconds", "cimco"): 420.0,
    }
    # erp never ran: counters at 0, and what is unknown (ok, watermark, lag, times) is left out rather than 0
    assert {key[0] for key in figures if key[1] == "erp"} == {
        "floorboard_sync_rows_read_total", "floorboard_sync_rows_written_total", "floorboard_sync_runs_failed_total",
        "floorboard_sync_last_run_rows_read", "floorboard_sync_last_run_rows_written",
        "floorboard_sync_last_run_rows_quarantined", "floorboard_sync_quarantined_rows"}


def test_figures_are_read_at_each_scrape(sources, client, api_key):
    headers = {"Authorization": f"Bearer {api_key}"}
    assert ("floorboard_sync_last_run_ok", "cimco") not in samples(client.get("/metrics", headers=headers).text)
    a_failing_source(sources, utc_now())
    assert samples(client.get("/metrics", headers=headers).text)[("floorboard_sync_last_run_ok", "cimco")] == 0
