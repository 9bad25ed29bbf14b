"""Use cases on the registry: record a training run (and decide whether it becomes active), promote a version
by hand, roll back to the one active before. Each change is one transaction with its audit row; a change asked
for on the model page names the version active when it was asked, and is refused if another admin changed it in
the meantime.

The slow part of a decision (scoring the active version on the candidate's holdout) runs before the
transaction, so the database's write lock is held only for the few writes; if another version became active in
the meantime, the new one is kept as a candidate rather than replacing a version it was never compared with.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Callable

from sqlalchemy.orm import Session, sessionmaker

from core import audit
from core.accounts import Actor
from core.ml import registry
from core.ml.promotion import ACTIVATE, REJECT, AgainstActive, promotion
from core.ml.registry import NewVersion, RegistryError
from core.ml.views import VersionSummary
from core.persistence.ml_tables import MlModelVersion
from core.plant.equipment import site_calendar_in

Clock = Callable[[], datetime] | datetime  # a clock function, or the moment itself (pages pass the moment)
# (the active version's artefact, its version number) -> the candidate judged against it on the same rows
JudgeAgainstActive = Callable[[Any, int], AgainstActive]
TRAINING_NOTE = "At training: "
NOT_CHECKED = object()  # no expected active version given (the CLI and tests): the change is not checked against one
log = logging.getLogger(__name__)


def now_of(clock: Clock) -> datetime:
    return clock() if callable(clock) else clock


def register_trained(db: sessionmaker[Session], new: NewVersion, beats_baseline: bool, baseline_sentence: str,
                     judge: JudgeAgainstActive, clock: Clock) -> VersionSummary:
    """Store `new` as the model's next version; active, candidate or rejected as core.ml.promotion decides."""
    registry.check_model(new.model)
    with db() as session:
        active = registry.active_version(session, new.model)
        compared = (active.id, active.version) if active is not None else None
        artefact, damaged = None, None
        if active is not None and beats_baseline:
            try:
                artefact = registry.load_artefact(session, active.id)
            except Exception as exc:  # damaged, or made by a library version that can no longer read it
                damaged = str(exc) or type(exc).__name__
    against = None
    if compared is not None and beats_baseline:
        against = (AgainstActive(compared[1], True, f"replaces the active version {compared[1]}, which cannot be "
                                                    f"used: {damaged}") if damaged else
                   _judged(judge, artefact, compared[1]))
    status, decision = promotion(beats_baseline, baseline_sentence, against)
    now = now_of(clock)
    with db.begin() as session:
        row = registry.store_version(session, new, now, status=REJECT if status == REJECT else "candidate",
                                     decision=decision)
        current = registry.active_version(session, new.model)
        if status == ACTIVATE and (current.id if current else None) != (compared[0] if compared else None):
            row.decision = (f"Kept as a candidate: another version became active while this one was trained, and "
                            f"the two were not compared ({decision})")
        elif status == ACTIVATE:
            registry.activate(session, row, new.trained_by, now)
        audit.record(session, new.trained_by, "ml.train", f"{new.model} version {row.version}",
                     {"status": row.status, "decision": row.decision}, now=now)
        return registry.summary(row)


def _judged(judge: JudgeAgainstActive, artefact: Any, number: int) -> AgainstActive:
    """The judge's verdict; a comparison that fails keeps the candidate a candidate (and the log says why)."""
    try:
        return judge(artefact, number)
    except Exception as exc:  # e.g. the active version's features cannot be made from today's data
        log.exception("could not compare a new version with the active version %s", number)
        return AgainstActive(number, False, f"could not be compared with the active version {number} ({exc})")


def activate_version(db: sessionmaker[Session], version_id: int, actor: Actor, clock: Clock,
                     expected_active_id: int | None | object = NOT_CHECKED) -> VersionSummary:
    """Promote a version by hand (an admin on the model page); the active one is retired. Rejected versions (not
    better than the baseline), the version already active and one whose artefact is damaged, pruned or unreadable
    are refused with a RegistryError, and so is the change when the active version is no longer
    `expected_active_id` (the one the admin saw when asking)."""
    now = now_of(clock)
    with db() as session:
        model = registry.version_row(session, version_id).model
    # The lock comes before any read of the transaction: on MariaDB (REPEATABLE READ) the first read fixes what
    # the transaction sees, so a read before the lock would miss a version another transaction just made active.
    with db.begin() as session:
        registry.lock_model(session, model)
        row = registry.version_row(session, version_id)
        _check_still_active(session, row.model, expected_active_id)
        registry.load_artefact(session, row.id)  # a damaged, pruned or unreadable one is refused, never made active
        previous = registry.activate(session, row, actor.username, now,
                                     _by_hand(f"Promoted by hand by {actor.username}", row.decision))
        _audit_switch(session, actor, "ml.activate", row, previous, now)
        return registry.summary(row)


def roll_back(db: sessionmaker[Session], model: str, actor: Actor, clock: Clock,
              expected_active_id: int | None | object = NOT_CHECKED) -> VersionSummary:
    """Make the version the active one replaced active again (the active one is retired); refused with a
    RegistryError when there is none, when its artefact is damaged, pruned or unreadable, or when the active
    version is no longer `expected_active_id`."""
    registry.check_model(model)
    now = now_of(clock)
    with db.begin() as session:
        registry.lock_model(session, model)
        _check_still_active(session, model, expected_active_id)
        row = registry.version_to_roll_back_to(session, model)
        registry.load_artefact(session, row.id)
        previous = registry.activate(session, row, actor.username, now,
                                     _by_hand(f"Made active again by a roll back by {actor.username}", row.decision),
                                     rolling_back=True)
        _audit_switch(session, actor, "ml.roll_back", row, previous, now)
        return registry.summary(row)


def _check_still_active(session: Session, model: str, expected_id: int | None | object) -> None:
    """Refuse in words a change asked for while another version was active (someone changed it meanwhile)."""
    current = registry.active_version(session, model)
    if expected_id is NOT_CHECKED or (current.id if current else None) == expected_id:
        return
    expected = session.get(MlModelVersion, expected_id) if expected_id is not None else None
    was = (f"version {expected.version} is no longer the active one:" if expected is not None else
           "no version was active when you asked, but")
    if current is None:
        now_words = "no version is active now"
    else:
        calendar = site_calendar_in(session)
        at = current.activated_at.astimezone(calendar.zone if calendar else timezone.utc)
        now_words = f"version {current.version} was made active at {at:%Y-%m-%d %H:%M} by {current.activated_by}"
    raise RegistryError(f"{model}: {was} {now_words}; look again before choosing")


def _by_hand(what: str, decision: str) -> str:
    """The new decision keeps the training run's own words once (not once per promotion)."""
    at_training = decision.split(TRAINING_NOTE, 1)[1] if TRAINING_NOTE in decision else decision
    return f"{what}. {TRAINING_NOTE}{at_training}"


def _audit_switch(session: Session, actor: Actor, action: str, row, previous, now: datetime) -> None:
    detail = {"active": row.version, "retired": previous.version if previous is not None else None}
    audit.record(session, actor.username, action, f"{row.model} version {row.version}", detail, actor.address, now)


__all__ = ["RegistryError", "activate_version", "register_trained", "roll_back"]
