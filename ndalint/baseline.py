"""Baselines: record today's findings once, then report only new ones (like Ruff's and Semgrep's).

A finding is identified by its fingerprint (``report/fingerprint.py``: the rule and the matched
words, NFKC, whitespace removed, counted when the same words recur) without its article number,
so a clause that moves or is renumbered keeps its identity; only new or changed wording is new.
The file is JSON keyed by the document path as given on the command line.
"""

from __future__ import annotations

import json
from pathlib import Path

from ndalint.errors import ConfigError
from ndalint.fsutil import write_atomic
from ndalint.report.fingerprint import fingerprint
from ndalint.report.model import DocumentReport, Report

SCHEMA = "ndalint.baseline/1"


def keys(doc: DocumentReport) -> list[str]:
    """One key per finding, in the document's order; the article number plays no part."""
    seen: dict[str, int] = {}
    return [f"{f.rule_id}:{fingerprint(doc, f, seen, article=None)}" for f in doc.findings]


def write(report: Report, path: str) -> int:
    """Write the baseline of every readable document; return how many findings it records."""
    documents = {doc.path: keys(doc) for doc in report.documents if not doc.error}
    data = {"schema": SCHEMA, "tool": report.tool.version, "documents": documents}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return sum(len(v) for v in documents.values())


def read(path: str) -> dict[str, set[str]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the baseline ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise ConfigError(f"{path}: not a baseline file (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("documents"), dict):
        raise ConfigError(f"{path}: not a baseline file (expected schema {SCHEMA}; write one with --write-baseline)")
    return {str(p): set(map(str, ks)) for p, ks in data["documents"].items() if isinstance(ks, list)}


def apply(report: Report, baseline: dict[str, set[str]]) -> int:
    """Drop the findings the baseline knows; return how many were dropped. A document the
    baseline has never seen keeps all of its findings."""
    dropped = 0
    for doc in report.documents:
        known = baseline.get(doc.path)
        if not known:
            continue
        kept = [f for f, k in zip(doc.findings, keys(doc)) if k not in known]
        dropped += len(doc.findings) - len(kept)
        doc.baselined = len(doc.findings) - len(kept)
        doc.findings = kept
    return dropped
