"""The plant file's `[[maintenance_plans]]`: preventive maintenance on a machine, by calendar, run hours or
cycles (exactly one), with its checklist of tasks.

```toml
[[maintenance_plans]]
code = "BAG1-JAWS"
equipment = "BAG1"
title = "Grease the sealing jaws"
every_run_hours = 40          # or every_days = 30, or every_cycles = 250000
grace_days = 1               # the order is overdue this long after the plan fell due
tasks = ["Clean the jaws", "Grease both bearings"]
```
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from core.plant.config_schema import PlantConfig

# The same as config_schema's CODE and Strict: repeated, because config_schema imports this module
CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"
TRIGGER_KEYS = {"every_days": "calendar", "every_run_hours": "run_hours", "every_cycles": "cycles"}


class MaintenancePlan(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    code: str = Field(pattern=CODE)
    equipment: str = Field(pattern=CODE)
    title: str = Field(min_length=1, max_length=200)
    every_days: float | None = Field(None, gt=0, le=3650)
    every_run_hours: float | None = Field(None, gt=0, le=100_000)
    every_cycles: int | None = Field(None, gt=0, le=10_000_000_000)
    grace_days: float = Field(1, ge=0, le=365)
    tasks: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list, max_length=60)

    @model_validator(mode="after")
    def one_trigger(self) -> "MaintenancePlan":
        given = [key for key in TRIGGER_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            raise ValueError("say how often with exactly one of every_days, every_run_hours or every_cycles"
                             + (f" (given: {', '.join(given)})" if given else ""))
        return self

    @property
    def trigger(self) -> str:
        return next(trigger for key, trigger in TRIGGER_KEYS.items() if getattr(self, key) is not None)

    @property
    def interval(self) -> float:
        return float(next(getattr(self, key) for key in TRIGGER_KEYS if getattr(self, key) is not None))


def plan_from_stored(code: str, equipment: str, title: str, trigger: str, interval: float, grace_days: float,
                     tasks: list[str]) -> MaintenancePlan:
    """The plan as the file writes it, from what the database holds (for `plant dump`)."""
    key = next(key for key, name in TRIGGER_KEYS.items() if name == trigger)
    value = int(interval) if trigger == "cycles" else interval
    return MaintenancePlan(code=code, equipment=equipment, title=title, grace_days=grace_days, tasks=tasks,
                           **{key: value})


def maintenance_plan_problems(config: "PlantConfig") -> list[tuple[str, str]]:
    """(key, problem) for plans that reuse a code or name a machine the plant does not have."""
    plans = config.maintenance_plans
    counts = Counter(plan.code for plan in plans)
    equipment = {e.code for line in config.lines for e in line.equipment}
    problems = [(f"maintenance_plans[{i}].code", f"duplicate maintenance plan code {plan.code!r}")
                for i, plan in enumerate(plans) if counts[plan.code] > 1]
    problems += [(f"maintenance_plans[{i}].equipment", f"no equipment with code {plan.equipment!r}")
                 for i, plan in enumerate(plans) if plan.equipment not in equipment]
    return problems
