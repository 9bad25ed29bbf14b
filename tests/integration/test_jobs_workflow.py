"""Work orders and operators' jobs on the real store: the lifecycle, who may move a job, start blockers, the
product and changeover a start brings, and a PLC-polled machine's next reading after it."""

import json
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core import audit
from core.accounts import Actor
from core.audit import AuditFilter
from core.job_workflow.access import JobPermissionError
from core.job_workflow.lifecycle import JobError, JobStateError
from core.job_workflow.operator_jobs import (
    JobBlocked, accept_job, assign_job, cancel_job, complete_job, end_changeover, start_job,
)
from core.job_workflow.views import JobView, list_jobs, operators
from core.job_workflow.work_orders import create_work_order, list_work_orders
from core.persistence.product_tables import ProductChange
from core.persistence.timeline_tables import StateChange
from core.plant.config_file import parse_plant_toml
from core.plant.config_store import apply_plant_config
from core.plant.equipment import machines
from core.plc.readings import TimedReading
from core.plc.reading_store import store_readings
from core.plc.tag_rules import MachineReading
from core.products import product_in_force
from core.timeline import StateAt, add_state_changes
from tests.conftest import EXAMPLE_PLANT

UTC = timezone.utc
NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
PRODUCTS = """
[[products]]
code = "FLOUR-25"
name = "Flour 25 kg"
ideal_cycles = { MIX1 = 3.0 }

[[products]]
code = "FLOUR-10"
name = "Flour 10 kg"
"""


@pytest.fixture
def floor(database_url, db, make_user):
    with open(EXAMPLE_PLANT) as plant_file:
        apply_plant_config(db, parse_plant_toml(plant_file.read() + PRODUCTS))
    people = {"otto": make_user("operator", "otto"), "olga": make_user("operator", "olga"),
              "sam": make_user("shift_manager", "sam"), "vic": make_user("viewer", "vic")}
    return db, {name: Actor(name, "10.0.0.9") for name in people}


def new_job(db, who, number="WO-1", product="FLOUR-25", machine="MIX1", operator="otto"):
    create_work_order(db, number, product, 500, date(2026, 3, 3), who["sam"], NOW, line_code="L1",
                      lot_number="LOT-7")
    return assign_job(db, number, operator, machine, who["sam"], NOW)


def state_changes(db, code):
    machine_id = next(m.id for m in machines(db) if m.code == code)
    with db() as session:
        return [(r.at, r.state, r.source) for r in session.execute(
            select(StateChange.at, StateChange.state, StateChange.source)
            .where(StateChange.equipment_id == machine_id).order_by(StateChange.at, StateChange.id))]


def test_a_job_goes_from_assigned_to_completed_and_every_step_is_audited(floor):
    db, who = floor
    job = new_job(db, who)
    assert (job.status, job.operator, job.equipment_code, job.product_code, job.lot_number) == (
        "assigned", "otto", "MIX1", "FLOUR-25", "LOT-7")
    assert [w.number for w in list_work_orders(db)] == ["WO-1"]
    assert accept_job(db, job.id, who["otto"], NOW + timedelta(minutes=1)).status == "accepted"
    started = start_job(db, job.id, who["otto"], NOW + timedelta(minutes=2))
    assert started.status == "in_progress" and started.in_changeover  # a new product: changeover
    assert state_changes(db, "MIX1") == [(NOW + timedelta(minutes=2), "changeover", "job")]
    with db() as session:
        assert product_in_force(session, started.equipment_id, NOW + timedelta(minutes=2)) == "FLOUR-25"
    running = end_changeover(db, job.id, who["otto"], NOW + timedelta(minutes=20))
    assert running.machine_state == "running" and not running.in_changeover
    done = complete_job(db, job.id, 480, 12, who["otto"], NOW + timedelta(hours=3))
    assert (done.status, done.good, done.scrap, done.finished_by) == ("completed", 480, 12, "otto")

    trail = audit.find_entries(db, AuditFilter(text=f"job:{job.id}")).records
    assert sorted(r.action for r in trail) == ["job.accepted", "job.assigned", "job.changeover_done",
                                               "job.completed", "job.in_progress"]
    completed = json.loads(next(r for r in trail if r.action == "job.completed").detail)
    assert (completed["before"], completed["after"], completed["good"]) == ("in_progress", "completed", 480)
    assert all(r.actor in {"otto", "sam"} and r.address == "10.0.0.9" for r in trail)


def test_illegal_moves_are_refused_in_words_and_change_nothing(floor):
    db, who = floor
    job = new_job(db, who)
    with pytest.raises(JobStateError, match="a job that is assigned cannot be completed; accept and start it first"):
        complete_job(db, job.id, 1, 0, who["otto"], NOW)
    with pytest.raises(JobStateError, match="accept it first"):
        start_job(db, job.id, who["otto"], NOW)
    with pytest.raises(JobStateError, match="there is no changeover|has no changeover"):
        end_changeover(db, job.id, who["otto"], NOW)
    assert list_jobs(db)[0].status == "assigned" and state_changes(db, "MIX1") == []
    cancel_job(db, job.id, "order withdrawn", who["sam"], NOW)
    with pytest.raises(JobStateError, match="a job that is cancelled cannot be accepted; it is finished"):
        accept_job(db, job.id, who["otto"], NOW)


@pytest.mark.parametrize("good, scrap", [(-1, 0), (1, -2), (1.5, 0), ("7", 0), (True, 0)])
def test_quantities_are_whole_numbers_of_zero_or_more(floor, good, scrap):
    db, who = floor
    job = new_job(db, who)
    accept_job(db, job.id, who["otto"], NOW)
    start_job(db, job.id, who["otto"], NOW)
    with pytest.raises(JobError, match="must be a whole number of 0 or more"):
        complete_job(db, job.id, good, scrap, who["otto"], NOW)


def test_only_the_assigned_operator_or_a_manager_moves_a_job(floor):
    db, who = floor
    job = new_job(db, who)
    with pytest.raises(JobPermissionError, match="only otto, who the job is assigned to, or a shift or"):
        accept_job(db, job.id, who["olga"], NOW)
    with pytest.raises(JobPermissionError):
        accept_job(db, job.id, who["vic"], NOW)
    with pytest.raises(JobPermissionError, match="only a shift or production manager may cancel jobs"):
        cancel_job(db, job.id, "not mine", who["otto"], NOW)
    with pytest.raises(JobPermissionError, match="may assign jobs"):
        assign_job(db, "WO-1", "olga", "MIX1", who["otto"], NOW)
    with pytest.raises(JobPermissionError, match="may create work orders"):
        create_work_order(db, "WO-2", "FLOUR-25", 5, date(2026, 3, 3), who["otto"], NOW, line_code="L1")
    assert accept_job(db, job.id, who["sam"], NOW).status == "accepted"  # a manager may, for anyone
    assert sorted(name for name, _ in operators(db)) == ["olga", "otto", "sam"]  # sam is a shift manager


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancel_requires_a_reason(floor, reason):
    db, who = floor
    job = new_job(db, who)
    with pytest.raises(JobError, match="a reason is required"):
        cancel_job(db, job.id, reason, who["sam"], NOW)
    cancelled = cancel_job(db, job.id, "material missing", who["sam"], NOW)
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "material missing")


@pytest.mark.parametrize("number, machine, message", [
    ("WO-404", "MIX1", "no work order 'WO-404'"),
    ("WO-1", "NOPE", "no active machine 'NOPE'"),
    ("WO-1", "FIL2", "FIL2 is not on the line of work order WO-1"),
])
def test_assignments_that_do_not_fit_are_refused(floor, number, machine, message):
    db, who = floor
    new_job(db, who)
    with pytest.raises(JobError, match=message):
        assign_job(db, number, "otto", machine, who["sam"], NOW)


def test_bad_work_orders_are_refused(floor):
    db, who = floor
    create_work_order(db, "WO-1", "FLOUR-25", 5, date(2026, 3, 3), who["sam"], NOW, equipment_code="MIX1")
    for args, message in [(("WO-1", "FLOUR-25", 5), "already exists"), (("WO-2", "SUGAR", 5), "no product 'SUGAR'"),
                          (("WO-2", "FLOUR-25", 0), "the quantity must be a whole number from 1")]:
        with pytest.raises(JobError, match=message):
            create_work_order(db, *args, date(2026, 3, 3), who["sam"], NOW, equipment_code="MIX1")
    with pytest.raises(JobError, match="a line or one machine"):
        create_work_order(db, "WO-3", "FLOUR-25", 5, date(2026, 3, 3), who["sam"], NOW, line_code="L1",
                          equipment_code="MIX1")
    with pytest.raises(JobError, match="work order WO-1 is for another machine, not BAG1"):
        assign_job(db, "WO-1", "otto", "BAG1", who["sam"], NOW)


def test_start_blockers_refuse_the_start_and_list_every_reason(floor):
    db, who = floor
    job = new_job(db, who)
    accept_job(db, job.id, who["otto"], NOW)
    seen = []

    def blockers(session, view: JobView, now):
        seen.append((view.id, view.status, view.equipment_code, now))
        return ["pre-start checklist of MIX1 not passed", "guard door open"]

    with pytest.raises(JobBlocked) as refused:
        start_job(db, job.id, who["otto"], NOW, start_blockers=blockers)
    assert refused.value.blockers == ["pre-start checklist of MIX1 not passed", "guard door open"]
    assert "guard door open" in str(refused.value)
    assert seen == [(job.id, "accepted", "MIX1", NOW)]
    assert list_jobs(db)[0].status == "accepted" and state_changes(db, "MIX1") == []
    with db() as session:
        assert session.scalar(select(ProductChange.id)) is None
    assert start_job(db, job.id, who["otto"], NOW, start_blockers=lambda *_: []).status == "in_progress"


def test_the_same_product_again_starts_no_changeover_and_one_job_runs_per_machine(floor):
    db, who = floor
    first = new_job(db, who)
    second = new_job(db, who, number="WO-2", operator="olga")
    for job, operator in ((first, "otto"), (second, "olga")):
        accept_job(db, job.id, who[operator], NOW)
    start_job(db, first.id, who["otto"], NOW)
    with pytest.raises(JobStateError, match=f"job {first.id} is in progress on this machine; complete it first"):
        start_job(db, second.id, who["olga"], NOW + timedelta(hours=1))
    end_changeover(db, first.id, who["otto"], NOW + timedelta(minutes=5))
    complete_job(db, first.id, 10, 0, who["otto"], NOW + timedelta(hours=1))
    assert not start_job(db, second.id, who["olga"], NOW + timedelta(hours=2)).in_changeover
    assert [s for _, s, _ in state_changes(db, "MIX1")] == ["changeover", "running"]


def test_two_people_accepting_at_once_cannot_both_win(floor, monkeypatch):
    from core.job_workflow import operator_jobs

    db, who = floor
    job = new_job(db, who)
    barrier, results = threading.Barrier(2, timeout=20), []
    check = operator_jobs._check

    waited = set()

    def check_then_wait(*args, **kwargs):  # both have read the job as assigned, inside their transactions
        job_row = check(*args, **kwargs)
        if threading.get_ident() not in waited:  # once: a deadlock's victim (MariaDB) tries again alone
            waited.add(threading.get_ident())
            barrier.wait()
        return job_row

    monkeypatch.setattr(operator_jobs, "_check", check_then_wait)

    def accept(actor):
        try:
            accept_job(db, job.id, actor, NOW)
            results.append("won")
        except JobStateError as exc:
            results.append(str(exc))

    threads = [threading.Thread(target=accept, args=(who[name],)) for name in ("otto", "sam")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results)[-1] == "won" and results.count("won") == 1
    assert sorted(results)[0] == "a job that is accepted cannot be accepted again; it is already accepted"
    assert len(audit.find_entries(db, AuditFilter(action="job.accepted")).records) == 1


def test_two_jobs_started_at_once_on_one_machine_cannot_both_run(floor):
    db, who = floor
    jobs = {"otto": new_job(db, who), "olga": new_job(db, who, number="WO-2", operator="olga")}
    for operator, job in jobs.items():
        accept_job(db, job.id, who[operator], NOW)
    barrier, results = threading.Barrier(2, timeout=20), {}

    def meet_the_other_tablet(session, view, now):  # inside start_job's transaction, after the busy check
        barrier.wait()
        return []

    def start(operator):
        try:
            start_job(db, jobs[operator].id, who[operator], NOW, start_blockers=meet_the_other_tablet)
            results[operator] = "won"
        except JobStateError as exc:
            results[operator] = str(exc)

    threads = [threading.Thread(target=start, args=(name,)) for name in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [winner] = [name for name, outcome in results.items() if outcome == "won"]
    [loser] = [name for name in jobs if name != winner]
    assert results[loser] == f"job {jobs[winner].id} is in progress on this machine; complete it first"
    assert [j.status for j in sorted(list_jobs(db), key=lambda j: j.operator != winner)] == ["in_progress", "accepted"]
    assert state_changes(db, "MIX1") == [(NOW, "changeover", "job")]
    with db() as session:
        assert len(session.scalars(select(ProductChange)).all()) == 1
    assert len(audit.find_entries(db, AuditFilter(action="job.in_progress")).records) == 1
    complete_job(db, jobs[winner].id, 5, 0, who[winner], NOW + timedelta(hours=1))
    assert start_job(db, jobs[loser].id, who[loser], NOW + timedelta(hours=2)).status == "in_progress"


def reading(state, good=100, fault=None):
    return MachineReading(state, None, fault, good, 0) if state != "no_data" else MachineReading(
        "no_data", None, None, None, None, error="no answer")


def poll(db, machine_id, seconds_after_now, state, **kwargs):
    store_readings(db, [TimedReading(machine_id, NOW + timedelta(seconds=seconds_after_now), reading(state, **kwargs))])


def test_a_plc_machine_idle_during_a_jobs_changeover_stays_in_changeover_until_it_runs(floor):
    db, who = floor
    mixer = next(m for m in machines(db) if m.code == "MIX1")
    poll(db, mixer.id, -300, "running")
    job = new_job(db, who)
    accept_job(db, job.id, who["otto"], NOW)
    start_job(db, job.id, who["otto"], NOW)
    # no changeover tag: during setup the PLC says idle, then down without a fault; both are the changeover
    for seconds, state in ((30, "idle"), (120, "down"), (400, "idle")):
        poll(db, mixer.id, seconds, state)
    poll(db, mixer.id, 600, "running")
    poll(db, mixer.id, 900, "idle")  # the changeover is over: idle is idle again
    assert [(at - NOW, s) for at, s, _ in state_changes(db, "MIX1")] == [
        (timedelta(minutes=-5), "running"), (timedelta(0), "changeover"), (timedelta(minutes=10), "running"),
        (timedelta(minutes=15), "idle")]


def test_a_fault_during_a_jobs_changeover_ends_it(floor):
    db, who = floor
    mixer = next(m for m in machines(db) if m.code == "MIX1")
    poll(db, mixer.id, -300, "running")
    job = new_job(db, who)
    accept_job(db, job.id, who["otto"], NOW)
    start_job(db, job.id, who["otto"], NOW)
    poll(db, mixer.id, 30, "idle")
    poll(db, mixer.id, 60, "down", fault="F-JAM")
    poll(db, mixer.id, 90, "idle")
    assert [(at - NOW, s) for at, s, _ in state_changes(db, "MIX1")][1:] == [
        (timedelta(0), "changeover"), (timedelta(seconds=60), "down"), (timedelta(seconds=90), "idle")]


def test_a_dead_plc_after_changeover_done_is_no_data_not_running(floor):
    from core.oee.engine import machine_totals

    db, who = floor
    mixer = next(m for m in machines(db) if m.code == "MIX1")
    poll(db, mixer.id, -300, "running")
    job = new_job(db, who)
    accept_job(db, job.id, who["otto"], NOW)
    start_job(db, job.id, who["otto"], NOW)
    end_changeover(db, job.id, who["otto"], NOW + timedelta(minutes=10))
    poll(db, mixer.id, 610, "no_data")  # the PLC dies
    poll(db, mixer.id, 3000, "no_data")
    assert [(at - NOW, s, source) for at, s, source in state_changes(db, "MIX1")][1:] == [
        (timedelta(0), "changeover", "job"), (timedelta(minutes=10), "running", "job"),
        (timedelta(seconds=610), "no_data", "plc")]
    totals = machine_totals(db, [mixer], [NOW, NOW + timedelta(hours=1)], NOW + timedelta(hours=1), None)
    assert totals.iloc[0]["running_s"] == 10 and totals.iloc[0]["no_data_s"] == 3600 - 610


def test_changeover_done_on_a_machine_whose_plc_is_dead_is_refused_and_it_never_counts_as_running(floor):
    from core.oee.engine import machine_totals

    db, who = floor
    mixer = next(m for m in machines(db) if m.code == "MIX1")
    poll(db, mixer.id, -300, "no_data")
    job = new_job(db, who)
    accept_job(db, job.id, who["otto"], NOW)
    start_job(db, job.id, who["otto"], NOW)
    with pytest.raises(JobStateError, match="the machine's PLC is not answering, so nobody can tell it runs"):
        end_changeover(db, job.id, who["otto"], NOW + timedelta(minutes=10))
    for seconds in (610, 1200, 3000):
        poll(db, mixer.id, seconds, "no_data")
    totals = machine_totals(db, [mixer], [NOW, NOW + timedelta(hours=1)], NOW + timedelta(hours=1), None)
    assert (totals.iloc[0]["running_s"], totals.iloc[0]["changeover_s"], totals.iloc[0]["no_data_s"]) == (0, 0, 3600)


def test_a_job_started_while_the_plc_is_silent_books_no_changeover_until_the_plc_answers(floor):
    from core.persistence.plc_tables import PlcOutage

    db, who = floor
    mixer = next(m for m in machines(db) if m.code == "MIX1")
    poll(db, mixer.id, -300, "no_data")
    job = new_job(db, who)
    accept_job(db, job.id, who["otto"], NOW)
    assert not start_job(db, job.id, who["otto"], NOW).in_changeover
    poll(db, mixer.id, 5, "no_data")
    with pytest.raises(JobStateError, match="the machine's PLC is not answering"):
        end_changeover(db, job.id, who["otto"], NOW + timedelta(seconds=10))
    poll(db, mixer.id, 60, "idle", good=5)  # the first answer: the setup goes on
    poll(db, mixer.id, 90, "idle", good=5)
    with db() as session:
        assert [o.ended_at for o in session.scalars(select(PlcOutage))] == [NOW + timedelta(seconds=60)]
    assert [(at - NOW, s) for at, s, _ in state_changes(db, "MIX1")] == [
        (timedelta(minutes=-5), "no_data"), (timedelta(seconds=60), "changeover")]
    assert end_changeover(db, job.id, who["otto"], NOW + timedelta(minutes=2)).machine_state == "running"


def test_a_silent_plc_during_a_jobs_changeover_is_no_data_and_the_changeover_resumes_when_it_answers(floor):
    db, who = floor
    mixer = next(m for m in machines(db) if m.code == "MIX1")
    poll(db, mixer.id, -300, "running")
    job = new_job(db, who)
    accept_job(db, job.id, who["otto"], NOW)
    start_job(db, job.id, who["otto"], NOW)
    poll(db, mixer.id, 5, "no_data")  # silence is stored as silence: it never counts as anything known
    poll(db, mixer.id, 9, "changeover", good=5)  # the machine's changeover tag
    poll(db, mixer.id, 12, "idle", good=5)  # still the job's changeover
    assert [s for _, s, _ in state_changes(db, "MIX1")] == ["running", "changeover", "no_data", "changeover"]
    assert end_changeover(db, job.id, who["otto"], NOW + timedelta(minutes=1)).machine_state == "running"


def test_changeover_done_is_refused_when_the_machine_already_reported_another_state(floor):
    db, who = floor
    job = new_job(db, who)
    accept_job(db, job.id, who["otto"], NOW)
    started = start_job(db, job.id, who["otto"], NOW)
    with db.begin() as session:
        add_state_changes(session, [StateAt(started.equipment_id, NOW + timedelta(minutes=3), "running")])
    with pytest.raises(JobStateError, match="the machine is not in changeover"):
        end_changeover(db, job.id, who["otto"], NOW + timedelta(minutes=4))


def test_a_due_pre_start_checklist_blocks_the_start_until_it_passes(floor):
    from core.checklists.completions import complete_checklist
    from core.job_workflow.start_checks import checklists_before_start

    db, who = floor
    early = datetime(2026, 3, 2, 12, 30, tzinfo=UTC)  # Monday, Early shift in New York
    job = new_job(db, who, machine="BAG1")  # line L1: "Bagging line start-up", first job of the shift
    accept_job(db, job.id, who["otto"], early)
    with pytest.raises(JobBlocked, match="Pre-start checklist 'Bagging line start-up' must be completed first"):
        start_job(db, job.id, who["otto"], early, start_blockers=checklists_before_start)
    complete_checklist(db, "BAG1", "L1-START", {"GUARDS": True, "AIR": 6.0, "FILM": "Enough"}, None, who["otto"],
                       early + timedelta(minutes=1))
    started = start_job(db, job.id, who["otto"], early + timedelta(minutes=2), start_blockers=checklists_before_start)
    assert started.status == "in_progress"


@pytest.mark.parametrize("quantity, due, message", [
    (2.5, "2026-03-03", "the quantity must be a whole number from 1"),
    ("7", "2026-03-03", "the quantity must be a whole number from 1"),
    (5, "2026-02-30", "the due date '2026-02-30' is not a date"),
    (5, "next week", "the due date 'next week' is not a date"),
    (5, "", "give a due date"),
])
def test_a_fractional_quantity_or_a_malformed_due_date_is_refused_not_cut(floor, quantity, due, message):
    db, who = floor
    with pytest.raises(JobError, match=message):
        create_work_order(db, "WO-1", "FLOUR-25", quantity, due, who["sam"], NOW, line_code="L1")
    assert list_work_orders(db) == []
    made = create_work_order(db, "WO-1", "FLOUR-25", 6.0, "2026-03-03T00:00:00", who["sam"], NOW, line_code="L1")
    assert (made.quantity, made.due_date) == (6, date(2026, 3, 3))  # what a number input and a date picker send
