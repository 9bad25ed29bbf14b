"""Mapping one source row to Floorboard's terms, or saying in words why it cannot be taken (pure, no database).

`RowMapper.map` gives a MappedRow (machine id, UTC times, state, job, part, operator, counts and a digest of
them) or a RefusedRow (the reason and the raw row, for the quarantine). `count_pieces` spreads a row's units
over its stretch. The rules are in core.sync's docstring.
"""

from __future__ import annotations

import hashlib
import math
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from core.plant.config_schema import Source

PIECE = timedelta(minutes=15)  # counts are spread in pieces aligned to the quarter hour (every timezone's hours)
MAX_COUNT = 1_000_000_000
LIMITS = {"job": 64, "part": 32, "operator": 64}


@dataclass(frozen=True)
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
    digest: str
    source_values: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)  # the row as read


@dataclass(frozen=True)
class RefusedRow:
    row_id: int
    reason: str
    raw: str  # JSON of the row as read


class RowMapper:
    """Maps rows of one source; `equipment` is the plant's equipment code -> id."""

    def __init__(self, source: Source, equipment: Mapping[str, int], site_timezone: str):
        self.source = source
        self.zone = ZoneInfo(source.timezone or site_timezone)
        self.columns = source.columns
        self.machines: dict[str, int] = {code: equipment_id for code, equipment_id in equipment.items()}
        for name, code in source.equipment.items():  # the map wins over a name that happens to be a code
            if code in equipment:
                self.machines[name] = equipment[code]
        self.states = source.states

    def map(self, row_id: int, values: Mapping[str, Any]) -> MappedRow | RefusedRow:
        problems: list[str] = []
        columns = self.columns
        name = _text(values.get(columns.equipment))
        equipment_id = self.machines.get(name) if name is not None else None
        if name is None:
            problems.append(f"no machine name ({columns.equipment} is empty)")
        elif equipment_id is None:
            problems.append(f"unknown machine {name!r}: map it to an equipment code in [sources.equipment]")
        raw_state = _text(values.get(columns.state))
        state = self.states.get(raw_state) if raw_state is not None else None
        if state is None:
            problems.append(f"no state ({columns.state} is empty)" if raw_state is None else
                            f"unknown state value {raw_state!r}: map it in [sources.states]")
        start = self._time(values.get(columns.start), columns.start, problems, required=True)
        end = self._time(values.get(columns.end), columns.end, problems) if columns.end else None
        if start is not None and end is not None and end < start:
            problems.append(f"ends before it starts ({columns.end} {_shown(values.get(columns.end))} is before "
                            f"{columns.start} {_shown(values.get(columns.start))})")
        updated = (self._time(values.get(self.source.updated_column), self.source.updated_column, [])
                   if self.source.updated_column else None)
        good = _count(values.get(columns.good), columns.good, problems) if columns.good else 0
        reject = _count(values.get(columns.reject), columns.reject, problems) if columns.reject else 0
        texts = {}
        for key in ("job", "part", "operator"):
            column = getattr(columns, key)
            value = _text(values.get(column)) if column else None
            if value is not None and len(value) > LIMITS[key]:
                problems.append(f"{column} is longer than {LIMITS[key]} characters")
            texts[key] = value
        if problems:
            return RefusedRow(row_id, "; ".join(problems), raw_json(values))
        digest = hashlib.blake2b(repr((
            equipment_id, start.isoformat(), end.isoformat() if end else None, state, texts["job"], texts["part"],
            texts["operator"], good, reject, None if end else (updated.isoformat() if updated else None),
        )).encode(), digest_size=16).hexdigest()
        return MappedRow(row_id, equipment_id, start, end, state, texts["job"], texts["part"], texts["operator"],
                         good, reject, updated, digest, values)

    def _time(self, value: Any, column: str, problems: list[str], required: bool = False) -> datetime | None:
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
            moment = moment.replace(tzinfo=self.zone)  # fold=0: an ambiguous time is its first occurrence
        return moment.astimezone(timezone.utc)

    def utc(self, value: Any) -> datetime | None:
        """A source time as UTC; None for none, or for a value that is not a time."""
        problems: list[str] = []
        moment = self._time(value, "", problems)
        return None if problems else moment

    def local(self, moment: datetime) -> datetime:
        """A UTC moment as the source writes it: naive, in the source's timezone."""
        return moment.astimezone(self.zone).replace(tzinfo=None)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _count(value: Any, column: str, problems: list[str]) -> int:
    if value is None:
        return 0
    number = value
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except ArithmeticError:
            number = None
    if isinstance(number, bool) or not isinstance(number, (int, float, Decimal)) or number != int(number) \
            or not 0 <= number <= MAX_COUNT:
        problems.append(f"{column} is not a whole number from 0 to {MAX_COUNT}: {_shown(value)}")
        return 0
    return int(number)


def _shown(value: Any) -> str:
    return repr(value.isoformat(sep=" ") if isinstance(value, datetime) else value)


def raw_json(values: Mapping[str, Any]) -> str:
    return json.dumps({str(key): _plain(value) for key, value in values.items()}, ensure_ascii=False)


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


def count_pieces(start: datetime, end: datetime, good: int, reject: int) -> list[tuple[datetime, int, int]]:
    """The units of a stretch spread over it by time, in quarter-hour pieces, each at its piece's middle.

    Whole units only, the totals exact; a stretch of no length gets one piece at its start.
    """
    if good == 0 and reject == 0:
        return []
    if end <= start:
        return [(start, good, reject)]
    total = (end - start).total_seconds()
    bounds = [start]
    step = PIECE.total_seconds()
    edge = datetime.fromtimestamp((start.timestamp() // step + 1) * step, timezone.utc)
    while edge < end:
        bounds.append(edge)
        edge += PIECE
    bounds.append(end)
    shares = [(b - a).total_seconds() / total for a, b in zip(bounds, bounds[1:])]
    goods, rejects = _apportion(good, shares), _apportion(reject, shares)
    return [(a + (b - a) / 2, g, r) for a, b, g, r in zip(bounds, bounds[1:], goods, rejects) if g or r]


def _apportion(units: int, shares: list[float]) -> list[int]:
    """Whole units per piece, in proportion to `shares`, the total exact: each piece takes the units whose
    running total it reaches, so a few units over many pieces are spread out, not heaped on the first ones."""
    whole, reached, cumulative = [], 0, 0.0
    for index, share in enumerate(shares):
        cumulative += share
        upto = units if index == len(shares) - 1 else min(units, math.floor(units * cumulative + 0.5))
        whole.append(upto - reached)
        reached = upto
    return whole
