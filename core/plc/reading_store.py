"""Storing readings: turn each machine's reading into state changes, count increments, outages, andon calls
and trend samples, against what was last stored for it (its baseline), in one transaction.

The baseline lives in the database, so a restart or a takeover by another jobs
process neither loses nor repeats counts. A reading older than the last one
applied for its machine (a spool drained late after another process took
over) is skipped: applying it would make the counter seem to go backwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Sequence

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from core.andon_calls import PLC_RAISER, raise_andon_call
from core.clock import utc_now
from core.persistence.plc_tables import PlcOutage, SpoolWatermark, TagMinute, TagSample
from core.persistence.timeline_tables import PollBaseline
from core.job_workflow.changeover import held_state
from core.plc.readings import TimedReading, decode_entry
from core.plc.tag_rules import MachineReading, counter_increment
from core.plc.trend_sampler import MinuteSummary
from core.timeline import CountAt, StateAt, add_counts, add_state_changes

COUNT_EVERY = timedelta(seconds=10)  # counts are stored at most this often (and at every state change)


@dataclass(frozen=True)
class StoreRules:
    """What storing a reading needs to know of the plant.

    - A fault raises an andon call at its catalog priority once it has lasted
      the machine's micro-stop threshold: a jam cleared in seconds is a small
      stop, not a call for help.
    - A counter step backwards that would be a wrap is believed only if the
      machine could have made that many units since the last read (at three
      times its ideal rate); otherwise the counter was reset.
    """

    priority_by_fault: dict[str, str] = field(default_factory=dict)
    threshold_s_by_equipment: dict[int, float] = field(default_factory=dict)
    ideal_cycle_s_by_equipment: dict[int, float] = field(default_factory=dict)
    # Machines whose states, or counts, a synced source writes instead (core.sync.plc_precedence)
    states_from_source: frozenset[int] = frozenset()
    counts_from_source: frozenset[int] = frozenset()

    def most_units(self, equipment_id: int, seconds: float) -> int | None:
        cycle = self.ideal_cycle_s_by_equipment.get(equipment_id)
        return None if not cycle else int(3 * max(seconds, 1.0) / cycle) + 10


@dataclass
class StoreSummary:
    readings: int = 0
    skipped: int = 0  # already stored (below the watermark) or older than the machine's last reading
    state_changes: int = 0
    count_rows: int = 0
    samples: int = 0
    minutes: int = 0
    andon_calls: int = 0
    outages_opened: int = 0
    outages_closed: int = 0


def store_spooled(db: sessionmaker[Session], spool_id: str, entries: Sequence[tuple[int, dict]],
                  rules: StoreRules, count_every: timedelta = COUNT_EVERY) -> StoreSummary:
    """Store spool entries past the spool's watermark and move the watermark, in one transaction."""
    with db.begin() as session:
        mark = session.get(SpoolWatermark, spool_id, with_for_update=True)
        applied = mark.applied_seq if mark else 0
        fresh = [decode_entry(entry) for seq, entry in entries if seq > applied and entry["kind"] != "refused"]
        readings = [item for item in fresh if isinstance(item, TimedReading)]
        summary = apply_readings(session, readings, rules, count_every)
        summary.skipped += len(entries) - len(fresh)
        summary.minutes = _add_minutes(session, [item for item in fresh if isinstance(item, MinuteSummary)])
        if entries:
            last = max(seq for seq, _ in entries)
            if mark is None:
                session.add(SpoolWatermark(spool_id=spool_id, applied_seq=last, updated_at=utc_now()))
            elif last > applied:
                mark.applied_seq, mark.updated_at = last, utc_now()
    return summary


def store_readings(db: sessionmaker[Session], readings: Sequence[TimedReading], rules: StoreRules = StoreRules(),
                   count_every: timedelta = COUNT_EVERY) -> StoreSummary:
    with db.begin() as session:
        return apply_readings(session, readings, rules, count_every)


def apply_readings(session: Session, readings: Sequence[TimedReading], rules: StoreRules,
                   count_every: timedelta) -> StoreSummary:
    summary = StoreSummary(readings=len(readings))
    # FOR UPDATE: two drainers (a process that lost the lease and its successor) take turns per machine
    baselines = {b.equipment_id: b for b in session.scalars(
        select(PollBaseline).where(PollBaseline.equipment_id.in_({r.equipment_id for r in readings}))
        .with_for_update())}
    states, counts, samples = [], [], []
    for timed in readings:
        reading, at = timed.reading, timed.at
        baseline = baselines.get(timed.equipment_id)
        if baseline is None:
            baseline = baselines[timed.equipment_id] = PollBaseline(
                equipment_id=timed.equipment_id, good_counter=None, reject_counter=None, state="",
                reason_code=None, fault_code=None, counted_at=at)
            session.add(baseline)
        elif baseline.read_at is not None and at < baseline.read_at:
            summary.skipped += 1
            continue
        baseline.read_at = at
        samples.extend({"equipment_id": timed.equipment_id, "tag": tag, "at_epoch": at.timestamp(), "value": value}
                       for tag, value in timed.samples.items())
        stored = _stored_reading(baseline, timed)
        if (stored.state, stored.reason_code, stored.fault_code) != (
                baseline.state, baseline.reason_code, baseline.fault_code):
            states.append(StateAt(timed.equipment_id, at, stored.state, stored.reason_code, timed.source,
                                  stored.fault_code))
            _track_outage(session, timed, baseline.state, summary)
            baseline.state, baseline.reason_code, baseline.fault_code = (
                stored.state, stored.reason_code, stored.fault_code)
            baseline.state_since, baseline.andon_call_id = at, None
            changed = True
        else:
            changed = False
        if baseline.state_since is None:  # stored before state_since was kept: the state is timed from now
            baseline.state_since = at
        summary.andon_calls += _raise_andon_if_due(session, baseline, timed, rules)
        count = _count_since_baseline(baseline, timed, changed, count_every, rules)
        if count is not None:
            counts.append(count)
    add_state_changes(session, [s for s in states if s.equipment_id not in rules.states_from_source])
    add_counts(session, [c for c in counts if c.equipment_id not in rules.counts_from_source])
    if samples:
        session.execute(insert(TagSample), samples)
    summary.state_changes, summary.count_rows, summary.samples = len(states), len(counts), len(samples)
    return summary


def _stored_reading(baseline: PollBaseline, timed: TimedReading) -> MachineReading:
    """The reading as stored: while a job's changeover is open on the machine, idle is changeover (the rule is
    core.job_workflow.changeover.held_state); a reading older than the job's write is stored as it is."""
    reading = timed.reading
    if not baseline.job_changeover or (baseline.state_since is not None and timed.at < baseline.state_since):
        return reading
    state, baseline.job_changeover = held_state(reading.state, reading.fault_code, True)
    return reading if state == reading.state else replace(reading, state=state, reason_code=None, fault_code=None)


def _count_since_baseline(baseline: PollBaseline, timed: TimedReading, changed: bool,
                          count_every: timedelta, rules: StoreRules) -> CountAt | None:
    reading, at = timed.reading, timed.at
    if reading.good_counter is None:
        return None  # nothing heard: keep the baseline, the PLC still holds the counts
    if baseline.good_counter is None:  # first values ever read: they are the starting point
        baseline.good_counter, baseline.reject_counter = reading.good_counter, reading.reject_counter
        baseline.counted_at = at
        return None
    if not changed and at - baseline.counted_at < count_every:
        return None
    most = rules.most_units(timed.equipment_id, (at - baseline.counted_at).total_seconds())
    good = counter_increment(baseline.good_counter, reading.good_counter, reading.good_modulus, most)
    baseline.good_counter = reading.good_counter
    reject = 0
    if reading.reject_counter is not None:  # a reject tag that could not be read this time keeps its baseline
        reject = counter_increment(baseline.reject_counter, reading.reject_counter, reading.reject_modulus, most)
        baseline.reject_counter = reading.reject_counter
    baseline.counted_at = at
    return CountAt(timed.equipment_id, at, good, reject, timed.source) if good or reject else None


def _track_outage(session: Session, timed: TimedReading, previous_state: str, summary: StoreSummary) -> None:
    if timed.reading.state == "no_data" and previous_state != "no_data":
        session.add(PlcOutage(equipment_id=timed.equipment_id, started_at=timed.at,
                              error=timed.reading.error or "no answer"))
        summary.outages_opened += 1
    elif previous_state == "no_data" and timed.reading.state != "no_data":
        for outage in session.scalars(select(PlcOutage).where(PlcOutage.equipment_id == timed.equipment_id,
                                                              PlcOutage.ended_at.is_(None))):
            outage.ended_at = timed.at
            summary.outages_closed += 1


def _raise_andon_if_due(session: Session, baseline: PollBaseline, timed: TimedReading, rules: StoreRules) -> int:
    reading = timed.reading
    priority = rules.priority_by_fault.get(reading.fault_code or "")
    if reading.state != "down" or priority is None or baseline.andon_call_id is not None:
        return 0
    since = baseline.state_since or timed.at
    lasted = (timed.at - since).total_seconds()
    if lasted < rules.threshold_s_by_equipment.get(timed.equipment_id, 0.0):
        return 0
    call = raise_andon_call(session, timed.equipment_id, priority, timed.at, source="plc", raised_by=PLC_RAISER,
                            fault_code=reading.fault_code, reason_code=reading.reason_code,
                            note=f"fault {reading.fault_code} since {since:%H:%M:%S} UTC")
    baseline.andon_call_id = call.id
    return 1


def _add_minutes(session: Session, minutes: Sequence[MinuteSummary]) -> int:
    """Insert minute summaries; one already stored (by a process that held the lease before) is kept."""
    if not minutes:
        return 0
    stored = set(tuple(row) for row in session.execute(select(TagMinute.equipment_id, TagMinute.tag, TagMinute.minute_epoch).where(
        TagMinute.minute_epoch.in_({m.minute_epoch for m in minutes}))).all())
    rows = [{"equipment_id": m.equipment_id, "tag": m.tag, "minute_epoch": m.minute_epoch, "minimum": m.minimum,
             "maximum": m.maximum, "mean": m.mean, "reads": m.reads} for m in minutes
            if (m.equipment_id, m.tag, m.minute_epoch) not in stored]
    rows = list({(r["equipment_id"], r["tag"], r["minute_epoch"]): r for r in rows}.values())  # once per key
    if rows:
        session.execute(insert(TagMinute), rows)
    return len(rows)
