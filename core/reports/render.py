"""Write a report to a file whose extension picks the format: .pdf, .xlsx or .csv."""

from __future__ import annotations

from pathlib import Path

from core.reports.model import Report
from core.reports.render_pdf import render_pdf
from core.reports.render_tables import render_csv, render_xlsx

RENDERERS = {".pdf": render_pdf, ".xlsx": render_xlsx, ".csv": render_csv}


def renderer_for(path: Path):
    """The renderer for the file's extension; ValueError naming the ones there are."""
    suffix = path.suffix.lower()
    if suffix not in RENDERERS:
        raise ValueError(f"cannot write {path.name!r}: the file must end in {', '.join(RENDERERS)}")
    return RENDERERS[suffix]


def write_report(report: Report, path: Path) -> int:
    """Render and write the report; the number of bytes written."""
    data = renderer_for(path)(report)
    path.write_bytes(data)
    return len(data)
