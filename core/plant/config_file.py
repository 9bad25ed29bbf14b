"""Reading and writing the plant file (TOML): parse, validate, cross-check, dump.

`read_plant_file` raises PlantFileError whose lines each name the file, the
key and the problem; nothing is stored by this module.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from core.plant.config_maintenance import maintenance_plan_problems
from core.plant.config_quality import defect_codes_toml, quality_problems
from core.plant.config_schema import PlantConfig, ReportSchedule

MAX_REASON_DEPTH = 3


class PlantFileError(ValueError):
    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.lines = [f"{source}: {key}: {problem}" if key else f"{source}: {problem}" for key, problem in problems]
        super().__init__("\n".join(self.lines))


def read_plant_file(path: Path | str) -> PlantConfig:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlantFileError(str(path), [("", f"cannot read: {exc.strerror}")]) from exc
    return parse_plant_toml(text, source=str(path))


def parse_plant_toml(text: str, source: str = "plant.toml") -> PlantConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlantFileError(source, [("", f"not valid TOML: {exc}")]) from exc
    try:
        config = PlantConfig.model_validate(data)
    except ValidationError as exc:
        raise PlantFileError(source, [(_key(error["loc"]), _message(error)) for error in exc.errors()]) from exc
    problems = cross_check(config)
    if problems:
        raise PlantFileError(source, problems)
    return config


def _key(loc: tuple) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key


def _message(error: dict) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "missing"
    return message


def report_line_problems(report: ReportSchedule, line_codes: set[str]) -> list[tuple[str, str]]:
    """(key, problem) for a schedule the jobs process could never make for want of its line: a line or lines not
    the plant's, a shift report without its line. The plant file and the schedules admin page both ask this."""
    problems = [("lines", f"no line with code {code!r}") for code in report.lines or [] if code not in line_codes]
    if report.line is not None and report.line not in line_codes:
        problems.append(("line", f"no line with code {report.line!r}"))
    elif report.type == "shift" and report.line is None:
        problems.append(("line", "a shift report is about one line: choose it"))
    return problems


def cross_check(config: PlantConfig) -> list[tuple[str, str]]:
    """Rules that span items: unique codes, references that must exist, a reason tree without loops."""
    problems: list[tuple[str, str]] = []

    def duplicates(kind: str, keys: list[tuple[str, str]]) -> None:
        counts = Counter(value for _, value in keys)
        for path, value in keys:
            if counts[value] > 1:
                problems.append((path, f"duplicate {kind} {value!r}"))

    duplicates("shift name", [(f"shifts[{i}].name", s.name) for i, s in enumerate(config.shifts)])
    duplicates("line code", [(f"lines[{i}].code", line.code) for i, line in enumerate(config.lines)])
    equipment = [(f"lines[{i}].equipment[{j}].code", e.code)
                 for i, line in enumerate(config.lines) for j, e in enumerate(line.equipment)]
    duplicates("equipment code", equipment)
    duplicates("reason code", [(f"reasons[{i}].code", r.code) for i, r in enumerate(config.reasons)])
    duplicates("fault code", [(f"faults[{i}].code", f.code) for i, f in enumerate(config.faults)])
    duplicates("escalation priority", [(f"escalations[{i}].priority", e.priority)
                                       for i, e in enumerate(config.escalations)])
    duplicates("report name", [(f"reports[{i}].name", r.name) for i, r in enumerate(config.reports)])

    reason_codes = {r.code for r in config.reasons}
    equipment_codes = {code for _, code in equipment}
    line_codes = {line.code for line in config.lines}
    parents = {r.code: r.parent for r in config.reasons}
    for i, reason in enumerate(config.reasons):
        if reason.parent is not None and reason.parent not in reason_codes:
            problems.append((f"reasons[{i}].parent", f"no reason with code {reason.parent!r}"))
        elif _loops(reason.code, parents):
            problems.append((f"reasons[{i}].parent", f"reason {reason.code!r} is its own ancestor"))
        elif _depth(reason.code, parents) > MAX_REASON_DEPTH:
            problems.append((f"reasons[{i}].parent", f"reason {reason.code!r} is {_depth(reason.code, parents)} levels "
                             f"deep; the tree may have {MAX_REASON_DEPTH} levels (an operator picks a reason in "
                             f"{MAX_REASON_DEPTH} taps)"))
    for i, fault in enumerate(config.faults):
        if fault.reason is not None and fault.reason not in reason_codes:
            problems.append((f"faults[{i}].reason", f"no reason with code {fault.reason!r}"))
        for code in fault.equipment:
            if code not in equipment_codes:
                problems.append((f"faults[{i}].equipment", f"no equipment with code {code!r}"))
    for i, fault in enumerate(config.faults):
        for other in config.faults[:i]:
            shared = not fault.equipment or not other.equipment or set(fault.equipment) & set(other.equipment)
            if fault.bit == other.bit and shared:
                problems.append((f"faults[{i}].bit", f"bit {fault.bit} is already fault {other.code!r} on the same machines"))
    for i, report in enumerate(config.reports):
        problems.extend((f"reports[{i}].{key}", message) for key, message in report_line_problems(report, line_codes))
    duplicates("product code", [(f"products[{i}].code", p.code) for i, p in enumerate(config.products)])
    for i, product in enumerate(config.products):
        for code in product.ideal_cycles:
            if code not in equipment_codes:
                problems.append((f"products[{i}].ideal_cycles", f"no equipment with code {code!r}"))
    duplicates("checklist code", [(f"checklists[{i}].code", c.code) for i, c in enumerate(config.checklists)])
    for i, checklist in enumerate(config.checklists):
        if checklist.line is not None and checklist.line not in line_codes:
            problems.append((f"checklists[{i}].line", f"no line with code {checklist.line!r}"))
        for code in checklist.equipment:
            if code not in equipment_codes:
                problems.append((f"checklists[{i}].equipment", f"no equipment with code {code!r}"))
    duplicates("source name", [(f"sources[{i}].name", source.name) for i, source in enumerate(config.sources)])
    duplicates("source (url_env and table)", [(f"sources[{i}].table", f"{source.url_env}/{source.table}")
                                              for i, source in enumerate(config.sources)])  # would count twice
    for i, source in enumerate(config.sources):
        for name, code in source.equipment.items():
            if code not in equipment_codes:
                problems.append((f"sources[{i}].equipment", f"{name!r} maps to {code!r}, which is no equipment code"))
    problems.extend(quality_problems(config))
    problems.extend(maintenance_plan_problems(config))
    return problems


def _depth(code: str, parents: dict[str, str | None]) -> int:
    depth, parent = 1, parents.get(code)
    while parent is not None:
        depth, parent = depth + 1, parents.get(parent)
    return depth


def _loops(code: str, parents: dict[str, str | None]) -> bool:
    seen = {code}
    parent = parents.get(code)
    while parent is not None:
        if parent in seen:
            return True
        seen.add(parent)
        parent = parents.get(parent)
    return False


def dump_plant_toml(config: PlantConfig) -> str:
    """The plant as TOML; reading it back gives the same configuration."""
    data = _without_nulls(config.model_dump(mode="json"))
    defect_codes = defect_codes_toml(data)
    # A section with no items is left out (it reads back as none); TOML would write `sources = []` at the top
    return tomli_w.dumps({key: value for key, value in data.items() if value != []}) + defect_codes


def _without_nulls(value: Any) -> Any:
    """TOML has no null: a key whose value is None is left out (and defaults back to None on load)."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value
