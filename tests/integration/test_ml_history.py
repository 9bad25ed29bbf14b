"""Histories read from the store (SQLite and MariaDB) give the same dataset as the same records in memory: state
changes, counts summed per hour in SQL with each unit at its product's cycle, product changes, preventive orders
done; and only the look-back the features need is read."""

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
from sqlalchemy import insert

from core.ml.dataset import build_dataset
from core.faults.timeline_store import fault_texts
from core.ml.history import LOOK_BACK, ProductAt, history_from_records, load_histories
from core.persistence.maintenance_tables import MaintenanceOrderRow
from core.persistence.product_tables import ProductChange
from core.plant.config_ml import MlSettings
from core.plant.equipment import machines, site_calendar
from core.timeline import CountAt, StateAt, add_counts, add_state_changes

START = datetime(2026, 3, 4, 5, tzinfo=timezone.utc)  # Wednesday 00:00 in New York
END = START + timedelta(hours=30, minutes=20)
SETTINGS = MlSettings()


def records_of(machine_id: int, rng) -> tuple[list[StateAt], list[CountAt], list[ProductAt]]:
    """From 3 hours before the look-back to the end: a random timeline at fractional seconds (down runs of
    several fault codes among them), minute counts, and product changes inside hours, one without a cycle."""
    first = START - LOOK_BACK - timedelta(hours=3)
    span = (END - first).total_seconds()
    seconds = np.sort(rng.uniform(0, span, 700))
    states = rng.choice(["running", "running", "down", "down", "idle", "changeover", "planned_stop"], len(seconds))
    changes = [StateAt(machine_id, first + timedelta(seconds=float(s)), str(state), None, "plc",
                       str(rng.choice(["F02", "F04", "F12"])) if state == "down" else None)
               for s, state in zip(seconds, states)]
    counts = [CountAt(machine_id, first + timedelta(minutes=m, seconds=float(rng.uniform(0, 59))),
                      int(rng.integers(0, 40)), int(rng.integers(0, 3))) for m in range(int(span // 60))]
    products = [ProductAt(first + timedelta(hours=h, seconds=float(rng.uniform(1, 3599))), f"P-{h}",
                          None if h == 9 else float(rng.choice([0.5, 1.5]))) for h in range(1, 80, 8)]
    return changes, counts, products


def test_the_store_and_the_records_give_the_same_dataset(database_url, plant):
    db = plant
    chosen = [m for m in machines(db) if m.code in ("BAG1", "CHK1")]
    calendar = site_calendar(db)
    rng = np.random.default_rng(11)
    records = {m.id: records_of(m.id, rng) for m in chosen}
    preventive = {chosen[0].id: [START - timedelta(days=20), START + timedelta(hours=5, seconds=0.5)],
                  chosen[1].id: []}
    with db.begin() as session:
        for machine_id, (changes, counts, products) in records.items():
            add_state_changes(session, changes)
            add_counts(session, counts)
            session.execute(insert(ProductChange), [
                {"equipment_id": machine_id, "at": p.at, "product_code": p.product_code, "source": "job",
                 "ideal_cycle_time_s": p.ideal_cycle_time_s} for p in products])
        orders = [(chosen[0].id, "preventive", START - timedelta(days=20)),
                  (chosen[0].id, "preventive", START + timedelta(hours=5, seconds=0.5)),
                  (chosen[0].id, "preventive", END + timedelta(hours=1)),  # done after the window: not known yet
                  (chosen[0].id, "preventive", None), (chosen[1].id, "corrective", START + timedelta(hours=2))]
        session.execute(insert(MaintenanceOrderRow), [
            {"kind": kind, "equipment_id": machine_id, "title": "Lubricate", "description": "", "state": "done",
             "created_at": START - timedelta(days=30), "created_by": "test", "done_at": done}
            for machine_id, kind, done in orders])

    stored = load_histories(db, chosen, START, END, calendar)
    in_memory = [history_from_records(m, *records[m.id][:2], calendar, records[m.id][2], preventive[m.id],
                                      start=START, end=END) for m in chosen]
    names = fault_texts(db)  # the fault catalog as training and scoring read it
    assert names["F12"] == "Photo-eye fault"
    from_store = build_dataset(stored, "hourly", SETTINGS, names).frame
    from_records = build_dataset(in_memory, "hourly", SETTINGS, names).frame
    assert len(from_store) > 40 and from_store["label"].notna().sum() > 20
    assert from_store["faults_24h:F12"].sum() > 0 and from_store["cycle_drift_4h"].notna().any()
    assert from_store["product"].notna().all() and from_store["hours_since_preventive"].notna().any()
    pd.testing.assert_frame_equal(from_store, from_records)

    # only the look-back is read: the change in force when it begins, then everything up to the end
    for history, machine in zip(stored, chosen):
        changes = records[machine.id][0]
        since = START - LOOK_BACK
        in_force = max(c.at for c in changes if c.at < since)
        assert history.change_at[0] == in_force.timestamp()
        assert len(history.change_at) == 1 + sum(since <= c.at < END for c in changes)
        assert history.hour_start[0] == (since.timestamp() // 3600) * 3600
        assert list(history.preventive_done) == [d.timestamp() for d in preventive[machine.id]]
    assert stored[0].end == END.timestamp() and stored[0].timezone == "America/New_York"

    # scoring now reads only the look-back, and sees what the long history sees at that moment
    now = build_dataset(load_histories(db, chosen, END, END, calendar), END, SETTINGS, names).frame
    same_moment = build_dataset(stored, END, SETTINGS, names).frame
    assert len(now) == 2 and now["label"].isna().all()
    pd.testing.assert_frame_equal(now.astype({"product": object}), same_moment.astype({"product": object}))
