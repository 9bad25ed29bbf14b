"""Each feature of downtime risk by name, with the plant's words for a value of it.

A driver of a prediction is shown as these words ("fault F12 (Photo-eye fault) 3 times in the last hour",
"cycle time 8% slow over the last hour"), so every feature the model sees must have them. A FeatureSpec holds
only strings and is picklable: a trained model's artefact may keep its specs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from core.plant.config_ml import MlSettings

WINDOWS = {"1h": 3600.0, "4h": 4 * 3600.0, "24h": 24 * 3600.0}
FAULT_WINDOWS = ("1h", "24h")
DRIFT_WINDOWS = ("1h", "4h")
REJECT_WINDOWS = ("4h", "24h")
STOP_KINDS = ("down_stops", "down_seconds", "small_stops", "idle_seconds", "changeovers")
CATEGORIES = ("machine", "product", "shift")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SPAN = {"1h": "the last hour", "4h": "the last 4 hours", "24h": "the last 24 hours"}


@dataclass(frozen=True)
class FeatureSpec:
    """A feature column: its name, "number" or "category", and `detail` its words need (a fault's text, the
    minutes of a long stop)."""

    name: str
    kind: str
    detail: str = ""

    def describe(self, value: object, row: Mapping[str, object] | None = None) -> str:
        """Plant words for `value` of this feature; `row` (the other features of the same moment) lets the
        words name the shift."""
        stem, _, suffix = self.name.partition(":")
        base, _, window = stem.rpartition("_")
        if _missing(value):
            return _missing_words(self, base or stem, window)
        number = value if isinstance(value, str) else float(value)
        if stem in _FIXED:
            return _FIXED[stem](number, row)
        if base == "faults":
            fault = f"fault {suffix}" + (f" ({self.detail})" if self.detail else "")
            return f"no {fault} in {_SPAN[window]}" if number == 0 else f"{fault} {_times(number)} in {_SPAN[window]}"
        if base == "cycle_drift":
            return _drift_words(number, window)
        if base == "reject_rate":
            return f"{_percent(number)} rejects over {_SPAN[window]}"
        if base in _STOP_WORDS:
            return _STOP_WORDS[base](number) + f" in {_SPAN[window]}"
        if stem == "hours_since_long_stop":
            if number == 0:
                return f"a stop of {self.detail} minutes or more going on now"
            return f"{_hours(number)} hours since the last stop of {self.detail} minutes or more"
        raise ValueError(f"no words for feature {self.name!r}")


def feature_specs(fault_names: Mapping[str, str], settings: MlSettings) -> tuple[FeatureSpec, ...]:
    """Every feature in column order: categories, calendar, stops per window, faults per code, speed, quality,
    maintenance, long stops."""
    specs = [FeatureSpec(name, "category") for name in CATEGORIES]
    specs += [FeatureSpec(name, "number") for name in ("hour_of_day", "weekday", "hours_into_shift")]
    specs += [FeatureSpec(f"{kind}_{window}", "number") for window in WINDOWS for kind in STOP_KINDS]
    specs += [FeatureSpec(f"faults_{window}:{code}", "number", text)
              for window in FAULT_WINDOWS for code, text in fault_names.items()]
    specs += [FeatureSpec(f"cycle_drift_{window}", "number") for window in DRIFT_WINDOWS]
    specs += [FeatureSpec(f"reject_rate_{window}", "number") for window in REJECT_WINDOWS]
    specs += [FeatureSpec("hours_since_preventive", "number"),
              FeatureSpec("hours_since_long_stop", "number", _number(settings.stop_minutes))]
    return tuple(specs)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _missing_words(spec: FeatureSpec, base: str, window: str) -> str:
    if base in ("cycle_drift", "reject_rate"):
        return f"no units counted in {_SPAN[window]}"
    return {
        "machine": "machine unknown",
        "product": "no product set",
        "shift": "outside every shift",
        "hours_into_shift": "outside every shift",
        "hours_since_preventive": "no preventive maintenance on record",
        "hours_since_long_stop": f"no stop of {spec.detail} minutes or more in the last 48 hours",
    }.get(spec.name, f"{spec.name} not known")


def _number(value: float) -> str:
    """3 -> "3", 7.5 -> "7.5", 160.24 -> "160"."""
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _hours(value: float) -> str:
    return _number(value)


def _percent(fraction: float) -> str:
    share = 100 * fraction
    return f"{share:.0f}%" if abs(share) >= 10 or share == 0 else f"{share:.1f}%".replace(".0%", "%")


def _times(count: float) -> str:
    return {1: "once", 2: "twice"}.get(int(count), f"{_number(count)} times")


def _plural(count: float, one: str, many: str) -> str:
    return f"{'no' if count == 0 else _number(count)} {one if count == 1 else many}"


def _minutes(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} seconds"
    minutes = round(seconds / 60, 1) if seconds < 600 else round(seconds / 60)
    return "1 minute" if minutes == 1 else f"{_number(minutes)} minutes"


def _drift_words(drift: float, window: str) -> str:
    if round(100 * drift, 1) == 0:
        return f"cycle time at its ideal over {_SPAN[window]}"
    return f"cycle time {_percent(abs(drift))} {'slow' if drift > 0 else 'fast'} over {_SPAN[window]}"


def _into_shift(hours: float, row: Mapping[str, object] | None) -> str:
    shift = row.get("shift") if row else None
    name = f"the {shift} shift" if isinstance(shift, str) and shift else "the shift"
    return f"{_hours(hours)} hours into {name}"


_STOP_WORDS = {
    "down_stops": lambda n: _plural(n, "stop", "stops"),
    "small_stops": lambda n: _plural(n, "small stop", "small stops"),
    "changeovers": lambda n: _plural(n, "changeover", "changeovers"),
    "down_seconds": lambda s: "not down" if s == 0 else f"down {_minutes(s)}",
    "idle_seconds": lambda s: "not idle" if s == 0 else f"idle {_minutes(s)}",
}

_FIXED = {
    "machine": lambda v, row: f"{v}'s own record of stops",
    "product": lambda v, row: f"producing {v}",
    "shift": lambda v, row: f"in the {v} shift",
    "hour_of_day": lambda v, row: f"at {int(v):02d}:{int(round(60 * (v % 1))):02d} local time",
    "weekday": lambda v, row: f"on a {WEEKDAY_NAMES[int(v)]}",
    "hours_into_shift": _into_shift,
    "hours_since_preventive": lambda v, row: f"{_hours(v)} hours since the last preventive maintenance",
}
