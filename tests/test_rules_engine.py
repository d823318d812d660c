"""The rule engine through the CLI and library: validation errors with file and line, user rule
directories, select/ignore, bound-party conditions, document-level rules, generated docs."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, check_json, run_cli
from ndalint.errors import ConfigError
from ndalint.rules import RuleSet
from ndalint.rules.docs import render_docs
from ndalint.rules.examples import analyse_text
from ndalint.rules.loader import load_file

GOOD_RULE = """\
id: PART901
name: quiz-answers-owned
title: 回答の権利を会社に帰属させている
category: participant-protection
severity: medium
match:
  all:
    - regex: "回答"
    - near: {regex: "帰属", window: sentence}
message: "回答の権利が会社に帰属します（{match}）。"
examples:
  flag:
    - "参加者の回答に関する一切の権利は当社に帰属する。"
  ok:
    - "参加者の回答に関する権利は参加者に留保される。"
"""

DESIGN_EXAMPLE = (ROOT.parent / "shared" / "DESIGN.md")


def write_rule(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_design_example_rule_validates_as_written():
    design = DESIGN_EXAMPLE.read_text(encoding="utf-8")
    block = design.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = Path(ROOT / ".pytest_cache" / "design-rule.yaml")
    path.parent.mkdir(exist_ok=True)
    path.write_text(block, encoding="utf-8")
    rule, errors = load_file(path)
    assert errors == [] and rule is not None and rule.rule.id == "LIAB001"


def test_builtin_pack_examples_pass():
    result = run_cli("test-rules")
    assert result.exit_code == 0, result.stdout
    assert " 0 failed" in result.stdout


@pytest.mark.parametrize(
    "mutate, field, line",
    [
        (lambda t: t.replace('regex: "回答"', 'regex: "回答("'), "match.all[0].regex", 8),
        (lambda t: t.replace('- regex: "回答"', '- tokens: [{LEMA: 回答}]'), "match.all[0].tokens", 8),
        (lambda t: t.replace("severity: medium", "severity: severe"), "severity", 5),
        (lambda t: t.split("examples:")[0], "examples", 1),
        (lambda t: t.replace("category: participant-protection", "category: drafting"), "(rule)", 1),
    ],
)
def test_broken_rules_are_reported_with_file_line_and_field(tmp_path, mutate, field, line):
    path = write_rule(tmp_path / "rules", "PART901.yaml", mutate(GOOD_RULE))
    result = run_cli("test-rules", str(tmp_path / "rules"))
    assert result.exit_code == 2
    assert f"{path}:{line}: {field}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_duplicate_ids_are_refused(tmp_path):
    write_rule(tmp_path / "r", "a.yaml", GOOD_RULE)
    write_rule(tmp_path / "r", "b.yaml", GOOD_RULE.replace("quiz-answers-owned", "other-name"))
    with pytest.raises(ConfigError, match="duplicate rule id 'PART901'"):
        RuleSet.load([tmp_path / "r"], builtin=False)


def test_a_failing_example_is_reported_with_its_file_and_line(tmp_path):
    broken = GOOD_RULE.replace("参加者の回答に関する権利は参加者に留保される。", "参加者の回答は当社に帰属する。")
    path = write_rule(tmp_path / "rules", "PART901.yaml", broken)
    result = run_cli("test-rules", str(tmp_path / "rules"))
    assert result.exit_code == 1
    assert f"{path}:15: PART901 examples.ok[0]" in result.stdout
    assert "1 failed" in result.stdout


def test_user_rule_directory_fires_on_a_document_and_is_explained(tmp_path):
    rules = tmp_path / "my-rules"
    write_rule(rules, "PART901.yaml", GOOD_RULE)
    doc = tmp_path / "terms.txt"
    doc.write_text("第1条（回答）\n参加者の回答に関する一切の権利は当社に帰属する。\n", encoding="utf-8")
    code, data, _ = check_json(doc, extra=("--rules", str(rules), "--select", "PART901"))
    (finding,) = data["documents"][0]["findings"]
    assert finding["rule_id"] == "PART901" and finding["article"] == 1 and finding["line"] == 2
    assert finding["message"] == "回答の権利が会社に帰属します（回答）。"
    explained = run_cli("rule", "quiz-answers-owned", "--rules", str(rules))
    assert explained.exit_code == 0 and "PART901" in explained.stdout and "回答の権利を会社に帰属させている" in explained.stdout
    listed = json.loads(run_cli("rules", "--format", "json", "--rules", str(rules)).stdout)
    assert {"id": "PART901", "name": "quiz-answers-owned", "title": "回答の権利を会社に帰属させている",
            "category": "participant-protection", "severity": "medium", "status": "stable", "mitigation": False} in listed


CLAUSE = "第5条（損害賠償）\n乙は、本契約に違反した場合、甲に生じた一切の損害を賠償する。\n"


def test_individual_rule_flags_a_participant_but_not_a_company(tmp_path):
    individual = tmp_path / "participant.txt"
    individual.write_text("参加同意書\n株式会社A（以下「甲」という。）と本プログラムに参加する個人（以下「乙」という。）は、次のとおり合意する。\n"
                          + CLAUSE, encoding="utf-8")
    company = tmp_path / "company.txt"
    company.write_text("秘密保持契約書\n株式会社A（以下「甲」という。）と株式会社B（以下「乙」という。）は、次のとおり合意する。\n"
                       + CLAUSE, encoding="utf-8")
    _, data, _ = check_json(individual, company, extra=("--select", "LIAB001"))
    by_doc = {Path(d["path"]).name: [f["rule_id"] for f in d["findings"]] for d in data["documents"]}
    assert by_doc == {"participant.txt": ["LIAB001"], "company.txt": []}


def test_company_obligation_in_a_participant_agreement_is_not_an_individual_finding():
    analysis = analyse_text("株式会社A（以下「甲」という。）と参加する個人（以下「乙」という。）は合意する。\n"
                            "第1条（損害賠償）\n甲は、乙に生じた一切の損害を賠償する。\n")
    findings, _, _ = RuleSet.load().select(["LIAB001"]).run(analysis)
    assert findings == []


def test_select_and_ignore(tmp_path):
    _, data, _ = check_json(CORPUS / "monitor-agreement-harsh.txt", extra=("--select", "LIAB001,LIAB002,LIAB003", "--ignore", "LIAB002"))
    ids = {f["rule_id"] for f in data["documents"][0]["findings"]}
    assert ids == {"LIAB001", "LIAB003"}
    _, data, _ = check_json(CORPUS / "monitor-agreement-harsh.txt", extra=("--ignore", "LIAB"))
    assert data["documents"][0]["findings"] and not [
        f for f in data["documents"][0]["findings"] if f["rule_id"].startswith("LIAB")]
    result = run_cli("check", "--select", "NOPE999", str(CORPUS / "monitor-agreement-harsh.txt"))
    assert result.exit_code == 2 and "NOPE999" in result.stderr


def test_document_level_requires_and_conditional():
    rs = RuleSet.load().select(["CONF002", "CONF003"])
    parties = "株式会社A（以下「甲」という。）と参加者である山田花子（以下「乙」という。）は、次のとおり合意する。\n"
    findings, _, _ = rs.run(analyse_text(parties + "第1条（秘密保持）\n乙は、甲の秘密情報を第三者に開示してはならない。\n"))
    assert sorted(f.rule_id for f in findings) == ["CONF002", "CONF003"]
    findings, _, _ = rs.run(analyse_text(
        parties + "第1条（秘密保持）\n乙は、甲の秘密情報を第三者に開示してはならない。\n2　公知の情報はこの限りでない。\n"
        "第2条（有効期間）\n本契約の有効期間は1年間とし、秘密保持義務は終了後1年間存続する。\n"))
    assert findings == []


def test_findings_carry_location_and_are_deterministic():
    first = check_json(CORPUS / "monitor-agreement-harsh.txt")[1]
    second = check_json(CORPUS / "monitor-agreement-harsh.txt")[1]
    assert first == second
    findings = first["documents"][0]["findings"]
    assert findings == sorted(findings, key=lambda f: (f["start"], f["rule_id"]))
    text = (CORPUS / "monitor-agreement-harsh.txt").read_text(encoding="utf-8")
    for f in findings:
        line = text.split("\n")[f["line"] - 1]
        assert text[f["start"]:f["end"]] in line or f["rule_id"] in ("CONF002", "CONF003")
        assert f["references"] and f["suggestion"]


def test_model_ndas_have_no_liability_findings(public_dir):
    _, data, _ = check_json(*sorted(public_dir.glob("*.contract.txt")))
    for doc in data["documents"]:
        assert not [f for f in doc["findings"] if f["category"] == "individual-liability"]
        assert "CONF101" in [m["rule_id"] for m in doc["mitigations"]]


def test_generated_rule_docs_are_current():
    pages = render_docs(RuleSet.load().loaded)
    docs = ROOT / "docs" / "rules"
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in docs.glob("*.md")}
    assert on_disk == pages, "docs/rules is stale: run `make docs`"
