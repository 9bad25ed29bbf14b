"""The plant file's [ml]: what downtime risk predicts and when drift triggers retraining.

```toml
[ml]
stop_minutes = 10     # risk = probability of an unplanned stop at least this long ...
horizon_hours = 4     # ... beginning within the next this many hours
top_k = 3             # precision is measured on the k riskiest machines at each scoring
retrain_psi = 0.25    # a feature whose population stability index reaches this triggers retraining
```

The model is checked with the rest of the plant file (core.plant.config_schema.PlantConfig.ml);
`apply_ml_settings` and `stored_ml_settings` keep it in the `ml_settings` table (one row, id 1) for
core.plant.config_store, so the jobs and pages read the same settings the file gave.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from core.persistence.ml_tables import MlSettingsRow
from core.plant.site_row import upsert_site_row

SITE_SETTINGS = 1  # the one row of ml_settings
_FIELDS = ("stop_minutes", "horizon_hours", "top_k", "retrain_psi")


class MlSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)

    stop_minutes: float = Field(10.0, gt=0, le=24 * 60)
    horizon_hours: float = Field(4.0, gt=0, le=7 * 24)
    top_k: int = Field(3, ge=1, le=100)
    retrain_psi: float = Field(0.25, gt=0, le=10)


def apply_ml_settings(session: Session, settings: MlSettings) -> tuple[int, int]:
    """Store the settings; (created, updated) rows, for the plant load's summary."""
    wanted = {key: getattr(settings, key) for key in _FIELDS}
    return upsert_site_row(session, MlSettingsRow, SITE_SETTINGS, wanted)


def stored_ml_settings(session: Session) -> MlSettings:
    """The stored settings, or the defaults when no plant file with [ml] was loaded yet."""
    row = session.get(MlSettingsRow, SITE_SETTINGS)
    if row is None:
        return MlSettings()
    return MlSettings(**{key: getattr(row, key) for key in _FIELDS})
