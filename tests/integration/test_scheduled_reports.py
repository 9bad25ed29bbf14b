"""Scheduled reports reach a real SMTP server (aiosmtpd, started here) with the stored PDF attached, byte for byte,
holding the OEE engine's figures; failed sends are retried with backoff and shown; a missed slot is made once
after downtime; a database away during a run delays the report and it is still sent once."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, event, select, update
from sqlalchemy.engine import make_url

from core.accounts import create_user
from core.audit import AuditFilter, find_entries
from core.mail import SmtpMailer
from core.oee.service import Scope, downtime_summary, local_day_window, oee_for
from core.persistence.database import make_engine, make_session_factory
from core.persistence.plant_tables import ReportScheduleRow
from core.persistence.report_tables import ReportRun
from core.plant.config_file import read_plant_file
from core.plant.config_store import apply_plant_config
from core.plant.equipment import site_calendar
from core.reports.build import build_report
from core.reports.formatting import shown
from core.reports import report_runs
from core.reports.report_delivery import deliver_due_runs
from core.reports.report_runs import CLAIM_FOR, RunFileMissing, build_and_store, list_runs, run_file
from core.reports.schedule_rules import ScheduledReport
from core.reports.windows import ReportRequest, ReportRequestError
from jobs.context import JobContext
from jobs.scheduled_reports import make_scheduled_reports
from tests.conftest import EXAMPLE_PLANT, TEST_PASSWORD
from tests.integration.test_reports import a_shift_of_work, pdf_text
from tests.support.tcp_proxy import TcpProxy

UTC = timezone.utc
TUESDAY_0701 = datetime(2026, 3, 3, 12, 1, tzinfo=UTC)  # 07:01 EST: the Night shift (06:05) and daily (07:00) are due
DAILY = "[Floorboard] Daily report, plant: Mon 02 Mar 2026"
NIGHT = "[Floorboard] Shift report, line L1: Night shift of Mon 02 Mar 2026"


@pytest.fixture
def staff(plant):
    """The example plant with its people: every schedule of the file, the custom one too."""
    for name, role, email in (("pia", "production_manager", "pia@plant.test"), ("sam", "shift_manager", "sam@plant.test")):
        create_user(plant, name, role, TEST_PASSWORD, email=email)
    return plant


@pytest.fixture
def people(staff):
    """As `staff`, without the custom schedule (tested on its own below), so the timing tests count the shift,
    daily and weekly reports they are about."""
    config = read_plant_file(EXAMPLE_PLANT)
    apply_plant_config(staff, config.model_copy(update={"reports": [r for r in config.reports if r.type != "custom"]}))
    return staff


def run_jobs_at(db, home, server, moment):
    """A jobs process (made anew each time, as after a restart) running the reports job at `moment`."""
    mailer = SmtpMailer(server.hostname, server.port, "floorboard@plant.test", timeout_s=5) if server else None
    make_scheduled_reports(JobContext(db=db, clock=lambda: moment, home=home, mailer=mailer))


def runs_of(db, schedule_name):
    return [run for run in list_runs(db) if run.schedule_name == schedule_name]


def attachment(message):
    [part] = [p for p in message.iter_attachments()]
    return part.get_filename(), part.get_content_type(), part.get_payload(decode=True)


def test_a_scheduled_report_arrives_with_the_stored_pdf_and_the_engines_figures(database_url, people, smtp, tmp_path):
    server, inbox = smtp
    a_shift_of_work(people)
    run_jobs_at(people, tmp_path, server, TUESDAY_0701)
    assert inbox.take() == [(("pia@plant.test", "plant.manager@example.com"), DAILY),
                            (("pia@plant.test", "sam@plant.test"), NIGHT)]
    by_subject = {message["Subject"]: message for _, message in inbox.received}
    [daily] = runs_of(people, "Daily plant")
    assert (daily.status, daily.attempts, daily.kind, daily.error) == ("sent", 1, "daily", None)
    assert daily.due_at == datetime(2026, 3, 3, 12, tzinfo=UTC) and daily.recipients == (
        "pia@plant.test", "plant.manager@example.com")
    stored = run_file(people, tmp_path, daily.id)
    assert stored.parent == tmp_path / "reports" and daily.size_bytes == stored.stat().st_size
    name, kind, data = attachment(by_subject[DAILY])
    assert (name, kind) == (daily.file_name, "application/pdf") and data == stored.read_bytes()
    window = local_day_window(site_calendar(people), date(2026, 3, 2), date(2026, 3, 2))
    assert (daily.window_start, daily.window_end) == (window.start, window.end)
    engine = oee_for(people, Scope(), window, TUESDAY_0701).figures
    text = pdf_text(data)
    assert "Mon 02 Mar 2026" in text and shown(engine.oee, "percent") in text
    assert shown(engine.good_count, "count") in text

    [night] = runs_of(people, "Night shift, bagging")
    assert (night.kind, night.line_code, night.shift_name, night.status) == ("shift", "L1", "Night", "sent")
    assert attachment(by_subject[NIGHT])[2] == run_file(people, tmp_path, night.id).read_bytes()
    assert runs_of(people, "Weekly plant") == []  # Monday's slot is more than a day old for a first run

    run_jobs_at(people, tmp_path, server, TUESDAY_0701 + timedelta(minutes=1))
    assert inbox.take() == [] and len(list_runs(people)) == 2
    sent = find_entries(people, AuditFilter(action="report.sent")).records
    assert {(e.actor, e.target) for e in sent} == {("system", f"report_run:{daily.id}"),
                                                   ("system", f"report_run:{night.id}")}


def test_a_custom_schedule_mails_its_sections_of_its_lines_with_the_engines_figures(database_url, staff, smtp,
                                                                                     tmp_path):
    """The example's "Downtime by line" (pareto, reliability, stops of L1 and L2 at 07:15): Tuesday's slot
    covers Monday, holds those sections only, equal to the downtime report's, and arrives with its PDF."""
    server, inbox = smtp
    a_shift_of_work(staff)
    tuesday_0716 = datetime(2026, 3, 3, 12, 16, tzinfo=UTC)
    run_jobs_at(staff, tmp_path, server, tuesday_0716)
    subject = "[Floorboard] Downtime by line (custom report), lines L1, L2: Mon 02 Mar 2026"
    assert (("pia@plant.test",), subject) in inbox.take()
    [run] = runs_of(staff, "Downtime by line")
    assert (run.kind, run.line_code, run.status, run.due_at) == (
        "custom", "L1,L2", "sent", datetime(2026, 3, 3, 12, 15, tzinfo=UTC))
    window = local_day_window(site_calendar(staff), date(2026, 3, 2), date(2026, 3, 2))
    assert (run.window_start, run.window_end) == (window.start, window.end)
    [message] = [m for _, m in inbox.received if str(m["Subject"]).strip() == subject]
    name, _, data = attachment(message)
    assert name == run.file_name == f"custom-L1_L2-2026-03-02-{run.id}.pdf"
    assert data == run_file(staff, tmp_path, run.id).read_bytes()
    assert "Downtime by line" in message.get_body(("plain",)).get_content()

    asked = ReportRequest("custom", date(2026, 3, 2), sections=("pareto", "reliability", "stops"),
                          lines=("L1", "L2"))
    report = build_report(staff, asked, tuesday_0716)
    downtime = build_report(staff, ReportRequest("downtime", date(2026, 3, 2)), tuesday_0716)
    assert [s.title for s in report.sections] == ["Pareto", "Reliability", "Longest stops"]
    assert report.sections == downtime.sections[1:4]  # L1 and L2 are the whole example plant
    pareto, _ = downtime_summary(staff, Scope(lines=("L1", "L2")), window, tuesday_0716)
    assert [row[0] for row in report.sections[0].tables[0].rows] == list(pareto["reason"]) and len(pareto) > 0
    text = pdf_text(data)
    assert "Custom report, lines L1, L2" in text and "Mon 02 Mar 2026" in text
    assert shown(float(pareto["seconds"].iloc[0]) / 60, "minutes") in text
    assert "Six big losses" not in text  # only the chosen sections


def test_a_failed_send_is_retried_with_backoff_shown_and_sent_once(database_url, people, smtp, tmp_path):
    server, inbox = smtp
    server.stop()
    run_jobs_at(people, tmp_path, server, TUESDAY_0701)
    [daily] = runs_of(people, "Daily plant")
    assert (daily.status, daily.attempts) == ("retrying", 1) and "attempt 1: SMTP" in daily.error
    assert daily.next_attempt_at == TUESDAY_0701 + timedelta(minutes=1)
    server.start()
    run_jobs_at(people, tmp_path, server, TUESDAY_0701 + timedelta(seconds=30))  # before the retry is due
    assert inbox.take() == []
    run_jobs_at(people, tmp_path, server, TUESDAY_0701 + timedelta(minutes=1))
    assert inbox.take() == [(("pia@plant.test", "plant.manager@example.com"), DAILY),
                            (("pia@plant.test", "sam@plant.test"), NIGHT)]
    [daily] = runs_of(people, "Daily plant")
    assert (daily.status, daily.attempts, daily.error) == ("sent", 2, None)
    run_jobs_at(people, tmp_path, server, TUESDAY_0701 + timedelta(minutes=5))
    assert inbox.take() == []


def test_a_send_that_keeps_failing_fails_after_the_last_try_and_is_audited(database_url, people, smtp, tmp_path):
    server, inbox = smtp
    server.stop()
    moment = TUESDAY_0701
    for _ in range(8):
        run_jobs_at(people, tmp_path, server, moment)
        moment += timedelta(minutes=31)
    [daily] = runs_of(people, "Daily plant")
    assert (daily.status, daily.attempts, daily.next_attempt_at) == ("failed", 8, None)
    assert daily.error.startswith("attempt 8: SMTP") and daily.finished_at is not None
    failed = find_entries(people, AuditFilter(action="report.failed")).records
    assert f"report_run:{daily.id}" in {e.target for e in failed}
    run_jobs_at(people, tmp_path, server, moment + timedelta(hours=1))
    assert runs_of(people, "Daily plant")[0].attempts == 8  # nothing more is tried


def test_without_a_mail_server_or_anybody_to_send_to_a_run_fails_saying_so(database_url, plant, tmp_path):
    run_jobs_at(plant, tmp_path, None, TUESDAY_0701)  # no users yet; no SMTP server configured
    [night] = runs_of(plant, "Night shift, bagging")
    assert (night.status, night.file_name, night.attempts) == ("failed", None, 0)
    assert night.error == ("nobody to send to: no active user has the role production_manager; "
                           "no active user has the role shift_manager")
    [daily] = runs_of(plant, "Daily plant")  # it has an address, but no server to send through
    assert (daily.status, daily.attempts) == ("failed", 1)
    assert daily.error == ("attempt 1: no SMTP server is configured (FLOORBOARD_SMTP_HOST)\n"
                           "not sent to: no active user has the role production_manager")
    [custom] = runs_of(plant, "Downtime by line")
    assert (custom.status, custom.error) == ("failed", "nobody to send to: no active user has the role "
                                                       "production_manager")
    assert {e.target for e in find_entries(plant, AuditFilter(action="report.failed")).records} == {
        f"report_run:{night.id}", f"report_run:{daily.id}", f"report_run:{custom.id}"}


def test_a_missed_slot_is_made_once_after_the_jobs_process_was_down(database_url, people, smtp, tmp_path):
    server, inbox = smtp
    run_jobs_at(people, tmp_path, server, TUESDAY_0701)
    inbox.take()
    back = datetime(2026, 3, 6, 15, tzinfo=UTC)  # down from Tuesday to Friday 10:00 EST
    run_jobs_at(people, tmp_path, server, back)
    run_jobs_at(people, tmp_path, server, back + timedelta(minutes=1))
    assert inbox.take() == [(("pia@plant.test", "plant.manager@example.com"),
                             "[Floorboard] Daily report, plant: Thu 05 Mar 2026"),
                            (("pia@plant.test", "sam@plant.test"),
                             "[Floorboard] Shift report, line L1: Night shift of Thu 05 Mar 2026")]
    assert [r.due_at for r in runs_of(people, "Daily plant")] == [datetime(2026, 3, 6, 12, tzinfo=UTC),
                                                                  datetime(2026, 3, 3, 12, tzinfo=UTC)]


def test_a_report_built_on_demand_is_kept_listed_and_downloadable(database_url, plant, tmp_path):
    a_shift_of_work(plant)
    run = build_and_store(plant, tmp_path, ReportRequest("shift", date(2026, 3, 2), "L1", "Early"), "pia",
                          TUESDAY_0701)
    assert (run.status, run.schedule_name, run.requested_by, run.recipients, run.next_attempt_at) == (
        "built", None, "pia", (), None)
    assert run.build_s > 0 and run.file_name == f"shift-L1-2026-03-02-{run.id}.pdf"
    assert "Early shift of Mon 02 Mar 2026" in pdf_text(run_file(plant, tmp_path, run.id).read_bytes())
    with pytest.raises(ReportRequestError):
        build_and_store(plant, tmp_path, ReportRequest("shift", date(2026, 3, 2), "L1"), "pia", TUESDAY_0701)
    bad = build_and_store(plant, tmp_path, ReportRequest("daily", date(2026, 3, 2), "NOPE"), "pia", TUESDAY_0701)
    assert bad.status == "failed" and "unknown line 'NOPE'" in bad.error and bad.file_name is None
    assert [r.id for r in list_runs(plant)] == [bad.id, run.id]
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [run.file_name]  # no partial file left
    for missing in (bad.id, 999):
        with pytest.raises(RunFileMissing):
            run_file(plant, tmp_path, missing)
    (tmp_path / "reports" / run.file_name).unlink()
    with pytest.raises(RunFileMissing):
        run_file(plant, tmp_path, run.id)


@contextmanager
def database_taken_away(database_url: str):
    """A URL for the jobs process, and a switch taking that database away from it and back. MariaDB: through a
    TCP proxy that is cut. SQLite: another connection holds an exclusive lock, so every write waits and fails."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(url.database, isolation_level=None)
        yield database_url, lambda gone: holder.execute("BEGIN EXCLUSIVE" if gone else "COMMIT")
        holder.close()
        return
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 3306))
    proxy.start()
    yield (url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
           lambda gone: proxy.stop() if gone else proxy.start())
    proxy.stop()


def jobs_engine(url):
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":  # wait half a second for a lock, not ten
        event.listen(engine, "connect", lambda connection, _: connection.execute("PRAGMA busy_timeout=500"))
    return engine


def test_a_database_away_at_the_tick_delays_the_report_which_is_then_sent_once(database_url, people, smtp,
                                                                                tmp_path):
    server, inbox = smtp
    with database_taken_away(database_url) as (url, away):
        engine = jobs_engine(url)
        jobs_db = make_session_factory(engine)
        away(True)
        run_jobs_at(jobs_db, tmp_path, server, TUESDAY_0701)  # the job gives up this tick, quietly
        away(False)
        assert inbox.take() == [] and list_runs(people) == []
        run_jobs_at(jobs_db, tmp_path, server, TUESDAY_0701 + timedelta(minutes=1))
        run_jobs_at(jobs_db, tmp_path, server, TUESDAY_0701 + timedelta(minutes=2))
        engine.dispose()
    assert inbox.take() == [(("pia@plant.test", "plant.manager@example.com"), DAILY),
                            (("pia@plant.test", "sam@plant.test"), NIGHT)]
    assert [r.status for r in list_runs(people)] == ["sent", "sent"]


def test_a_database_lost_mid_build_leaves_no_file_and_the_slot_is_made_again_once(database_url, people, smtp,
                                                                                  tmp_path):
    server, inbox = smtp
    a_shift_of_work(people)
    with database_taken_away(database_url) as (url, away):
        engine = jobs_engine(url)
        jobs_db = make_session_factory(engine)
        taken = []

        @event.listens_for(engine, "before_cursor_execute")
        def cut_while_reading_counts(conn, cursor, statement, *_):
            if not taken and "count_increments" in statement:
                taken.append(True)
                away(True)

        run_jobs_at(jobs_db, tmp_path, server, TUESDAY_0701)
        away(False)
        assert taken and inbox.take() == []
        with people() as session:
            [stuck] = session.scalars(select(ReportRun)).all()
        assert stuck.status == "building" and stuck.file_name is None
        assert not any((tmp_path / "reports").glob("*.pdf")) if (tmp_path / "reports").exists() else True
        event.remove(engine, "before_cursor_execute", cut_while_reading_counts)
        for minutes in (1, 5, 11, 12):  # the claim of the lost build runs out after 10 minutes
            run_jobs_at(jobs_db, tmp_path, server, TUESDAY_0701 + timedelta(minutes=minutes))
        engine.dispose()
    assert sorted(subject for _, subject in inbox.take()) == [DAILY, NIGHT]
    assert sorted((r.schedule_name, r.status) for r in list_runs(people)) == [("Daily plant", "sent"),
                                                                              ("Night shift, bagging", "sent")]
    assert len(list((tmp_path / "reports").glob("*.pdf"))) == 2


def change_schedule(db, schedule_name, **values):
    with db.begin() as session:
        session.execute(update(ReportScheduleRow).where(ReportScheduleRow.name == schedule_name).values(**values))


def test_a_cron_moved_to_a_later_hour_does_not_send_the_same_day_again(database_url, people, smtp, tmp_path):
    server, inbox = smtp
    run_jobs_at(people, tmp_path, server, TUESDAY_0701)
    assert DAILY in [subject for _, subject in inbox.take()]
    change_schedule(people, "Daily plant", cron="0 8 * * *")
    run_jobs_at(people, tmp_path, server, TUESDAY_0701 + timedelta(hours=1))
    run_jobs_at(people, tmp_path, server, TUESDAY_0701 + timedelta(hours=1, minutes=1))
    assert inbox.take() == []
    skipped, sent = runs_of(people, "Daily plant")
    assert (skipped.status, skipped.due_at, skipped.window_start, skipped.file_name) == (
        "skipped", datetime(2026, 3, 3, 13, tzinfo=UTC), sent.window_start, None)
    assert f"already made by run {sent.id} of the schedule 'Daily plant' (sent)" in skipped.error
    run_jobs_at(people, tmp_path, server, datetime(2026, 3, 4, 13, 1, tzinfo=UTC))  # Wednesday 08:00: Tuesday's
    assert [subject for _, subject in inbox.take() if "Daily" in subject] == [
        "[Floorboard] Daily report, plant: Tue 03 Mar 2026"]


def test_a_renamed_schedule_does_not_send_its_last_report_again(database_url, people, smtp, tmp_path):
    server, inbox = smtp
    run_jobs_at(people, tmp_path, server, TUESDAY_0701)
    inbox.take()
    change_schedule(people, "Daily plant", name="Daily plant report")
    run_jobs_at(people, tmp_path, server, TUESDAY_0701 + timedelta(minutes=1))
    assert inbox.take() == []
    [skipped] = runs_of(people, "Daily plant report")
    assert skipped.status == "skipped" and "of the schedule 'Daily plant' (sent)" in skipped.error
    change_schedule(people, "Daily plant report", recipients='["production_manager"]')  # other people: theirs
    change_schedule(people, "Weekly plant", active=False)
    with people.begin() as session:
        session.execute(delete(ReportRun).where(ReportRun.id == skipped.id))
    run_jobs_at(people, tmp_path, server, TUESDAY_0701 + timedelta(minutes=2))
    assert inbox.take() == [(("pia@plant.test",), DAILY)]


def test_a_shift_report_due_at_every_shift_change_sends_the_last_shift_once(database_url, people, smtp, tmp_path):
    server, inbox = smtp
    change_schedule(people, "Night shift, bagging", cron="5 6,14,22 * * *")
    change_schedule(people, "Daily plant", active=False)
    change_schedule(people, "Weekly plant", active=False)
    # Saturday's Late shift is the last to end until Sunday's Night shift ends (Monday 06:00); clocks go forward
    # on Sunday 8 March.
    zone = ZoneInfo("America/New_York")
    for day, hour in ((7, 22), (8, 6), (8, 14), (8, 22)):
        run_jobs_at(people, tmp_path, server, datetime(2026, 3, day, hour, 6, tzinfo=zone).astimezone(UTC))
    assert inbox.take() == [(("pia@plant.test", "sam@plant.test"),
                             "[Floorboard] Shift report, line L1: Late shift of Sat 07 Mar 2026")]
    assert [r.status for r in runs_of(people, "Night shift, bagging")] == ["skipped", "skipped", "skipped", "sent"]


DAILY_PLANT = ScheduledReport("Daily plant", "daily", "0 7 * * *", ("production_manager",))
TAKEN_OVER = TUESDAY_0701 + CLAIM_FOR + timedelta(minutes=1)


def test_a_build_taken_over_while_it_stalled_changes_nothing_when_it_ends(database_url, people, smtp, tmp_path,
                                                                          monkeypatch):
    """The race, in one thread: A claims the slot and stalls rendering past its claim; B takes the slot over,
    builds and sends it; then A's render returns."""
    server, inbox = smtp
    mailer = SmtpMailer(server.hostname, server.port, "floorboard@plant.test", timeout_s=5)
    request, slot = ReportRequest("daily", date(2026, 3, 2)), datetime(2026, 3, 3, 12, tzinfo=UTC)
    render, stalled = report_runs.render_pdf, []

    def render_stalling(report):
        if not stalled:
            stalled.append(True)
            taker = build_and_store(people, tmp_path, request, "system", TAKEN_OVER, DAILY_PLANT, slot)
            assert taker.status == "built"
            assert deliver_due_runs(people, tmp_path, mailer, TAKEN_OVER).sent == 1
        return render(report)

    monkeypatch.setattr(report_runs, "render_pdf", render_stalling)
    stalled_build = build_and_store(people, tmp_path, request, "system", TUESDAY_0701, DAILY_PLANT, slot)
    assert stalled_build.status == "sent"
    assert deliver_due_runs(people, tmp_path, mailer, TAKEN_OVER + timedelta(minutes=1)).sent == 0
    assert [subject for _, subject in inbox.take()] == [DAILY]
    [run] = list_runs(people)
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [run.file_name]
    assert run_file(people, tmp_path, run.id).read_bytes()[:4] == b"%PDF"


def test_a_failing_build_taken_over_does_not_fail_the_takers_run(database_url, people, tmp_path, monkeypatch):
    request, slot = ReportRequest("daily", date(2026, 3, 2)), datetime(2026, 3, 3, 12, tzinfo=UTC)
    render, stalled = report_runs.render_pdf, []

    def render_stalling_then_failing(report):
        if stalled:
            return render(report)
        stalled.append(True)
        build_and_store(people, tmp_path, request, "system", TAKEN_OVER, DAILY_PLANT, slot)
        raise RuntimeError("out of memory")

    monkeypatch.setattr(report_runs, "render_pdf", render_stalling_then_failing)
    build_and_store(people, tmp_path, request, "system", TUESDAY_0701, DAILY_PLANT, slot)
    [run] = list_runs(people)
    assert (run.status, run.error) == ("built", None)
    assert run_file(people, tmp_path, run.id).is_file()


class StallingMailer:
    """Sends through `mailer`; its first send stalls past the claim while another process sends the run, then
    fails."""

    def __init__(self, db, home, mailer):
        self.db, self.home, self.mailer, self.stalled = db, home, mailer, False

    def send(self, to, subject, body, attachments=None):
        if self.stalled:
            return self.mailer.send(to, subject, body, attachments)
        self.stalled = True
        assert deliver_due_runs(self.db, self.home, self, TAKEN_OVER).sent == 1
        raise TimeoutError("the SMTP server stopped answering")


def test_a_send_taken_over_while_it_stalled_does_not_put_the_sent_run_back(database_url, people, smtp, tmp_path):
    server, inbox = smtp
    mailer = SmtpMailer(server.hostname, server.port, "floorboard@plant.test", timeout_s=5)
    slot = datetime(2026, 3, 3, 12, tzinfo=UTC)
    build_and_store(people, tmp_path, ReportRequest("daily", date(2026, 3, 2)), "system", TUESDAY_0701,
                    DAILY_PLANT, slot)
    deliver_due_runs(people, tmp_path, StallingMailer(people, tmp_path, mailer), TUESDAY_0701)
    [run] = list_runs(people)
    assert (run.status, run.attempts, run.error) == ("sent", 1, None)
    assert deliver_due_runs(people, tmp_path, mailer, TAKEN_OVER + timedelta(hours=1)).sent == 0
    assert [subject for _, subject in inbox.take()] == [DAILY]
