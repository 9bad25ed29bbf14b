"""What `floorboard sync inspect SOURCE` shows: the source's tables and a proposed `[[sources]]` block.

`inspect_source` reads the tables, their columns and row estimates, picks the table most like a CIMCO/MDC job
log and samples its state values and machine names; `propose_source_block` turns that into TOML to check
and paste into the plant file. Only guesses: every unsure line is a `#` comment that says what to do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import tomli_w
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.sql import column as sql_column, table as sql_table, sqltypes

STATE_SAMPLE = 50
MACHINE_SAMPLE = 200

# Floorboard field -> column names seen in CIMCO MDC and similar logs, best first (compared without case,
# spaces or punctuation). "id" and "updated" are the block's id_column and updated_column.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "logid", "joblogid", "recordid", "rowid"),
    "equipment": ("machinename", "machine", "resource", "resourcename", "machineid", "workcenter", "equipment"),
    "state": ("state", "status", "mode", "machinestate", "statename", "statecode"),
    "start": ("starttime", "start", "begintime", "begin", "startdate", "starttimestamp", "fromtime"),
    "end": ("endtime", "end", "stoptime", "stop", "enddate", "finishtime", "totime"),
    "job": ("jobnumber", "job", "orderno", "ordernumber", "jobno", "workorder", "order"),
    "part": ("partnumber", "part", "partno", "partname", "item", "product"),
    "operator": ("empid", "operator", "employee", "employeeid", "operatorid", "emp", "user"),
    "good": ("partsgood", "good", "goodcount", "goodparts", "goodqty", "qtygood"),
    "reject": ("partsbad", "bad", "scrap", "rejects", "reject", "badcount", "scrapcount", "qtybad"),
    "updated": ("modified", "updatedat", "lastmodified", "modifiedat", "updated", "lastupdate", "lastchanged"),
}
TIME_FIELDS = {"start", "end", "updated"}
COUNT_FIELDS = {"id", "good", "reject"}
OPTIONAL_COLUMNS = ("end", "job", "part", "operator", "good", "reject")

# Words in a source's state value -> Floorboard state; checked in this order, so "PLANNED STOP" is a planned
# stop and "CYCLE STOP" is down.
STATE_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("planned_stop", frozenset({"BREAK", "LUNCH", "PM", "PLANNED", "MEETING"})),
    ("changeover", frozenset({"SETUP", "CHANGEOVER", "CHANGE", "SET"})),
    ("down", frozenset({"DOWN", "ALARM", "FAULT", "STOP", "STOPPED", "ERROR", "BREAKDOWN", "ESTOP"})),
    ("idle", frozenset({"IDLE", "WAIT", "WAITING", "STANDBY"})),
    ("running", frozenset({"RUN", "RUNNING", "AUTO", "CYCLE", "INCYCLE", "PRODUCTION", "PRODUCING"})),
)


class InspectionProblem(Exception):
    """The source cannot be inspected as asked; the message is one line for a person."""


@dataclass(frozen=True)
class SourceColumn:
    name: str
    type: str
    nullable: bool
    primary_key: bool
    is_time: bool
    is_whole_number: bool


@dataclass(frozen=True)
class SourceTable:
    name: str
    columns: tuple[SourceColumn, ...]
    row_estimate: int | None  # MySQL's statistics: near, not exact
    distinct_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # sampled column -> values


@dataclass(frozen=True)
class SourceInspection:
    tables: tuple[SourceTable, ...]
    job_log_table: str | None  # the table the hint named, else the one most like a job log, else None

    def table(self, name: str) -> SourceTable:
        for table in self.tables:
            if table.name.lower() == name.lower():
                return table
        raise InspectionProblem(f"no table {name!r} in the source; it has {', '.join(t.name for t in self.tables)}")


def inspect_source(engine: Engine, table_hint: str | None = None) -> SourceInspection:
    """Every table with its columns and row estimate; the job-log table (`table_hint`, else the likeliest) with
    up to 50 distinct state values and 200 machine names. Reads only."""
    inspector = inspect(engine)
    names = inspector.get_table_names()
    with engine.connect() as connection:
        estimates = _row_estimates(connection, names)
        tables = [_read_table(inspector, name, estimates.get(name)) for name in names]
        if table_hint is not None:
            log_name = SourceInspection(tuple(tables), None).table(table_hint).name
        else:
            likely = max(tables, key=job_log_score, default=None)
            log_name = likely.name if likely is not None and job_log_score(likely) >= 5 else None
        for index, table in enumerate(tables):
            if table.name == log_name:
                tables[index] = _with_samples(connection, table)
    return SourceInspection(tuple(tables), log_name)


def guess_columns(table: SourceTable) -> dict[str, str]:
    """Floorboard field (the keys of COLUMN_NAMES) -> the table's column it most likely is; unguessed are left out."""
    guessed: dict[str, str] = {}
    for field_name, candidates in COLUMN_NAMES.items():
        preferred = [c for c in table.columns if c.name not in guessed.values() and _fits(field_name, c)]
        others = [c for c in table.columns if c.name not in guessed.values() and c not in preferred]
        for pool in (preferred, others):
            by_name = {_plain(c.name): c.name for c in pool}
            if found := next((by_name[name] for name in candidates if name in by_name), None):
                guessed[field_name] = found
                break
    if "id" not in guessed:
        keys = [c for c in table.columns if c.primary_key and c.is_whole_number]
        if len(keys) == 1 and len([c for c in table.columns if c.primary_key]) == 1:
            guessed["id"] = keys[0].name
    return guessed


def job_log_score(table: SourceTable) -> int:
    """How much `table` looks like a job/state log: 5 or more means it has a machine, a state and a start."""
    guessed = guess_columns(table)
    if not {"equipment", "state", "start"} <= guessed.keys():
        return 0
    name = _plain(table.name)
    score = 5 + ("joblog" in name) * 3 + any(word in name for word in ("log", "state", "event", "history"))
    return score + ("id" in guessed) + ("end" in guessed) + _column(table, guessed["start"]).is_time


def guess_state(value: str) -> str | None:
    """The Floorboard state a source's state value most likely means, or None when no word of it is known."""
    words = set(re.findall(r"[A-Z0-9]+", value.upper()))
    return next((state for state, known in STATE_WORDS if words & known), None)


def suggested_code(machine_name: str) -> str:
    """An equipment code made from a machine's name ("Mazak QTN-200 Ü" -> "Mazak_QTN-200_U")."""
    plain = unicodedata.normalize("NFKD", machine_name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9.-]+", "_", plain).strip("_.-")[:32] or "MACHINE"


def propose_source_block(inspection: SourceInspection, name: str, url_env: str, table: str | None = None,
                         equipment_codes: Iterable[str] = ()) -> str:
    """A `[[sources]]` block in TOML for `table` (else the inspection's job log), guessed from its column names and
    sampled values. It validates as a Source whenever the table has an id, a machine, a state and a start column;
    a column, state value or machine it is unsure of is a comment line saying what to do. A machine name that is
    one of `equipment_codes` (or whose suggested code is) is mapped; the others are suggestions in comments."""
    if table is None and inspection.job_log_table is None:
        raise InspectionProblem("no table looks like a job log (a machine, a state and a start column): "
                                "name the table")
    chosen = inspection.table(table or inspection.job_log_table)
    guessed = guess_columns(chosen)
    estimate = "unknown" if chosen.row_estimate is None else f"about {chosen.row_estimate}"
    lines = [f"# Proposed from table {chosen.name} ({estimate} rows): check every line before adding it to the "
             f"plant file.", "[[sources]]"]
    lines += _toml({"name": name, "url_env": url_env, "table": chosen.name,
                    "id_column": guessed.get("id"), "updated_column": guessed.get("updated")})
    if "id" not in guessed:
        lines.append('# id_column = "?"  # name the increasing whole-number key: the sync\'s watermark')
    if "updated" not in guessed:
        lines.append('# updated_column = "?"  # none found: a row changed after its sync is seen only in the '
                     'overlap of ids')
    lines += ["", "[sources.columns]"]
    lines += _toml({key: guessed.get(key) for key in ("equipment", "state", "start", *OPTIONAL_COLUMNS)})
    lines += [f'# {key} = "?"  # {"needed" if key in ("equipment", "state", "start") else "optional"}: '
              f"no column looked like it" for key in ("equipment", "state", "start", *OPTIONAL_COLUMNS)
              if key not in guessed]
    lines += ["", "[sources.states]", *_states_lines(chosen.distinct_values.get(guessed.get("state", ""), ()))]
    machines = chosen.distinct_values.get(guessed.get("equipment", ""), ())
    lines += ["", "[sources.equipment]", *_equipment_lines(machines, set(equipment_codes))]
    return "\n".join(lines) + "\n"


def inspection_text(inspection: SourceInspection) -> str:
    """The inspection for a person: each table, its columns, and the job log's sampled values."""
    lines = [f"{len(inspection.tables)} table(s) in the source."]
    for table in inspection.tables:
        estimate = "rows unknown" if table.row_estimate is None else f"about {table.row_estimate} rows"
        mark = "   <- looks like the job log" if table.name == inspection.job_log_table else ""
        lines += ["", f"{table.name} ({estimate}){mark}"]
        width = max((len(c.name) for c in table.columns), default=0)
        for c in table.columns:
            notes = ", ".join(note for note, on in (("primary key", c.primary_key), ("not null", not c.nullable)) if on)
            lines.append(f"  {c.name:<{width}}  {c.type:<14} {notes}".rstrip())
        for column_name, values in table.distinct_values.items():
            lines.append(f"  {column_name} values: {', '.join(values) or '(none)'}")
    return "\n".join(lines) + "\n"


def _states_lines(values: tuple[str, ...]) -> list[str]:
    states = {value: state for value in values if (state := guess_state(value))}
    unknown = [value for value in values if value not in states]
    comments = [f"# {_toml({value: '?'})[0]}  # map it to running, down, changeover, planned_stop or idle, "
                f"or its rows go to quarantine" for value in unknown]
    if not states:  # the schema needs one state: a placeholder that cannot be mistaken for a guess
        return [*_toml({"RUN": "running"}), "# placeholder: no state value was recognised; replace it", *comments]
    return [*_toml(states), *comments]


def _equipment_lines(machines: tuple[str, ...], codes: set[str]) -> list[str]:
    by_lower = {code.lower(): code for code in codes}
    mapped, unsure = {}, []
    for machine in machines:
        code = by_lower.get(machine.lower()) or by_lower.get(suggested_code(machine).lower())
        if code:
            mapped[machine] = code
        else:
            unsure.append(f"# {_toml({machine: suggested_code(machine)})[0]}  # suggested: give the plant's "
                          f"equipment code, or leave it out and its rows go to quarantine")
    note = [f"# {len(machines)} machine name(s) read, at most {MACHINE_SAMPLE}"] if machines else []
    return [*note, *_toml(mapped), *unsure]


def _toml(values: Mapping[str, object]) -> list[str]:
    """`key = value` lines, tomli_w doing the quoting; None values are left out (TOML has no null)."""
    return tomli_w.dumps({key: value for key, value in values.items() if value is not None}).splitlines()


def _read_table(inspector, name: str, row_estimate: int | None) -> SourceTable:
    keys = set(inspector.get_pk_constraint(name).get("constrained_columns") or ())
    columns = tuple(
        SourceColumn(name=c["name"], type=str(c["type"]), nullable=bool(c.get("nullable", True)),
                     primary_key=c["name"] in keys, is_time=isinstance(c["type"], (sqltypes.DateTime, sqltypes.Date)),
                     is_whole_number=isinstance(c["type"], sqltypes.Integer))
        for c in inspector.get_columns(name))
    return SourceTable(name, columns, row_estimate)


def _row_estimates(connection, names: list[str]) -> dict[str, int | None]:
    if connection.dialect.name in {"mysql", "mariadb"}:  # counting a big log would scan it
        rows = connection.execute(text("SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
                                       "WHERE TABLE_SCHEMA = DATABASE()"))
        return {table_name: count for table_name, count in rows}
    return {name: connection.execute(select(func.count()).select_from(sql_table(name))).scalar() for name in names}


def _with_samples(connection, table: SourceTable) -> SourceTable:
    guessed = guess_columns(table)
    samples = {}
    for field_name, limit in (("state", STATE_SAMPLE), ("equipment", MACHINE_SAMPLE)):
        if column_name := guessed.get(field_name):
            source = sql_table(table.name, sql_column(column_name))
            query = select(source.c[column_name]).distinct().where(source.c[column_name].is_not(None)).limit(limit)
            samples[column_name] = tuple(sorted(str(value) for value in connection.execute(query).scalars()))
    return SourceTable(table.name, table.columns, table.row_estimate, samples)


def _fits(field_name: str, column: SourceColumn) -> bool:
    if field_name in TIME_FIELDS:
        return column.is_time
    return column.is_whole_number if field_name in COUNT_FIELDS else True


def _column(table: SourceTable, name: str) -> SourceColumn:
    return next(c for c in table.columns if c.name == name)


def _plain(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())

