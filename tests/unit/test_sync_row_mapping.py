"""Mapping one source row (core.sync.row_mapping): local times to UTC, counts, refusals in words, units spread."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.plant.config_schema import Source
from core.sync.row_mapping import MappedRow, RefusedRow, RowMapper, count_pieces

SOURCE = Source.model_validate({
    "name": "cimco", "url_env": "CIMCO_URL", "table": "JobLogOB", "id_column": "ID", "updated_column": "Modified",
    "columns": {"equipment": "Machine", "state": "State", "start": "Start", "end": "End", "job": "Job",
                "part": "Part", "operator": "Emp", "good": "Good", "reject": "Bad"},
    "states": {"RUN": "running", "DOWN": "down"}, "equipment": {"Haas #1": "CNC1"}})
MAPPER = RowMapper(SOURCE, {"CNC1": 1, "LATHE1": 2}, "Europe/Berlin")


def row(**values):
    return {"Machine": "Haas #1", "State": "RUN", "Start": datetime(2026, 3, 3, 6, 0), "End": None, "Job": None,
            "Part": None, "Emp": None, "Good": None, "Bad": None, "Modified": None, **values}


def test_local_times_become_utc_and_names_map_to_machines():
    mapped = MAPPER.map(7, row(End=datetime(2026, 3, 3, 7, 0), Machine="LATHE1", Good=Decimal("10"), Emp=4711))
    assert isinstance(mapped, MappedRow)
    assert (mapped.equipment_id, mapped.state, mapped.good, mapped.reject, mapped.operator) == (2, "running", 10, 0,
                                                                                                "4711")
    assert mapped.start == datetime(2026, 3, 3, 5, 0, tzinfo=timezone.utc)
    assert mapped.end == datetime(2026, 3, 3, 6, 0, tzinfo=timezone.utc)


def test_an_ambiguous_time_at_the_autumn_change_is_its_first_occurrence():
    mapped = MAPPER.map(1, row(Start=datetime(2026, 10, 25, 2, 30)))
    assert mapped.start == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)  # 02:30 CEST, not CET


def test_a_date_and_a_text_time_are_read_too():
    assert MAPPER.map(1, row(Start=date(2026, 3, 3))).start == datetime(2026, 3, 2, 23, 0, tzinfo=timezone.utc)
    assert MAPPER.map(1, row(Start="2026-03-03 06:00:00")).start == datetime(2026, 3, 3, 5, 0, tzinfo=timezone.utc)


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
    refused = MAPPER.map(9, row(**values))
    assert isinstance(refused, RefusedRow) and refused.row_id == 9
    assert reason in refused.reason
    assert '"Machine": ' in refused.raw


def test_every_problem_of_a_row_is_named_at_once():
    refused = MAPPER.map(9, row(State="X", Machine="Y"))
    assert "unknown machine 'Y'" in refused.reason and "unknown state value 'X'" in refused.reason


def test_the_digest_changes_with_what_the_row_says_and_not_with_columns_the_sync_does_not_read():
    first = MAPPER.map(1, row(Good=5))
    assert first.digest == MAPPER.map(1, row(Good=5, Comments="noted")).digest
    assert first.digest != MAPPER.map(1, row(Good=6)).digest


def test_units_spread_by_time_in_quarter_hours_with_exact_totals():
    start = datetime(2026, 3, 3, 21, 0, tzinfo=timezone.utc)
    pieces = count_pieces(start, start + timedelta(hours=4), 480, 8)
    assert len(pieces) == 16 and all(good == 30 for _, good, _ in pieces)
    assert sum(reject for at, _, reject in pieces if at < start + timedelta(hours=2)) == 4
    assert count_pieces(start, start, 5, 1) == [(start, 5, 1)]
    assert count_pieces(start, start + timedelta(hours=1), 0, 0) == []


@given(st.integers(0, 10_000), st.integers(0, 500), st.integers(1, 3 * 24 * 3600), st.integers(0, 899))
def test_spread_units_always_add_up_and_stay_inside_the_stretch(good, reject, seconds, offset):
    start = datetime(2026, 3, 3, 6, 0, tzinfo=timezone.utc) + timedelta(seconds=offset)
    end = start + timedelta(seconds=seconds)
    pieces = count_pieces(start, end, good, reject)
    assert sum(g for _, g, _ in pieces) == good and sum(r for _, _, r in pieces) == reject
    assert all(start <= at <= end and g >= 0 and r >= 0 for at, g, r in pieces)
