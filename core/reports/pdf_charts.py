"""Charts for the PDF, drawn with reportlab.graphics: readable in black and white (every bar carries its value;
each line of a trend has its own dash pattern and marker, named in a legend)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from core.reports.formatting import shown
from core.reports.model import Chart

WIDTH, HEIGHT = 480, 210
# Dark and light greys with black outlines and a dash: tells series apart on any printer
LINE_STYLES = ((colors.black, None, "FilledSquare"), (colors.Color(0.35, 0.35, 0.35), (4, 3), None),
               (colors.Color(0.5, 0.5, 0.5), (1, 2), "Circle"))


def chart_drawing(chart: Chart, currency: str) -> Drawing:
    drawing = Drawing(WIDTH, HEIGHT)
    drawing.add(String(0, HEIGHT - 12, chart.title, fontName="Helvetica-Bold", fontSize=10))
    if chart.kind == "line":
        _line_chart(drawing, chart)
    else:
        _bar_chart(drawing, chart, currency)
    return drawing


def _scaled(chart: Chart, values) -> list[float | None]:
    factor = 100.0 if chart.value_kind == "percent" else 1.0
    return [None if v is None else float(v) * factor for v in values]


LABEL_CHARACTERS = 130  # about what fits side by side under a chart across the page, at 8 points


def _category_labels(bars, count: int, labels=()) -> float:
    """Slant long or many labels (they would run into each other side by side); return the room they take below
    the axis."""
    bars.categoryAxis.labels.fontName = "Helvetica"
    bars.categoryAxis.labels.fontSize = 7 if count > 8 else 8
    longest = max((len(_short(str(label))) for label in labels), default=0)
    if count > 8 or longest * count > LABEL_CHARACTERS:
        bars.categoryAxis.labels.angle = 35
        bars.categoryAxis.labels.boxAnchor = "ne"
        bars.categoryAxis.labels.dx, bars.categoryAxis.labels.dy = 4, -2
        return 62
    return 26


def _bar_chart(drawing: Drawing, chart: Chart, currency: str) -> None:
    values = [v or 0.0 for v in _scaled(chart, chart.series[0].values)]
    bars = VerticalBarChart()
    bottom = _category_labels(bars, len(values), chart.categories)
    bars.x, bars.y, bars.width, bars.height = 48, bottom, WIDTH - 60, HEIGHT - bottom - 30
    bars.data = [values]
    bars.categoryAxis.categoryNames = [_short(c) for c in chart.categories]
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = max(max(values, default=0) * 1.18, 1.0)
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.labelTextFormat = "%d %%" if chart.value_kind == "percent" else "%d"
    bars.bars[0].fillColor = colors.Color(0.45, 0.45, 0.45)
    bars.bars[0].strokeColor = colors.black
    bars.barLabels.fontSize = 7
    bars.barLabels.nudge = 6
    if len(values) > 10:  # many narrow bars: their labels stand upright so they do not run into each other
        bars.barLabels.angle, bars.barLabels.boxAnchor, bars.barLabels.nudge = 90, "w", 3
        bars.valueAxis.valueMax = max(max(values, default=0) * 1.35, 1.0)
    raw = list(chart.series[0].values)
    bars.barLabelArray = [[shown(v, chart.value_kind, currency) for v in raw]]
    bars.barLabelFormat = "values"
    drawing.add(bars)


def _line_chart(drawing: Drawing, chart: Chart) -> None:
    lines = HorizontalLineChart()
    bottom = _category_labels(lines, len(chart.categories), chart.categories)
    lines.x, lines.y, lines.width, lines.height = 48, bottom + 16, WIDTH - 60, HEIGHT - bottom - 50
    lines.data = [_scaled(chart, s.values) for s in chart.series]
    lines.categoryAxis.categoryNames = list(chart.categories)
    top = max((v for s in lines.data for v in s if v is not None), default=0)
    lines.valueAxis.valueMin = 0
    lines.valueAxis.valueMax = max(top * 1.15, 10.0)
    lines.valueAxis.labels.fontSize = 7
    lines.valueAxis.labelTextFormat = "%d %%" if chart.value_kind == "percent" else "%d"
    for i, series in enumerate(chart.series):
        color, dash, marker = LINE_STYLES[i % len(LINE_STYLES)]
        lines.lines[i].strokeColor, lines.lines[i].strokeWidth = color, 1.8
        if dash:
            lines.lines[i].strokeDashArray = dash
        if marker:
            lines.lines[i].symbol = makeMarker(marker, size=5)
    drawing.add(lines)
    _legend(drawing, chart)


def _legend(drawing: Drawing, chart: Chart) -> None:
    """A sample of each series' line (dash and marker) and its name, under the chart."""
    x = 48
    for i, series in enumerate(chart.series):
        color, dash, marker = LINE_STYLES[i % len(LINE_STYLES)]
        drawing.add(Line(x, 12, x + 26, 12, strokeColor=color, strokeWidth=1.8, strokeDashArray=dash))
        if marker:
            symbol = makeMarker(marker, size=5)
            symbol.x, symbol.y = x + 13, 12
            drawing.add(symbol)
        drawing.add(String(x + 32, 9, series.name, fontName="Helvetica", fontSize=8))
        x += 40 + 6 * len(series.name)


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "."
