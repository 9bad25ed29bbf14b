"""The tag scanner against a real EtherNet/IP peer (cpppo), through pycomm3, into the database.

A test sets the controller's tags through a second client, as an HMI would,
and watches what the scanner stores: run -> fault (with its andon call) ->
run -> counter reset; the controller going away and coming back.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, make_url, select

from core.clock import utc_now
from core.persistence.andon_tables import AndonCall
from core.persistence.database import make_engine, make_session_factory
from core.persistence.plc_tables import PlcOutage, TagSample
from core.plc.scanner import TagScanner
from core.plc.spool import ReadingSpool
from core.timeline import count_totals, state_changes
from tests.conftest import EXAMPLE_PLANT
from tests.support.plc_plant import bagger_view, map_bagger_to, wait_until
from tests.support.tcp_proxy import TcpProxy


def count_rows(db, table, *where) -> int:
    with db() as session:  # a new session each time: MariaDB's repeatable read would show a stale snapshot
        return session.scalar(select(func.count()).select_from(table).where(*where))


def states_of(db, machine_id, since):
    return [c.state for c in state_changes(db, [machine_id], since, utc_now() + timedelta(minutes=1))[machine_id]]


@pytest.fixture
def scanner(plant, tmp_path):
    made = []

    def make(db=plant):
        scanner = TagScanner(db, ReadingSpool(tmp_path / "spool.sqlite"), utc_now, simulator=None,
                             count_every=timedelta(seconds=0))
        made.append(scanner)
        return scanner

    yield make
    for scanner in made:
        scanner.stop()
        scanner.spool.close()


def test_the_scanner_follows_the_controller_through_run_fault_run_and_a_counter_reset(database_url, plant, controller, scanner):
    map_bagger_to(plant, EXAMPLE_PLANT, controller.address)
    view = bagger_view(plant)
    bagger = view.machines[0]
    writer = controller.writer()
    writer.write({"Running": True, "GoodCount": 100, "RejectCount": 3, "Faults": 0, "Speed": 41.5})
    started = utc_now()
    tag_scanner = scanner()
    tag_scanner.reconcile(view)
    wait_until(lambda: states_of(plant, bagger.id, started) == ["running"], what="running")
    writer.write({"GoodCount": 150, "RejectCount": 4})
    wait_until(lambda: count_totals(plant, [bagger.id], started, utc_now())[bagger.id] == (50, 1), what="counts")

    writer.write({"Faults": 0b10, "Running": False})  # bit 1: F02 jam at infeed
    wait_until(lambda: states_of(plant, bagger.id, started)[-1:] == ["down"], what="down")
    wait_until(lambda: count_rows(plant, AndonCall), what="andon call")
    with plant() as session:
        call = session.scalars(select(AndonCall)).one()
    assert (call.equipment_id, call.fault_code, call.priority, call.source) == (bagger.id, "F02", "medium", "plc")
    down = state_changes(plant, [bagger.id], started, utc_now())[bagger.id][-1]
    assert (down.fault_code, down.reason_code, down.source) == ("F02", "JAM", "plc")

    writer.write({"Faults": 0, "Running": True, "GoodCount": 5})  # back to running; the counter was reset
    wait_until(lambda: count_totals(plant, [bagger.id], started, utc_now())[bagger.id] == (55, 1),
               what="counts after the reset")
    assert states_of(plant, bagger.id, started) == ["running", "down", "running"]
    writer.write({"Speed": 44.0})
    wait_until(lambda: count_rows(plant, TagSample, TagSample.tag == "Speed", TagSample.value == 44.0),
               what="trend sample")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_controller_that_goes_away_shows_no_data_within_two_polls_and_comes_back(database_url, plant, controller, scanner):
    map_bagger_to(plant, EXAMPLE_PLANT, controller.address)
    view = bagger_view(plant)
    bagger = view.machines[0]
    writer = controller.writer()
    writer.write({"Running": True, "GoodCount": 10})
    started = utc_now()
    tag_scanner = scanner()
    tag_scanner.reconcile(view)
    wait_until(lambda: states_of(plant, bagger.id, started) == ["running"], what="running")
    threads, fds = threading.active_count(), open_fds()

    controller.stop()
    stopped = time.monotonic()
    worker = tag_scanner.workers[f"logix://{controller.address}/0"]
    wait_until(lambda: worker.status.state == "retrying", what="the read to fail")
    assert time.monotonic() - stopped <= 2 * bagger.plc_rate_s + bagger.plc_timeout_s + 0.5  # within two polls
    wait_until(lambda: states_of(plant, bagger.id, started)[-1:] == ["no_data"], what="no_data stored")
    with plant() as session:
        outage = session.scalars(select(PlcOutage).where(PlcOutage.equipment_id == bagger.id)).one()
        assert outage.ended_at is None and "logix://" in outage.error

    controller.start()  # the same controller comes back on the same port, its tags as they were at start
    writer = controller.writer()
    writer.write({"Running": True, "GoodCount": 10})
    wait_until(lambda: states_of(plant, bagger.id, started)[-1:] == ["running"], seconds=40, what="recovery")
    with plant() as session:
        assert session.scalars(select(PlcOutage)).one().ended_at is not None
    assert worker.status.errors >= 1 and worker.status.state == "connected"
    assert threading.active_count() <= threads  # no worker thread left behind
    assert open_fds() <= fds + 2  # the thrown-away drivers closed their sockets (the writer's may linger)


@contextmanager
def database_taken_away(database_url: str):
    """Yield a URL for the code under test, and a switch that takes that database away from it and back.

    MariaDB: the code connects through a TCP proxy, which is cut. SQLite: another
    connection holds an exclusive lock, so every write waits and then fails.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(url.database, isolation_level=None)

        def away(gone: bool) -> None:
            holder.execute("BEGIN EXCLUSIVE" if gone else "COMMIT")

        yield database_url, away
        holder.close()
        return
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 3306))
    proxy.start()

    def away(gone: bool) -> None:
        proxy.stop() if gone else proxy.start()

    yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), away
    proxy.stop()


def test_with_the_database_away_readings_wait_in_the_spool_and_are_stored_once_when_it_returns(
        database_url, plant, controller, scanner):
    map_bagger_to(plant, EXAMPLE_PLANT, controller.address)
    view = bagger_view(plant)
    bagger = view.machines[0]
    writer = controller.writer()
    writer.write({"Running": True, "GoodCount": 1000})
    started = utc_now()
    with database_taken_away(database_url) as (scanner_url, away):
        engine = make_engine(scanner_url)
        tag_scanner = scanner(make_session_factory(engine))
        tag_scanner.reconcile(view)
        wait_until(lambda: states_of(plant, bagger.id, started) == ["running"], what="running")
        away(True)
        for good in range(1001, 1011):  # ten more units, each one held for a few polls
            writer.write({"GoodCount": good})
            time.sleep(0.5)
        writer.write({"Faults": 0b1000})  # F04 while the database is away: the state change waits too
        wait_until(lambda: tag_scanner.drainer.failures_in_row >= 1, what="the drain to fail")
        depth = wait_until(lambda: tag_scanner.spool.depth > 20 and tag_scanner.spool.depth, what="the spool to grow")
        assert count_rows(plant, TagSample, TagSample.tag == "GoodCount", TagSample.value > 1000) == 0
        away(False)
        wait_until(lambda: tag_scanner.spool.depth == 0, seconds=60, what="the spool to drain")
        engine.dispose()
    assert depth > 20
    assert count_totals(plant, [bagger.id], started, utc_now())[bagger.id] == (10, 0)
    assert states_of(plant, bagger.id, started) == ["running", "down"]
    with plant() as session:
        kept = session.scalars(select(TagSample.value).where(TagSample.equipment_id == bagger.id,
                                                             TagSample.tag == "GoodCount")).all()
    assert sorted(kept) == [float(good) for good in range(1000, 1011)]  # every value once, in spite of the retries


def test_a_silent_controller_is_no_data_from_the_read_that_went_unanswered(database_url, plant, controller, scanner):
    """A pulled cable: nothing is refused, nothing answers; the read times out."""
    upstream_host, upstream_port = controller.address.split(":")
    proxy = TcpProxy((upstream_host, int(upstream_port)))
    proxy.start()
    try:
        map_bagger_to(plant, EXAMPLE_PLANT, f"127.0.0.1:{proxy.port}")
        view = bagger_view(plant)
        bagger = view.machines[0]
        controller.writer().write({"Running": True, "GoodCount": 10})
        started = utc_now()
        scanner().reconcile(view)
        wait_until(lambda: states_of(plant, bagger.id, started) == ["running"], what="running")
        proxy.pause()
        silent_from = utc_now()
        wait_until(lambda: states_of(plant, bagger.id, started)[-1:] == ["no_data"], seconds=20, what="no_data")
        lost = state_changes(plant, [bagger.id], started, utc_now())[bagger.id][-1]
        # stamped when the unanswered read was asked: within one poll (0.2 s) of the silence, not after the
        # timeout (1 s) and the close that follow it
        assert (lost.at - silent_from).total_seconds() <= bagger.plc_rate_s + 0.3
        proxy.resume()
        wait_until(lambda: states_of(plant, bagger.id, started)[-1:] == ["running"], seconds=40, what="recovery")
    finally:
        proxy.stop()
