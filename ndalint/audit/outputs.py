"""Per-document summaries, totals, and the files of an audit (all written atomically)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from typing import Any

from ndalint import __version__
from ndalint.fsutil import write_atomic
from ndalint.report.labels import CATEGORY_JA

SCHEMA = "ndalint.audit/1"
CATEGORIES = tuple(CATEGORY_JA)
CSV_COLUMNS = ("path", "status", "kind", "binds_individual", "score", "band", "findings", *CATEGORIES, "cached", "error")


def summarise(report: dict[str, Any], cached: bool) -> dict[str, Any]:
    """One row of the audit from a DocumentReport (as a dict): what the CSV, JSON and dashboard show."""
    findings = report.get("findings") or []
    score = report.get("score") or {}
    return {
        "path": report["path"],
        "status": report.get("status", "ok"),
        "title": report.get("title"),
        "kind": report.get("kind"),
        "binds_individual": report.get("binds_individual"),
        "score": score.get("value"),
        "band": score.get("band"),
        "findings": len(findings),
        "categories": {c: n for c, n in sorted(Counter(f["category"] for f in findings).items())},
        "rules": {r: n for r, n in sorted(Counter(f["rule_id"] for f in findings).items())},
        "severities": {s: n for s, n in sorted(Counter(f["severity"] for f in findings).items())},
        "titles": {f["rule_id"]: f["title"] for f in findings if f.get("title")},
        "cached": cached,
        "error": report.get("error") or report.get("notice"),
    }


def totals_of(documents: list[dict[str, Any]], seconds: float, skipped: int = 0) -> dict[str, Any]:
    def count(key: str) -> dict[str, int]:
        c: Counter[str] = Counter()
        for d in documents:
            c.update(d[key])
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    return {
        "documents": len(documents),
        "ok": sum(d["status"] == "ok" for d in documents),
        "errors": sum(d["status"] == "error" for d in documents),
        "unrecognized": sum(d["status"] == "unrecognized" for d in documents),
        "findings": sum(d["findings"] for d in documents),
        "cached": sum(d["cached"] for d in documents),
        "analysed": sum(not d["cached"] for d in documents),
        "skipped": skipped,  # entries the walk did not enter (see "skipped" beside "documents")
        "seconds": round(seconds, 3),
        "bands": dict(Counter(d["band"] for d in documents if d["band"])),
        "kinds": dict(sorted(Counter(d["kind"] or "unknown" for d in documents if d["status"] == "ok").items())),
        "categories": count("categories"),
        "rules": count("rules"),
    }


def results_csv(documents: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for d in documents:
        bi = d["binds_individual"]
        w.writerow([d["path"], d["status"], d["kind"] or "", "" if bi is None else str(bi).lower(),
                    "" if d["score"] is None else d["score"], d["band"] or "", d["findings"],
                    *(d["categories"].get(c, 0) for c in CATEGORIES), str(d["cached"]).lower(), d["error"] or ""])
    return buf.getvalue()


def results_json(documents: list[dict[str, Any]], totals: dict[str, Any],
                 skipped: list[dict[str, str]] | tuple = ()) -> str:
    return json.dumps({"schema": SCHEMA, "tool": {"name": "ndalint", "version": __version__},
                       "totals": totals, "documents": documents, "skipped": list(skipped)},
                      ensure_ascii=False, indent=2) + "\n"


def write_outputs(out: str, documents: list[dict[str, Any]], totals: dict[str, Any],
                  skipped: list[dict[str, str]] | tuple = ()) -> None:
    """Each file written whole or not at all (temporary file + rename): an audit killed at any
    moment leaves the previous run's file or this run's, never a part of one."""
    from ndalint.audit.dashboard import render

    os.makedirs(out, exist_ok=True)
    write_atomic(os.path.join(out, "results.csv"), "\ufeff" + results_csv(documents))  # BOM: Excel reads UTF-8
    write_atomic(os.path.join(out, "results.json"), results_json(documents, totals, skipped))
    write_atomic(os.path.join(out, "dashboard.html"), render(documents, totals, out, skipped))
