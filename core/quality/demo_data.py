"""The demo plant's quality history: checks every few hours on the bagger and on bottling line 2 (a few out of
limits, their andon calls resolved), and scrap with defect codes, over the simulated days. Seeded once;
deterministic (a fixed random seed), through the same use cases a person uses."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.accounts import Actor
from core.andon_calls import resolve_call
from core.persistence.quality_tables import QualityCheckRow
from core.quality.catalog import machine_templates
from core.quality.checks import record_check
from core.quality.machine_context import QualityError
from core.quality.scrap import OLDEST_ENTRY, record_scrap

DEMO_INSPECTOR = Actor("quality")  # the demo user of the quality role (core.demo_users)
SEED = 9
CHECK_EVERY = timedelta(hours=3)
# machine, template, characteristic -> (mean, standard deviation) of the simulated process
PROCESS = {("BAG1", "BAG-WEIGHT"): {"WEIGHT": (25.06, 0.035), "SEAL": (8.1, 0.3)},
           ("FIL2", "FILL-LEVEL"): {"LEVEL": (30.2, 0.7), "TORQUE": (1.62, 0.09)},
           ("CAP2", "FILL-LEVEL"): {"LEVEL": (29.8, 0.7), "TORQUE": (1.55, 0.1)}}
DRIFTS = {"WEIGHT": -0.2, "LEVEL": 3.8, "TORQUE": 0.5}  # what a disturbed check is off by
SCRAP = (("BAG1", "SEAL", 12), ("BAG1", "TORN", 6), ("BAG1", "UNDERWEIGHT", 9), ("FIL2", "UNDERWEIGHT", 25),
         ("CAP2", "CAP", 18), ("LAB2", "LABEL", 30), ("PAL1", "TORN", 2), ("FIL2", "CONTAM", 4))


def seed_demo_quality(db: sessionmaker[Session], history_start: datetime, now: datetime) -> None:
    """Once per demo database (a restarted demo keeps what it has)."""
    with db() as session:
        if session.scalar(select(func.count()).select_from(QualityCheckRow)):
            return
    start = max(history_start, now - OLDEST_ENTRY + timedelta(hours=1))
    chance = random.Random(SEED)
    _seed_checks(db, start, now, chance)
    _seed_scrap(db, start, now, chance)


def _seed_checks(db: sessionmaker[Session], start: datetime, now: datetime, chance: random.Random) -> None:
    at = start + timedelta(minutes=40)
    while at < now - timedelta(minutes=30):
        for (machine, template_code), process in PROCESS.items():
            template = next((t for t in machine_templates(db, machine, at) if t.code == template_code), None)
            if template is None:
                continue  # the plant file no longer has it
            disturbed = chance.random() < 0.06
            values = {}
            for c in template.characteristics:
                mean, sigma = process.get(c.code, (c.nominal or 0.0, 0.01))
                mean += DRIFTS.get(c.code, 0.0) if disturbed and c.code in DRIFTS else 0.0
                values[c.code] = [round(chance.gauss(mean, sigma), 3) for _ in range(c.samples)]
            checked_at = at + timedelta(minutes=chance.randint(0, 50))
            result = record_check(db, machine, template_code, values, DEMO_INSPECTOR, checked_at)
            if result.andon_call_id is not None:
                resolve_call(db, result.andon_call_id, "Adjusted the machine; the re-check passed", DEMO_INSPECTOR,
                             checked_at + timedelta(minutes=25))
        at += CHECK_EVERY


def _seed_scrap(db: sessionmaker[Session], start: datetime, now: datetime, chance: random.Random) -> None:
    day = start + timedelta(hours=6)
    while day < now:
        for machine, defect, most in chance.sample(SCRAP, 4):
            at = min(day + timedelta(minutes=chance.randint(0, 16 * 60)), now - timedelta(minutes=5))
            try:
                record_scrap(db, machine, defect, chance.randint(1, most), DEMO_INSPECTOR, now, made_by=at,
                             note="found at the end-of-line inspection" if chance.random() < 0.3 else "")
            except QualityError:
                pass  # the machine made too little in that shift (a long stop): no scrap to record
        day += timedelta(days=1)
