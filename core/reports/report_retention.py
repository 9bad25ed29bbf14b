"""Stored report files are kept REPORT_FILE_DAYS: older PDFs under the instance's reports/ are removed and their
runs' file_name cleared. The run rows stay as history (status, size, recipients), and a download of one says
the file was pruned.

A PDF several runs point at (a report emailed again from the reports page) goes when the newest of them is that
old; one still waiting to be built or sent is never touched.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.report_tables import ReportRun
from core.reports.report_runs import REPORT_FILE_DAYS, reports_folder
PENDING = ("building", "sending", "retrying")


def files_past_retention(db: sessionmaker[Session], now: datetime) -> list[str]:
    """The stored file names whose every run is older than REPORT_FILE_DAYS and none still pending."""
    cutoff = now - timedelta(days=REPORT_FILE_DAYS)
    with db() as session:
        old = set(session.scalars(select(ReportRun.file_name).where(ReportRun.file_name.is_not(None))
                                  .group_by(ReportRun.file_name).having(func.max(ReportRun.created_at) < cutoff)))
        if not old:
            return []
        pending = set(session.scalars(select(ReportRun.file_name).where(ReportRun.file_name.in_(old),
                                                                        ReportRun.status.in_(PENDING))))
    return sorted(old - pending)


def prune_report_files(db: sessionmaker[Session], home: Path, now: datetime) -> int:
    """Remove the files past retention and clear their runs' file_name; returns how many files went."""
    names = files_past_retention(db, now)
    folder = reports_folder(home)
    for name in names:
        (folder / name).unlink(missing_ok=True)  # first: a row naming a missing file reads as missing, never worse
    if names:
        with db.begin() as session:
            session.execute(update(ReportRun).where(ReportRun.file_name.in_(names)).values(file_name=None))
    return len(names)
