"""`ndalint diff OLD NEW` as a user runs it: two drafts of a pledge (two clauses fixed, a harsh one
inserted, the articles after it renumbered), a Word contract against a Markdown copy, every format,
exit codes."""

from __future__ import annotations

import json
import re

import pytest

from conftest import CORPUS, check_json, run_cli
from ndalint.diff.model import DiffReport

HARSH = ("第5条（競業避止）\n私は、貴社を退職した後5年間、貴社と競合する事業を自ら営み、又は競合する事業者に雇用されない"
         "ことを誓約いたします。これに違反した場合には、受領した退職金の全額を直ちに貴社に返還いたします。\n\n")
FIXED_DAMAGES = ("第8条（損害賠償）\n私は、故意又は重大な過失により本誓約書に違反して貴社に損害を与えた場合には、"
                 "貴社に現実に生じた通常の損害を、100万円を上限として賠償いたします。\n\n")


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    """OLD: corpus/employee-pledge.txt. NEW: 第4条 gets a term (fixed), 第8条 is rewritten with fault,
    a cap and no penalty (fixed), a non-compete is inserted as 第5条 (harsh), 第5条〜第9条 become 第6条〜第10条."""
    d = tmp_path_factory.mktemp("drafts")
    old = (CORPUS / "employee-pledge.txt").read_text(encoding="utf-8")
    new = old.replace("退職した後においても、期間の定めなく、", "退職した後3年間、")
    new = new[: new.index("第8条（")] + FIXED_DAMAGES + new[new.index("第9条（") :]
    head, tail = new.split("第5条（資料等の返還）")
    tail = re.sub(r"第([5-9])条（", lambda m: f"第{int(m.group(1)) + 1}条（", "第5条（資料等の返還）" + tail)
    new = head + HARSH + tail
    assert new != old and "第10条（懲戒処分）" in new
    (d / "old.txt").write_text(old, encoding="utf-8")
    (d / "new.txt").write_text(new, encoding="utf-8")
    return d / "old.txt", d / "new.txt"


def diff_json(*args):
    result = run_cli("diff", "--format", "json", *map(str, args))
    assert result.stderr == ""
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def pledge(drafts):
    return diff_json(*drafts)


def ids(items):
    return sorted(i["rule_id"] for i in items)


def test_fixed_clauses_resolve_and_the_harsh_one_is_introduced(pledge):
    code, data = pledge
    f = data["findings"]
    resolved = {(i["rule_id"], i["old"]["article"]) for i in f["resolved"]}
    # 第4条: a term; 第8条: fault, a cap, no penalty, no waiver
    assert {("CONF006", 4), ("LIAB001", 8), ("LIAB005", 8), ("LIAB003", 8), ("LIAB009", 8), ("LIAB004", 8)} <= resolved
    assert all(i["new"] is None for i in f["resolved"])
    assert [(i["rule_id"], i["new"]["article"], i["old"]) for i in f["introduced"]] == [("PART009", 5, None)]
    assert code == 1  # a medium finding introduced, at the default --fail-on medium
    assert data["gate"] == {"fail_on": "medium", "failed": True, "reasons": ["PART009 (medium) introduced"]}


def test_a_renumbered_clause_keeps_its_findings(pledge):
    _, data = pledge
    f = data["findings"]
    moved = [(i["rule_id"], i["old"]["article"], i["new"]["article"]) for i in f["unchanged"]
             if i["old"]["article"] != i["new"]["article"]]
    assert moved == [("CONF001", 7, 8)]  # 第7条 became 第8条, word for word
    # nothing shows up as resolved and introduced at once (the sign of a match lost to a new number)
    gone = {(i["rule_id"], i["excerpt"]) for i in f["resolved"]}
    came = {(i["rule_id"], i["excerpt"]) for i in f["introduced"]}
    assert not gone & came
    assert len(f["unchanged"]) + len(f["resolved"]) == data["old"]["findings"]
    assert len(f["unchanged"]) + len(f["introduced"]) == data["new"]["findings"]


def test_score_before_and_after_is_what_check_says(pledge, drafts):
    _, data = pledge
    (old,) = check_json(drafts[0])[1]["documents"]
    (new,) = check_json(drafts[1])[1]["documents"]
    s = data["score"]
    assert (s["old"], s["new"], s["old_band"], s["new_band"]) == (old["score"]["value"], new["score"]["value"],
                                                                   old["score"]["band"], new["score"]["band"])
    assert s["delta"] == new["score"]["value"] - old["score"]["value"] < 0
    assert (s["old_band"], s["new_band"], s["band_change"]) == ("high", "medium", "better")


def test_clauses_are_paired_by_number_heading_and_text(pledge):
    _, data = pledge
    by = {c["status"]: [] for c in data["clauses"]}
    for c in data["clauses"]:
        by[c["status"]].append((c["old_number"], c["new_number"]))
    assert by["changed"] == [(4, 4), (8, 9)]  # 第8条 rewritten under a shorter heading, now 第9条
    assert by["added"] == [(None, 5)]
    assert by["renumbered"] == [(5, 6), (6, 7), (7, 8), (9, 10)]
    assert "removed" not in by
    changed = next(c for c in data["clauses"] if c["old_number"] == 4)
    old_side = "".join(s["text"] for s in changed["diff"] if s["op"] != "insert")
    new_side = "".join(s["text"] for s in changed["diff"] if s["op"] != "delete")
    assert "期間の定めなく" in old_side and "期間の定めなく" not in new_side and "3年間" in new_side
    assert {"op": "insert", "text": "3年間"} in changed["diff"]  # character-level: only the new words


def test_json_structure(pledge):
    _, data = pledge
    assert data["schema"] == "ndalint.diff/1"
    assert set(data) == {"schema", "tool", "old", "new", "score", "findings", "clauses", "gate"}
    assert set(data["findings"]) == {"resolved", "introduced", "unchanged"}
    assert set(data["old"]) == {"path", "title", "format", "score", "articles", "findings"}
    assert (data["old"]["articles"], data["new"]["articles"]) == (9, 10)
    item = data["findings"]["introduced"][0]
    assert set(item) == {"fingerprint", "rule_id", "title", "category", "severity", "message", "excerpt", "suggestion",
                         "old", "new"}
    assert re.fullmatch(r"[0-9a-f]{32}:\d+", item["fingerprint"])
    DiffReport.model_validate(data)  # the documented model, nothing more


def test_fingerprints_are_the_sarif_ones(pledge, drafts):
    _, data = pledge
    sarif = json.loads(run_cli("check", "--format", "sarif", "--exit-zero", str(drafts[1])).stdout)
    new_prints = {r["partialFingerprints"]["ndalintFinding/v1"] for r in sarif["runs"][0]["results"]}
    mine = {i["fingerprint"] for k in ("introduced", "unchanged") for i in data["findings"][k]}
    assert mine == new_prints


def test_fail_on_and_the_band(drafts):
    assert run_cli("diff", "--fail-on", "high", *map(str, drafts)).exit_code == 0  # only a medium was introduced
    code, data = diff_json("--fail-on", "critical", drafts[1], drafts[0])  # backwards: the band gets worse
    assert code == 1 and data["score"]["band_change"] == "worse"
    assert "band medium -> high" in data["gate"]["reasons"]
    removed = [c for c in data["clauses"] if c["status"] == "removed"]
    assert [(c["old_number"], c["old_title"]) for c in removed] == [(5, "競業避止")]
    assert "退職した後5年間" in removed[0]["text"]
    assert [c["old_number"] for c in data["clauses"]][:6] == [1, 2, 3, 4, 5, 6]  # listed where it stood
    code, data = diff_json(drafts[0], drafts[0])
    assert code == 0 and data["findings"]["resolved"] == data["findings"]["introduced"] == []
    assert {c["status"] for c in data["clauses"]} == {"unchanged"}


def test_text_report_in_japanese(drafts):
    result = run_cli("diff", *map(str, drafts))
    out = result.stdout
    assert result.exit_code == 1
    assert "心理的安全性リスク 65/100 高 → 37/100 中（-28、改善）" in out
    for words in ("解消された指摘（", "新たな指摘（1件）", "継続する指摘（", "変更された条項（2か条）", "追加された条項（1か条）",
                  "旧第8条（損害賠償及び違約金） → 新第9条（損害賠償）", "旧第7条→新第8条", "判定："):
        assert words in out, words
    assert "〔−においても、期間の定めなく〕" in out and "〔＋3年間〕" in out  # no colour when piped
    assert max(len(line) for line in out.splitlines()) <= 80


def test_markdown_and_html(drafts, tmp_path):
    md = run_cli("diff", "--format", "markdown", *map(str, drafts)).stdout
    assert "| 条項 | 旧 | 新 |" in md and "<ins>3年間</ins>" in md and "`PART009`" in md
    out = tmp_path / "diff.html"
    result = run_cli("diff", "--format", "html", "--output", str(out), *map(str, drafts))
    assert result.exit_code == 1 and result.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<table class="clause">' in page and "<ins>3年間</ins>" in page
    assert not re.search(r"<script|<link|src=|https?://", page)  # self-contained


def test_word_against_markdown(tmp_path):
    """The counterparty sends back Markdown; the last draft was Word. Same text: nothing changed.
    Then 乙's liability gets the cap 甲's already had: the two liability findings are resolved."""
    text = run_cli("check", "--format", "json", str(CORPUS / "freelancer-contract.docx"))  # warm, and a sanity check
    assert text.exit_code == 1
    from ndalint import ingest

    plain = ingest.load(str(CORPUS / "freelancer-contract.docx")).text
    lines = plain.split("\n")
    md = "\n".join(["# " + lines[0], *("## " + x if re.match(r"第\d+条（", x) else x for x in lines[1:])])
    same = tmp_path / "same.md"
    same.write_text(md, encoding="utf-8")
    code, data = diff_json(CORPUS / "freelancer-contract.docx", same)
    assert (data["old"]["format"], data["new"]["format"]) == ("docx", "md")
    assert code == 0 and not data["findings"]["resolved"] and not data["findings"]["introduced"]
    assert len(data["findings"]["unchanged"]) == data["old"]["findings"] > 0
    assert {c["status"] for c in data["clauses"]} == {"unchanged"} and len(data["clauses"]) == 11

    capped = tmp_path / "capped.md"
    capped.write_text(md.replace("その損害を賠償する。\n2", "その損害を賠償する。ただし、乙の賠償額は、損害の原因と"
                                 "なった業務について甲が乙に支払った委託料の額を上限とする。\n2"), encoding="utf-8")
    code, data = diff_json(CORPUS / "freelancer-contract.docx", capped)
    assert code == 0
    assert ids(data["findings"]["resolved"]) == ["LIAB001", "LIAB006"] and data["findings"]["introduced"] == []
    assert [(c["old_number"], c["new_number"]) for c in data["clauses"] if c["status"] == "changed"] == [(7, 7)]
    assert data["score"]["delta"] < 0


def test_input_errors_are_one_line_and_exit_2(tmp_path, drafts):
    english = tmp_path / "diary.txt"
    english.write_text("Dear diary, today it rained and I stayed at home reading a book.\n", encoding="utf-8")
    for args in ((str(tmp_path / "missing.txt"), str(drafts[1])), (str(drafts[0]), str(english)),
                 (str(drafts[0]), str(tmp_path))):
        result = run_cli("diff", *args)
        assert result.exit_code == 2, args
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("ndalint: ") and "Traceback" not in result.stderr
    assert run_cli("diff", str(drafts[0])).exit_code == 2  # NEW missing: a usage error
    assert run_cli("diff", "--format", "sarif", *map(str, drafts)).exit_code == 2
