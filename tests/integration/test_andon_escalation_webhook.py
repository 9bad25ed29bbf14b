"""Escalation webhooks reach a real HTTP receiver (ThreadingHTTPServer, started here): the documented JSON once
per level, retried with backoff on a 5xx or a hang, each retry with the same delivery id, failed (and listed)
after MAX_ATTEMPTS."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from core.accounts import Actor
from core.andon_calls import call_for_help, resolve_call
from core.andon_delivery import MAX_ATTEMPTS
from core.andon_escalation_rules import save_escalation_rules
from core.andon_notices import notices_of, recent_notices
from core.andon_webhook import DELIVERY_HEADER, HttpWebhookPoster
from core.persistence.andon_tables import AndonNotice
from jobs.andon_escalation import escalate_andon_calls
from jobs.context import JobContext

T0 = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
HANG = "hang"


class Receiver:
    """An HTTP server on 127.0.0.1 answering each POST with the next of `answers` (the last one repeats)."""

    def __init__(self, answers):
        self.answers, self.received, self.release = list(answers), [], threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), json.loads(body)))
                answer = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                if answer == HANG:
                    receiver.release.wait(30)  # never answers while the test runs
                    return
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/andon"

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def start(*answers):
        made.append(Receiver(answers or (200,)))
        return made[-1]

    yield start
    for server in made:
        server.stop()


def webhook_level(db, url, priority="high"):
    save_escalation_rules(db, {priority: [{"after_minutes": 0, "notify": [url], "channels": ["webhook"]}]},
                          Actor("admin"))


def run_jobs_at(db, tmp_path, minutes, timeout_s=5.0):
    """A jobs process (made anew each time, as after a restart) running the escalation check at T0 + minutes."""
    escalate_andon_calls(JobContext(db=db, clock=lambda: T0 + timedelta(minutes=minutes), home=tmp_path,
                                    webhook_poster=HttpWebhookPoster(timeout_s)))


def webhook_notices(db):
    with db() as session:
        return session.scalars(select(AndonNotice).where(AndonNotice.channel == "webhook")).all()


def test_the_receiver_gets_the_documented_json_once_per_level(database_url, plant, receiver, tmp_path):
    hook = receiver(200)
    webhook_level(plant, hook.url)
    call = call_for_help(plant, "BAG1", "maintenance", "high", "gearbox noise", Actor("otto"), "tablet", T0)

    run_jobs_at(plant, tmp_path, 0.5)
    run_jobs_at(plant, tmp_path, 5)  # a restart later repeats nothing
    [(headers, body)] = hook.received
    [notice] = webhook_notices(plant)
    assert (notice.status, notice.attempts, notice.recipient) == ("sent", 1, hook.url)
    port = hook.url.split(":")[2].split("/")[0]
    assert notices_of(plant, [call.id])[call.id].told == (f"webhook 127.0.0.1:{port}",)  # the board: no path
    assert headers["Content-Type"] == "application/json" and headers[DELIVERY_HEADER] == str(notice.id)
    assert body == {
        "event": "andon.escalation", "delivery": notice.id,
        "call": {"id": call.id, "kind": "maintenance", "priority": "high", "status": "open", "note": "gearbox noise",
                 "raised_at": "2026-03-02T12:00:00+00:00", "acknowledged_at": None},
        "equipment": {"code": "BAG1", "name": "Bagger 1"}, "line": {"code": "L1", "name": "Bagging line 1"},
        "level": {"phase": "raised", "after_minutes": 0.0, "number": 1},
        "sent_at": "2026-03-02T12:00:30+00:00"}


def test_a_receiver_that_fails_twice_gets_one_delivery_after_the_backoff(database_url, plant, receiver, tmp_path):
    hook = receiver(500, 500, 200)
    webhook_level(plant, hook.url)
    call_for_help(plant, "FIL2", "safety", "high", "", Actor("otto"), "tablet", T0)

    run_jobs_at(plant, tmp_path, 0)
    [notice] = webhook_notices(plant)
    assert (notice.status, notice.attempts) == ("pending", 1) and "answered HTTP 500" in notice.error
    assert "/hooks/andon" not in notice.error  # the URL's path (often a secret) is not repeated
    run_jobs_at(plant, tmp_path, 0.5)  # the retry is due after 1 minute
    assert len(hook.received) == 1
    run_jobs_at(plant, tmp_path, 1)
    run_jobs_at(plant, tmp_path, 2)  # the next after 2 more
    assert len(hook.received) == 2
    run_jobs_at(plant, tmp_path, 3)
    run_jobs_at(plant, tmp_path, 30)
    assert len(hook.received) == 3
    # every retry carries the same delivery id: the receiver can de-duplicate
    assert {headers[DELIVERY_HEADER] for headers, _ in hook.received} == {str(notice.id)}
    [notice] = webhook_notices(plant)
    assert (notice.status, notice.attempts, notice.sent_at) == ("sent", 3, T0 + timedelta(minutes=3))


def test_a_receiver_that_hangs_past_the_timeout_is_a_failed_attempt(database_url, plant, receiver, tmp_path):
    hook = receiver(HANG, 200)
    webhook_level(plant, hook.url)
    call_for_help(plant, "BAG1", "help", "high", "", Actor("otto"), "tablet", T0)

    started = time.monotonic()
    run_jobs_at(plant, tmp_path, 0, timeout_s=0.5)
    assert time.monotonic() - started < 5
    [notice] = webhook_notices(plant)
    assert (notice.status, notice.attempts) == ("pending", 1)
    assert "no answer from 127.0.0.1:" in notice.error and "within 0.5 s" in notice.error
    run_jobs_at(plant, tmp_path, 1, timeout_s=0.5)
    assert [n.status for n in webhook_notices(plant)] == ["sent"] and len(hook.received) == 2


def test_a_receiver_that_never_accepts_is_marked_failed_and_listed(database_url, plant, receiver, tmp_path):
    hook = receiver(503)
    webhook_level(plant, hook.url, priority="low")
    call_for_help(plant, "BAG1", "help", "low", "", Actor("otto"), "tablet", T0)
    for attempt in range(MAX_ATTEMPTS + 2):
        run_jobs_at(plant, tmp_path, attempt * 31)
    assert len(hook.received) == MAX_ATTEMPTS
    [listed] = [n for n in recent_notices(plant, "failed") if n.channel == "webhook"]
    assert (listed.recipient, listed.attempts, listed.next_attempt_at) == (hook.url, MAX_ATTEMPTS, None)
    assert "HTTP 503" in listed.error and recent_notices(plant, "pending") == []


def test_an_unreachable_receiver_is_retried_and_a_resolved_call_is_not_posted(database_url, plant, receiver,
                                                                              tmp_path):
    hook = receiver(200)
    url = hook.url
    hook.stop()  # nothing listens on the port now
    webhook_level(plant, url)
    call = call_for_help(plant, "BAG1", "help", "high", "", Actor("otto"), "tablet", T0)
    run_jobs_at(plant, tmp_path, 0)
    [notice] = webhook_notices(plant)
    assert (notice.status, notice.attempts) == ("pending", 1) and "cannot connect to 127.0.0.1:" in notice.error
    resolve_call(plant, call.id, "sorted", Actor("sam"), T0 + timedelta(seconds=30))
    run_jobs_at(plant, tmp_path, 5)
    [notice] = webhook_notices(plant)
    assert notice.status == "void" and "resolved" in notice.error
