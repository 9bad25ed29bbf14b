"""The plant file's [[checklists]]: pre-start checklist templates, per machine or line, and their items."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from core.plant.config_types import CODE, Strict


class ChecklistItem(Strict):
    model_config = ConfigDict(**Strict.model_config, validate_by_name=True, validate_by_alias=True,
                              serialize_by_alias=True)

    code: str = Field(pattern=CODE)
    text: str = Field(min_length=1, max_length=200)
    kind: Literal["checkbox", "number", "text", "choice", "signature"] = "checkbox"
    critical: bool = False  # a failed critical item fails the checklist, blocks the job and raises an andon call
    required: bool = True
    min: float | None = None  # number items
    max: float | None = None
    choices: list[str] = Field(default_factory=list)  # choice items
    pass_: list[str] = Field(default_factory=list, alias="pass")  # the choices that pass; empty: every choice
    andon: Literal["maintenance", "quality", "material", "safety", "help"] = "help"  # call type when it fails

    @model_validator(mode="after")
    def settings_fit_the_kind(self) -> "ChecklistItem":
        if self.kind != "number" and (self.min is not None or self.max is not None):
            raise ValueError(f"min and max are for number items, not {self.kind} items")
        if self.kind != "choice" and (self.choices or self.pass_):
            raise ValueError(f"choices and pass are for choice items, not {self.kind} items")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g})")
        if self.kind == "choice":
            if len(self.choices) < 2 or len(set(self.choices)) != len(self.choices):
                raise ValueError("a choice item needs at least two different choices")
            if unknown := [value for value in self.pass_ if value not in self.choices]:
                raise ValueError(f"pass lists {unknown[0]!r}, which is not one of the choices")
        return self


class Checklist(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=120)
    equipment: list[str] = Field(default_factory=list)  # the machines it covers, or
    line: str | None = None  # every machine of a line
    required: Literal["every_job", "first_job_of_shift", "operator_change"] = "first_job_of_shift"
    items: list[ChecklistItem] = Field(min_length=1, max_length=60)

    @model_validator(mode="after")
    def one_scope_and_unique_items(self) -> "Checklist":
        if bool(self.equipment) == (self.line is not None):
            raise ValueError('say where the checklist applies with either equipment = [...] or line = "...", '
                             'not both')
        codes = [item.code for item in self.items]
        if twice := sorted({code for code in codes if codes.count(code) > 1}):
            raise ValueError(f"item code {twice[0]!r} is used twice")
        if sum(item.kind == "signature" for item in self.items) > 1:
            raise ValueError("a checklist takes at most one signature item")
        return self
