"""Stops without a reason queue up for the line; the operator gives one, a shift manager changes or splits it;
every edit is audited and reaches the OEE roll-ups."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from callbacks.stops_review import moment_after
from core.accounts import Actor
from core.audit import AuditEntry
from core.oee.rollups import refresh_rollups, rollup_totals
from core.oee.service import Scope, downtime_pareto, unexplained_stop_share, window_between
from core.persistence.timeline_tables import StateChange
from core.plant.equipment import machines
from core.stop_queue import line_stops, stop_at, stops_awaiting_reason
from core.stop_reasons import StopReasonError, change_reason, give_reason, split_stop
from core.timeline import StateAt, add_state_changes

SHIFT_START = datetime(2026, 3, 2, 11, tzinfo=timezone.utc)  # Early shift, Monday, New York
OPERATOR = Actor("olga", "10.0.0.7")
MANAGER = Actor("sam", "10.0.0.8")


def at(minutes: float) -> datetime:
    return SHIFT_START + timedelta(minutes=minutes)


def write(db, states):
    with db.begin() as session:
        add_state_changes(session, list(states))


@pytest.fixture
def bagger(database_url, plant):
    return next(m for m in machines(plant) if m.code == "BAG1")  # micro-stop threshold 120 s, line L1


def test_only_stops_longer_than_the_threshold_without_a_reason_queue_up(plant, bagger):
    mixer = next(m for m in machines(plant) if m.code == "MIX1")
    write(plant, [StateAt(bagger.id, at(0), "running"),
                  StateAt(bagger.id, at(10), "down"), StateAt(bagger.id, at(11), "running"),  # 60 s: a micro-stop
                  StateAt(bagger.id, at(20), "down"), StateAt(bagger.id, at(20.5), "down"),  # one stop, two rows
                  StateAt(bagger.id, at(25), "running"),
                  StateAt(bagger.id, at(30), "down", "JAM"), StateAt(bagger.id, at(40), "running"),  # has a reason
                  StateAt(bagger.id, at(50), "changeover"), StateAt(bagger.id, at(70), "running"),  # says why
                  StateAt(mixer.id, at(0), "running"), StateAt(mixer.id, at(55), "idle")])  # still idle
    queue = stops_awaiting_reason(plant, "L1", at(60))
    assert [(s.equipment_code, s.start, s.end) for s in queue] == [("MIX1", at(55), None), ("BAG1", at(20), at(25))]
    assert len(queue[1].row_ids) == 2
    assert stops_awaiting_reason(plant, "L2", at(60)) == []
    assert stops_awaiting_reason(plant, "L1", at(56)) == [queue[1]]  # the idle mixer is not 120 s old yet
    # the next shift's crew (Late, from 14:00 local) sees only the stop still going into its shift
    assert [s.equipment_code for s in stops_awaiting_reason(plant, "L1", at(481))] == ["MIX1"]


def test_the_operator_gives_a_reason_once_and_it_is_audited(plant, bagger):
    write(plant, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(20), "down"),
                  StateAt(bagger.id, at(20.5), "down"), StateAt(bagger.id, at(25), "running")])
    stop = stops_awaiting_reason(plant, "L1", at(30))[0]
    given = give_reason(plant, stop.id, "JAM", OPERATOR, at(30))
    assert (given.reason_code, given.state, given.end) == ("JAM", "down", at(25))
    assert stops_awaiting_reason(plant, "L1", at(30)) == []
    with plant() as session:
        rows = session.scalars(select(StateChange).where(StateChange.id.in_(stop.row_ids))).all()
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "stop.reason")).one()
    assert {r.reason_code for r in rows} == {"JAM"}
    assert entry.actor == "olga" and "BAG1" in entry.target
    assert '"after": {"reason": "JAM", "state": "down"}' in entry.detail
    with pytest.raises(StopReasonError, match="already has the reason JAM"):
        give_reason(plant, stop.id, "MATERIAL", Actor("other"), at(31))


def test_a_reason_of_the_planned_category_makes_a_planned_stop_and_the_rollups_follow(plant, bagger):
    write(plant, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(100), "down"),
                  StateAt(bagger.id, at(130), "running")])
    refresh_rollups(plant, at(480))
    shift = lambda: rollup_totals(plant, "shift", at(0), at(1)).set_index("equipment_id").loc[bagger.id]  # noqa: E731
    assert shift()["down_s"] == pytest.approx(30 * 60)
    stop = stops_awaiting_reason(plant, "L1", at(200))[0]
    given = give_reason(plant, stop.id, "MEETING", OPERATOR, at(200))
    assert given.state == "planned_stop"
    refresh_rollups(plant, at(480) + timedelta(minutes=1))
    assert shift()["down_s"] == 0
    assert shift()["planned_stop_s"] == pytest.approx(30 * 60)


def test_a_manager_changes_a_reason_and_splits_a_stop_into_breakdown_and_break(plant, bagger):
    write(plant, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(100), "down", "JAM"),
                  StateAt(bagger.id, at(160), "running")])
    stop = line_stops(plant, "L1", at(0), at(480), at(480))[0]
    changed = change_reason(plant, stop.id, "MOTOR", MANAGER, at(200))
    assert changed.reason_code == "MOTOR"
    first, second = split_stop(plant, stop.id, at(130), "MOTOR", "BREAK", MANAGER, at(201))
    assert (first.start, first.end, first.state, first.reason_code) == (at(100), at(130), "down", "MOTOR")
    assert (second.start, second.end, second.state, second.reason_code) == (at(130), at(160), "planned_stop",
                                                                            "BREAK")
    pareto = downtime_pareto(plant, Scope(line="L1"), window_between(at(0), at(480)), at(480))
    assert pareto.set_index("reason").loc["MOTOR", "seconds"] == pytest.approx(30 * 60)
    with plant() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("stop.%"))
                                  .order_by(AuditEntry.id)).all()
    assert actions == ["stop.change", "stop.split"]


def test_bad_edits_are_refused_and_change_nothing(plant, bagger):
    write(plant, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(100), "down"),
                  StateAt(bagger.id, at(160), "running")])
    stop = stops_awaiting_reason(plant, "L1", at(200))[0]
    with pytest.raises(StopReasonError, match="no reason with code 'NOPE'"):
        give_reason(plant, stop.id, "NOPE", OPERATOR, at(200))
    with pytest.raises(StopReasonError, match="inside the stop"):
        split_stop(plant, stop.id, at(170), "JAM", "BREAK", MANAGER, at(200))
    with pytest.raises(StopReasonError, match="no such stop"):
        give_reason(plant, stop.id + 1000, "JAM", OPERATOR, at(200))
    with pytest.raises(StopReasonError, match="closed for changes"):
        give_reason(plant, stop.id, "JAM", OPERATOR, at(200) + timedelta(days=90))
    with plant() as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action.like("stop.%"))).all() == []
    with plant() as session:
        assert stop_at(session, stop.id).reason_code is None


def test_a_stop_somebody_else_answered_first_is_refused(plant, bagger):
    write(plant, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(100), "down"),
                  StateAt(bagger.id, at(160), "running")])
    stop = stops_awaiting_reason(plant, "L1", at(200))[0]
    with plant.begin() as session:  # another tablet answered it since this one listed it
        session.execute(StateChange.__table__.update().where(StateChange.id == stop.id).values(reason_code="AIR"))
    with pytest.raises(StopReasonError, match="already has the reason AIR"):
        give_reason(plant, stop.id, "JAM", OPERATOR, at(200))


def test_a_split_time_is_read_in_the_plant_zone_after_the_stop_began():
    zone = ZoneInfo("America/New_York")
    began = datetime(2026, 3, 3, 4, 50, tzinfo=timezone.utc)  # 23:50 local on the 2nd
    assert moment_after(began, "00:10", zone) == datetime(2026, 3, 3, 5, 10, tzinfo=timezone.utc)
    assert moment_after(began, "23:55:30", zone) == datetime(2026, 3, 3, 4, 55, 30, tzinfo=timezone.utc)
    with pytest.raises(StopReasonError, match="HH:MM"):
        moment_after(began, "ten past", zone)


def test_the_unexplained_share_counts_stops_that_need_a_reason_and_falls_as_reasons_are_given(plant, bagger):
    write(plant, [StateAt(bagger.id, at(0), "running"),
                  StateAt(bagger.id, at(100), "down"), StateAt(bagger.id, at(130), "running"),  # 30 min, none
                  StateAt(bagger.id, at(200), "changeover"), StateAt(bagger.id, at(210), "running"),  # says why
                  StateAt(bagger.id, at(300), "down", "JAM"), StateAt(bagger.id, at(320), "running")])
    window = window_between(at(0), at(480))
    assert unexplained_stop_share(plant, Scope(line="L1"), window, at(480)) == pytest.approx(30 / 60)
    stop = line_stops(plant, "L1", at(0), at(480), at(480))[0]
    give_reason(plant, stop.id, "AIR", OPERATOR, at(480))
    assert unexplained_stop_share(plant, Scope(line="L1"), window, at(480)) == 0
    assert unexplained_stop_share(plant, Scope(line="L2"), window, at(480)) is None


def test_a_stop_split_into_two_reasons_of_one_state_shows_both_in_the_pareto(plant, bagger):
    write(plant, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(100), "down", "JAM"),
                  StateAt(bagger.id, at(160), "running")])
    stop = line_stops(plant, "L1", at(0), at(480), at(480))[0]
    split_stop(plant, stop.id, at(110), "JAM", "MOTOR", MANAGER, at(200))
    pareto = downtime_pareto(plant, Scope(line="L1"), window_between(at(0), at(480)), at(480)).set_index("reason")
    assert pareto.loc["JAM", "seconds"] == pytest.approx(10 * 60)
    assert pareto.loc["MOTOR", "seconds"] == pytest.approx(50 * 60)


def test_the_unexplained_start_of_a_stop_that_later_got_a_fault_reason_queues_up(plant, bagger):
    # the PLC reported down, and the fault bit only a minute later: one stop of six minutes, its first minute
    # without a reason; the micro-stop threshold (120 s) applies to the whole stop, as in the OEE engine
    write(plant, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(100), "down"),
                  StateAt(bagger.id, at(101), "down", "JAM"), StateAt(bagger.id, at(106), "running")])
    window = window_between(at(0), at(480))
    assert unexplained_stop_share(plant, Scope(line="L1"), window, at(200)) == pytest.approx(1 / 6)
    [stop] = stops_awaiting_reason(plant, "L1", at(200))
    assert (stop.start, stop.end) == (at(100), at(101))
    give_reason(plant, stop.id, "JAM", OPERATOR, at(200))
    assert unexplained_stop_share(plant, Scope(line="L1"), window, at(200)) == 0
    assert downtime_pareto(plant, Scope(line="L1"), window, at(200)).set_index("reason").loc[
        "JAM", "seconds"] == pytest.approx(6 * 60)


def test_the_tablet_cannot_give_a_reason_to_a_stop_that_is_not_waiting_for_one(plant, bagger):
    write(plant, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(100), "changeover"),
                  StateAt(bagger.id, at(130), "running"), StateAt(bagger.id, at(200), "down"),
                  StateAt(bagger.id, at(201), "running")])  # a 60 s small stop
    changeover = line_stops(plant, "L1", at(0), at(480), at(480))[0]
    with plant() as session:
        small_row = session.scalars(select(StateChange.id).where(StateChange.at == at(200))).one()
    for stop_id in (changeover.id, small_row):
        with pytest.raises(StopReasonError, match="does not wait for a reason"):
            give_reason(plant, stop_id, "JAM", OPERATOR, at(300))
    assert change_reason(plant, changeover.id, "CHANGEOVER", MANAGER, at(300)).reason_code == "CHANGEOVER"
