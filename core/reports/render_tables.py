"""A report as a workbook (openpyxl: one sheet per section, numbers stored as numbers with number formats) and as
one CSV file (each table under a header row naming its section and table; percentages as fractions 0..1)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timezone
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.reports.formatting import local_stamp
from core.reports.model import Report, Table

NUMBER_FORMATS = {"percent": "0.0%", "count": "#,##0", "minutes": "#,##0.0", "money": "#,##0.00",
                  "number": "#,##0.0"}
BOLD = Font(bold=True)


def _about(report: Report) -> list[tuple[str, str]]:
    zone = ZoneInfo(report.timezone)
    return [("Report", report.title), ("Plant", report.plant), ("Scope", report.scope),
            ("Window", report.window_label), ("Timezone", report.timezone),
            ("Window start (UTC)", report.window_start.astimezone(timezone.utc).isoformat()),
            ("Window end (UTC)", report.window_end.astimezone(timezone.utc).isoformat()),
            ("Generated", local_stamp(report.generated_at, zone)),
            ("Data up to", local_stamp(report.data_until, zone))] + [("Note", note) for note in report.notes]


def render_xlsx(report: Report) -> bytes:
    book = Workbook()
    about = book.active
    about.title = "Report"
    for row in _about(report):
        about.append(row)
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 22, 70
    used = {"Report"}
    for section in report.sections:
        sheet = book.create_sheet(_sheet_name(section.title, used))
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=13)
        if section.kpis:
            sheet.append([])
            for kpi in section.kpis:
                sheet.append([kpi.label, kpi.value] + (["target", kpi.target] if kpi.target is not None else []))
                _format_row(sheet, sheet.max_row, [("text", None), (kpi.kind, None), ("text", None), (kpi.kind, None)])
        for table in section.tables:
            _append_table(sheet, table)
        for note in section.notes:
            sheet.append([])
            sheet.append([note])
        _fit_columns(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _append_table(sheet, table: Table) -> None:
    sheet.append([])
    sheet.append([table.title])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([c.name for c in table.columns])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    if not table.rows:
        sheet.append([table.empty_text])
    for row in table.rows:
        sheet.append(list(row))
        _format_row(sheet, sheet.max_row, [(c.kind, None) for c in table.columns])


def _format_row(sheet, row: int, kinds) -> None:
    for column, (kind, _) in enumerate(kinds, start=1):
        if kind in NUMBER_FORMATS:
            sheet.cell(row, column).number_format = NUMBER_FORMATS[kind]


def _fit_columns(sheet) -> None:
    for index, column in enumerate(sheet.iter_cols(min_row=2), start=1):
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), 45)


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name, and each name once."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:31]
    name, n = base, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def render_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["# About"])
    writer.writerows(_about(report))
    for section in report.sections:
        if section.kpis:
            writer.writerow([])
            writer.writerow([f"# {section.title}: key figures"])
            writer.writerow(["Figure", "Value", "Target"])
            writer.writerows([(k.label, _plain(k.value), _plain(k.target)) for k in section.kpis])
        for table in section.tables:
            writer.writerow([])
            writer.writerow([f"# {section.title}: {table.title}"])
            writer.writerow([c.name for c in table.columns])
            writer.writerows([[_plain(v) for v in row] for row in table.rows])
    return out.getvalue().encode("utf-8")


def _plain(value):
    if value is None:
        return ""
    return round(value, 6) if isinstance(value, float) else value
