"""The plant file's [fault_rules]: when the same fault on one machine counts as a repeat fault.

```toml
[fault_rules]
repeat_faults = { count = 3, within_hours = 8 }   # the same fault code 3 times within 8 hours on one machine
```

The models are checked with the rest of the plant file (core.plant.config_schema.PlantConfig.fault_rules);
`apply_fault_rules` and `stored_fault_rules` keep them in the `fault_rules` table for core.plant.config_store.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from core.persistence.fault_tables import FaultRuleRow
from core.plant.site_row import upsert_site_row

SITE_RULES = 1  # the one row of fault_rules


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class RepeatFaults(_Strict):
    count: int = Field(3, ge=2, le=100)  # one occurrence is no repeat
    within_hours: float = Field(8.0, gt=0, le=24 * 31)


class FaultRules(_Strict):
    repeat_faults: RepeatFaults = Field(default_factory=RepeatFaults)


def apply_fault_rules(session: Session, rules: FaultRules) -> tuple[int, int]:
    """Store the rules; (created, updated) rows, for the plant load's summary."""
    wanted = {"repeat_count": rules.repeat_faults.count, "repeat_within_hours": rules.repeat_faults.within_hours}
    return upsert_site_row(session, FaultRuleRow, SITE_RULES, wanted)


def stored_fault_rules(session: Session) -> FaultRules:
    """The stored rules, or the defaults when none were loaded yet."""
    row = session.get(FaultRuleRow, SITE_RULES)
    if row is None:
        return FaultRules()
    return FaultRules(repeat_faults=RepeatFaults(count=row.repeat_count, within_hours=row.repeat_within_hours))
