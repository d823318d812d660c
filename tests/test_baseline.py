"""--write-baseline / --baseline (issue 12, item 4): adopt ndalint on old agreements and gate only
what is new. Findings are matched by fingerprint, so moved or renumbered clauses stay matched."""

from __future__ import annotations

import json

from conftest import CORPUS, check_json, run_cli

HARSH = (CORPUS / "employee-pledge.txt").read_text(encoding="utf-8")


def _renumbered(text: str) -> str:
    """Every article moves down one number and several lines: a new first article is inserted."""
    import re

    shifted = re.sub(r"第(\d+)条", lambda m: f"第{int(m.group(1)) + 1}条", text)
    first = shifted.index("第2条")
    return shifted[:first] + "第1条（目的）\n本誓約書は、入社に際して遵守する事項を定める。\n\n" + shifted[first:]


def test_a_baseline_hides_known_findings_even_when_clauses_move(tmp_path):
    doc = tmp_path / "pledge.txt"
    doc.write_text(HARSH, encoding="utf-8")
    base = tmp_path / "baseline.json"
    _, before, _ = check_json(doc)
    recorded = run_cli("check", str(doc), "--write-baseline", str(base))
    assert recorded.exit_code == 0, recorded.output
    data = json.loads(base.read_text(encoding="utf-8"))
    assert data["schema"] == "ndalint.baseline/1"
    assert len(data["documents"][str(doc)]) == len(before["documents"][0]["findings"]) > 5

    code, after, _ = check_json(doc, extra=("--baseline", str(base)))
    assert code == 0 and after["documents"][0]["findings"] == []
    assert after["documents"][0]["baselined"] == len(before["documents"][0]["findings"])

    doc.write_text(_renumbered(HARSH), encoding="utf-8")
    code, moved, _ = check_json(doc, extra=("--baseline", str(base)))
    assert moved["documents"][0]["findings"] == [], [f["rule_id"] for f in moved["documents"][0]["findings"]]
    assert code == 0


def test_only_new_wording_is_reported_and_gates(tmp_path):
    doc = tmp_path / "pledge.txt"
    doc.write_text(HARSH, encoding="utf-8")
    base = tmp_path / "baseline.json"
    assert run_cli("check", str(doc), "--write-baseline", str(base)).exit_code == 0
    doc.write_text(HARSH.rstrip("\n") + "\n\n第30条（違約金）\n私は、本誓約書に違反したときは、違約金として金500万円を貴社に支払います。\n",
                   encoding="utf-8")
    code, data, _ = check_json(doc, extra=("--baseline", str(base)))
    new = data["documents"][0]["findings"]
    assert new and all(f["article"] == 30 for f in new), [(f["rule_id"], f["article"]) for f in new]
    assert code == 1


def test_a_file_that_is_not_a_baseline_is_a_one_line_error(tmp_path):
    doc = tmp_path / "pledge.txt"
    doc.write_text(HARSH, encoding="utf-8")
    bad = tmp_path / "baseline.json"
    bad.write_text('{"documents": []}', encoding="utf-8")
    result = run_cli("check", str(doc), "--baseline", str(bad))
    assert result.exit_code == 2 and "not a baseline file" in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("check", str(doc), "--baseline", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "cannot read the baseline" in missing.stderr
