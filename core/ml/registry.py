"""The model registry: every training run stored as a version, one active version per model.

A version keeps what is needed to trust it later (training and holdout windows, features, the holdout metrics
of the model and of the naive baseline, the drift reference) and the artefact as compressed joblib bytes with
their SHA-256 checksum; loading checks the checksum again, so a damaged or altered artefact is refused, never used.

Artefacts are large (the anomaly model's is about 0.6 MB a machine once compressed), so the column is read only by
`load_artefact`, an artefact the database would not accept in one statement is refused in words before it is
sent (MariaDB/MySQL drop the connection past max_allowed_packet), and only the artefacts of the last
KEEP_ARTEFACTS versions of a model, of its active version and of the one that replaced are kept: an older version
keeps its record (its predictions point to it) but can no longer be made active.

Each activation remembers the version it replaced; a roll back returns to that one, step by step.

Functions take the caller's session: a version is stored, and made active, in the caller's transaction.
`lock_model` serialises the writers of one model (storing a version, activating one), so two runs at once
cannot both take version number n or leave two versions active.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import joblib
from sqlalchemy import func, select, text, update
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.orm import Session

from core.ml.views import VersionSummary
from core.persistence.ml_tables import MlModelVersion, MlSettingsRow
from core.plant.config_ml import SITE_SETTINGS, MlSettings

MODELS = ("downtime_risk", "anomaly")
CANDIDATE, ACTIVE, RETIRED, REJECTED = "candidate", "active", "retired", "rejected"
KEEP_ARTEFACTS = 10  # the newest versions of a model whose artefact is kept (the active one's always is)
# The most one value may hold where the database has no setting to read: SQLite's SQLITE_MAX_LENGTH and
# PostgreSQL's limit of a bytea value (MariaDB/MySQL: @@max_allowed_packet, read from the server).
VALUE_LIMIT = {"sqlite": 1_000_000_000, "postgresql": 1 << 30}
STATEMENT_MARGIN = 64 * 1024  # the statement's SQL and its other values, beside the artefact
MYSQL_ESCAPED = b"\0\\\n\r\x1a\"'"  # bytes the MySQL drivers send as two (a backslash before them)


class RegistryError(ValueError):
    """A registry request that cannot be done; the message says why, in words."""


class ArtefactDamaged(RegistryError):
    """The stored artefact no longer matches its checksum."""


class ArtefactUnreadable(RegistryError):
    """The stored artefact matches its checksum but cannot be read here (e.g. made by another scikit-learn)."""


class ArtefactTooLarge(RegistryError):
    """The artefact is larger than the database accepts: nothing was stored."""


@dataclass(frozen=True)
class NewVersion:
    """A training run's result, as the registry stores it."""

    model: str
    trained_by: str
    train_start: datetime
    train_end: datetime
    holdout_start: datetime
    holdout_end: datetime
    features: tuple[str, ...]
    metrics: dict[str, Any]
    baseline_metrics: dict[str, Any]
    artefact: Any  # anything joblib can dump
    parameters: dict[str, Any] = field(default_factory=dict)
    drift_reference: dict[str, Any] = field(default_factory=dict)


def artefact_bytes(artefact: Any) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(artefact, buffer, compress=3)
    return buffer.getvalue()


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_model(model: str) -> str:
    if model not in MODELS:
        raise RegistryError(f"no model called {model!r}: the models are {', '.join(MODELS)}")
    return model


def lock_model(session: Session, model: str) -> None:
    """Hold the write lock on `model`'s versions until the transaction ends. On SQLite a no-op write takes the
    database's write lock (as BEGIN IMMEDIATE would). Elsewhere the one ml_settings row is locked (written first
    with the [ml] defaults if no plant file has set them): FOR UPDATE on the model's own rows locks nothing before
    its first version (InnoDB takes gap locks, which two transactions both get, and their inserts then deadlock).
    Writers of both models queue on that row; each holds it only for a few writes."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.execute(update(MlModelVersion).where(MlModelVersion.model == model)
                        .values(status=MlModelVersion.status).execution_options(synchronize_session=False))
    elif dialect in ("mysql", "mariadb"):
        insert = mysql.insert(MlSettingsRow).values(id=SITE_SETTINGS, **MlSettings().model_dump())
        session.execute(insert.on_duplicate_key_update(id=insert.inserted.id))  # locks the row, new or not
    else:
        session.execute(postgresql.insert(MlSettingsRow).values(id=SITE_SETTINGS, **MlSettings().model_dump())
                        .on_conflict_do_nothing(index_elements=["id"]))
        session.execute(select(MlSettingsRow.id).where(MlSettingsRow.id == SITE_SETTINGS).with_for_update())


def store_version(session: Session, new: NewVersion, now: datetime, status: str = CANDIDATE,
                  decision: str = "") -> MlModelVersion:
    """Store `new` as the model's next version (1, 2, ...) with `status` (candidate or rejected; activation is
    `activate`'s). Locks the model first."""
    check_model(new.model)
    if status not in (CANDIDATE, REJECTED):
        raise RegistryError(f"a new version is stored as a candidate or rejected, not {status!r}")
    data = artefact_bytes(new.artefact)
    check_artefact_size(new.model, data, artefact_limit(session))
    lock_model(session, new.model)
    number = (session.scalar(select(func.max(MlModelVersion.version)).where(MlModelVersion.model == new.model))
              or 0) + 1
    row = MlModelVersion(
        model=new.model, version=number, status=status, trained_at=now, trained_by=new.trained_by[:64],
        train_start=new.train_start, train_end=new.train_end, holdout_start=new.holdout_start,
        holdout_end=new.holdout_end, features=json.dumps(list(new.features)),
        parameters=json.dumps(new.parameters, sort_keys=True, default=str), metrics=_json(new.metrics),
        baseline_metrics=_json(new.baseline_metrics), drift_reference=_json(new.drift_reference),
        artefact=data, checksum=checksum_of(data), decision=decision)
    session.add(row)
    session.flush()
    prune_artefacts(session, new.model)
    return row


def artefact_limit(session: Session) -> tuple[int, str]:
    """The most bytes one artefact may take in this database, and what sets that limit. For MariaDB/MySQL the
    whole INSERT must fit in the server's max_allowed_packet, so a margin for the rest of the statement is taken
    off."""
    dialect = session.get_bind().dialect.name
    if dialect in ("mysql", "mariadb"):
        return int(session.scalar(text("SELECT @@max_allowed_packet"))) - STATEMENT_MARGIN, "max_allowed_packet"
    return VALUE_LIMIT.get(dialect, VALUE_LIMIT["postgresql"]), f"the largest value {dialect} stores"


def check_artefact_size(model: str, data: bytes, limit: tuple[int, str]) -> None:
    """Refuse, in words, an artefact larger than the limit as the driver sends it (MySQL's drivers escape a few
    byte values as two bytes)."""
    most, what = limit
    sent = len(data) + sum(data.count(bytes([b])) for b in MYSQL_ESCAPED)
    if sent <= most:
        return
    if what == "max_allowed_packet":
        advice = (f"raise max_allowed_packet on the MariaDB/MySQL server (e.g. max_allowed_packet = "
                  f"{_packet_setting(sent)} under [mysqld], or SET GLOBAL max_allowed_packet) and train again")
    else:
        advice = "train it on fewer machines"
    raise ArtefactTooLarge(f"The {model} model's artefact is {_mb(sent)} once compressed, more than the database "
                           f"accepts ({_mb(most)}, set by {what}): nothing was stored; {advice}.")


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def _packet_setting(size: int) -> str:
    """A round max_allowed_packet (a power of two of MB, at least 64M) with room for `size` and its statement."""
    return f"{max(64, 1 << math.ceil(math.log2((size + STATEMENT_MARGIN) * 1.25 / 1_048_576)))}M"


def prune_artefacts(session: Session, model: str, keep: int = KEEP_ARTEFACTS) -> int:
    """Drop the artefacts of `model`'s versions older than its newest `keep`, except the active one's and the one
    it replaced (what a roll back returns to); their records stay. Returns how many were dropped."""
    newest = session.scalar(select(func.max(MlModelVersion.version)).where(MlModelVersion.model == model)) or 0
    active = active_version(session, model)
    spared = {active.id, active.replaced_version_id} - {None} if active is not None else set()
    done = session.execute(update(MlModelVersion).where(
        MlModelVersion.model == model, MlModelVersion.version <= newest - keep, MlModelVersion.id.not_in(spared),
        MlModelVersion.artefact.is_not(None)).values(artefact=None).execution_options(synchronize_session=False))
    return done.rowcount or 0


def _json(value: dict[str, Any]) -> str:
    """JSON where a figure that could not be computed (NaN) is null, never a made-up number."""
    return json.dumps(_plain(value), sort_keys=True, allow_nan=False)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _plain(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def load_artefact(session: Session, version_id: int) -> Any:
    """The version's artefact, after checking its checksum; refused in words (a RegistryError naming the version)
    when it was pruned, differs from its checksum (ArtefactDamaged) or cannot be read (ArtefactUnreadable)."""
    row = version_row(session, version_id)
    data = session.scalar(select(MlModelVersion.artefact).where(MlModelVersion.id == version_id))
    if data is None:
        raise RegistryError(f"{row.model} version {row.version}: its artefact was removed to save space (only the "
                            f"newest {KEEP_ARTEFACTS} versions' and the active one's are kept), so it cannot be "
                            "used again; train a new version")
    if checksum_of(data) != row.checksum:
        raise ArtefactDamaged(f"{row.model} version {row.version}: the stored artefact does not match its "
                              f"checksum (sha256 {row.checksum[:12]}...): it was damaged or altered and is not "
                              "used; train a new version or roll back to another one")
    try:
        return joblib.load(io.BytesIO(data))
    except Exception as exc:  # a class or module the installed libraries no longer have, a format they changed
        raise ArtefactUnreadable(f"{row.model} version {row.version}: the stored artefact cannot be read by the "
                                 f"libraries installed now ({type(exc).__name__}: {exc}); it was probably made "
                                 "by another version of scikit-learn: train a new version") from exc


def version_row(session: Session, version_id: int) -> MlModelVersion:
    row = session.get(MlModelVersion, version_id)
    if row is None:
        raise RegistryError(f"no model version with id {version_id}")
    return row


def active_version(session: Session, model: str) -> MlModelVersion | None:
    return session.scalars(select(MlModelVersion).where(MlModelVersion.model == model,
                                                        MlModelVersion.status == ACTIVE)).first()


def versions(session: Session, model: str) -> list[MlModelVersion]:
    """The model's versions, newest first."""
    return list(session.scalars(select(MlModelVersion).where(MlModelVersion.model == model)
                                .order_by(MlModelVersion.version.desc())))


def activate(session: Session, row: MlModelVersion, actor: str, now: datetime, decision: str | None = None,
             rolling_back: bool = False) -> MlModelVersion | None:
    """Make `row` the model's active version; the one active before is retired. Returns that one (or None).
    `row` remembers the version it replaced (a roll back keeps what it remembered from its own activation).
    Call `lock_model` first in the same transaction (store_version does)."""
    if row.status == REJECTED:
        raise RegistryError(f"{row.model} version {row.version} does not beat its baseline and cannot be made "
                            f"active ({row.decision})")
    previous = active_version(session, row.model)
    if previous is not None and previous.id == row.id:
        raise RegistryError(f"{row.model} version {row.version} is already the active version")
    if previous is not None:
        previous.status = RETIRED
        session.flush()  # the old active row is retired before the new one becomes active
    row.status, row.activated_at, row.activated_by = ACTIVE, now, actor[:64]
    if not rolling_back:
        row.replaced_version_id = previous.id if previous is not None else None
    if decision is not None:
        row.decision = decision
    session.flush()
    return previous


def version_to_roll_back_to(session: Session, model: str) -> MlModelVersion:
    """The version the active one replaced when it was made active; refused in words when there is none."""
    active = active_version(session, model)
    if active is None:
        raise RegistryError(f"{model}: no version is active, so there is nothing to roll back")
    earlier = session.get(MlModelVersion, active.replaced_version_id) if active.replaced_version_id else None
    if earlier is None:
        raise RegistryError(f"{model}: no earlier active version to roll back to (version {active.version} is "
                            "active); it was made active when no other version was")
    if earlier.status == REJECTED:
        raise RegistryError(f"{model}: version {active.version} replaced version {earlier.version}, which has since "
                            "been rejected and cannot be made active again")
    return earlier


def without_artefact(session: Session, ids: list[int]) -> set[int]:
    """Which of these versions had their artefact dropped (asked without reading any artefact)."""
    if not ids:
        return set()
    return set(session.scalars(select(MlModelVersion.id).where(MlModelVersion.id.in_(ids),
                                                               MlModelVersion.artefact.is_(None))))


def summary(row: MlModelVersion, artefact_kept: bool = True) -> VersionSummary:
    return VersionSummary(
        id=row.id, model=row.model, version=row.version, status=row.status, trained_at=row.trained_at,
        trained_by=row.trained_by, train_start=row.train_start, train_end=row.train_end,
        holdout_start=row.holdout_start, holdout_end=row.holdout_end, features=tuple(json.loads(row.features)),
        metrics=json.loads(row.metrics), baseline_metrics=json.loads(row.baseline_metrics), checksum=row.checksum,
        decision=row.decision, activated_at=row.activated_at, activated_by=row.activated_by,
        artefact_kept=artefact_kept, replaced_version_id=row.replaced_version_id)
