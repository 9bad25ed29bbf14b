"""Pre-start checklists on a real database (SQLite, and MariaDB where set): templates from the plant file,
completions with their signature, what blocks a job start, and the andon call of a failed critical item."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from core import audit
from core.accounts import Actor
from core.andon_calls import list_calls, resolve_call
from core.audit import AuditFilter
from core.checklists.completions import ChecklistError, complete_checklist, pending_checklists
from core.checklists.rules import JobStart
from core.persistence.checklist_tables import ChecklistCompletion
from core.persistence.plant_tables import EquipmentRow
from core.plant.config_file import parse_plant_toml, read_plant_file
from core.plant.config_store import apply_plant_config, read_plant_config
from tests.conftest import EXAMPLE_PLANT

EARLY_MONDAY = datetime(2026, 3, 2, 17, 0, tzinfo=timezone.utc)  # 12:00 in Akron: the Early shift
OTTO = Actor("otto", "10.0.0.7")
ANN = Actor("ann", "10.0.0.8")
SIGNATURE = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
             "awAAAABJRU5ErkJggg==")
FILLER_OK = {"GUARDS": True, "CO2": 3.1, "NOZZLES": "Clean", "LOT": "B-2291"}


def machine_id(db, code: str) -> int:
    with db() as session:
        return session.scalar(select(EquipmentRow.id).where(EquipmentRow.code == code))


def pending(db, code: str, operator: str, now=EARLY_MONDAY, last_job_start=None) -> list[str]:
    with db() as session:
        return pending_checklists(session, machine_id(db, code), operator, now, last_job_start=last_job_start)


def test_the_plant_files_checklists_are_stored_and_dumped_back(database_url, plant):
    stored = read_plant_config(plant)
    assert stored.checklists == read_plant_file(EXAMPLE_PLANT).checklists
    assert not apply_plant_config(plant, read_plant_file(EXAMPLE_PLANT)).any


def test_a_checklist_covers_its_machines_or_its_whole_line(database_url, plant):
    assert pending(plant, "FIL2", "otto") == ["Pre-start checklist 'Filler start-up' must be completed first"]
    assert pending(plant, "BAG1", "otto") == ["Pre-start checklist 'Bagging line start-up' must be completed first"]
    assert pending(plant, "CAP2", "otto") == []


def test_a_passing_completion_is_stored_with_its_signature_and_audited(database_url, plant):
    result = complete_checklist(plant, "FIL2", "FIL2-START", FILLER_OK, SIGNATURE, OTTO, EARLY_MONDAY)
    assert result.passed and result.failed == () and result.andon_call_id is None
    with plant() as session:
        row = session.get(ChecklistCompletion, result.id)
        assert (row.completed_by, row.completed_at, row.shift_day, row.shift_name, row.passed) == (
            "otto", EARLY_MONDAY, date(2026, 3, 2), "Early", True)
        assert row.signature == SIGNATURE
        assert json.loads(row.answers) == {**FILLER_OK, "SIGN": True}
    entry = audit.find_entries(plant, AuditFilter(action="checklist.completed")).records[0]
    assert entry.actor == "otto" and entry.target == f"checklist:{result.id}" and '"passed": true' in entry.detail
    assert pending(plant, "FIL2", "otto") == []
    assert pending(plant, "FIL2", "ann") == ["Pre-start checklist 'Filler start-up' must be completed first"]


def test_a_failed_critical_item_blocks_the_start_and_raises_exactly_one_andon_call(database_url, plant):
    result = complete_checklist(plant, "FIL2", "FIL2-START", {**FILLER_OK, "CO2": 1.2}, SIGNATURE, OTTO,
                                EARLY_MONDAY)
    assert not result.passed
    assert result.failed == ("CO2 pressure (bar): 1.2 is below the minimum 2.5 (critical)",)
    calls = list_calls(plant)
    assert [(c.id, c.equipment_code, c.kind, c.priority, c.source, c.raised_by) for c in calls] == [
        (result.andon_call_id, "FIL2", "maintenance", "high", "checklist", "otto")]
    assert "CO2 pressure (bar): 1.2 is below the minimum 2.5" in calls[0].note
    assert pending(plant, "FIL2", "otto") == [
        "Pre-start checklist 'Filler start-up' failed: it must be completed again and pass first"]

    # failing again while the call is open tells nobody twice
    again = complete_checklist(plant, "FIL2", "FIL2-START", {**FILLER_OK, "CO2": 1.3}, SIGNATURE, OTTO,
                               EARLY_MONDAY + timedelta(minutes=2))
    assert again.andon_call_id == result.andon_call_id and len(list_calls(plant)) == 1

    fixed = complete_checklist(plant, "FIL2", "FIL2-START", FILLER_OK, SIGNATURE, OTTO,
                               EARLY_MONDAY + timedelta(minutes=9))
    assert fixed.passed and pending(plant, "FIL2", "otto", now=EARLY_MONDAY + timedelta(minutes=10)) == []
    assert len(list_calls(plant)) == 1


def test_a_failed_item_that_is_not_critical_passes_with_a_remark(database_url, plant):
    result = complete_checklist(plant, "BAG1", "L1-START", {"GUARDS": True, "AIR": 6.0, "FILM": "Low"}, None,
                                OTTO, EARLY_MONDAY)
    assert result.passed and result.failed == ("Film rolls at the bagger: answered 'Low'",)
    assert list_calls(plant) == [] and pending(plant, "BAG1", "otto") == []


def test_a_new_call_once_the_first_is_resolved(database_url, plant):
    first = complete_checklist(plant, "BAG1", "L1-START", {"GUARDS": False, "AIR": 6.0, "FILM": "Enough"}, None,
                               OTTO, EARLY_MONDAY)
    assert list_calls(plant)[0].kind == "safety" and list_calls(plant)[0].priority == "critical"
    resolve_call(plant, first.andon_call_id, "guard fixed", ANN, EARLY_MONDAY + timedelta(minutes=5))
    second = complete_checklist(plant, "BAG1", "L1-START", {"GUARDS": False, "AIR": 6.0, "FILM": "Enough"}, None,
                                OTTO, EARLY_MONDAY + timedelta(minutes=6))
    assert second.andon_call_id != first.andon_call_id and len(list_calls(plant)) == 2


def test_first_job_of_shift_counts_per_shift(database_url, plant):
    complete_checklist(plant, "MIX1", "L1-START", {"GUARDS": True, "AIR": 6.0, "FILM": "Enough"}, None, OTTO,
                       EARLY_MONDAY)
    assert pending(plant, "MIX1", "ann") == []  # another operator, same shift
    late = EARLY_MONDAY + timedelta(hours=3)  # 15:00 local: the Late shift
    assert pending(plant, "MIX1", "otto", now=late) == [
        "Pre-start checklist 'Bagging line start-up' must be completed first"]
    assert pending(plant, "BAG1", "otto") != []  # a line checklist is filled in per machine


def test_first_job_of_shift_counts_a_checklist_passed_just_before_the_shift(database_url, plant):
    ten_to_six = datetime(2026, 3, 2, 10, 50, tzinfo=timezone.utc)  # 05:50 in Akron: the end of the Night shift
    complete_checklist(plant, "MIX1", "L1-START", {"GUARDS": True, "AIR": 6.0, "FILM": "Enough"}, None, OTTO,
                       ten_to_six)
    assert pending(plant, "MIX1", "otto", now=ten_to_six + timedelta(minutes=12)) == []  # 06:02, the Early shift
    assert pending(plant, "MIX1", "otto", now=ten_to_six + timedelta(hours=8, minutes=12)) != []  # 14:02, Late


def test_every_job_counts_from_the_last_job_start(database_url, db):
    text = Path(EXAMPLE_PLANT).read_text(encoding="utf-8").replace('required = "operator_change"', 'required = "every_job"')
    apply_plant_config(db, parse_plant_toml(text))
    complete_checklist(db, "FIL2", "FIL2-START", FILLER_OK, SIGNATURE, OTTO, EARLY_MONDAY)
    assert pending(db, "FIL2", "otto", last_job_start=JobStart(EARLY_MONDAY - timedelta(hours=1), "ann")) == []
    assert pending(db, "FIL2", "otto", last_job_start=JobStart(EARLY_MONDAY + timedelta(minutes=1), "otto")) != []


@pytest.mark.parametrize("answers, signature, message", [
    ({"GUARDS": True, "NOZZLES": "Clean"}, SIGNATURE, "Answer every item first: CO2 pressure (bar)"),
    (FILLER_OK, None, "Answer every item first: Operator signature"),
    ({**FILLER_OK, "NOZZLES": "Shiny"}, SIGNATURE, "'Shiny' is not one of Clean, Dirty, Damaged"),
    (FILLER_OK, "data:image/png;base64," + "A" * 210_000, "the signature is too large"),
    (FILLER_OK, "data:image/svg+xml;utf8,<svg/>", "must be a drawn PNG image"),
])
def test_incomplete_or_bad_answers_are_refused_and_nothing_is_stored(database_url, plant, answers, signature,
                                                                     message):
    with pytest.raises(ChecklistError, match=re.escape(message)):
        complete_checklist(plant, "FIL2", "FIL2-START", answers, signature, OTTO, EARLY_MONDAY)
    with plant() as session:
        assert session.scalars(select(ChecklistCompletion)).all() == []
    assert list_calls(plant) == []


def test_a_checklist_of_another_machine_is_refused(database_url, plant):
    with pytest.raises(ChecklistError, match="checklist 'FIL2-START' does not apply to CAP2"):
        complete_checklist(plant, "CAP2", "FIL2-START", FILLER_OK, SIGNATURE, OTTO, EARLY_MONDAY)
    with pytest.raises(ChecklistError, match="no active machine 'NOPE'"):
        complete_checklist(plant, "NOPE", "FIL2-START", FILLER_OK, SIGNATURE, OTTO, EARLY_MONDAY)


def test_a_large_signature_fits_the_column(database_url, plant):
    """MariaDB's TEXT stops at 64 kB; a signature may take up to 200 kB."""
    import base64

    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(140_000)).decode()
    big = "data:image/png;base64," + png
    result = complete_checklist(plant, "FIL2", "FIL2-START", FILLER_OK, big, OTTO, EARLY_MONDAY)
    with plant() as session:
        assert session.get(ChecklistCompletion, result.id).signature == big


def test_the_tablet_shows_an_every_job_checklist_due_again_once_a_job_started(database_url, db, make_user):
    from core.checklists.completions import checklists_at
    from core.job_workflow.operator_jobs import JobBlocked, accept_job, assign_job, complete_job, start_job
    from core.job_workflow.start_checks import checklists_before_start
    from core.job_workflow.work_orders import create_work_order

    text = Path(EXAMPLE_PLANT).read_text(encoding="utf-8").replace('required = "operator_change"', 'required = "every_job"')
    apply_plant_config(db, parse_plant_toml(text + '\n[[products]]\ncode = "WATER"\nname = "Water 1 l"\n'))
    make_user("operator", "otto")
    make_user("shift_manager", "sam")
    sam = Actor("sam", "10.0.0.9")
    complete_checklist(db, "FIL2", "FIL2-START", FILLER_OK, SIGNATURE, OTTO, EARLY_MONDAY)
    jobs = []
    for number in ("WO-1", "WO-2"):
        create_work_order(db, number, "WATER", 100, date(2026, 3, 3), sam, EARLY_MONDAY, equipment_code="FIL2")
        jobs.append(assign_job(db, number, "otto", "FIL2", sam, EARLY_MONDAY).id)
    first, second = jobs
    accept_job(db, first, OTTO, EARLY_MONDAY)
    start_job(db, first, OTTO, EARLY_MONDAY + timedelta(minutes=1), start_blockers=checklists_before_start)
    complete_job(db, first, 100, 0, OTTO, EARLY_MONDAY + timedelta(minutes=20))

    later = EARLY_MONDAY + timedelta(minutes=30)
    [due] = checklists_at(db, "FIL2", "otto", later)
    assert due.required_now  # the tablet must not say "done" ...
    accept_job(db, second, OTTO, later)
    with pytest.raises(JobBlocked, match="Filler start-up"):  # ... while the start is refused
        start_job(db, second, OTTO, later, start_blockers=checklists_before_start)

