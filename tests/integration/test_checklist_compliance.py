"""Checklist compliance by line and shift: required vs completed vs passed, on SQLite and MariaDB; and the
managers' page behind its permission."""

from datetime import date, datetime, timedelta, timezone

from core.accounts import Actor
from core.checklists.compliance import Tally, checklist_compliance, compliance_rows
from core.checklists.completions import complete_checklist
from core.checklists.rules import ShiftKey

MONDAY = date(2026, 3, 2)
EARLY_MONDAY = datetime(2026, 3, 2, 17, 0, tzinfo=timezone.utc)  # 12:00 in Akron
SIGNATURE = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
             "awAAAABJRU5ErkJggg==")
FILLER_OK = {"GUARDS": True, "CO2": 3.1, "NOZZLES": "Clean"}
L1_OK = {"GUARDS": True, "AIR": 6.0, "FILM": "Enough"}


def test_rows_count_machine_checklists_once_per_shift():
    early, late = ShiftKey(MONDAY, "Early"), ShiftKey(MONDAY, "Late")
    done = {((1, 10), early): Tally(2, 1), ((2, 10), early): Tally(1, 0), ((9, 10), early): Tally(5, 5),
            ((1, 10), ShiftKey(MONDAY, None)): Tally(1, 1)}
    rows = compliance_rows({"L1": "Bagging"}, {"L1": {(1, 10), (2, 10), (3, 10)}}, [early, late], done)
    assert [(r.shift, r.required, r.completed, r.passed, r.completions, r.failed) for r in rows] == [
        ("Early", 3, 2, 1, 3, 2), ("Late", 3, 0, 0, 0, 0), (None, 0, 1, 1, 1, 0)]
    assert rows[0].compliance == 1 / 3 and rows[2].compliance is None


def test_compliance_of_the_example_plant_on_a_monday(database_url, plant):
    otto = Actor("otto")
    complete_checklist(plant, "FIL2", "FIL2-START", {**FILLER_OK, "CO2": 1.0}, SIGNATURE, otto, EARLY_MONDAY)
    complete_checklist(plant, "FIL2", "FIL2-START", FILLER_OK, SIGNATURE, otto, EARLY_MONDAY + timedelta(minutes=5))
    for machine in ("MIX1", "BAG1"):
        complete_checklist(plant, machine, "L1-START", L1_OK, None, otto, EARLY_MONDAY)

    rows = checklist_compliance(plant, MONDAY, MONDAY, now=EARLY_MONDAY + timedelta(hours=1))
    # Monday's shifts that had begun by 13:00: the Night shift that started on Monday begins at 22:00
    assert [(r.line_code, r.shift, r.required, r.completed, r.passed, r.completions, r.failed) for r in rows] == [
        ("L1", "Early", 4, 2, 2, 2, 0), ("L2", "Early", 1, 1, 1, 2, 1)]

    whole_day = checklist_compliance(plant, MONDAY, MONDAY, now=EARLY_MONDAY + timedelta(days=1), line_code="L2")
    assert [(r.shift, r.required, r.passed) for r in whole_day] == [("Early", 1, 1), ("Late", 1, 0),
                                                                    ("Night", 1, 0)]


def test_a_range_too_long_or_backwards_is_refused(database_url, plant):
    import pytest

    with pytest.raises(ValueError, match="at most 92 days"):
        checklist_compliance(plant, MONDAY, MONDAY + timedelta(days=120), EARLY_MONDAY)
    with pytest.raises(ValueError, match="before the first day"):
        checklist_compliance(plant, MONDAY, MONDAY - timedelta(days=1), EARLY_MONDAY)


def test_operators_fill_checklists_and_managers_and_quality_review_them():
    from core.permissions import roles_with

    assert roles_with("checklists.review") == {"admin", "production_manager", "shift_manager", "quality"}
    assert "operator" in roles_with("checklists.fill") and "operator" not in roles_with("checklists.review")
