"""Mapping one source row to Floorboard's terms, or saying in words why it cannot be taken (pure, no database).

`RowMapper.map` takes a row as read (a tuple in `read_columns` order) and gives a MappedRow (machine id, UTC
times, state, job, part, operator, counts and a digest) or a RefusedRow (the reason and the raw row, for the
quarantine). The rules are in core.sync's docstring. It runs once per source row, so it works on tuples and
does no more than it must (benchmarks/sync.py).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Mapping, Sequence
from zoneinfo import ZoneInfo

from core.plant.config_schema import Source

MAX_COUNT = 1_000_000_000
MAX_ROW_ID = 2 ** 40 - 1  # synced_rows keys are (source id << 40) + row id (core.sync.synced_rows_store)
LIMITS = {"job": 64, "part": 32, "operator": 64}
MEMO_SIZE = 50_000  # local times kept converted (a batch's worth)
MEMO_TYPES = (str, datetime)  # text: the source engine reads times as text (core.sync.source_connection)
EARLIEST, LATEST = datetime(1971, 1, 1, tzinfo=timezone.utc), datetime(2200, 1, 1, tzinfo=timezone.utc)
OPEN_FROM_YEAR = 9000  # an end such as 9999-12-31 is a log's way of saying "no end yet"
UTC = timezone.utc


@dataclass(slots=True)
class MappedRow:
    row_id: int
    equipment_id: int
    start: datetime  # UTC
    end: datetime | None  # UTC; None: still going on
    state: str
    job: str | None
    part: str | None
    operator: str | None
    good: int
    reject: int
    updated: datetime | None  # UTC: when the source last changed the row, if it says
    digest: str  # of what the row says and of the mapping: an unchanged row is not written again
    raw: tuple  # the row as read


@dataclass(frozen=True)
class RefusedRow:
    row_id: int
    reason: str
    raw: str | None  # JSON of the row as read; None: the row could not be read again (keep what was stored)


def read_columns(source: Source) -> tuple[str, ...]:
    """The source columns a sync reads, in the order RowMapper.map expects: the id first."""
    wanted = [source.id_column, *(column for column in source.columns.model_dump().values() if column)]
    if source.updated_column:
        wanted.append(source.updated_column)
    return tuple(dict.fromkeys(wanted))


class RowMapper:
    """Maps rows of one source; `equipment` is the plant's equipment code -> id."""

    def __init__(self, source: Source, equipment: Mapping[str, int], site_timezone: str):
        self.source = source
        self.names = read_columns(source)
        self.zone = ZoneInfo(source.timezone or site_timezone)
        self.machines: dict[str, int] = dict(equipment)
        for name, code in source.equipment.items():  # the map wins over a name that happens to be a code
            if code in equipment:
                self.machines[name] = equipment[code]
        self.states = source.states
        self._utc: dict[datetime, datetime] = {}  # local time as read -> UTC (fold 0)
        position = {name: index for index, name in enumerate(self.names)}
        columns = source.columns
        self._at = {key: position.get(getattr(columns, key)) if getattr(columns, key) else None
                    for key in ("equipment", "state", "start", "end", "job", "part", "operator", "good", "reject")}
        self._updated = position[source.updated_column] if source.updated_column else None
        # A change of the mapping changes every digest, so rows read again are written again the new way
        mapping = source.model_dump(mode="json", include={"id_column", "updated_column", "columns", "states"})
        self._fingerprint = hashlib.blake2b(repr((mapping, sorted(self.machines.items()), self.zone.key)).encode(),
                                            digest_size=16).digest()

    def map(self, row: Sequence[Any]) -> MappedRow | RefusedRow:
        at, columns, problems = self._at, self.source.columns, []
        row_id = row[0]
        if isinstance(row_id, bool) or not isinstance(row_id, int) or not 0 < row_id <= MAX_ROW_ID:
            return RefusedRow(row_id if isinstance(row_id, int) else 0,
                              f"{self.source.id_column} {row_id!r} is not a whole number from 1 to {MAX_ROW_ID}",
                              self.raw_json(row))
        name = _text(row[at["equipment"]])
        equipment_id = self.machines.get(name) if name is not None else None
        if name is None:
            problems.append(f"no machine name ({columns.equipment} is empty)")
        elif equipment_id is None:
            problems.append(f"unknown machine {name!r}: map it to an equipment code in [sources.equipment]")
        raw_state = _text(row[at["state"]])
        state = self.states.get(raw_state) if raw_state is not None else None
        if state is None:
            problems.append(f"no state ({columns.state} is empty)" if raw_state is None else
                            f"unknown state value {raw_state!r}: map it in [sources.states]")
        start = self._time(row[at["start"]], columns.start, problems, required=True)
        end = self._time(row[at["end"]], columns.end, problems) if at["end"] is not None \
            and not _open_sentinel(row[at["end"]]) else None
        if start is not None and end is not None and end < start:
            start, end = self._across_a_clock_change(row, start, end, problems)
        updated = self.utc(row[self._updated]) if self._updated is not None else None
        good = _count(row[at["good"]], columns.good, problems) if at["good"] is not None else 0
        reject = _count(row[at["reject"]], columns.reject, problems) if at["reject"] is not None else 0
        job = self._label(row, "job", problems)
        part = self._label(row, "part", problems)
        operator = self._label(row, "operator", problems)
        if problems:
            return RefusedRow(row_id, "; ".join(problems), self.raw_json(row))
        digest = hashlib.blake2b(repr((equipment_id, start.timestamp(), end.timestamp() if end else None, state, job,
                                       part, operator, good, reject, updated.timestamp() if updated else None))
                                 .encode() + self._fingerprint, digest_size=16).hexdigest()
        return MappedRow(row_id, equipment_id, start, end, state, job, part, operator, good, reject, updated, digest,
                         tuple(row))

    def utc(self, value: Any) -> datetime | None:
        """A source time as UTC; None for none, or for a value that is not a time."""
        problems: list[str] = []
        moment = self._time(value, "", problems)
        return None if problems else moment

    def local(self, moment: datetime) -> datetime:
        """A UTC moment as the source writes it: naive, in the source's timezone."""
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def raw_json(self, row: Sequence[Any]) -> str:
        return json.dumps({name: _plain(value) for name, value in zip(self.names, row)}, ensure_ascii=False)

    def _time(self, value: Any, column: str, problems: list[str], required: bool = False,
              fold: int = 0) -> datetime | None:
        memo = not fold and type(value) in MEMO_TYPES  # a naive time or its text, as the source sends it
        if memo:
            found = self._utc.get(value)  # a row's end is the next row's start, and often its updated time
            if found is not None:
                return found
        moment = self._parsed(value, column, problems, required, fold)
        if memo and moment is not None:
            if len(self._utc) > MEMO_SIZE:
                self._utc.clear()
            self._utc[value] = moment
        return moment

    def _parsed(self, value: Any, column: str, problems: list[str], required: bool, fold: int) -> datetime | None:
        if value is None or value == "":
            if required:
                problems.append(f"no start time ({column} is empty)")
            return None
        moment = value
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                moment = None
        elif isinstance(value, date) and not isinstance(value, datetime):
            moment = datetime.combine(value, time())
        if not isinstance(moment, datetime):
            problems.append(f"{column} is not a time: {_shown(value)}")
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone, fold=fold)  # fold 0: an ambiguous time's first occurrence
        return self._in_range(self._converted(moment), column, problems)

    def _converted(self, moment: datetime) -> datetime | None:
        try:
            return (moment if moment.tzinfo else moment.replace(tzinfo=self.zone)).astimezone(UTC)
        except (OverflowError, ValueError):  # year 1 or 9999 and an offset that takes it past the calendar
            return None

    @staticmethod
    def _in_range(moment: datetime | None, column: str, problems: list[str]) -> datetime | None:
        if moment is None or not EARLIEST <= moment < LATEST:
            problems.append(f"{column} is out of range (1971 to 2199)")
            return None
        return moment

    def _across_a_clock_change(self, row, start: datetime, end: datetime,
                               problems: list[str]) -> tuple[datetime, datetime]:
        """A stretch over a DST change, in local times, can seem to end before it starts: the end in the hour the
        clocks repeat, or the start in the hour they skip. The other reading of those times is taken if it fits."""
        at, columns = self._at, self.source.columns
        for start_fold, end_fold in ((0, 1), (1, 0), (1, 1)):
            other_start = self._time(row[at["start"]], columns.start, [], fold=start_fold)
            other_end = self._time(row[at["end"]], columns.end, [], fold=end_fold)
            if other_start <= other_end:
                return other_start, other_end
        problems.append(f"ends before it starts ({columns.end} {_shown(row[at['end']])} is before "
                        f"{columns.start} {_shown(row[at['start']])})")
        return start, end

    def _label(self, row, key: str, problems: list[str]) -> str | None:
        position = self._at[key]
        if position is None:
            return None
        value = _text(row[position])
        if value is not None and len(value) > LIMITS[key]:
            problems.append(f"{getattr(self.source.columns, key)} is longer than {LIMITS[key]} characters")
        return value


def _open_sentinel(value: Any) -> bool:
    if type(value) is str:
        year = value.strip()[:4]
        return year.isdigit() and int(year) >= OPEN_FROM_YEAR
    return isinstance(value, (date, datetime)) and value.year >= OPEN_FROM_YEAR


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    text = value.strip()
    return text or None


def _count(value: Any, column: str, problems: list[str]) -> int:
    if type(value) is int and 0 <= value <= MAX_COUNT:  # the usual case, first
        return value
    if value is None:
        return 0
    number = value
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except ArithmeticError:
            number = None
    if isinstance(number, bool) or not isinstance(number, (int, float, Decimal)) or not _finite(number) \
            or number != int(number) or not 0 <= number <= MAX_COUNT:
        problems.append(f"{column} is not a whole number from 0 to {MAX_COUNT}: {_shown(value)}")
        return 0
    return int(number)


def _finite(number: float | Decimal | int) -> bool:
    if isinstance(number, Decimal):
        return number.is_finite()
    return not isinstance(number, float) or math.isfinite(number)


def _shown(value: Any) -> str:
    return repr(value.isoformat(sep=" ") if isinstance(value, datetime) else value)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value
