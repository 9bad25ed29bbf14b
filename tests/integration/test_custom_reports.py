"""Custom reports on the example plant: chosen sections of chosen lines over whole days, each section the very
one the shift, daily, weekly or downtime report holds for the same window, and the engine's figures."""

from __future__ import annotations

from datetime import date

import pytest

from core.oee.service import Scope, oee_for
from core.reports.build import build_report
from core.reports.render_pdf import render_pdf
from core.reports.section_catalog import SECTIONS
from core.reports.windows import MAX_DAYS, ReportRequest, ReportRequestError
from tests.integration.test_reports import NOW, a_shift_of_work, pdf_text, report_window_of

DAY = date(2026, 3, 2)


def custom(db, sections, lines=(), last_day=None):
    return build_report(db, ReportRequest("custom", DAY, last_day=last_day, sections=tuple(sections),
                                          lines=tuple(lines)), NOW)


def test_custom_sections_are_the_other_reports_sections(database_url, plant):
    a_shift_of_work(plant)
    report = custom(plant, ["pareto", "losses", "lines", "ranking", "money", "by_shift"])
    daily = build_report(plant, ReportRequest("daily", DAY), NOW)
    downtime = build_report(plant, ReportRequest("downtime", DAY), NOW)
    titles = [s.title for s in report.sections]
    assert titles == ["Summary", "By shift", "Best and worst machines", "Six big losses", "Money lost", "Pareto"]
    by_title = {s.title: s for s in daily.sections} | {"Pareto": downtime.sections[1]}
    assert report.sections[0] == daily.sections[0]  # the lines table with the plant's tiles
    for section in report.sections[1:]:
        assert section == by_title[section.title]
    assert report.kind == "custom" and report.title == "Custom report" and report.scope == "Whole plant"
    assert report.window_label == "Mon 02 Mar 2026"


def test_custom_lines_narrow_every_figure_to_them(database_url, plant):
    a_shift_of_work(plant)
    report = custom(plant, ["oee", "stops", "andon", "checklists", "jobs", "downtime", "reliability"], ["L1"],
                    last_day=date(2026, 3, 3))
    window = report_window_of(report)
    engine = oee_for(plant, Scope(line="L1"), window, NOW).figures
    oee = report.sections[0]
    assert oee.kpis[0].value == pytest.approx(engine.oee) and oee.kpis[0].value > 0
    assert {row[1] for row in oee.tables[0].rows} == {"L1"}
    assert report.title == "Custom report, line L1" and report.scope.startswith("L1")
    assert report.window_label == "Mon 02 Mar 2026 to Tue 03 Mar 2026"
    assert [s.title for s in report.sections] == ["Summary", "Summary", "Reliability", "Longest stops",
                                                  "Andon calls", "Checklist compliance", "Jobs done"]
    downtime = build_report(plant, ReportRequest("downtime", DAY, "L1", last_day=date(2026, 3, 3)), NOW)
    assert report.sections[1:4] == downtime.sections[0:1] + downtime.sections[2:4]
    both = custom(plant, ["oee"], ["L1", "L2"])
    whole = oee_for(plant, Scope(), report_window_of(both), NOW).figures
    assert both.sections[0].kpis[0].value == pytest.approx(whole.oee)  # L1 and L2 are the whole example plant
    assert both.title == "Custom report, lines L1, L2"
    assert "Custom report, lines L1, L2" in pdf_text(render_pdf(both))


@pytest.mark.parametrize("request_, message", [
    (ReportRequest("custom", DAY), "a custom report needs --sections (e.g. oee,losses,pareto)"),
    (ReportRequest("custom", DAY, sections=("oee", "gossip")), "unknown section 'gossip' (sections: oee, lines,"),
    (ReportRequest("custom", DAY, sections=("oee",), lines=("L1", "L9")), "unknown line 'L9' (lines: L1, L2)"),
    (ReportRequest("custom", DAY, "L1", sections=("oee",)), "a custom report takes --lines L1,L2, not --line"),
    (ReportRequest("custom", DAY, last_day=date(2026, 8, 1), sections=("oee",)),
     f"a report covers at most {MAX_DAYS} days"),
    (ReportRequest("daily", DAY, sections=("oee",)), "--sections and --lines are for custom reports only, not daily"),
])
def test_a_custom_request_that_makes_no_sense_says_why(database_url, plant, request_, message):
    with pytest.raises(ReportRequestError) as refused:
        build_report(plant, request_, NOW)
    assert str(refused.value).startswith(message)


def test_every_section_builds_on_an_empty_window(database_url, plant):
    report = custom(plant, list(SECTIONS))
    assert len(report.sections) == len(SECTIONS) and not report.has_data
    assert "No production data in this window" in pdf_text(render_pdf(report))
