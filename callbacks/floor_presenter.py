"""How the floor's live figures read on screen: words for states, short durations, counts and percentages."""

from __future__ import annotations

from datetime import datetime

from core.live_status import FloorNow, MachineNow

STATE_WORDS = {"running": "Running", "down": "Down", "changeover": "Changeover", "planned_stop": "Planned stop",
               "idle": "Idle", "no_data": "No signal"}


def state_word(state: str) -> str:
    return STATE_WORDS.get(state, state)


def duration(since: datetime | None, now: datetime) -> str:
    if since is None:
        return ""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} d {hours % 24} h"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def number(value: int) -> str:
    return f"{value:,}"


def tile_fields(machine: MachineNow, now: datetime) -> dict[str, str]:
    """The text of each field of a machine's tile on the operator board."""
    if machine.state in ("running", "no_data") or not machine.reason_name:
        reason = "" if machine.state == "running" else ("Reason not given yet" if machine.state == "down" else "")
    else:
        reason = machine.reason_name
    return {
        "state": state_word(machine.state),
        "since": f"for {duration(machine.since, now)}" if machine.since else "nothing heard yet",
        "reason": reason,
        "good": number(machine.good),
        "target": (f"of {number(machine.target_so_far)} by now · {number(machine.shift_target)} this shift"
                   if machine.shift_target is not None else f"of {number(machine.target_so_far)} target"),
        "oee": percent(machine.oee),
        "apq": f"A {percent(machine.availability)} · P {percent(machine.performance)} · Q {percent(machine.quality)}",
    }


def tile_class(machine: MachineNow) -> str:
    return f"board-tile state-{machine.state}"


def shift_text(floor: FloorNow) -> str:
    zone = floor.zone
    start = floor.window_start.astimezone(zone).strftime("%H:%M") if zone else ""
    if floor.window_end is None:
        return f"{floor.window_name}: no shift running" if zone else floor.window_name
    end = floor.window_end.astimezone(zone).strftime("%H:%M")
    return f"{floor.window_name} shift · {start}–{end}"


def unexplained_text(share: float | None) -> str:
    if share is None:
        return "No stops longer than the micro-stop threshold in this window."
    return f"Stop time still without a reason: {share:.0%}"
