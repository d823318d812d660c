"""The DiffReport every ``ndalint diff`` format renders (JSON: ``ndalint.diff/1``, README "Comparing drafts")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ndalint.report.model import ScoreOut, Tool

SCHEMA = "ndalint.diff/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Side(_Model):
    """One version: what was read and how it scored."""

    path: str
    title: str | None = None
    format: str | None = None
    score: ScoreOut | None = None
    articles: int = 0
    findings: int = 0


class ScoreChange(_Model):
    old: int
    new: int
    delta: int = Field(description="new - old: negative is safer")
    old_band: str
    new_band: str
    band_change: Literal["better", "same", "worse"]


class Place(_Model):
    article: int | None
    line: int


class FindingChange(_Model):
    fingerprint: str = Field(description="the NEW document's SARIF fingerprint (the OLD one's for a resolved finding)")
    rule_id: str
    title: str
    category: str
    severity: str
    message: str
    excerpt: str
    suggestion: str | None = None
    old: Place | None = Field(default=None, description="where it stands in OLD (null: introduced)")
    new: Place | None = Field(default=None, description="where it stands in NEW (null: resolved)")


class Findings(_Model):
    resolved: list[FindingChange] = Field(default_factory=list, description="in OLD, not in NEW")
    introduced: list[FindingChange] = Field(default_factory=list, description="in NEW, not in OLD")
    unchanged: list[FindingChange] = Field(default_factory=list, description="in both")


class Segment(_Model):
    op: Literal["equal", "delete", "insert"]
    text: str


class Clause(_Model):
    """An article of OLD, of NEW, or a pair of them."""

    status: Literal["unchanged", "renumbered", "changed", "added", "removed"]
    old_number: int | None = None
    new_number: int | None = None
    old_label: str | None = Field(default=None, description="第3条, 第3条の2")
    new_label: str | None = None
    old_title: str | None = None
    new_title: str | None = None
    matched_by: Literal["text", "number", "heading", "similarity", "position"] | None = None
    similarity: float | None = Field(default=None, description="0..1, difflib ratio of the two texts")
    text: str | None = Field(default=None, description="added or removed: the article's text")
    diff: list[Segment] = Field(default_factory=list, description="changed: OLD = equal + delete, NEW = equal + insert")


class Gate(_Model):
    fail_on: str
    failed: bool
    reasons: list[str] = Field(default_factory=list)


class DiffReport(_Model):
    schema_: str = Field(default=SCHEMA, alias="schema")
    tool: Tool
    old: Side
    new: Side
    score: ScoreChange | None
    findings: Findings
    clauses: list[Clause]
    gate: Gate

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
