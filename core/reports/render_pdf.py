"""A report as a PDF (reportlab, A4): a header with plant, window and timezone on every page, KPI tiles, tables,
charts, and a footer with when it was made, how fresh its data was and "page N of M"."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PdfTable
from reportlab.platypus import TableStyle

from core.reports.formatting import local_stamp, shown
from core.reports.model import Kpi, Report, Section, Table
from core.reports.pdf_charts import chart_drawing

PAGE_W, PAGE_H = A4
MARGIN = 15 * mm
BODY_W = PAGE_W - 2 * MARGIN
GREY = colors.Color(0.85, 0.85, 0.85)
LIGHT = colors.Color(0.95, 0.95, 0.95)
_styles = getSampleStyleSheet()
TITLE = ParagraphStyle("title", parent=_styles["Title"], fontSize=17, spaceAfter=2, alignment=0)
H2 = ParagraphStyle("h2", parent=_styles["Heading2"], fontSize=13, spaceBefore=8, spaceAfter=4)
BODY = ParagraphStyle("body", parent=_styles["BodyText"], fontSize=9, leading=11)
NOTE = ParagraphStyle("note", parent=BODY, fontName="Helvetica-Oblique", fontSize=8, leading=10)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7.5, leading=9)
HEAD = ParagraphStyle("head", parent=CELL, fontName="Helvetica-Bold", fontSize=7, leading=8.5)
KPI_VALUE = ParagraphStyle("kpi", parent=BODY, fontName="Helvetica-Bold", fontSize=15, leading=18,
                           alignment=TA_CENTER)
KPI_LABEL = ParagraphStyle("kpilabel", parent=BODY, fontSize=8, leading=10, alignment=TA_CENTER)


def render_pdf(report: Report) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 14 * mm,
                            bottomMargin=MARGIN + 6 * mm, title=report.title, author="Floorboard",
                            subject=f"{report.plant}: {report.window_label}", invariant=1)
    story = [Paragraph(escape(report.title), TITLE),
             Paragraph(f"<b>{escape(report.window_label)}</b> &nbsp; {escape(report.scope)} &nbsp; "
                       f"times in {escape(report.timezone)}", BODY), Spacer(1, 4)]
    story += [_boxed_note(note) for note in report.notes]
    for section in report.sections:
        story += _section(section, report.currency)
    doc.build(story, canvasmaker=_numbered_canvas(report))
    return buffer.getvalue()


def _boxed_note(text: str) -> PdfTable:
    box = PdfTable([[Paragraph(escape(text), BODY)]], colWidths=[BODY_W])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.black), ("BACKGROUND", (0, 0), (-1, -1), LIGHT)]))
    return box


def _section(section: Section, currency: str) -> list:
    head = [Paragraph(escape(section.title), H2)]
    if section.kpis:
        head += [_kpi_tiles(section.kpis, currency), Spacer(1, 4)]
    # Blocks stay whole where they fit on a page; the heading (and tiles) go with the first block
    blocks = [[chart_drawing(chart, currency), Spacer(1, 4)] for chart in section.charts]
    blocks += [_table(table, currency) + [Spacer(1, 6)] for table in section.tables]
    blocks += [[Paragraph(escape(note), NOTE) for note in section.notes]] if section.notes else []
    first, rest = (blocks[0], blocks[1:]) if blocks else ([], [])
    return [CondPageBreak(40 * mm), KeepTogether(head + first)] + [KeepTogether(block) for block in rest]


def _kpi_tiles(kpis: tuple[Kpi, ...], currency: str) -> PdfTable:
    cells = []
    for kpi in kpis:
        target = ""
        if kpi.target is not None:
            verdict = "below target" if kpi.below_target else "at or above target"
            target = f"<br/>target {shown(kpi.target, kpi.kind, currency)}: <b>{verdict}</b>"
        cells.append([Paragraph(escape(shown(kpi.value, kpi.kind, currency)), KPI_VALUE),
                      Paragraph(escape(kpi.label) + target, KPI_LABEL)])
    width = BODY_W / len(kpis)
    tiles = PdfTable([cells], colWidths=[width] * len(kpis))
    style = [("BOX", (i, 0), (i, 0), 0.8, colors.black) for i in range(len(kpis))]
    # A tile below target gets a thick border as well as its words, so it shows without colour
    style += [("BOX", (i, 0), (i, 0), 2.5, colors.black) for i, kpi in enumerate(kpis) if kpi.below_target]
    style += [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 5),
              ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    tiles.setStyle(TableStyle(style))
    return tiles


def _table(table: Table, currency: str) -> list:
    title = Paragraph(f"<b>{escape(table.title)}</b>", BODY)
    if not table.rows:
        return [title, Paragraph(escape(table.empty_text), NOTE)]
    header = [Paragraph(escape(c.name), HEAD) for c in table.columns]
    body = [[Paragraph(escape(shown(value, column.kind, currency)), CELL) if column.kind == "text"
             else shown(value, column.kind, currency) for value, column in zip(row, table.columns)]
            for row in table.rows]
    grid = PdfTable([header] + body, colWidths=_widths(table, currency), repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.black), ("BACKGROUND", (0, 0), (-1, 0), GREY),
             ("FONTSIZE", (0, 1), (-1, -1), 7.5), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, c in enumerate(table.columns) if c.kind != "text"]
    style += [("BACKGROUND", (0, r), (-1, r), LIGHT) for r in range(2, len(body) + 1, 2)]
    grid.setStyle(TableStyle(style))
    return [title, Spacer(1, 2), grid]


def _widths(table: Table, currency: str) -> list[float]:
    """Each column as wide as its longest header word or value needs; the room left goes to the text columns."""
    need = []
    for i, column in enumerate(table.columns):
        words = max(stringWidth(word, "Helvetica-Bold", HEAD.fontSize) for word in column.name.split())
        values = [stringWidth(shown(row[i], column.kind, currency), "Helvetica", CELL.fontSize) for row in table.rows]
        cap = 150 if column.kind == "text" else 1000  # text wraps; numbers must not
        need.append(min(max([words] + values), cap) + 14)  # 6 points of padding either side, and a margin
    spare = BODY_W - sum(need)
    if spare < 0:
        return [BODY_W * n / sum(need) for n in need]
    texts = [i for i, c in enumerate(table.columns) if c.kind == "text"] or list(range(len(need)))
    return [n + (spare / len(texts) if i in texts else 0) for i, n in enumerate(need)]


def _numbered_canvas(report: Report):
    """A canvas that draws the header and footer once every page is known, for "page N of M"."""
    zone = ZoneInfo(report.timezone)
    footer_left = (f"Generated {local_stamp(report.generated_at, zone)}. "
                   f"Data up to {local_stamp(report.data_until, zone)} (newest reading in the window).")
    header_left = f"{report.plant}  |  {report.title}"
    header_right = f"{report.window_label}  |  {report.timezone}"

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, len(self._pages))
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            self.setFont("Helvetica-Bold", 9)
            self.drawString(MARGIN, PAGE_H - MARGIN, header_left)
            self.setFont("Helvetica", 8)
            self.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN, header_right)
            self.setLineWidth(0.6)
            self.line(MARGIN, PAGE_H - MARGIN - 4, PAGE_W - MARGIN, PAGE_H - MARGIN - 4)
            self.line(MARGIN, MARGIN + 10, PAGE_W - MARGIN, MARGIN + 10)
            self.setFont("Helvetica", 7.5)
            self.drawString(MARGIN, MARGIN, footer_left)
            self.drawRightString(PAGE_W - MARGIN, MARGIN, f"page {number} of {total}")

    return NumberedCanvas
