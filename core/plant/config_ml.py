"""The plant file's [ml]: what downtime risk predicts and when drift triggers retraining.

```toml
[ml]
stop_minutes = 10     # risk = probability of an unplanned stop at least this long ...
horizon_hours = 4     # ... beginning within the next this many hours
top_k = 3             # precision is measured on the k riskiest machines at each scoring
retrain_psi = 0.25    # a feature whose population stability index reaches this triggers retraining
```
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class MlSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)

    stop_minutes: float = Field(10.0, gt=0, le=24 * 60)
    horizon_hours: float = Field(4.0, gt=0, le=7 * 24)
    top_k: int = Field(3, ge=1, le=100)
    retrain_psi: float = Field(0.25, gt=0, le=10)
