"""Write a report to a file whose extension picks the format: .pdf, .xlsx or .csv."""

from __future__ import annotations

import os
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
    """Render and write the report whole (a reader never sees half a file); the number of bytes written.
    OSError when the folder is missing or not writable."""
    data = renderer_for(path)(report)
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return len(data)
