"""Stored report files are kept REPORT_FILE_DAYS: the hourly job removes older PDFs and clears their runs'
file_name; the runs stay listed and a download says the file was pruned. A fake clock moves the days on."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from callbacks.reports import history_rows
from core.persistence.report_tables import ReportRun
from core.reports.report_runs import REPORT_FILE_DAYS, RunFileMissing, build_and_store, list_runs, run_file
from core.reports.windows import ReportRequest
from jobs.context import JobContext
from jobs.report_retention import prune_old_report_files
from jobs.specs import JOB_SPECS

UTC = timezone.utc
BUILT = datetime(2026, 3, 3, 12, tzinfo=UTC)


def build(db, home, day: date, now: datetime):
    return build_and_store(db, home, ReportRequest("daily", day), "pia", now)


def test_files_past_retention_go_and_their_runs_stay_as_history(database_url, plant, tmp_path):
    old = build(plant, tmp_path, date(2026, 3, 2), BUILT)
    young = build(plant, tmp_path, date(2026, 3, 3), BUILT + timedelta(days=30))
    clock = [BUILT + timedelta(days=REPORT_FILE_DAYS) - timedelta(minutes=1)]
    context = JobContext(db=plant, clock=lambda: clock[0], home=tmp_path)

    prune_old_report_files(context)  # a minute before the old file's time is up: both kept
    assert run_file(plant, tmp_path, old.id).is_file() and run_file(plant, tmp_path, young.id).is_file()

    clock[0] += timedelta(minutes=2)
    prune_old_report_files(context)
    assert not (tmp_path / "reports" / old.file_name).exists()
    assert run_file(plant, tmp_path, young.id).is_file()
    runs = {r.id: r for r in list_runs(plant)}
    assert runs[old.id].file_name is None and runs[old.id].status == "built" and runs[old.id].size_bytes > 0
    with pytest.raises(RunFileMissing, match=f"was pruned: report files are kept {REPORT_FILE_DAYS} days"):
        run_file(plant, tmp_path, old.id)
    rows = {row["id"]: row for row in history_rows(list_runs(plant), UTC)}
    assert rows[old.id]["size"] == "file pruned" and rows[young.id]["size"].endswith(" kB")
    prune_old_report_files(context)  # nothing left to do, nothing fails
    assert [p.name for p in (tmp_path / "reports").iterdir()] == [young.file_name]
    assert "prune_old_report_files" in {spec.name for spec in JOB_SPECS}


def test_a_file_a_younger_or_pending_run_points_at_is_kept(database_url, plant, tmp_path):
    shared = build(plant, tmp_path, date(2026, 3, 2), BUILT)
    pending = build(plant, tmp_path, date(2026, 3, 3), BUILT)
    later = BUILT + timedelta(days=REPORT_FILE_DAYS + 1)
    with plant.begin() as session:  # emailed again later from the reports page: a younger run, the same file
        session.add(ReportRun(kind="daily", window_start=shared.window_start, window_end=shared.window_end,
                              requested_by="pia", status="sent", created_at=BUILT + timedelta(days=10),
                              recipients="[]", attempts=1, size_bytes=shared.size_bytes, file_name=shared.file_name))
        session.execute(update(ReportRun).where(ReportRun.id == pending.id).values(status="retrying"))
    prune_old_report_files(JobContext(db=plant, clock=lambda: later, home=tmp_path))
    assert run_file(plant, tmp_path, shared.id).is_file() and run_file(plant, tmp_path, pending.id).is_file()
    prune_old_report_files(JobContext(db=plant, clock=lambda: later + timedelta(days=10), home=tmp_path))
    assert all(r.file_name is None for r in list_runs(plant) if r.status != "retrying")
    assert run_file(plant, tmp_path, pending.id).is_file()
