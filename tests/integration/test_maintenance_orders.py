"""Maintenance work orders on the example plant and a real database: corrective orders in one tap from a stop or
an andon call (a second tap gives the same order), the lifecycle with tasks, time and parts, refusals that store
nothing, preventive orders opened once by the job when a plan falls due, and MTTR from work orders."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from core.accounts import Actor, create_user
from core.andon_calls import call_for_help
from core.maintenance.corrective_orders import call_source, create_from_call, create_from_stop, stop_source
from core.maintenance.order_moves import assign_order, complete_order, set_task_done, start_order
from core.maintenance.order_rules import MaintenanceError, OrderStateError
from core.maintenance.order_views import OrderFilter, find_order, list_orders, overdue_orders
from core.maintenance.preventive_orders import mark_plan_done, plan_statuses
from core.maintenance.repair_times import mttr_from_stops, mttr_from_work_orders
from core.oee.service import Window
from core.persistence.account_tables import AuditEntry
from core.persistence.maintenance_tables import MaintenanceOrderRow, MaintenancePlanRow
from core.plant.config_file import read_plant_file
from core.plant.config_store import apply_plant_config
from core.plant.equipment import machines
from core.timeline import CountAt, StateAt, add_counts, add_state_changes
from jobs.context import JobContext
from jobs.preventive_maintenance import open_due_preventive_orders
from tests.conftest import EXAMPLE_PLANT, TEST_PASSWORD

T0 = datetime(2026, 3, 2, 6, tzinfo=timezone.utc)
MAX, OTTO = Actor("max"), Actor("otto")


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.fixture
def shop(database_url, db):
    """The example plant, loaded at T0 (its preventive plans count from then), with a mechanic and an operator."""
    apply_plant_config(db, read_plant_file(EXAMPLE_PLANT), now=T0)
    create_user(db, "max", "maintenance", TEST_PASSWORD)
    create_user(db, "eve", "engineer", TEST_PASSWORD)
    create_user(db, "otto", "operator", TEST_PASSWORD)
    return db


def machine_id(db, code: str) -> int:
    return next(m.id for m in machines(db) if m.code == code)


def write_states(db, code: str, *changes: tuple[float, str], fault: str | None = None) -> list[int]:
    from core.persistence.timeline_tables import StateChange

    equipment = machine_id(db, code)
    with db.begin() as session:
        add_state_changes(session, [StateAt(equipment, at(h), state, source="plc",
                                            fault_code=fault if state == "down" else None) for h, state in changes])
    with db() as session:
        return list(session.scalars(select(StateChange.id).where(StateChange.equipment_id == equipment)
                                    .order_by(StateChange.at)))


def audit_actions(db) -> list[tuple[str, str]]:
    with db() as session:
        return [tuple(r) for r in session.execute(select(AuditEntry.actor, AuditEntry.action)
                                                  .where(AuditEntry.action.like("maintenance.%"))
                                                  .order_by(AuditEntry.id))]


def order_count(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(MaintenanceOrderRow))


def test_one_tap_on_a_stop_opens_a_corrective_order_and_a_second_tap_shows_the_same(shop):
    ids = write_states(shop, "BAG1", (0, "running"), (1, "down"), (1.5, "running"), fault="F-JAM")
    source = stop_source(shop, ids[1])  # what the page shows before the tap
    assert (source.equipment_code, source.start, source.end, source.state) == ("BAG1", at(1), at(1.5), "down")
    assert source.open_order_id is None
    first = create_from_stop(shop, ids[1], MAX, at(1.1))
    again = create_from_stop(shop, ids[1], Actor("eve"), at(1.2))
    assert first.created and not again.created and again.order_id == first.order_id
    order = find_order(shop, first.order_id)
    assert (order.kind, order.state, order.equipment_code, order.stop_id, order.stop_start, order.created_by) == (
        "corrective", "open", "BAG1", ids[1], at(1), "max")
    assert order.title.startswith("Repair BAG1")
    assert stop_source(shop, ids[1]).open_order_id == first.order_id
    assert order_count(shop) == 1 and audit_actions(shop) == [("max", "maintenance.created")]


def test_an_andon_call_raised_during_a_stop_opens_an_order_linked_to_both(shop):
    ids = write_states(shop, "FIL2", (0, "running"), (2, "down"))
    call = call_for_help(shop, "FIL2", "maintenance", "high", "valve leaking", OTTO, "tablet", at(2.1))
    source = call_source(shop, call.id)
    assert (source.equipment_code, source.stop_id, source.stop_start, source.note) == (
        "FIL2", ids[1], at(2), "valve leaking")
    made = create_from_call(shop, call.id, MAX, at(2.2))
    order = find_order(shop, made.order_id)
    assert (order.andon_call_id, order.stop_id, order.stop_start) == (call.id, ids[1], at(2))
    assert "valve leaking" in order.description
    # the same breakdown, tapped from the stops page: the order already open for it
    assert create_from_stop(shop, ids[1], MAX, at(2.3)).order_id == made.order_id
    assert create_from_call(shop, call.id, MAX, at(2.4)) == type(made)(made.order_id, False)
    assert order_count(shop) == 1


def test_an_order_is_assigned_started_ticked_and_completed_with_time_and_parts(shop):
    ids = write_states(shop, "BAG1", (0, "running"), (1, "down"), (2, "running"))
    order_id = create_from_stop(shop, ids[1], OTTO, at(1.05)).order_id
    assign_order(shop, order_id, "EVE", MAX, at(1.1))  # names compare without case
    started = start_order(shop, order_id, MAX, at(1.2))
    assert (started.state, started.assignee, started.started_by) == ("in_progress", "eve", "max")
    assign_order(shop, order_id, "max", MAX, at(1.3))  # reassigned while in progress
    done = complete_order(shop, order_id, "50", "Drive belt XPZ 1250", "38.50", MAX, at(2.1))
    assert (done.state, done.done_at, done.minutes_spent, done.parts_used, done.parts_cost, done.assignee) == (
        "done", at(2.1), 50, "Drive belt XPZ 1250", 38.5, "max")
    with pytest.raises(OrderStateError, match="cannot be reassigned"):
        assign_order(shop, order_id, "eve", MAX, at(3))
    assert audit_actions(shop) == [("otto", "maintenance.created"), ("max", "maintenance.assigned"),
                                   ("max", "maintenance.started"), ("max", "maintenance.assigned"),
                                   ("max", "maintenance.completed")]
    # done: the stop may break again, and a new tap opens a new order
    assert create_from_stop(shop, ids[1], MAX, at(3)).created


def test_bad_input_is_refused_and_nothing_is_stored(shop):
    ids = write_states(shop, "BAG1", (0, "running"), (1, "down"), (2, "running"))
    with pytest.raises(MaintenanceError, match="No stop"):
        create_from_stop(shop, ids[0], MAX, at(1))  # a running stretch is no stop
    with pytest.raises(MaintenanceError, match="No andon call 999"):
        create_from_call(shop, 999, MAX, at(1))
    assert order_count(shop) == 0
    order_id = create_from_stop(shop, ids[1], MAX, at(1.1)).order_id
    before = find_order(shop, order_id)
    with pytest.raises(OrderStateError, match="start the work order before completing it"):
        complete_order(shop, order_id, 30, "", 0, MAX, at(1.5))
    with pytest.raises(MaintenanceError, match="not an active user of a maintenance"):
        assign_order(shop, order_id, "otto", MAX, at(1.5))  # an operator
    with pytest.raises(MaintenanceError, match="not an active user"):
        assign_order(shop, order_id, "nobody", MAX, at(1.5))
    start_order(shop, order_id, MAX, at(1.6))
    for minutes, parts, cost, message in ((None, "", 0, "how long"), ("-3", "", 0, "how long"),
                                          (30, "belt", "-2", "0 or more"), (30, "", "12", "which parts")):
        with pytest.raises(MaintenanceError, match=message):
            complete_order(shop, order_id, minutes, parts, cost, MAX, at(1.7))
    after = find_order(shop, order_id)
    assert (after.state, after.minutes_spent, after.parts_cost, after.done_at) == ("in_progress", None, None, None)
    assert (before.assignee, after.assignee) == (None, "max")  # starting it gave it to whoever started it
    assert [a for _, a in audit_actions(shop)] == ["maintenance.created", "maintenance.started"]


def test_a_preventive_order_is_opened_once_when_the_run_hours_cross_the_interval(shop, tmp_path):
    # BAG1-JAWS: every 8 run hours, grace 0.25 days; counting from T0 (the plant was loaded then)
    write_states(shop, "BAG1", (0, "running"), (5, "down"), (6, "running"), (9.5, "idle"))

    def run_job(hours: float) -> None:
        open_due_preventive_orders(JobContext(db=shop, clock=lambda: at(hours), home=tmp_path))

    run_job(8.99)  # 5 + 2.99 run hours
    assert order_count(shop) == 0
    run_job(9.5)
    run_job(10)  # a rerun opens nothing more
    [order] = list_orders(shop)
    assert (order.kind, order.plan_code, order.equipment_code, order.state) == ("preventive", "BAG1-JAWS", "BAG1",
                                                                                 "open")
    assert order.due_at == at(9) + timedelta(days=0.25)  # fell due at 8 run hours: 09:00 after T0
    full = find_order(shop, order.id)
    assert [t.text for t in full.tasks] == ["Lock out the bagger", "Clean the sealing jaws",
                                            "Grease both jaw bearings", "Test seal on 5 bags"]
    assert overdue_orders(shop, at(14.9)) == [] and [o.id for o in overdue_orders(shop, at(15.1))] == [order.id]

    start_order(shop, order.id, MAX, at(16))
    with pytest.raises(MaintenanceError, match="4 tasks not ticked yet"):
        complete_order(shop, order.id, 40, "", 0, MAX, at(16.5))
    for task in full.tasks:
        set_task_done(shop, order.id, task.id, True, MAX, at(16.4))
    complete_order(shop, order.id, 40, "Grease LGHP 2", 12, MAX, at(16.5))
    with shop() as session:
        plan = session.scalar(select(MaintenancePlanRow).where(MaintenancePlanRow.code == "BAG1-JAWS"))
    assert plan.last_done_at == at(16.5)
    write_states(shop, "BAG1", (17, "running"))
    run_job(23.99)
    assert order_count(shop) == 1  # 6.99 run hours since it was done (and the palletizer's day not over)
    run_job(25)  # 8 run hours since it was done, and PAL1-SAFETY's first day is over too
    assert [(o.plan_code, o.state) for o in list_orders(shop)] == [("BAG1-JAWS", "open"), ("PAL1-SAFETY", "open"),
                                                                   ("BAG1-JAWS", "done")]
    assert [a for a in audit_actions(shop) if a[1] == "maintenance.created"] == [("system", "maintenance.created")] * 3


def test_cycles_and_calendar_plans_fall_due_from_the_machines_data(shop, tmp_path):
    filler = machine_id(shop, "FIL2")
    with shop.begin() as session:  # FIL2-VALVES: every 150,000 cycles (good and reject)
        add_counts(session, [CountAt(filler, at(h), 24_000, 1_000) for h in range(1, 7)])
    statuses = {s.code: s for s in plan_statuses(shop, at(10))}
    assert statuses["FIL2-VALVES"].reading == 150_000 and statuses["FIL2-VALVES"].due.fell_due_at == at(6)
    assert statuses["PAL1-SAFETY"].due is None and statuses["PAL1-SAFETY"].reading == pytest.approx(10 / 24)
    assert statuses["MIX1-GEARBOX"].due is None
    mark_plan_done(shop, "FIL2-VALVES", at(3.5), MAX, at(10))  # done outside Floorboard: counts from then
    assert plan_statuses(shop, at(10))[1].due is None
    open_due_preventive_orders(JobContext(db=shop, clock=lambda: at(24), home=tmp_path))
    [safety_test] = list_orders(shop, OrderFilter(equipment_code="PAL1"))
    assert (safety_test.plan_code, safety_test.due_at) == ("PAL1-SAFETY", at(24) + timedelta(days=2))
    assert list_orders(shop, OrderFilter(equipment_code="FIL2")) == []
    with pytest.raises(MaintenanceError, match="in the future"):
        mark_plan_done(shop, "MIX1-GEARBOX", at(30), MAX, at(24))


def test_mttr_from_work_orders_counts_from_the_stop_or_the_order_to_its_completion(shop):
    ids = write_states(shop, "BAG1", (0, "running"), (1, "down"), (2, "running"), (5, "down"), (5.5, "running"))
    from_stop = create_from_stop(shop, ids[1], MAX, at(1.25)).order_id  # the stop began at 01:00
    start_order(shop, from_stop, MAX, at(1.5))
    complete_order(shop, from_stop, 45, "", 0, MAX, at(2.5))  # 90 minutes after the stop began
    call = call_for_help(shop, "BAG1", "maintenance", "high", "noise", OTTO, "tablet", at(3))  # while running
    from_call = create_from_call(shop, call.id, MAX, at(3)).order_id
    start_order(shop, from_call, MAX, at(3.1))
    complete_order(shop, from_call, 20, "", 0, MAX, at(3.5))  # 30 minutes after the order
    later = create_from_stop(shop, ids[3], MAX, at(5.1)).order_id  # still open: not counted
    window = Window(T0, at(4), "test")
    bagger, mixer = machine_id(shop, "BAG1"), machine_id(shop, "MIX1")
    figures = mttr_from_work_orders(shop, [bagger, mixer], window)
    assert (figures[bagger].orders, figures[bagger].mttr_minutes, figures[bagger].spent_minutes) == (2, 60.0, 32.5)
    assert (figures[mixer].orders, figures[mixer].mttr_minutes) == (0, None)
    assert find_order(shop, later).state == "open"
    stops = mttr_from_stops(shop, Window(T0, at(6), "test"), at(6))
    # each breakdown in full, start to end (core.faults.reliability): 60 min (the night shift's break inside it
    # included) and 30 min
    assert (stops[bagger].breakdowns, stops[bagger].breakdown_time) == (2, 5400)
    assert stops[bagger].mttr == 2700


def test_two_taps_at_once_on_one_stop_open_one_order(shop):
    import threading

    ids = write_states(shop, "BAG1", (0, "running"), (1, "down"), (2, "running"))
    barrier, made = threading.Barrier(2), []

    def tap(person: str) -> None:
        barrier.wait()
        made.append(create_from_stop(shop, ids[1], Actor(person), at(1.1)))

    tablets = [threading.Thread(target=tap, args=(name,)) for name in ("max", "eve")]
    for tablet in tablets:
        tablet.start()
    for tablet in tablets:
        tablet.join()
    assert order_count(shop) == 1
    assert len({m.order_id for m in made}) == 1 and sorted(m.created for m in made) == [False, True]


def test_a_tap_on_a_stop_and_one_on_a_call_raised_during_it_at_once_open_one_order(shop):
    import threading

    rounds = [(1 + 2 * n, 2 + 2 * n) for n in range(3)]  # three breakdowns, each raced once
    ids = write_states(shop, "FIL2", (0, "running"), *((h, s) for down, up in rounds
                                                       for h, s in ((down, "down"), (up, "running"))))
    for n, (down, _) in enumerate(rounds):
        stop_id = ids[1 + 2 * n]
        call = call_for_help(shop, "FIL2", "maintenance", "high", "valve leaking", OTTO, "tablet", at(down + 0.1))
        barrier, made = threading.Barrier(2), []

        def tap(create, ref_id: int, person: str) -> None:
            barrier.wait()
            made.append(create(shop, ref_id, Actor(person), at(down + 0.2)))

        tablets = [threading.Thread(target=tap, args=(create_from_stop, stop_id, "max")),
                   threading.Thread(target=tap, args=(create_from_call, call.id, "eve"))]
        for tablet in tablets:
            tablet.start()
        for tablet in tablets:
            tablet.join()
        assert len(made) == 2 and len({m.order_id for m in made}) == 1
        assert sorted(m.created for m in made) == [False, True]
        assert find_order(shop, made[0].order_id).stop_id == stop_id
    assert order_count(shop) == len(rounds)
