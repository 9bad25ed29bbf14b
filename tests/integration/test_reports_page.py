"""The reports page's callbacks, called as the browser calls them: a report built now downloads as PDF, Excel or
CSV with the engine's figures, the PDF is kept and listed, and a request that makes no sense says why."""

import base64
import io

from openpyxl import load_workbook

from tests.integration.test_reports import a_shift_of_work, pdf_text
from tests.support.dash_calls import call, text_of

BUILD = ["reports-download.data", "reports-message.children", "reports-refresh.data"]


def build(client, button, kind, line, day, shift=None, last_day=None, sections=(), lines=()):
    return call(client, BUILD, [1 if button == "pdf" else None, 1 if button == "xlsx" else None,
                                1 if button == "csv" else None],
                [kind, line, day, shift, last_day, list(sections), list(lines), 0], trigger="reports-pdf",
                changed=f"reports-{button}.n_clicks")


def downloaded(out) -> bytes:
    data = out["reports-download.data"]
    return base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()


def test_a_shift_report_built_now_downloads_and_is_listed(database_url, plant, login_as):
    a_shift_of_work(plant)
    manager = login_as("production_manager")
    out = build(manager, "pdf", "shift", "L1", "2026-03-02", "Early")
    assert out["reports-download.data"]["filename"].endswith(".pdf")
    text = pdf_text(downloaded(out))
    assert "Shift report, line L1" in text and "Early shift of Mon 02 Mar 2026" in text
    assert "built." in text_of(out["reports-message.children"])

    history = call(manager, ["reports-history.rowData"], [1])["reports-history.rowData"]
    assert [(r["kind"], r["line"], r["status"], r["source"]) for r in history] == [
        ("shift", "L1", "built", history[0]["source"])]
    assert history[0]["size"].endswith("kB")


def test_excel_and_csv_come_built_on_the_spot(database_url, plant, login_as):
    a_shift_of_work(plant)
    manager = login_as("shift_manager")
    workbook = load_workbook(io.BytesIO(downloaded(build(manager, "xlsx", "daily", "", "2026-03-02"))))
    assert len(workbook.sheetnames) > 1
    csv_text = downloaded(build(manager, "csv", "daily", "", "2026-03-02")).decode()
    assert csv_text.startswith("# About") and "Daily plant report" in csv_text and "BAG1" in csv_text


def test_a_custom_report_holds_the_sections_and_lines_chosen(database_url, plant, login_as):
    a_shift_of_work(plant)
    manager = login_as("production_manager")
    shown = call(manager, ["reports-shift-field.style", "reports-last-day-field.style", "reports-custom-fields.style",
                           "reports-line.disabled"], ["custom"])
    assert shown["reports-custom-fields.style"] is None and shown["reports-line.disabled"] is True
    assert shown["reports-shift-field.style"] == {"display": "none"}
    out = build(manager, "pdf", "custom", "", "2026-03-02", last_day="2026-03-03", sections=["pareto", "oee"],
                lines=["L1"])
    text = pdf_text(downloaded(out))
    assert "Custom report, line L1" in text and "Mon 02 Mar 2026 to Tue 03 Mar 2026" in text
    assert text.index("Summary") < text.index("Pareto")
    refused = build(manager, "pdf", "custom", "", "2026-03-02")
    assert "choose the sections" in text_of(refused["reports-message.children"])
    history = call(manager, ["reports-history.rowData"], [1])["reports-history.rowData"]
    assert [(r["kind"], r["line"]) for r in history] == [("custom", "L1")]


def test_a_request_that_makes_no_sense_says_why_and_builds_nothing(database_url, plant, login_as):
    manager = login_as("production_manager")
    out = build(manager, "pdf", "shift", "", "2026-03-02", "Early")
    assert "reports-download.data" not in out
    assert "a shift report is about one line" in text_of(out["reports-message.children"])
    assert call(manager, ["reports-history.rowData"], [1])["reports-history.rowData"] == []


def test_a_built_report_is_emailed_to_the_people_named_by_the_jobs_process(database_url, plant, login_as, smtp,
                                                                         tmp_path):
    from datetime import datetime, timezone

    from core.accounts import create_user
    from core.mail import SmtpMailer
    from core.reports.report_delivery import deliver_due_runs
    from dashapp.services import current_services
    from tests.conftest import TEST_PASSWORD

    server, inbox = smtp
    a_shift_of_work(plant)
    create_user(plant, "sam", "shift_manager", TEST_PASSWORD, email="sam@plant.test")
    manager = login_as("production_manager")
    pdf = downloaded(build(manager, "pdf", "daily", "", "2026-03-02"))
    [built] = call(manager, ["reports-history.rowData"], [1])["reports-history.rowData"]
    send = ["reports-message.children", "reports-refresh.data"]
    refused = call(manager, send, [1], [[built], "nobody-here operator boss@plant.test", 0],
                   trigger="reports-send")
    said = text_of(refused["reports-message.children"])
    assert "nobody-here: no such user or role" in said
    assert "operator: this role may not read reports" in said  # reports show the money lost
    assert "boss@plant.test: only users get reports from here" in said
    queued = call(manager, send, [1], [[built], "shift_manager, operator", 0], trigger="reports-send")
    assert "Queued for sam@plant.test" in text_of(queued["reports-message.children"])
    assert "not sent to: operator: this role may not read reports" in text_of(queued["reports-message.children"])

    with manager.application.app_context():  # the app's own instance folder, where the PDF is kept
        home = current_services().settings.home
    deliver_due_runs(plant, home, SmtpMailer(server.hostname, server.port, "floorboard@plant.test"),
                     datetime.now(timezone.utc))
    [(to, message)] = inbox.received
    assert to == ("sam@plant.test",)
    assert next(message.iter_attachments()).get_content() == pdf
