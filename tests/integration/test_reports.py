"""Reports on the example plant: the PDF's text and the workbook's cells hold the OEE engine's figures for the same
window; empty windows, a machine silent all shift and a night across a DST change are said in words."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core.oee.service import Scope, line_comparison, oee_for, shift_window
from core.plant.config_file import parse_plant_toml
from core.plant.config_store import apply_plant_config
from core.plant.equipment import machines, site_calendar
from core.reports.build import build_report
from core.reports.formatting import shown
from core.reports.render import write_report
from core.reports.render_pdf import render_pdf
from core.reports.render_tables import render_csv, render_xlsx
from core.reports.windows import ReportRequest, ReportRequestError
from core.accounts import Actor
from core.andon_calls import acknowledge_call, raise_andon_call
from core.products import record_product_change
from core.timeline import CountAt, StateAt, add_counts, add_state_changes

UTC = timezone.utc
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plant.toml"
SHIFT_START = datetime(2026, 3, 2, 11, tzinfo=UTC)  # Early shift, Monday 2 March 2026, New York
NOW = datetime(2026, 3, 10, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return SHIFT_START + timedelta(minutes=minutes)


def write(db, states=(), counts=()):
    with db.begin() as session:
        add_state_changes(session, list(states))
        add_counts(session, list(counts))


def machine(db, code):
    return next(m for m in machines(db) if m.code == code)


def a_shift_of_work(db):
    """The Early shift: on line L1, BAG1 with a breakdown and a changeover, MIX1 running, rejects on both; on line
    L2 other figures (FIL2 down two hours, many more units), so a report that ignored its line would show them."""
    bag, mix, fil = machine(db, "BAG1"), machine(db, "MIX1"), machine(db, "FIL2")
    write(db, [StateAt(bag.id, at(0), "running"), StateAt(bag.id, at(60), "down", "JAM"),
               StateAt(bag.id, at(95), "running"), StateAt(bag.id, at(300), "changeover"),
               StateAt(bag.id, at(320), "running"), StateAt(mix.id, at(0), "running"),
               StateAt(fil.id, at(0), "running"), StateAt(fil.id, at(100), "down", "MECH"),
               StateAt(fil.id, at(220), "running")],
          [CountAt(bag.id, at(m), 50, 1) for m in range(5, 480, 5)]
          + [CountAt(mix.id, at(m), 20, 2) for m in range(5, 480, 5)]
          + [CountAt(fil.id, at(m), 600, 9) for m in range(5, 480, 5) if not 100 < m <= 220])


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_tile(text: str, label: str) -> str:
    """The value of the first KPI tile labelled `label` (the PDF's text gives a tile as value, then label)."""
    lines = [line.strip() for line in text.splitlines()]
    return lines[lines.index(label) - 1]


def pdf_row(text: str, label: str, cells: int) -> list[str]:
    """The `cells` cells after the first table row labelled `label` (one cell a line in the PDF's text)."""
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index(label) + 1
    return lines[start:start + cells]


def figure_cells(figures) -> list[str]:
    """OEE, availability, performance, quality, good and rejects as a report's table shows them."""
    return [shown(figures.oee, "percent"), shown(figures.availability, "percent"),
            shown(figures.performance, "percent"), shown(figures.quality, "percent"),
            shown(figures.good_count, "count"), shown(figures.reject_count, "count")]


def test_shift_report_pdf_prints_the_engines_figures(database_url, plant):
    a_shift_of_work(plant)
    request = ReportRequest("shift", date(2026, 3, 2), "L1", "Early")
    report = build_report(plant, request, NOW)
    engine = oee_for(plant, Scope(line="L1"), shift_window(site_calendar(plant), date(2026, 3, 2), "Early"), NOW)
    text = pdf_text(render_pdf(report))
    assert "Shift report, line L1" in text
    assert "Early shift of Mon 02 Mar 2026, 06:00 EST to 14:00 EST" in text
    assert "America/New_York" in text and "Akron" in text
    figures = engine.figures
    for value in (figures.oee, figures.availability, figures.performance, figures.quality):
        assert shown(value, "percent") in text
    assert shown(figures.good_count, "count") in text and shown(figures.reject_count, "count") in text
    assert "below target" in text  # the example plant's target is 75 %
    pages = len(PdfReader(io.BytesIO(render_pdf(report))).pages)
    assert f"page 1 of {pages}" in text and f"page {pages} of {pages}" in text
    assert "Data up to Mon 02 Mar 2026 13:55 EST" in text  # the newest count
    assert "Jam" in text  # the breakdown's reason among the top stops
    # Line L1's figures, not the plant's: L2 ran too, with other figures.
    plant_figures = oee_for(plant, Scope(), shift_window(site_calendar(plant), date(2026, 3, 2), "Early"),
                            NOW).figures
    assert plant_figures.good_count != figures.good_count and plant_figures.oee != figures.oee
    assert pdf_tile(text, "OEE") == shown(figures.oee, "percent")
    assert pdf_tile(text, "Good units") == shown(figures.good_count, "count")
    assert pdf_row(text, "Line total", 1) == [shown(figures.good_count, "count")]
    assert "FIL2" not in text and "Mech" not in text.split("Top stops")[1]


def test_shift_report_workbook_holds_the_same_numbers(database_url, plant):
    a_shift_of_work(plant)
    report = build_report(plant, ReportRequest("shift", date(2026, 3, 2), "L1", "Early"), NOW)
    engine = oee_for(plant, Scope(line="L1"), shift_window(site_calendar(plant), date(2026, 3, 2), "Early"), NOW)
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    assert book.sheetnames[:3] == ["Report", "Summary", "Output against plan"]
    kpis = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=3, max_row=8)}
    assert kpis["OEE"].value == pytest.approx(engine.figures.oee) and kpis["OEE"].number_format == "0.0%"
    assert kpis["Availability"].value == pytest.approx(engine.figures.availability)
    assert kpis["Good units"].value == engine.figures.good_count
    assert isinstance(kpis["Rejects"].value, int)
    machines_sheet = {row[0]: row for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    bag = oee_for(plant, Scope(equipment="BAG1"), shift_window(site_calendar(plant), date(2026, 3, 2), "Early"),
                  NOW).figures
    assert machines_sheet["BAG1 Bagger 1"][2] == pytest.approx(bag.oee)
    losses = {row[0]: row[2] for row in book["Six big losses"].iter_rows(values_only=True) if row[0]}
    assert losses["Breakdowns"] == pytest.approx(35.0) and losses["Setup and adjustments"] == pytest.approx(20.0)
    rows = list(csv.reader(io.StringIO(render_csv(report).decode())))
    assert ["# Summary: key figures"] in rows
    oee_row = next(r for r in rows if r and r[0] == "OEE")
    assert float(oee_row[1]) == pytest.approx(engine.figures.oee, abs=1e-6) and oee_row[2] == "0.75"


def test_output_against_plan_uses_the_ideal_speed_without_jobs(database_url, plant):
    a_shift_of_work(plant)
    report = build_report(plant, ReportRequest("shift", date(2026, 3, 2), "L1", "Early"), NOW)
    output = next(s for s in report.sections if s.title == "Output against plan")
    bag_row = next(r for r in output.tables[0].rows if r[0] == "BAG1 Bagger 1")
    bag = oee_for(plant, Scope(equipment="BAG1"), shift_window(site_calendar(plant), date(2026, 3, 2), "Early"),
                  NOW).figures
    assert bag_row[1:4] == (bag.good_count, int(bag.planned_production_time_s // 1.0), "ideal speed")


def test_daily_report_lines_and_money_come_from_the_engine(database_url, plant, tmp_path):
    a_shift_of_work(plant)
    report = build_report(plant, ReportRequest("daily", date(2026, 3, 2)), NOW)
    window = report_window_of(report)
    lines = {row["line"]: row for row in line_comparison(plant, window, NOW).to_dict("records")}
    summary = report.sections[0]
    assert summary.kpis[0].value == pytest.approx(oee_for(plant, Scope(), window, NOW).figures.oee)
    by_line = {row[0].split()[0]: row[1] for row in summary.tables[0].rows}
    assert by_line["L1"] == pytest.approx(lines["L1"]["oee"]) and by_line["L1"] > 0
    assert by_line["L2"] == pytest.approx(lines["L2"]["oee"]) and by_line["L2"] != by_line["L1"]
    text = pdf_text(render_pdf(report))
    assert pdf_tile(text, "OEE") == shown(oee_for(plant, Scope(), window, NOW).figures.oee, "percent")
    for code, name in (("L1", "Bagging line 1"), ("L2", "Bottling line 2")):
        line_figures = oee_for(plant, Scope(line=code), window, NOW).figures
        assert pdf_row(text, f"{code} {name}", 6) == figure_cells(line_figures)
    assert pdf_row(text, "L1 Bagging line 1", 6) != pdf_row(text, "L2 Bottling line 2", 6)
    money = next(s for s in report.sections if s.title == "Money lost")
    bag = oee_for(plant, Scope(equipment="BAG1"), window, NOW).figures
    lost_s = sum(max(bag.losses[k], 0) for k in ("breakdowns_s", "setup_s", "idle_s", "small_stops_s",
                                                  "reduced_speed_s"))
    expected_bag = lost_s / 3600 * 420.0 + bag.reject_count * 1.2  # BAG1: cost_per_hour 420, unit_cost 1.2
    by_machine = {row[0]: row[4] for row in money.tables[1].rows}
    assert by_machine["BAG1 Bagger 1"] == pytest.approx(expected_bag)
    path = tmp_path / "daily.pdf"
    assert write_report(report, path) == path.stat().st_size and "Daily plant report" in pdf_text(path.read_bytes())


def test_a_line_daily_report_shows_that_line_only(database_url, plant):
    a_shift_of_work(plant)
    report = build_report(plant, ReportRequest("daily", date(2026, 3, 2), "L1"), NOW)
    window = report_window_of(report)
    text = pdf_text(render_pdf(report))
    line, whole = (oee_for(plant, scope, window, NOW).figures for scope in (Scope(line="L1"), Scope()))
    assert line.oee != whole.oee and line.good_count != whole.good_count
    assert [pdf_tile(text, label) for label in ("OEE", "Good units", "Rejects")] == [
        shown(line.oee, "percent"), shown(line.good_count, "count"), shown(line.reject_count, "count")]
    assert pdf_row(text, "L1 Bagging line 1", 6) == figure_cells(line)
    assert "Bottling line 2" not in text and "FIL2" not in text


def report_window_of(report):
    from core.oee.service import Window

    return Window(report.window_start, report.window_end, report.window_label)


def test_an_empty_window_gives_a_report_that_says_so(database_url, plant):
    for kind, extra in (("shift", {"line": "L2", "shift": "Late"}), ("daily", {}), ("weekly", {}),
                        ("downtime", {})):
        report = build_report(plant, ReportRequest(kind, date(2026, 3, 2), **extra), NOW)
        assert report.data_until is None
        text = pdf_text(render_pdf(report))
        assert "Data up to no readings" in text
        if kind != "downtime":
            assert "No production data in this window" in text
        else:
            assert "No stop in this window." in text
        load_workbook(io.BytesIO(render_xlsx(report)))  # opens


def test_a_machine_silent_all_shift_is_no_data_not_zero(database_url, plant):
    a_shift_of_work(plant)
    chk, pal = machine(plant, "CHK1"), machine(plant, "PAL1")
    write(plant, [StateAt(chk.id, at(0), "running"), StateAt(pal.id, at(-5), "no_data")])
    report = build_report(plant, ReportRequest("shift", date(2026, 3, 2), "L1", "Early"), NOW)
    summary = report.sections[0]
    pal_row = next(r for r in summary.tables[0].rows if r[0].startswith("PAL1"))
    assert pal_row[2:6] == (None, None, None, None)  # OEE, A, P, Q: unknown, not 0
    assert pal_row[8] == 0 and pal_row[9] == pytest.approx(480 - 45)  # minutes without data, breaks excluded
    engine = oee_for(plant, Scope(line="L1"), shift_window(site_calendar(plant), date(2026, 3, 2), "Early"), NOW)
    assert summary.kpis[0].value == pytest.approx(engine.figures.oee)  # the line: the machines that were heard
    text = " ".join(pdf_text(render_pdf(report)).split())
    assert "No data was heard for 435 machine-minutes of scheduled time" in text
    assert "PAL1 Palletizer 1 L1 - - - - 0 0 0.0 435" in text


def test_a_night_shift_across_the_dst_change(database_url, plant):
    text = EXAMPLE.read_text().replace('days = ["sun", "mon", "tue", "wed", "thu", "fri"]',
                                       'days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]')
    apply_plant_config(plant, parse_plant_toml(text))  # the night shift also runs on Saturday night
    bag = machine(plant, "BAG1")
    night = shift_window(site_calendar(plant), date(2026, 3, 7), "Night")  # clocks go forward at 02:00
    write(plant, [StateAt(bag.id, night.start, "running")],
          [CountAt(bag.id, night.start + timedelta(minutes=m), 60, 0) for m in range(1, 7 * 60, 1)])
    report = build_report(plant, ReportRequest("shift", date(2026, 3, 7), "L1", "Night"), NOW)
    assert report.window_label == "Night shift of Sat 07 Mar 2026, 22:00 EST to 06:00 EDT next day"
    bag_row = next(r for r in report.sections[0].tables[0].rows if r[0].startswith("BAG1"))
    assert bag_row[8] == pytest.approx(7 * 60 - 30)  # seven hours, less the 30-minute break
    engine = oee_for(plant, Scope(line="L1"), night, NOW).figures
    assert report.sections[0].kpis[0].value == pytest.approx(engine.oee)
    assert "22:00 EST to 06:00 EDT" in pdf_text(render_pdf(report))


def test_weekly_and_downtime_reports_hold_the_services_figures(database_url, plant):
    from core.oee.service import downtime_pareto, unexplained_stop_share

    a_shift_of_work(plant)
    weekly = build_report(plant, ReportRequest("weekly", date(2026, 3, 2)), NOW)
    days = next(s for s in weekly.sections if s.title == "By day").tables[0].rows
    assert [r[0] for r in days] == [f"2026-03-0{d}" for d in range(2, 9)]
    assert days[0][1] == pytest.approx(oee_for(plant, Scope(), report_window_of(
        build_report(plant, ReportRequest("daily", date(2026, 3, 2)), NOW)), NOW).figures.oee)
    downtime = build_report(plant, ReportRequest("downtime", date(2026, 3, 2), line="L1"), NOW)
    window = report_window_of(downtime)
    kpis = {k.label: k.value for k in downtime.sections[0].kpis}
    assert kpis["Unexplained share"] == pytest.approx(unexplained_stop_share(plant, Scope(line="L1"), window, NOW))
    pareto = downtime_pareto(plant, Scope(line="L1"), window, NOW)
    assert kpis["Stop time (min)"] == pytest.approx(pareto["seconds"].sum() / 60)
    bag = oee_for(plant, Scope(equipment="BAG1"), window, NOW).figures
    line = oee_for(plant, Scope(line="L1"), window, NOW).figures
    assert kpis["MTBF (min)"] == pytest.approx(line.run_time_s / 60)  # the line ran that long for one breakdown
    assert kpis["MTTR (min)"] == pytest.approx(35.0)
    assert "Pareto" in pdf_text(render_pdf(downtime))


@pytest.mark.parametrize("request_, message", [
    (ReportRequest("shift", date(2026, 3, 2), "L1"), "a shift report needs --shift NAME (shifts: Early, Late, Night)"),
    (ReportRequest("shift", date(2026, 3, 2), None, "Early"), "a shift report is about one line: give --line CODE"),
    (ReportRequest("daily", date(2026, 3, 2), "L7"), "unknown line 'L7' (lines: L1, L2)"),
    (ReportRequest("daily", date(2026, 3, 2), last_day=date(2026, 3, 1)), "--to 2026-03-01 is before --date 2026-03-02"),
    (ReportRequest("shift", date(2026, 3, 1), "L1", "Early"), "the Early shift does not run on 2026-03-01"),
])
def test_requests_that_make_no_sense_are_refused_in_words(plant, request_, message):
    with pytest.raises(ReportRequestError) as refused:
        build_report(plant, request_, NOW)
    assert str(refused.value) == message


def test_a_shift_in_progress_counts_until_now(plant):
    a_shift_of_work(plant)
    now = at(120)
    report = build_report(plant, ReportRequest("shift", date(2026, 3, 2), "L1", "Early"), now)
    assert any("not over" in note for note in report.notes)
    assert report.generated_at == now and report.data_until <= now
    engine = oee_for(plant, Scope(line="L1"), shift_window(site_calendar(plant), date(2026, 3, 2), "Early"), now)
    assert report.sections[0].kpis[0].value == pytest.approx(engine.figures.oee)


def bagging_two_products(db):
    """BAG1 makes P-100 (ideal cycle 1.2 s on BAG1, unit cost 9.5) until 10:00, then P-200 (0.8 s, 4.2)."""
    bag = machine(db, "BAG1")
    with db.begin() as session:
        record_product_change(session, bag.id, at(-30), "P-100", "manual")
        record_product_change(session, bag.id, at(240), "P-200", "manual")


def test_plan_at_ideal_speed_and_reject_costs_follow_the_product_being_made(database_url, plant):
    a_shift_of_work(plant)
    bagging_two_products(plant)
    report = build_report(plant, ReportRequest("shift", date(2026, 3, 2), "L1", "Early"), NOW)
    output = next(s for s in report.sections if s.title == "Output against plan")
    bag_row = next(r for r in output.tables[0].rows if r[0] == "BAG1 Bagger 1")
    # 06:00-10:00 less the 15-minute break: 13,500 s at 1.2 s; 10:00-14:00 less the 30-minute break: 12,600 s
    # at 0.8 s. The machine's own 1.0 s would say 26,100.
    assert bag_row[2:4] == (13_500 / 1.2 + 12_600 / 0.8, "ideal speed") == (27_000, "ideal speed")
    daily = build_report(plant, ReportRequest("daily", date(2026, 3, 2), "L1"), NOW)
    money = next(s for s in daily.sections if s.title == "Money lost")
    rejects = {row[0]: row[3] for row in money.tables[1].rows}
    # One reject every 5 minutes, those counted in the breaks left out as the engine does: 44 of P-100 (06:05 to
    # 09:55), 42 of P-200 (10:00 to 13:55); not 86 x the machine's 1.2.
    bag = oee_for(plant, Scope(equipment="BAG1"), report_window_of(daily), NOW).figures
    assert bag.reject_count == 44 + 42
    assert rejects["BAG1 Bagger 1"] == pytest.approx(44 * 9.5 + 42 * 4.2)
    assert rejects["MIX1 Mixer 1"] == pytest.approx(86 * 2 * 0.9)  # no product: the machine's own cost


def test_andon_calls_never_acknowledged_are_counted_beside_the_mean_response(database_url, plant):
    bag, mix = machine(plant, "BAG1"), machine(plant, "MIX1")
    with plant.begin() as session:
        answered = raise_andon_call(session, bag.id, "high", at(10), "hmi", "olga").id
        raise_andon_call(session, mix.id, "high", at(20), "hmi", "olga")  # nobody came
    acknowledge_call(plant, answered, Actor("max"), at(16))
    report = build_report(plant, ReportRequest("shift", date(2026, 3, 2), "L1", "Early"), NOW)
    andon = next(s for s in report.sections if s.title == "Andon calls")
    assert {k.label: k.value for k in andon.kpis} == {"Calls": 2, "Mean response (min)": pytest.approx(6.0),
                                                      "Not acknowledged": 1, "Mean resolution (min)": None}
    assert [(row[0], row[4], row[6]) for row in andon.tables[0].rows] == [
        ("BAG1", pytest.approx(6.0), "acknowledged"), ("MIX1", None, "open, never acknowledged")]
    assert "1 of 2 never were" in " ".join(andon.notes)
    text = pdf_text(render_pdf(report))
    assert "Not acknowledged" in text and "open, never acknowledged" in text
