"""What every block of the plant file shares: strict models (an unknown key is an error, not ignored), the shape
of a code, and local wall-clock times in whole minutes."""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer

CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"


def _whole_minutes(value: time) -> time:
    if value.second or value.microsecond:
        raise ValueError("give whole minutes (HH:MM)")
    return value


# A local wall-clock time in whole minutes, written back as "HH:MM".
LocalTime = Annotated[time, AfterValidator(_whole_minutes),
                      PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)
