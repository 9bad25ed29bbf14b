"""A CIMCO-MDC-style source database on the test MariaDB server: the job/state log a `[[sources]]` block reads.

`create_cimco_database(server_url)` makes a fresh database with table JobLogOB (the log) and Operators (an
unrelated table, so an inspection lists more than one); `REALISTIC_ROWS` is one day of three machines with
every kind of row the sync must handle (core.sync describes the rules), `REALISTIC_SOURCE_BLOCK` and
`REALISTIC_PLANT_TOML` the plant that reads them; `generate_rows` makes many plain rows for a benchmark.
pymysql is used directly, not SQLAlchemy: the benchmark inserts 200,000 rows and the kill helper needs
connection ids.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
from typing import Any, Iterable, Sequence

import pymysql
import tomli_w
from sqlalchemy.engine import make_url

COLUMNS = ("MachineName", "State", "StartTime", "EndTime", "JobNumber", "PartNumber", "EmpID", "PartsGood",
           "PartsBad", "Modified", "Comments")
ZERO_DATE = "0000-00-00 00:00:00"  # CIMCO databases hold these; the session's sql_mode must let them in

_SCHEMA = (
    """CREATE TABLE JobLogOB (
        ID INT AUTO_INCREMENT PRIMARY KEY,
        MachineName VARCHAR(80) NOT NULL,
        State VARCHAR(20) NULL,
        StartTime DATETIME NULL,
        EndTime DATETIME NULL,
        JobNumber VARCHAR(40) NULL,
        PartNumber VARCHAR(60) NULL,
        EmpID VARCHAR(20) NULL,
        PartsGood INT NULL,
        PartsBad INT NULL,
        Modified DATETIME NULL,
        Comments TEXT NULL,
        INDEX ix_joblogob_modified (Modified)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""",
    "CREATE TABLE Operators (EmpID VARCHAR(20) PRIMARY KEY, Name VARCHAR(80) NOT NULL) DEFAULT CHARSET=utf8mb4",
)


def _connect(server_url: str, database: str | None = None) -> pymysql.connections.Connection:
    url = make_url(server_url)
    return pymysql.connect(host=url.host or "127.0.0.1", port=url.port or 3306, user=url.username,
                           password=url.password or "", database=database, charset="utf8mb4", autocommit=True,
                           init_command="SET SESSION sql_mode=''")


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, datetime):
        return f"'{value:%Y-%m-%d %H:%M:%S}'"
    if isinstance(value, int):
        return str(value)
    return "'" + pymysql.converters.escape_string(str(value)) + "'"


@dataclass(frozen=True)
class CimcoSource:
    """A CIMCO-style database on the server: `url` is what a source's url_env holds. Use it in a `with`."""

    server_url: str
    database: str

    @property
    def url(self) -> str:
        return make_url(self.server_url).set(database=self.database).render_as_string(hide_password=False)

    def connect(self) -> pymysql.connections.Connection:
        """A pymysql connection to the database, its session allowing zero dates; the caller closes it."""
        return _connect(self.server_url, self.database)

    def insert_rows(self, rows: Iterable[dict[str, Any]]) -> list[int]:
        """Insert each row (keys: JobLogOB columns, ID too if wanted) in order; their IDs."""
        ids = []
        with self.connect() as connection, connection.cursor() as cursor:
            for row in rows:
                names = ", ".join(f"`{name}`" for name in row)
                cursor.execute(f"INSERT INTO JobLogOB ({names}) VALUES ({', '.join(['%s'] * len(row))})",
                               tuple(row.values()))
                ids.append(cursor.lastrowid)
        return ids

    def update_row(self, row_id: int, **values: Any) -> None:
        with self.connect() as connection, connection.cursor() as cursor:
            assignments = ", ".join(f"`{name}` = %s" for name in values)
            cursor.execute(f"UPDATE JobLogOB SET {assignments} WHERE ID = %s", (*values.values(), row_id))

    def bulk_insert(self, rows: Sequence[dict[str, Any]], chunk: int = 5000) -> int:
        """Insert many rows with the columns of COLUMNS (as generate_rows makes them), a chunk per statement.
        The values are written as literals here: pymysql's per-value escaping took two thirds of the time."""
        insert = f"INSERT INTO JobLogOB ({', '.join(COLUMNS)}) VALUES "
        with self.connect() as connection, connection.cursor() as cursor:
            for first in range(0, len(rows), chunk):
                values = ",".join("(" + ",".join(_literal(row.get(name)) for name in COLUMNS) + ")"
                                  for row in rows[first:first + chunk])
                cursor.execute(insert + values)
        return len(rows)

    def count_rows(self) -> int:
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM JobLogOB")
            return cursor.fetchone()[0]

    def drop(self) -> None:
        with _connect(self.server_url) as connection, connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{self.database}`")

    def __enter__(self) -> "CimcoSource":
        return self

    def __exit__(self, *_exc) -> None:
        self.drop()


def create_cimco_database(server_url: str) -> CimcoSource:
    """A fresh database fb_cimco_<hex> (utf8mb4) with empty JobLogOB and the operators of REALISTIC_ROWS."""
    database = f"fb_cimco_{secrets.token_hex(4)}"
    with _connect(server_url) as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        cursor.execute(f"USE `{database}`")
        for statement in _SCHEMA:
            cursor.execute(statement)
        cursor.executemany("INSERT INTO Operators (EmpID, Name) VALUES (%s, %s)", OPERATORS)
    return CimcoSource(server_url, database)


def kill_other_connections(server_url: str, database: str, keep: Iterable[int] = ()) -> int:
    """KILL CONNECTION every session using `database` but this helper's own and those in `keep`; how many."""
    killed = 0
    with _connect(server_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT CONNECTION_ID()")
        spared = {cursor.fetchone()[0], *keep}
        cursor.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s", (database,))
        for (process_id,) in cursor.fetchall():
            if process_id in spared:
                continue
            try:
                cursor.execute(f"KILL CONNECTION {int(process_id)}")
                killed += 1
            except pymysql.err.OperationalError as exc:
                if exc.args[0] != 1094:  # unknown thread id: it ended by itself meanwhile
                    raise
    return killed


# --- One realistic day: Tuesday 3 March 2026, times naive local (Europe/Berlin, CET all day) ---------------

OPERATORS = [("E017", "Jana Krüger"), ("E022", "Murat Yılmaz"), ("E031", "Piotr Nowak"), ("E040", "Anke Schulz")]
HAAS, MAZAK, OKUMA = "Haas VF-2 #1", "Mazak QTN-200 Ü", "Okuma LB3000"


def _at(hhmm: str, day: int = 3) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 3, day, hours, minutes)


def _row(machine: str, state: str, start: Any, end: datetime | None, job: str | None, part: str | None,
         operator: str | None, good: int | None, bad: int | None, modified: datetime | None = None,
         comments: str | None = None) -> dict[str, Any]:
    # CIMCO stamps Modified when it last wrote the row: its end, or the last count update of an open row
    return {"MachineName": machine, "State": state, "StartTime": start, "EndTime": end, "JobNumber": job,
            "PartNumber": part, "EmpID": operator, "PartsGood": good, "PartsBad": bad,
            "Modified": modified or end, "Comments": comments}


REALISTIC_ROWS: list[dict[str, Any]] = [
    # Haas VF-2 #1 -> CNC1: contiguous 06:00 -> open, but for the gap 15:10-15:30
    _row(HAAS, "SETUP", _at("06:00"), _at("06:40"), "J26-1001", "P-100", "E017", 0, 0),
    _row(HAAS, "RUN", _at("06:40"), _at("09:30"), "J26-1001", "P-100", "E017", 330, 4),
    _row(HAAS, "DOWN", _at("09:30"), _at("09:55"), "J26-1001", "P-100", "E017", 0, 0, comments="Alarm 1012 spindle"),
    _row(HAAS, "RUN", _at("09:55"), _at("12:00"), "J26-1001", "P-100", "E017", 245, 1),
    # NULL job, part and counts: taken; no product change, no units
    _row(HAAS, "IDLE", _at("12:00"), _at("12:30"), None, None, "E017", None, None, comments="Lunch, no job"),
    _row(HAAS, "SETUP", _at("12:30"), _at("13:00"), "J26-1002", "P-200", "E022", 0, 0),
    # Ends 15:10 and no row starts there (the collector was offline until 15:30): no_data at 15:10
    _row(HAAS, "RUN", _at("13:00"), _at("15:10"), "J26-1002", "P-200", "E022", 250, 2),
    _row(HAAS, "RUN", _at("15:30"), _at("17:45"), "J26-1002", "P-200", "E022", 260, 2),
    _row(HAAS, "DOWN", _at("17:45"), _at("18:05"), "J26-1002", "P-200", "E022", 0, 0, comments="Tool change"),
    _row(HAAS, "RUN", _at("18:05"), _at("21:00"), "J26-1002", "P-200", "E040", 350, 4),
    # Open (NULL EndTime): running from 21:00 on, its 120 good spread 21:00 -> Modified 22:00; no no_data
    _row(HAAS, "RUN", _at("21:00"), None, "J26-1003", "P-300", "E040", 120, 1, modified=_at("22:00")),
    # Quarantined: zero (unparseable) StartTime; pymysql hands it over as the string '0000-00-00 00:00:00'
    _row(HAAS, "DOWN", ZERO_DATE, _at("10:15"), "J26-1001", "P-100", "E017", 0, 0, modified=_at("10:15")),

    # Mazak QTN-200 Ü -> LATHE1 (an accented name): contiguous 06:00 -> open, one job across midnight
    # Quarantined: state WARMUP is not in the states map. It is the machine's first row, so the timeline
    # simply starts at 06:20; mapped later, `sync retry` takes it
    _row(MAZAK, "WARMUP", _at("06:00"), _at("06:20"), None, None, "E031", None, None),
    _row(MAZAK, "SETUP", _at("06:20"), _at("07:00"), "J26-1010", "P-410", "E031", 0, 0),
    _row(MAZAK, "RUN", _at("07:00"), _at("11:45"), "J26-1010", "P-410", "E031", 570, 6),
    _row(MAZAK, "DOWN", _at("11:45"), _at("12:15"), "J26-1010", "P-410", "E031", 0, 0, comments="Bar feeder jam"),
    # NULL JobNumber (the operator did not log in the job): taken, part P-410 still known
    _row(MAZAK, "RUN", _at("12:15"), _at("14:30"), None, "P-410", "E031", 270, 1),
    _row(MAZAK, "IDLE", _at("14:30"), _at("14:40"), "J26-1010", "P-410", "E031", 0, 0, comments="Waiting for QC"),
    _row(MAZAK, "RUN", _at("14:40"), _at("21:30"), "J26-1010", "P-410", "E022", 820, 3),
    _row(MAZAK, "SETUP", _at("21:30"), _at("22:00"), "J26-1011", "P-420", "E040", 0, 0),
    # Across local midnight, 22:00 -> 02:00 on the 4th: 480 good and 8 rejects spread by time in 15-minute
    # pieces, so 240 good and 4 rejects on each day
    _row(MAZAK, "RUN", _at("22:00"), _at("02:00", day=4), "J26-1011", "P-420", "E040", 480, 8),
    # Open, NULL counts: down from 02:00 on the 4th
    _row(MAZAK, "DOWN", _at("02:00", day=4), None, "J26-1011", "P-420", "E040", None, None,
         modified=_at("02:00", day=4), comments="Coolant low"),
    # Quarantined: EndTime 13:50 before StartTime 14:05 (a clock set back); it starts inside the RUN row of
    # 12:15 but, quarantined, writes nothing there
    _row(MAZAK, "RUN", _at("14:05"), _at("13:50"), None, "P-410", "E031", 10, 0),

    # Okuma LB3000: in no equipment map and no equipment code (it has spaces): both rows quarantined as an
    # unknown machine, although their states are known
    _row(OKUMA, "RUN", _at("06:00"), _at("11:00"), "J26-1020", "P-500", "E022", 300, 2),
    _row(OKUMA, "DOWN", _at("11:00"), _at("11:30"), "J26-1020", "P-500", "E022", 0, 0),
    _row(OKUMA, "RUN", _at("11:30"), None, "J26-1020", "P-500", "E022", 150, 0, modified=_at("14:00")),

    # Quarantined: an exact copy of Haas's RUN 09:55-12:00 with a later ID (CIMCO sent it twice): the same
    # machine and start as another row. The first (lower ID) is taken, this one is not
    _row(HAAS, "RUN", _at("09:55"), _at("12:00"), "J26-1001", "P-100", "E017", 245, 1),
]
"""Inserted in this order (IDs 1.. on a fresh database). Taken: 11 Haas rows (IDs 1-11) and 9 Mazak rows
(14-22). Quarantined: 7 (12 zero start, 13 WARMUP, 23 end before start, 24-26 Okuma, 27 the duplicate)."""

REALISTIC_SOURCE_BLOCK: dict[str, Any] = {
    # no timezone: the source's times are the site's (Europe/Berlin)
    "name": "cimco",
    "url_env": "CIMCO_TEST_URL",
    "table": "JobLogOB",
    "id_column": "ID",
    "updated_column": "Modified",
    "columns": {"equipment": "MachineName", "state": "State", "start": "StartTime", "end": "EndTime",
                "job": "JobNumber", "part": "PartNumber", "operator": "EmpID", "good": "PartsGood",
                "reject": "PartsBad"},
    "states": {"RUN": "running", "DOWN": "down", "SETUP": "changeover", "IDLE": "idle"},
    "equipment": {HAAS: "CNC1", MAZAK: "LATHE1"},
}

REALISTIC_PLANT_TOML = """\
# The machining hall that reads REALISTIC_ROWS from CIMCO: no PLCs, every state and count from the source.

[site]
name = "Machining hall"
timezone = "Europe/Berlin"
currency = "EUR"

[[shifts]]
name = "Day"
start = "06:00"
end = "18:00"

[[shifts]]
name = "Night"
start = "18:00"
end = "06:00"

[[lines]]
code = "MCH"
name = "Machining"

[[lines.equipment]]
code = "CNC1"
name = "Haas VF-2 #1"
ideal_cycle_time_s = 30

[[lines.equipment]]
code = "LATHE1"
name = "Mazak QTN-200"
ideal_cycle_time_s = 30

""" + tomli_w.dumps({"sources": [REALISTIC_SOURCE_BLOCK]})


# --- Many plain rows, for a benchmark -----------------------------------------------------------------------

_GENERATED_STATES = (("RUN", 0.70, 20, 150), ("DOWN", 0.12, 2, 40), ("SETUP", 0.08, 15, 60), ("IDLE", 0.10, 5, 30))
GENERATED_CYCLE_S = 30
BERLIN = ZoneInfo("Europe/Berlin")  # the generated plant's timezone


def generated_machine_codes(machines: int) -> list[str]:
    """The machine names generate_rows uses: equipment codes themselves (M001...), so no equipment map is needed."""
    return [f"M{number:03d}" for number in range(1, machines + 1)]


def generate_rows(n: int, machines: int = 20, start: datetime = datetime(2026, 1, 5, 6, 0),
                  seed: int = 7) -> list[dict[str, Any]]:
    """`n` valid rows, contiguous per machine (each row's EndTime the next's StartTime), in about the order CIMCO
    writes them (the machines take turns); each machine's last row is open. Same seed, same rows."""
    rng = random.Random(seed)
    names = generated_machine_codes(machines)
    clocks = [start] * machines
    states = [state for state, *_ in _GENERATED_STATES]
    weights = [weight for _, weight, *_ in _GENERATED_STATES]
    minutes = {state: (low, high) for state, _, low, high in _GENERATED_STATES}
    last_row_of = {}
    rows = []
    for index in range(n):
        machine = index % machines
        state = rng.choices(states, weights)[0]
        begin = clocks[machine]
        end = _on_the_wall_clock(begin + timedelta(minutes=rng.randint(*minutes[state])))
        clocks[machine] = end
        job = f"J{index // (machines * 12):06d}"  # a job lasts about twelve rows of each machine
        good = int((end - begin).total_seconds() / GENERATED_CYCLE_S * 0.95) if state == "RUN" else 0
        bad = rng.randint(0, 3) if state == "RUN" else 0
        rows.append({"MachineName": names[machine], "State": state, "StartTime": begin, "EndTime": end,
                     "JobNumber": job, "PartNumber": f"P-{int(job[1:]) % 40:03d}", "EmpID": f"E{machine % 9 + 10:03d}",
                     "PartsGood": good, "PartsBad": bad, "Modified": end, "Comments": None})
        last_row_of[machine] = index
    for index in last_row_of.values():
        rows[index]["EndTime"] = None
    return rows


def _on_the_wall_clock(moment: datetime) -> datetime:
    """A local time a clock can show: one in the hour skipped in spring moves on by that hour, as the clock did."""
    return moment.replace(tzinfo=BERLIN).astimezone(timezone.utc).astimezone(BERLIN).replace(tzinfo=None)


def generated_source_block() -> dict[str, Any]:
    """The `[[sources]]` block for generate_rows' rows (machine names are codes: no equipment map)."""
    return {**{key: value for key, value in REALISTIC_SOURCE_BLOCK.items() if key != "equipment"},
            "name": "cimco_bench"}


def generated_plant_toml(machines: int) -> str:
    """A plant file with the machines of generate_rows on one line and the source block that reads them."""
    equipment = [{"code": code, "name": f"Machine {code}", "ideal_cycle_time_s": GENERATED_CYCLE_S}
                 for code in generated_machine_codes(machines)]
    return tomli_w.dumps({"site": {"name": "Benchmark hall", "timezone": "Europe/Berlin"},
                          "lines": [{"code": "MCH", "name": "Machining", "equipment": equipment}],
                          "sources": [generated_source_block()]})
