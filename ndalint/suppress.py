"""Suppression comments: a reviewed clause can be accepted on purpose, with a reason.

    <!-- ndalint-disable LIAB002 -- 成果報酬型のため違約金条項を双方合意済み（法務 2026-11） -->
    <!-- ndalint-disable-file STAGE -- 事業化フェーズのみの契約 -->

``ndalint-disable`` covers the article (条) it stands in, or the next article when it stands between
articles; ``ndalint-disable-file`` covers the whole document. Rules are named by id or prefix.
A directive without a reason suppresses nothing: the point is that the next reader knows why.
In Markdown an HTML comment keeps the directive out of the rendered contract; in plain text and
Word any line (or Word comment text) containing the directive works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ndalint.report.model import Finding
from ndalint.structure.model import Contract

DIRECTIVE = re.compile(
    r"ndalint-disable(?P<file>-file)?[ \t\u3000]+(?P<rules>[A-Za-z]+[0-9]{0,3}(?:[ \t]*,[ \t]*[A-Za-z]+[0-9]{0,3})*)"
    r"(?:[ \t\u3000]*(?:--(?!>)|—|:|：)[ \t\u3000]*(?P<reason>[^\n]*?))?[ \t\u3000]*(?:-->|$)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Suppression:
    rules: tuple[str, ...]
    reason: str
    start: int  # characters covered, [start, end)
    end: int

    def covers(self, f: Finding) -> bool:
        return self.start <= f.start < self.end and any(f.rule_id.startswith(r) for r in self.rules)


def directives(contract: Contract) -> tuple[list[Suppression], list[int]]:
    """Valid suppressions, and the offsets of directives ignored for want of a reason."""
    text = contract.document.text
    valid, invalid = [], []
    for m in DIRECTIVE.finditer(text):
        reason = (m.group("reason") or "").strip()
        if not reason:
            invalid.append(m.start())
            continue
        rules = tuple(r.strip().upper() for r in m.group("rules").split(","))
        if m.group("file"):
            start, end = 0, len(text)
        else:
            art = contract.article_at(m.start()) or next((a for a in contract.articles if a.start >= m.start()), None)
            start, end = (art.start, art.end) if art else (m.start(), len(text))
        valid.append(Suppression(rules, reason, start, end))
    return valid, invalid


def apply(contract: Contract, findings: list[Finding]) -> tuple[list[Finding], int]:
    """Findings that remain, and how many were suppressed."""
    rules, _ = directives(contract)
    if not rules:
        return findings, 0
    kept = [f for f in findings if not any(s.covers(f) for s in rules)]
    return kept, len(findings) - len(kept)
