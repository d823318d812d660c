"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Built as plain dicts and validated against the official 2.1.0 schema in the tests. Fingerprints
come from the rule, the article and the normalised matched words, not line numbers, so a finding
keeps its identity when clauses above it are added or removed (ndalint/report/fingerprint.py,
shared with ``ndalint diff``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ndalint.report.fingerprint import fingerprint as _fingerprint
from ndalint.report.model import DocumentReport, Finding, Report, RuleInfo

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/ndalint/ndalint"
# Rule pages are generated into docs/rules/ (ndalint docs); forks can point elsewhere.
DOCS_URL = os.environ.get("NDALINT_DOCS_URL", INFORMATION_URI + "/blob/main/docs/rules/")
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
FINGERPRINT = "ndalintFinding/v1"


def render(report: Report, **_: object) -> str:
    rules = _rules(report)
    index = {r.id: i for i, r in enumerate(rules)}
    results, notifications = [], []
    for doc in report.documents:
        if doc.error:
            notifications.append({"level": "error", "message": {"text": doc.error},
                                  "locations": [{"physicalLocation": {"artifactLocation": _artifact(doc.path)}}]})
            continue
        if doc.notice:
            notifications.append({"level": "warning", "message": {"text": doc.notice},
                                  "locations": [{"physicalLocation": {"artifactLocation": _artifact(doc.path)}}]})
            continue
        seen: dict[str, int] = {}
        for f in doc.findings:
            results.append(_result(doc, f, index, seen))
    run = {
        "tool": {"driver": {"name": report.tool.name, "version": report.tool.version,
                            "semanticVersion": report.tool.version, "informationUri": INFORMATION_URI,
                            "rules": [_rule(r) for r in rules]}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not any(n["level"] == "error" for n in notifications), "toolExecutionNotifications": notifications}],
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _rules(report: Report) -> list[RuleInfo]:
    """The rules that ran (or, without that metadata, those that fired), in id order."""
    known = {r.id: r for r in report.rules}
    for doc in report.documents:
        for f in doc.findings:
            known.setdefault(f.rule_id, RuleInfo(id=f.rule_id, name=f.name, title=f.title or f.name,
                                                 category=f.category, severity=f.severity, references=f.references))
    return [known[k] for k in sorted(known)]


def _rule(r: RuleInfo) -> dict:
    help_md = [f"**{r.title}**", "", r.rationale]
    if r.suggestion:
        help_md += ["", "修正案:", "", r.suggestion]
    if r.references:
        help_md += ["", "根拠: " + "、".join(r.references)]
    text = "\n".join(help_md).strip()
    return {
        "id": r.id,
        "name": "".join(w.capitalize() for w in r.name.split("-")),
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.rationale or r.title},
        "help": {"text": text.replace("**", ""), "markdown": text},
        "helpUri": DOCS_URL + f"{r.id}.md",
        "defaultConfiguration": {"level": LEVEL[r.severity]},
        "properties": {"tags": ["ndalint", r.category], "category": r.category, "severity": r.severity},
    }


def _artifact(path: str) -> dict:
    p = Path(path)
    if path == "<stdin>":
        return {"uri": "stdin"}
    if p.is_absolute():
        return {"uri": p.as_uri()}
    return {"uri": p.as_posix(), "uriBaseId": "%SRCROOT%"}


def _region(doc: DocumentReport, f: Finding) -> dict:
    region = {"startLine": f.line, "startColumn": f.column}
    if doc.text is not None and f.end > f.start:
        matched = doc.text[f.start : f.end]
        newlines = matched.count("\n")
        end_col = len(matched) - matched.rfind("\n") if newlines else f.column + len(matched)
        region.update(endLine=f.line + newlines, endColumn=end_col, snippet={"text": matched})
    return region


def _result(doc: DocumentReport, f: Finding, index: dict[str, int], seen: dict[str, int]) -> dict:
    result = {
        "ruleId": f.rule_id,
        "level": LEVEL[f.severity],
        "message": {"text": f.message + (f"\n修正案: {f.suggestion}" if f.suggestion else "")},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(doc.path), "region": _region(doc, f)}}],
        "partialFingerprints": {FINGERPRINT: _fingerprint(doc, f, seen)},
        "properties": {"severity": f.severity, "category": f.category, "article": f.article, "excerpt": f.excerpt},
    }
    if f.rule_id in index:
        result["ruleIndex"] = index[f.rule_id]
    return result
