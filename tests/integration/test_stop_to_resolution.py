"""The loop the floor workflows close, on the demo plant: a machine stops, the operator gives the reason on the
tablet and calls maintenance, the escalation emails reach a real SMTP server (aiosmtpd), maintenance
acknowledges and resolves the call; every step is in the audit log."""

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from core.accounts import Actor, create_user
from core.andon_calls import acknowledge_call, call_for_help, resolve_call
from core.audit import AuditEntry
from core.mail import SmtpMailer
from core.plant.equipment import machines
from core.stop_queue import stops_awaiting_reason
from core.stop_reasons import give_reason
from core.timeline import StateAt, add_state_changes
from jobs.andon_escalation import escalate_andon_calls
from jobs.context import JobContext
from tests.conftest import TEST_PASSWORD

T0 = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)


def test_a_stop_is_followed_from_the_board_to_its_resolution(database_url, plant, smtp, tmp_path):
    server, inbox = smtp
    for name, role, email in (("sam", "shift_manager", "sam@plant.test"), ("max", "maintenance", "max@plant.test"),
                              ("pia", "production_manager", "pia@plant.test"), ("otto", "operator", None)):
        create_user(plant, name, role, TEST_PASSWORD, email=email)
    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    with plant.begin() as session:
        add_state_changes(session, [StateAt(bagger.id, T0 - timedelta(hours=1), "running", source="plc"),
                                    StateAt(bagger.id, T0 - timedelta(minutes=5), "down", source="plc")])

    def jobs_at(minutes):
        escalate_andon_calls(JobContext(db=plant, clock=lambda: T0 + timedelta(minutes=minutes), home=tmp_path,
                                        mailer=SmtpMailer(server.hostname, server.port, "floorboard@plant.test")))

    [stop] = stops_awaiting_reason(plant, "L1", T0)  # on the line board, still stopped
    assert (stop.equipment_code, stop.end) == ("BAG1", None)
    give_reason(plant, stop.id, "MOTOR", Actor("otto"), T0)
    call = call_for_help(plant, "BAG1", "maintenance", "high", "drive tripped twice", Actor("otto"), "tablet", T0)

    subject = "[Floorboard] HIGH andon: maintenance at BAG1 (Bagger 1)"
    jobs_at(0)
    assert inbox.take() == [(("max@plant.test",), subject), (("sam@plant.test",), subject)]
    jobs_at(10)  # nobody answered: the production manager is told
    assert inbox.take() == [(("pia@plant.test",), subject)]
    acknowledge_call(plant, call.id, Actor("max"), T0 + timedelta(minutes=11))
    resolve_call(plant, call.id, "drive reset, cable replaced", Actor("max"), T0 + timedelta(minutes=30))
    jobs_at(120)
    assert inbox.take() == []

    with plant() as session:
        trail = session.execute(select(AuditEntry.actor, AuditEntry.action)
                                .where(AuditEntry.action.like("stop.%") | AuditEntry.action.like("andon.%"))
                                .order_by(AuditEntry.id)).all()
    assert [tuple(t) for t in trail] == [
        ("otto", "stop.reason"), ("otto", "andon.raised"), ("system", "andon.notified"), ("system", "andon.notified"),
        ("system", "andon.notified"), ("max", "andon.acknowledged"), ("max", "andon.resolved")]
    with plant() as session:
        told = session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "andon.notified")).all()
    assert sorted(json.loads(d)["to"] for d in told) == ["max@plant.test", "pia@plant.test", "sam@plant.test"]
