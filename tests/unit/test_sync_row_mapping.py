"""Mapping one source row (core.sync.row_mapping): local times to UTC, counts, refusals in words, units spread."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.plant.config_schema import Source
from core.sync.count_spreading import CountSpreader
from core.sync.row_mapping import MappedRow, RefusedRow, RowMapper

SOURCE = Source.model_validate({
    "name": "cimco", "url_env": "CIMCO_URL", "table": "JobLogOB", "id_column": "ID", "updated_column": "Modified",
    "columns": {"equipment": "Machine", "state": "State", "start": "Start", "end": "End", "job": "Job",
                "part": "Part", "operator": "Emp", "good": "Good", "reject": "Bad"},
    "states": {"RUN": "running", "DOWN": "down"}, "equipment": {"Haas #1": "CNC1"}})
MAPPER = RowMapper(SOURCE, {"CNC1": 1, "LATHE1": 2}, "Europe/Berlin")


def row(ID=7, **values):
    """A row as read, in the mapper's column order."""
    values = {"ID": ID, "Machine": "Haas #1", "State": "RUN", "Start": datetime(2026, 3, 3, 6, 0), "End": None,
              "Job": None, "Part": None, "Emp": None, "Good": None, "Bad": None, "Modified": None, **values}
    return tuple(values[name] for name in MAPPER.names)


def test_local_times_become_utc_and_names_map_to_machines():
    mapped = MAPPER.map(row(ID=7, End=datetime(2026, 3, 3, 7, 0), Machine="LATHE1", Good=Decimal("10"), Emp=4711))
    assert isinstance(mapped, MappedRow)
    assert (mapped.equipment_id, mapped.state, mapped.good, mapped.reject, mapped.operator) == (2, "running", 10, 0,
                                                                                                "4711")
    assert mapped.start == datetime(2026, 3, 3, 5, 0, tzinfo=timezone.utc)
    assert mapped.end == datetime(2026, 3, 3, 6, 0, tzinfo=timezone.utc)


def test_an_ambiguous_time_at_the_autumn_change_is_its_first_occurrence():
    mapped = MAPPER.map(row(ID=1, Start=datetime(2026, 10, 25, 2, 30)))
    assert mapped.start == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)  # 02:30 CEST, not CET


def test_a_date_and_a_text_time_are_read_too():
    assert MAPPER.map(row(ID=1, Start=date(2026, 3, 3))).start == datetime(2026, 3, 2, 23, 0, tzinfo=timezone.utc)
    assert MAPPER.map(row(ID=1, Start="2026-03-03 06:00:00")).start == datetime(2026, 3, 3, 5, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("values, reason", [
    ({"State": "WARMUP"}, "unknown state value 'WARMUP': map it in [sources.states]"),
    ({"State": None}, "no state (State is empty)"),
    ({"Machine": "Okuma"}, "unknown machine 'Okuma': map it to an equipment code in [sources.equipment]"),
    ({"Start": None}, "no start time (Start is empty)"),
    ({"Start": "0000-00-00 00:00:00"}, "Start is not a time: '0000-00-00 00:00:00'"),
    ({"End": datetime(2026, 3, 3, 5, 0)}, "ends before it starts"),
    ({"Good": -3}, "Good is not a whole number from 0 to 1000000000: -3"),
    ({"Bad": 2.5}, "Bad is not a whole number from 0 to 1000000000: 2.5"),
    ({"Good": "many"}, "Good is not a whole number"),
    ({"Part": "P" * 33}, "Part is longer than 32 characters"),
])
def test_a_row_that_cannot_be_taken_says_why_and_keeps_the_row_as_read(values, reason):
    refused = MAPPER.map(row(ID=9, **values))
    assert isinstance(refused, RefusedRow) and refused.row_id == 9
    assert reason in refused.reason
    assert '"Machine": ' in refused.raw


def test_an_end_in_year_9999_means_still_open_and_a_time_out_of_range_is_refused():
    assert MAPPER.map(row(End=datetime(9999, 12, 31, 23, 59, 59))).end is None
    assert "Start is out of range (1971 to 2199)" in MAPPER.map(row(Start=datetime(1900, 1, 1))).reason
    assert "End is out of range" in MAPPER.map(row(End=datetime(2500, 1, 1))).reason


def test_every_problem_of_a_row_is_named_at_once():
    refused = MAPPER.map(row(ID=9, State="X", Machine="Y"))
    assert "unknown machine 'Y'" in refused.reason and "unknown state value 'X'" in refused.reason


def test_the_digest_changes_with_what_the_row_says_and_with_the_mapping():
    first = MAPPER.map(row(ID=1, Good=5))
    assert first.digest == MAPPER.map(row(ID=1, Good=5)).digest
    assert first.digest != MAPPER.map(row(ID=1, Good=6)).digest
    remapped = RowMapper(SOURCE, {"CNC1": 3, "LATHE1": 2}, "Europe/Berlin")
    assert first.digest != remapped.map(row(ID=1, Good=5)).digest


def test_a_stretch_over_the_autumn_clock_change_is_read_across_it():
    mapped = MAPPER.map(row(Start=datetime(2026, 10, 25, 2, 50), End=datetime(2026, 10, 25, 2, 10)))
    assert mapped.start == datetime(2026, 10, 25, 0, 50, tzinfo=timezone.utc)  # 02:50 CEST
    assert mapped.end == datetime(2026, 10, 25, 1, 10, tzinfo=timezone.utc)  # 02:10 CET, the hour repeated


def as_text(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}"


@pytest.mark.parametrize("start, end", [
    (datetime(2026, 3, 3, 6, 0), datetime(2026, 3, 3, 7, 0)),
    (datetime(2026, 10, 25, 2, 50), datetime(2026, 10, 25, 2, 10)),  # across the autumn change
    (datetime(2026, 3, 3, 6, 0), datetime(9999, 12, 31, 23, 59, 59)),  # still open
])
def test_times_read_as_text_map_as_the_same_times_do(start, end):
    """The source engine reads DATETIME columns as text (core.sync.source_connection): same rows, same result."""
    fresh = RowMapper(SOURCE, {"CNC1": 1, "LATHE1": 2}, "Europe/Berlin")  # nothing memoised yet
    as_times = MAPPER.map(row(Start=start, End=end, Modified=start))
    as_texts = fresh.map(row(Start=as_text(start), End=as_text(end), Modified=as_text(start)))
    assert (as_texts.start, as_texts.end, as_texts.updated, as_texts.digest) == \
        (as_times.start, as_times.end, as_times.updated, as_times.digest)
    assert fresh.map(row(Start=as_text(start), End=as_text(end), Modified=as_text(start))).start == as_times.start


def test_an_id_that_is_no_whole_number_is_refused():
    assert "ID 'x' is not a whole number" in MAPPER.map(row(ID="x")).reason


SPREADER = CountSpreader(ZoneInfo("Asia/Kolkata"), [time(6, 30), time(14, 30)])  # UTC+05:30


def test_units_are_cut_at_utc_hours_local_midnight_and_shift_edges_with_exact_totals():
    start = datetime(2026, 3, 3, 18, 0, tzinfo=timezone.utc)  # 23:30 local
    pieces = SPREADER.pieces(start, start + timedelta(hours=2), 120, 4)
    # cuts: 18:30 (local midnight), 19:00 and 20:00 (UTC hours)
    assert [(at.strftime("%H:%M"), good) for at, good, _ in pieces] == [("18:00", 30), ("18:30", 30), ("19:00", 60)]
    assert sum(reject for _, _, reject in pieces) == 4
    assert SPREADER.cuts(datetime(2026, 3, 3, 0, 40, tzinfo=timezone.utc),
                         datetime(2026, 3, 3, 0, 59, tzinfo=timezone.utc)) == []
    assert SPREADER.cuts(datetime(2026, 3, 3, 0, 40, tzinfo=timezone.utc),
                         datetime(2026, 3, 3, 1, 30, tzinfo=timezone.utc)) == [
        datetime(2026, 3, 3, 1, 0, tzinfo=timezone.utc)]  # 06:30 local, an hour in UTC too
    assert SPREADER.pieces(start, start, 5, 1) == [(start, 5, 1)]
    assert SPREADER.pieces(start, start + timedelta(hours=1), 0, 0) == []


def test_a_few_units_over_many_pieces_are_spread_not_heaped():
    start = datetime(2026, 3, 3, 20, 0, tzinfo=timezone.utc)
    pieces = CountSpreader(ZoneInfo("UTC")).pieces(start, start + timedelta(hours=4), 480, 2)
    assert [reject for _, _, reject in pieces] == [1, 0, 1, 0]


@given(st.integers(0, 10_000), st.integers(0, 500), st.integers(1, 3 * 24 * 3600), st.integers(0, 899))
def test_spread_units_always_add_up_and_stay_inside_the_stretch(good, reject, seconds, offset):
    start = datetime(2026, 3, 3, 6, 0, tzinfo=timezone.utc) + timedelta(seconds=offset)
    end = start + timedelta(seconds=seconds)
    pieces = SPREADER.pieces(start, end, good, reject)
    assert sum(g for _, g, _ in pieces) == good and sum(r for _, _, r in pieces) == reject
    assert all(start <= at <= end and g >= 0 and r >= 0 for at, g, r in pieces)
