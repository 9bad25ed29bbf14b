"""Escalation emails reach a real SMTP server (aiosmtpd, started here): each level once, in time, to the right
people; acknowledgement starts the second ladder; a restart repeats nothing; a failed send is retried."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core.accounts import Actor, create_user
from core.andon_calls import acknowledge_call, call_for_help, resolve_call
from core.andon_notices import feed, mark_feed_read, unread_count
from core.mail import SmtpMailer
from core.persistence.andon_tables import AndonNotice
from jobs.andon_escalation import escalate_andon_calls
from jobs.context import JobContext
from tests.conftest import TEST_PASSWORD

T0 = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)


@pytest.fixture
def people(plant):
    for name, role, email in (("sam", "shift_manager", "sam@plant.test"), ("max", "maintenance", "max@plant.test"),
                              ("pia", "production_manager", "pia@plant.test"), ("otto", "operator", None)):
        create_user(plant, name, role, TEST_PASSWORD, email=email)
    return plant


def run_jobs_at(db, tmp_path, server, minutes):
    """A jobs process (made anew each time, as after a restart) running the escalation check at T0 + minutes."""
    context = JobContext(db=db, clock=lambda: T0 + timedelta(minutes=minutes), home=tmp_path,
                         mailer=SmtpMailer(server.hostname, server.port, "floorboard@plant.test", timeout_s=5))
    escalate_andon_calls(context)


def test_escalation_emails_follow_the_ladders_once_each(database_url, people, smtp, tmp_path):
    server, inbox = smtp
    call = call_for_help(people, "BAG1", "maintenance", "high", "gearbox noise", Actor("otto"), "tablet", T0)
    subject = "[Floorboard] HIGH andon: maintenance at BAG1 (Bagger 1)"

    run_jobs_at(people, tmp_path, server, 0)
    assert inbox.take() == [(("max@plant.test",), subject), (("sam@plant.test",), subject)]
    assert unread_count(people, "sam") == 1 and unread_count(people, "otto") == 0
    [item] = feed(people, "sam")
    assert (item.call_id, item.equipment_code, item.kind, item.level, item.read) == (call.id, "BAG1", "maintenance",
                                                                                      0, False)
    assert mark_feed_read(people, "sam", T0) == 1 and unread_count(people, "sam") == 0
    run_jobs_at(people, tmp_path, server, 5)
    assert inbox.take() == []
    run_jobs_at(people, tmp_path, server, 10)  # "restart" between levels: only the new level goes out
    run_jobs_at(people, tmp_path, server, 10.5)
    assert inbox.take() == [(("pia@plant.test",), subject)]

    acknowledge_call(people, call.id, Actor("max"), T0 + timedelta(minutes=12))
    run_jobs_at(people, tmp_path, server, 60)
    assert inbox.take() == []  # the second ladder counts from the acknowledgement
    run_jobs_at(people, tmp_path, server, 72)
    assert inbox.take() == [(("pia@plant.test",), subject)]
    resolve_call(people, call.id, "bearing replaced", Actor("max"), T0 + timedelta(minutes=80))
    run_jobs_at(people, tmp_path, server, 600)
    assert inbox.take() == []


def test_a_send_that_fails_is_retried_with_backoff_and_sent_once(database_url, people, smtp, tmp_path):
    server, inbox = smtp
    server.stop()  # the mail server is down when the call is raised
    call_for_help(people, "FIL2", "safety", "critical", "", Actor("otto"), "tablet", T0)
    run_jobs_at(people, tmp_path, server, 0)
    with people() as session:
        pending = session.scalars(select(AndonNotice).where(AndonNotice.channel == "email",
                                                            AndonNotice.status == "pending")).all()
    assert {n.recipient for n in pending} == {"sam@plant.test", "max@plant.test", "pia@plant.test"}
    assert all(n.attempts == 1 and "SMTP" in n.error for n in pending)

    server.start()
    run_jobs_at(people, tmp_path, server, 0.5)  # before the retry is due
    assert inbox.take() == []
    run_jobs_at(people, tmp_path, server, 1.5)
    assert [to for to, _ in inbox.take()] == [("max@plant.test",), ("pia@plant.test",), ("sam@plant.test",)]
    run_jobs_at(people, tmp_path, server, 3)
    assert inbox.take() == []


def test_a_level_with_nobody_to_tell_is_recorded_as_failed_not_dropped(database_url, plant, smtp, tmp_path):
    server, _ = smtp
    call_for_help(plant, "BAG1", "help", "low", "", Actor("otto"), "tablet", T0)  # low: shift managers; none exist
    run_jobs_at(plant, tmp_path, server, 0)
    with plant() as session:
        failed = session.scalars(select(AndonNotice).where(AndonNotice.status == "failed")).one()
    assert "no active user has the role shift_manager" in failed.error


def test_an_email_still_waiting_for_a_retry_is_not_sent_once_the_call_is_resolved(database_url, people, smtp,
                                                                                   tmp_path):
    server, inbox = smtp
    server.stop()
    call = call_for_help(people, "BAG1", "help", "low", "", Actor("otto"), "tablet", T0)  # low: shift managers
    run_jobs_at(people, tmp_path, server, 0)  # sam's email fails and waits for its retry
    resolve_call(people, call.id, "sorted at the machine", Actor("sam"), T0 + timedelta(seconds=30))
    server.start()
    run_jobs_at(people, tmp_path, server, 5)
    assert inbox.take() == []
    with people() as session:
        notice = session.scalars(select(AndonNotice).where(AndonNotice.channel == "email")).one()
    assert notice.status == "void" and "resolved" in notice.error


def test_without_a_mail_server_each_email_fails_at_once_saying_why_and_is_audited(database_url, people, tmp_path):
    from core.audit import AuditEntry

    call = call_for_help(people, "BAG1", "help", "low", "", Actor("otto"), "tablet", T0)  # low: shift managers
    escalate_andon_calls(JobContext(db=people, clock=lambda: T0, home=tmp_path, mailer=None))
    with people() as session:
        notice = session.scalars(select(AndonNotice).where(AndonNotice.channel == "email")).one()
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "andon.notice_failed")).one()
    assert (notice.status, notice.recipient) == ("failed", "sam@plant.test")
    assert "no SMTP server is configured" in notice.error
    assert (entry.actor, entry.target) == ("system", f"andon:{call.id}") and "sam@plant.test" in entry.detail
