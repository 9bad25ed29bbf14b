"""What the prediction pages, the CLI and the reports are handed: plain data, no Dash.

core.ml.service builds these; callbacks turn them into components. Every figure here was measured; where there
was nothing to measure the field is None and `note` says why in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Driver:
    feature: str  # e.g. "faults_1h:F12"
    text: str  # plant words: "fault F12 (Photo-eye fault) 3 times in the last hour"
    effect: float  # how much the probability falls when this feature is set to its usual value


@dataclass(frozen=True)
class RiskRow:
    equipment_id: int
    machine: str  # code
    machine_name: str
    line: str  # code
    probability: float
    baseline_probability: float
    drivers: tuple[Driver, ...]
    made_at: datetime


@dataclass(frozen=True)
class Metrics:
    """Holdout (or achieved) figures of one scorer; None where they cannot be computed (e.g. one class only)."""

    rows: int
    positives: int
    roc_auc: float | None
    brier: float | None
    precision_at_k: float | None
    k: int


@dataclass(frozen=True)
class VersionSummary:
    id: int
    model: str  # downtime_risk | anomaly
    version: int
    status: str  # candidate | active | retired | rejected
    trained_at: datetime
    trained_by: str
    train_start: datetime
    train_end: datetime
    holdout_start: datetime
    holdout_end: datetime
    features: tuple[str, ...]
    metrics: dict
    baseline_metrics: dict
    checksum: str
    decision: str
    activated_at: datetime | None
    activated_by: str | None
    artefact_kept: bool = True  # False: dropped to save space (core.ml.registry.prune_artefacts); cannot be used
    replaced_version_id: int | None = None  # the version this one replaced when made active (a roll back's target)


@dataclass(frozen=True)
class RiskBoard:
    """Machines by risk, riskiest first, from the active model's latest scoring."""

    rows: tuple[RiskRow, ...]
    version: VersionSummary | None
    stop_minutes: float
    horizon_hours: float
    beats_baseline: bool | None  # on the holdout; None: no active model
    note: str  # in words: e.g. "No model is active yet: run `floorboard ml train`."


@dataclass(frozen=True)
class Achieved:
    """Stored predictions whose horizon has passed, joined to what happened."""

    since: datetime
    model: Metrics
    baseline: Metrics
    note: str


@dataclass(frozen=True)
class ModelOverview:
    model: str
    active: VersionSummary | None
    versions: tuple[VersionSummary, ...]  # newest first
    achieved: Achieved | None
    drift: dict[str, float] = field(default_factory=dict)  # feature -> PSI, latest check of the active version
    drift_checked_at: datetime | None = None
    retrain_psi: float = 0.25
    note: str = ""


@dataclass(frozen=True)
class AnomalyStretch:
    equipment_id: int
    machine: str
    start: datetime
    end: datetime
    score: float
    feature: str
    detail: str
