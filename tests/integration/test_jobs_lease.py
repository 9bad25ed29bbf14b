"""Two `floorboard jobs` processes on one database: the jobs run in one only; killing it hands them over."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.clock import utc_now
from core.scheduler_lease import acquire_lease, lease_holder

PROJECT = Path(__file__).resolve().parents[2]


def test_the_lease_goes_to_one_holder_at_a_time(database_url, db):
    now = utc_now()
    from datetime import timedelta

    ttl = timedelta(seconds=15)
    assert acquire_lease(db, "a", ttl, now)
    assert not acquire_lease(db, "b", ttl, now)
    assert acquire_lease(db, "a", ttl, now + timedelta(seconds=5))  # renewal
    assert not acquire_lease(db, "b", ttl, now + timedelta(seconds=19))
    assert acquire_lease(db, "b", ttl, now + timedelta(seconds=21))  # expired: taken over
    assert lease_holder(db, now + timedelta(seconds=22)) == "b"


def test_the_database_clock_decides(database_url, db):
    from datetime import timedelta

    assert acquire_lease(db, "a", timedelta(seconds=15))
    assert not acquire_lease(db, "b", timedelta(seconds=15))  # b's own clock does not matter
    assert lease_holder(db) == "a"


def start_jobs(settings):
    env = {**os.environ, "FLOORBOARD_HOME": str(settings.home), "FLOORBOARD_DATABASE_URL": settings.database_url}
    return subprocess.Popen([sys.executable, "-m", "dashapp.cli", "jobs", "--log-level", "debug"], cwd=PROJECT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def output_of(process) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out


def test_a_second_scheduler_stands_by_and_takes_over_when_the_first_dies(settings, plant):
    first = start_jobs(settings)
    second = None
    try:
        assert wait_for(lambda: lease_holder(plant) is not None, 20), "no scheduler took the lease"
        holder = lease_holder(plant)
        assert holder.split(":")[1] == str(first.pid)
        second = start_jobs(settings)
        time.sleep(6)  # a few polls and a lease renewal later
        assert lease_holder(plant) == holder
        first.kill()  # no clean shutdown: the lease has to expire
        first.wait(timeout=10)
        assert wait_for(lambda: (lease_holder(plant) or "").split(":")[1:2] == [str(second.pid)], 30)
        time.sleep(3)
    finally:
        first_out = first.communicate()[0] if first.poll() is not None else output_of(first)
        second_out = output_of(second) if second else ""
    assert first_out.count("ran scan_plcs") >= 2
    standby_scans = second_out.split("jobs lease taken by")[0].count("ran scan_plcs")
    assert "stands by" in second_out and standby_scans == 0
    assert second_out.split("jobs lease taken by")[1].count("ran scan_plcs") >= 1


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
