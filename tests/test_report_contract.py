"""The machine-readable formats keep their contracts: JSON against the committed JSON Schema,
SARIF against the official 2.1.0 schema, with fingerprints that survive edits above a finding."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from conftest import CORPUS, ROOT, SHARED, check_json, run_cli
from ndalint.report.json_schema import render_schema

REPORT_SCHEMA = ROOT / "schemas" / "ndalint.report-1.schema.json"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


def test_committed_json_schema_is_the_models_schema():
    assert REPORT_SCHEMA.read_text(encoding="utf-8") == render_schema(), "run `make docs` to regenerate schemas/"
    assert run_cli("schema").stdout == render_schema()


def test_json_report_validates_against_schema(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    code, data, _ = check_json(CORPUS, bad)
    assert code == 2  # one unreadable file: reported, and the others still are
    jsonschema.validate(data, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))
    assert data["schema"] == "ndalint.report/1"
    assert any(d["error"] for d in data["documents"]) and any(d["findings"] for d in data["documents"])
    assert all("text" not in d for d in data["documents"]), "the contract text must not be copied into the report"


def _sarif(*args: str) -> dict:
    result = run_cli("check", "--format", "sarif", "--exit-zero", *args)
    return json.loads(result.stdout)


def test_sarif_validates_and_maps_findings(tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    sarif = _sarif(str(CORPUS), str(bad))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    _, report, _ = check_json(CORPUS, extra=("--exit-zero",))
    findings = [(d["path"], f) for d in report["documents"] for f in d["findings"]]
    run = sarif["runs"][0]
    assert len(run["results"]) == len(findings) > 0
    level = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
    rules = run["tool"]["driver"]["rules"]
    for res, (path, f) in zip(run["results"], findings):
        assert res["ruleId"] == f["rule_id"] and res["level"] == level[f["severity"]]
        assert rules[res["ruleIndex"]]["id"] == f["rule_id"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == Path(path).as_uri() and loc["region"]["startLine"] == f["line"]
    for rule in rules:
        assert rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md")
        assert (ROOT / "docs" / "rules" / f"{rule['id']}.md").is_file()
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == [bad.as_uri()]


def test_sarif_fingerprints_survive_edits_above_the_finding(tmp_path):
    original = (CORPUS / "monitor-agreement-harsh.txt").read_text(encoding="utf-8")
    before, after = tmp_path / "before.txt", tmp_path / "after.txt"
    before.write_text(original, encoding="utf-8")
    # a longer preamble pushes every clause down by several lines
    after.write_text(original.replace("\n", "\n\n（本書は、参加前に必ずお読みください。）\n\n", 1), encoding="utf-8")
    prints = []
    for path in (before, after):
        run = _sarif(str(path))["runs"][0]
        prints.append({(r["ruleId"], r["partialFingerprints"]["ndalintFinding/v1"]) for r in run["results"]})
        lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]]
        prints.append(lines)
    assert prints[0] == prints[2] and prints[0]
    assert prints[1] != prints[3], "the edit should have moved the findings"
