"""The prediction use cases in one place, for the jobs, the CLI and the pages (each is a thin adapter over one).

- training and the registry: core.ml.service_training, core.ml.service_versions
- hourly work: core.ml.service_scoring (score, join outcomes, drift)
- what the pages and `floorboard ml evaluate` read: core.ml.service_views

Each use case takes the session factory and a clock (a function giving now, or the moment itself).
"""

from core.ml.registry import ArtefactDamaged, RegistryError
from core.ml.service_scoring import (check_drift, drift_due, find_new_anomalies, join_outcomes, put_to_work,
                                     score_machines, scoring_due)
from core.ml.service_training import last_training_attempt, train_model
from core.ml.service_versions import activate_version, roll_back
from core.ml.service_views import achieved, evaluate_active, model_overview, risk_board

__all__ = [
    "ArtefactDamaged", "RegistryError", "achieved", "activate_version", "check_drift", "drift_due", "evaluate_active",
    "find_new_anomalies", "join_outcomes", "last_training_attempt", "model_overview", "put_to_work", "risk_board",
    "roll_back", "score_machines", "scoring_due", "train_model",
]
