"""Tables of the predictions: model versions (the registry), predictions and what came of them, anomalies,
drift checks, and the plant file's [ml] settings.

A model version keeps everything needed to trust it later: the training window, the features, the holdout
metrics of the model and of the naive baseline on the same holdout, and the artefact (compressed joblib bytes)
with its SHA-256 checksum, checked again whenever it is loaded.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Double, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from core.persistence.base import Base, UTCDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")  # SQLite only auto-increments INTEGER keys
Artefact = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")  # BLOB stops at 64 KiB there


class MlSettingsRow(Base):
    """The plant file's [ml] section: one row, written by `plant load`."""

    __tablename__ = "ml_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1: the site's settings
    stop_minutes: Mapped[float] = mapped_column(Double)  # an unplanned stop at least this long ...
    horizon_hours: Mapped[float] = mapped_column(Double)  # ... within this many hours is what risk predicts
    top_k: Mapped[int] = mapped_column(Integer)  # precision is measured on the k riskiest machines
    retrain_psi: Mapped[float] = mapped_column(Double)  # a feature drifting this far triggers retraining


class MlModelVersion(Base):
    """One training run of one model; at most one version per model is active."""

    __tablename__ = "ml_models"
    __table_args__ = (UniqueConstraint("model", "version"), Index("ix_ml_models_model_status", "model", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model: Mapped[str] = mapped_column(String(32))  # downtime_risk | anomaly
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per model
    status: Mapped[str] = mapped_column(String(16))  # candidate | active | retired | rejected
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime)
    trained_by: Mapped[str] = mapped_column(String(64))  # "job:retrain_models", "cli:<user>", ...
    train_start: Mapped[datetime] = mapped_column(UTCDateTime)
    train_end: Mapped[datetime] = mapped_column(UTCDateTime)
    holdout_start: Mapped[datetime] = mapped_column(UTCDateTime)
    holdout_end: Mapped[datetime] = mapped_column(UTCDateTime)
    features: Mapped[str] = mapped_column(Text)  # JSON [feature name]
    parameters: Mapped[str] = mapped_column(Text)  # JSON: settings and hyper-parameters the run used
    metrics: Mapped[str] = mapped_column(Text)  # JSON: holdout metrics of the model
    baseline_metrics: Mapped[str] = mapped_column(Text)  # JSON: the naive baseline's, same holdout ({} if none)
    drift_reference: Mapped[str] = mapped_column(Text)  # JSON: per feature, bin edges and training shares (PSI)
    # compressed joblib dump; read only when the version is used (core.ml.registry.load_artefact), never by a list
    # of versions. NULL once dropped to save space (core.ml.registry.prune_artefacts): the record stays.
    artefact: Mapped[bytes | None] = mapped_column(Artefact, nullable=True, deferred=True)
    checksum: Mapped[str] = mapped_column(String(64))  # SHA-256 of artefact, hex
    decision: Mapped[str] = mapped_column(Text, default="")  # why it was (or was not) made active, in words
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    activated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # the version that was active when this one was made active: a roll back returns to it (not set by a roll back,
    # so rolling back twice goes two steps back rather than to and fro)
    replaced_version_id: Mapped[int | None] = mapped_column(ForeignKey("ml_models.id"), nullable=True)
    # anomaly versions: the end of the running minutes scanned so far; the next scan starts there (after a jobs
    # outage too), so no minute goes unscanned (core.ml.anomaly.find_anomalies)
    scanned_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class MlPrediction(Base):
    """A risk score as it was made, later joined to what happened (outcome)."""

    __tablename__ = "ml_predictions"
    __table_args__ = (Index("ix_ml_predictions_made_at", "made_at"),
                      Index("ix_ml_predictions_equipment_made_at", "equipment_id", "made_at"),
                      UniqueConstraint("model_version_id", "equipment_id", "made_at"))  # one per version, machine, hour

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("ml_models.id"))
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)  # features use only data before this moment
    horizon_end: Mapped[datetime] = mapped_column(UTCDateTime)
    probability: Mapped[float] = mapped_column(Double)
    baseline_probability: Mapped[float] = mapped_column(Double)
    drivers: Mapped[str] = mapped_column(Text)  # JSON [{"feature", "text", "effect"}], strongest first
    outcome: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # None until the horizon has passed
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # when it was joined


class MlAnomaly(Base):
    """A stretch of minutes the anomaly model flagged on one machine."""

    __tablename__ = "ml_anomalies"
    __table_args__ = (Index("ix_ml_anomalies_equipment_start", "equipment_id", "start"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("ml_models.id"))
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    score: Mapped[float] = mapped_column(Double)  # the lowest IsolationForest score in the stretch (lower: odder)
    feature: Mapped[str] = mapped_column(String(64))  # the feature furthest from normal
    detail: Mapped[str] = mapped_column(Text)  # in words, e.g. "cycle time 14% slow, 3 rejects a minute"
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MlDriftCheck(Base):
    """The population stability index of each feature of a model version: training against the last days."""

    __tablename__ = "ml_drift_checks"
    __table_args__ = (Index("ix_ml_drift_checks_version_checked", "model_version_id", "checked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("ml_models.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    psi: Mapped[str] = mapped_column(Text)  # JSON {feature: psi}
    max_psi: Mapped[float] = mapped_column(Double)
    retrain: Mapped[bool] = mapped_column(Boolean)  # max_psi reached the threshold: retraining was started
