"""Pre-start checklist rules: when an answer passes, what a set of answers gives, when a checklist is due."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.checklists.answers import AnswerError, checked_answers
from core.checklists.rules import (
    BEFORE_SHIFT, ChecklistItem, JobStart, LastCompletion, ShiftKey, answer_passes, checklist_required, failure_reason, grade,
)
from core.checklists.signature import MAX_SIGNATURE_BYTES, PNG_PREFIX, SignatureError, check_signature

T0 = datetime(2026, 3, 2, 11, 0, tzinfo=timezone.utc)
EARLY = ShiftKey(date(2026, 3, 2), "Early")
LATE = ShiftKey(date(2026, 3, 2), "Late")

GUARDS = ChecklistItem("GUARDS", "Guards closed", "checkbox", critical=True, andon="safety")
AIR = ChecklistItem("AIR", "Air pressure", "number", critical=True, min=5.5, max=7.0, andon="maintenance")
FILM = ChecklistItem("FILM", "Film rolls", "choice", choices=("Enough", "Low", "Empty"), pass_values=("Enough",))
LOT = ChecklistItem("LOT", "Lot number", "text", required=False)
NOTE = ChecklistItem("NOTE", "Remarks", "text")
SIGN = ChecklistItem("SIGN", "Signature", "signature")
ITEMS = (GUARDS, AIR, FILM, LOT, SIGN)


@pytest.mark.parametrize("item, answer, passes", [
    (GUARDS, True, True), (GUARDS, False, False), (GUARDS, None, False), (GUARDS, "yes", False),
    (ChecklistItem("OIL", "Oil topped up", required=False), None, True),
    (AIR, 5.5, True), (AIR, 7.0, True), (AIR, 6, True), (AIR, 5.49, False), (AIR, 7.01, False), (AIR, None, False),
    (AIR, float("nan"), False), (AIR, True, False),
    (FILM, "Enough", True), (FILM, "Low", False), (FILM, "Plenty", False), (FILM, None, False),
    (LOT, None, True), (LOT, "", True), (LOT, "A-12", True),
    (NOTE, "", False), (NOTE, "  ", False), (NOTE, "ok", True),
    (SIGN, True, True), (SIGN, False, False),
])
def test_when_an_answer_passes(item, answer, passes):
    assert answer_passes(item, answer) is passes


def test_failure_reasons_are_in_words():
    assert failure_reason(AIR, 4.2) == "4.2 is below the minimum 5.5"
    assert failure_reason(AIR, 9) == "9 is above the maximum 7"
    assert failure_reason(GUARDS, False) == "not ticked"
    assert failure_reason(FILM, "Low") == "answered 'Low'"


def test_a_choice_without_a_pass_list_passes_any_of_its_choices():
    shift = ChecklistItem("SHIFT", "Who hands over", "choice", choices=("Early", "Late"))
    assert answer_passes(shift, "Late") and not answer_passes(shift, "Night")


def test_only_a_failed_critical_item_fails_the_checklist():
    good = {"GUARDS": True, "AIR": 6.0, "FILM": "Enough", "SIGN": True}
    assert grade(ITEMS, good).passed and grade(ITEMS, good).failed == ()
    low_film = grade(ITEMS, {**good, "FILM": "Low"})
    assert low_film.passed and [f.code for f in low_film.failed] == ["FILM"] and not low_film.critical_failures
    no_air = grade(ITEMS, {**good, "AIR": 3.0})
    assert not no_air.passed and [(f.code, f.andon) for f in no_air.critical_failures] == [("AIR", "maintenance")]


@given(st.dictionaries(st.sampled_from([i.code for i in ITEMS]),
                       st.one_of(st.none(), st.booleans(), st.floats(allow_nan=True), st.sampled_from(["", " ", "x"]),
                                 st.sampled_from(["Enough", "Low", "Empty"]))))
def test_a_checklist_passes_exactly_when_every_critical_item_passes(answers):
    result = grade(ITEMS, answers)
    assert result.passed == all(answer_passes(i, answers.get(i.code)) for i in ITEMS if i.critical)
    assert {f.code for f in result.failed} == {i.code for i in ITEMS if not answer_passes(i, answers.get(i.code))}


def test_answers_are_checked_before_grading():
    answers = checked_answers(ITEMS, {"GUARDS": True, "AIR": "6.2", "FILM": "Low", "LOT": " "}, signed=True)
    assert answers == {"GUARDS": True, "AIR": 6.2, "FILM": "Low", "LOT": None, "SIGN": True}
    assert checked_answers(ITEMS, {"GUARDS": False, "AIR": 0, "FILM": "Low"}, signed=True)["GUARDS"] is False
    with pytest.raises(AnswerError, match="Answer every item first: Guards closed"):
        checked_answers(ITEMS, {"AIR": 0, "FILM": "Low"}, signed=True)  # a forgotten tap is no failure
    with pytest.raises(AnswerError, match="'Guards closed' needs OK or not OK"):
        checked_answers(ITEMS, {"GUARDS": "yes", "AIR": 0, "FILM": "Low"}, signed=True)
    with pytest.raises(AnswerError, match="Answer every item first: Air pressure, Signature"):
        checked_answers(ITEMS, {"GUARDS": True, "FILM": "Low"}, signed=False)
    with pytest.raises(AnswerError, match="'Air pressure' needs a number, not 'lots'"):
        checked_answers(ITEMS, {"AIR": "lots", "FILM": "Low"}, signed=True)
    with pytest.raises(AnswerError, match="'Plenty' is not one of Enough, Low, Empty"):
        checked_answers(ITEMS, {"AIR": 6, "FILM": "Plenty"}, signed=True)
    with pytest.raises(AnswerError, match="longer than 500"):
        checked_answers((NOTE,), {"NOTE": "x" * 501}, signed=False)


def done(at=T0, operator="otto", shift=EARLY, passed=True) -> LastCompletion:
    return LastCompletion(at, operator, shift, passed)


def test_never_completed_or_last_failed_is_always_due():
    for required in ("every_job", "first_job_of_shift", "operator_change"):
        assert checklist_required(required, "otto", EARLY, None, None)
        assert checklist_required(required, "otto", EARLY, done(passed=False), None)


def test_every_job_is_due_again_after_each_job_start():
    assert not checklist_required("every_job", "otto", EARLY, done(), None)
    assert not checklist_required("every_job", "otto", EARLY, done(), JobStart(T0 - timedelta(minutes=5), "otto"))
    assert checklist_required("every_job", "otto", EARLY, done(), JobStart(T0 + timedelta(minutes=5), "otto"))


def test_first_job_of_shift_is_due_once_per_shift():
    assert not checklist_required("first_job_of_shift", "ann", EARLY, done(operator="otto"),
                                  JobStart(T0 + timedelta(minutes=5), "otto"))
    assert checklist_required("first_job_of_shift", "otto", LATE, done(), None)
    assert checklist_required("first_job_of_shift", "otto", ShiftKey(date(2026, 3, 3), "Early"), done(), None)


def test_first_job_of_shift_counts_a_checklist_passed_shortly_before_the_shift():
    late_starts = T0 + timedelta(minutes=20)  # T0 is 20 minutes before the Late shift, within its Early shift
    assert not checklist_required("first_job_of_shift", "otto", LATE, done(), None, shift_start=late_starts)
    assert not checklist_required("first_job_of_shift", "otto", LATE, done(shift=ShiftKey(date(2026, 3, 2), None)),
                                  None, shift_start=late_starts)  # before the shift, outside every shift
    assert BEFORE_SHIFT == timedelta(minutes=30)
    too_early = T0 + BEFORE_SHIFT + timedelta(seconds=1)
    assert checklist_required("first_job_of_shift", "otto", LATE, done(), None, shift_start=too_early)
    assert not checklist_required("first_job_of_shift", "otto", LATE, done(), None, shift_start=T0 + BEFORE_SHIFT)
    assert checklist_required("first_job_of_shift", "otto", LATE, done(passed=False), None, shift_start=late_starts)


def test_operator_change_is_due_when_someone_else_takes_over():
    later = JobStart(T0 + timedelta(hours=1), "otto")
    assert not checklist_required("operator_change", "otto", LATE, done(), later)  # same operator goes on
    assert checklist_required("operator_change", "ann", EARLY, done(operator="otto"), None)
    assert not checklist_required("operator_change", "ann", EARLY, done(operator="ann"),
                                  JobStart(T0 - timedelta(hours=1), "otto"))  # ann checked after otto's job
    assert checklist_required("operator_change", "ann", EARLY, done(operator="ann"),
                              JobStart(T0 + timedelta(minutes=1), "otto"))  # otto took over since


@given(st.sampled_from(["every_job", "first_job_of_shift", "operator_change"]), st.sampled_from(["otto", "ann"]),
       st.sampled_from([EARLY, LATE]), st.sampled_from(["otto", "ann"]), st.sampled_from([EARLY, LATE]),
       st.one_of(st.none(), st.tuples(st.integers(-120, 120), st.sampled_from(["otto", "ann"]))))
def test_a_passing_completion_by_this_operator_in_this_shift_with_no_job_since_is_never_due(
        required, operator, shift, done_by, done_in, job):
    last_job = None if job is None else JobStart(T0 + timedelta(minutes=job[0]), job[1])
    due = checklist_required(required, operator, shift, done(operator=done_by, shift=done_in), last_job)
    if done_by == operator and done_in == shift and (last_job is None or last_job.at < T0):
        assert not due


def test_an_unknown_required_setting_is_refused():
    with pytest.raises(ValueError, match="unknown required setting 'weekly'"):
        checklist_required("weekly", "otto", EARLY, None, None)


TINY_PNG = PNG_PREFIX + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def test_a_signature_is_a_small_png_data_url():
    assert check_signature(TINY_PNG) == TINY_PNG
    assert check_signature(None) is None and check_signature("") is None
    with pytest.raises(SignatureError, match="must be a drawn PNG image"):
        check_signature("data:image/svg+xml;base64,PHN2Zz4=")
    with pytest.raises(SignatureError, match="must be a drawn PNG image"):
        check_signature(PNG_PREFIX + "R0lGODlhAQABAAAAACw=")  # a GIF under a PNG label
    with pytest.raises(SignatureError, match="damaged"):
        check_signature(PNG_PREFIX + "not base64!")


def test_a_signature_over_200_kB_is_refused_in_words():
    big = TINY_PNG + "A" * (MAX_SIGNATURE_BYTES - len(TINY_PNG) + 4)
    with pytest.raises(SignatureError, match=r"too large \(200 kB; at most 200 kB\): clear it and sign again"):
        check_signature(big)
