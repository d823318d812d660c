"""`ndalint check` as a user runs it: formats, exit codes, bad files in a batch, stdin, --output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import CORPUS, ROOT, check_json, make_pdf, run_cli
from ndalint import __version__


def test_version():
    result = run_cli("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"ndalint {__version__}"


def test_json_contract_on_model_nda_txt(public_dir):
    code, data, _ = check_json(public_dir / "oi-nda-ai.contract.txt")
    assert data["schema"] == "ndalint.report/1"
    assert data["tool"] == {"name": "ndalint", "version": __version__}
    (doc,) = data["documents"]
    assert doc["error"] is None
    assert [a["number"] for a in doc["articles"]] == list(range(1, 13))
    assert [(p["label"], p["kind"]) for p in doc["parties"]] == [("甲", "company"), ("乙", "company")]
    assert doc["articles"][7]["line"] == 26  # 第8条 is on line 26 of the file
    assert set(doc["score"]) >= {"value", "band", "categories"}
    assert isinstance(doc["findings"], list) and isinstance(doc["mitigations"], list)


def test_json_on_model_nda_docx_and_md_have_titles(public_dir):
    for name in ("oi-nda-ai.docx", "oi-nda-ai.md"):
        _, data, _ = check_json(public_dir / name)
        doc = data["documents"][0]
        assert len(doc["articles"]) == 12
        assert doc["articles"][0]["title"] == "秘密情報の定義"
        assert doc["articles"][11]["title"] == "協議事項"
        assert [(p["label"], p["name"], p["kind"]) for p in doc["parties"]] == [("甲", "X社", "company"), ("乙", "Y社", "company")]


def test_bad_files_get_exit_2_while_good_ones_are_reported(tmp_path, public_dir):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04broken")
    make_pdf(tmp_path / "locked.pdf", [["第1条（目的）"]], encrypt="pw")
    make_pdf(tmp_path / "scan.pdf", [[""]], text=False)
    sjis = tmp_path / "sjis.txt"
    sjis.write_bytes((public_dir / "oi-nda-ai.contract.txt").read_text(encoding="utf-8").encode("cp932"))
    code, data, stderr = check_json(tmp_path)
    assert code == 2
    by_name = {os.path.basename(d["path"]): d for d in data["documents"]}
    assert set(by_name) == {"empty.txt", "binary.txt", "broken.docx", "locked.pdf", "scan.pdf", "sjis.txt"}
    assert by_name["sjis.txt"]["error"] is None and len(by_name["sjis.txt"]["articles"]) == 12
    for name in ("empty.txt", "binary.txt", "broken.docx", "locked.pdf", "scan.pdf"):
        assert by_name[name]["error"], name
        assert by_name[name]["findings"] == []
    lines = stderr.strip().split("\n")
    assert len(lines) == 5 and all(line.startswith("ndalint: ") for line in lines)
    assert "Traceback" not in stderr


def test_real_entry_point_prints_no_traceback(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"\x00\x01garbage")
    proc = subprocess.run([sys.executable, "-m", "ndalint", "check", str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "bad.docx" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_usage_errors_exit_2():
    assert run_cli("check").exit_code == 2
    assert run_cli("check", "--format", "yaml", "x.txt").exit_code == 2
    assert run_cli("check", "--fail-on", "extreme", "x.txt").exit_code == 2


def test_stdin(public_dir):
    data = (public_dir / "oi-nda-ai.contract.txt").read_text(encoding="utf-8").encode("cp932")
    result = run_cli("check", "--format", "json", "-", input=data)
    doc = json.loads(result.stdout)["documents"][0]
    assert doc["path"] == "<stdin>" and len(doc["articles"]) == 12


def test_pdf_end_to_end(tmp_path):
    pdf = make_pdf(tmp_path / "nda.pdf", [[
        "秘密保持契約書",
        "株式会社A（以下「甲」という。）と株式会社B（以下「乙」という。）は、次のとおり契約を締結する。",
        "第1条（目的）　本契約は、取引の検討を目的とする。",
    ], ["第2条（秘密保持）　乙は、秘密情報を第三者に開示してはならない。"]])
    code, data, _ = check_json(pdf)
    doc = data["documents"][0]
    assert code == 0 and doc["format"] == "pdf"
    assert [(a["number"], a["title"]) for a in doc["articles"]] == [(1, "目的"), (2, "秘密保持")]


def test_output_is_written_atomically_and_inputs_untouched(tmp_path, public_dir):
    src = tmp_path / "nda.txt"
    data = (public_dir / "oi-nda-ai.contract.txt").read_bytes()
    src.write_bytes(data)
    out = tmp_path / "reports" / "r.json"
    result = run_cli("check", "--format", "json", "--output", str(out), str(src))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["documents"][0]["path"] == str(src)
    assert src.read_bytes() == data
    assert [p.name for p in out.parent.iterdir()] == ["r.json"]  # no temporary left behind


def test_text_report_on_corpus_is_plain_without_a_terminal():
    result = run_cli("check", "--exit-zero", str(CORPUS))
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "当事者：" in result.stdout and "件の文書を検査" in result.stdout


def test_text_report_reads_in_80_columns_with_japanese_line_breaking():
    from rich.cells import cell_len

    out = run_cli("check", "--exit-zero", str(CORPUS / "monitor-agreement-harsh.txt")).stdout
    _, data, _ = check_json(CORPUS / "monitor-agreement-harsh.txt", extra=("--exit-zero",))
    lines = out.splitlines()
    assert max(cell_len(ln) for ln in lines) <= 80
    assert not [ln for ln in lines if ln.strip()[:1] in set("、。」）")], "kinsoku: no line opens with closing punctuation"
    findings = data["documents"][0]["findings"]
    heads = [ln for ln in lines if ln.startswith("  [")]
    assert [h.split()[1] for h in heads] == [f["rule_id"] for f in findings]  # document order
    # one heading per article, in order, and the matched words set off without colour
    articles = [f["article"] for f in findings]
    headings = [ln for ln in lines if ln.startswith("第") and "条" in ln[:5]]
    assert len(headings) == len(dict.fromkeys(articles))
    assert "【" in out and "修正案：" in out
    doc = data["documents"][0]
    assert f"{doc['score']['value']}/100" in out


def test_text_report_in_colour_when_forced(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = run_cli("check", "--exit-zero", str(CORPUS / "monitor-agreement-harsh.txt")).stdout
    assert "\x1b[" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run_cli("check", "--exit-zero", str(CORPUS / "monitor-agreement-harsh.txt")).stdout


def test_the_default_gate_follows_the_headline_band():
    """workshop-participant-harsh.txt is banded 高 (送付前に見直してください) though none of its findings
    alone is high: the default gate fails it; a medium-banded document passes the default gate and
    fails --fail-on medium."""
    harsh, medium = CORPUS / "workshop-participant-harsh.txt", CORPUS / "research-panel-terms.txt"
    code, data, _ = check_json(harsh)
    doc = data["documents"][0]
    assert doc["score"]["band"] == "high" and all(f["severity"] in ("info", "low", "medium") for f in doc["findings"])
    assert code == 1
    assert check_json(medium)[0] == 0
    assert check_json(medium, extra=("--fail-on", "medium"))[0] == 1
    assert check_json(harsh, extra=("--fail-on", "critical"))[0] == 0


def test_a_long_clause_is_quoted_from_a_phrase_boundary(tmp_path):
    filler = "、".join(f"第{i}号に掲げる資料の取扱いについて甲の指示に従うこと" for i in range(1, 8))
    text = ("誓約書\n株式会社サンプル 御中\n私は、次の事項を誓約します。\n"
            f"1. 私は、{filler}、業務上知り得た一切の情報を第三者に開示せず、{filler}。\n")
    path = tmp_path / "pledge.txt"
    path.write_text(text, encoding="utf-8")
    _, data, _ = check_json(path, extra=("--exit-zero",))
    quoted = [f["excerpt"] for f in data["documents"][0]["findings"] if f["excerpt"].startswith("…")]
    assert quoted
    for q in quoted:
        body = q.strip("…")
        at = text.index(body)
        assert text[at - 1] in "、。"  # begins just after a phrase boundary
        assert not q.endswith("…") or body.endswith(("、", "。"))  # and stops on one


def test_missing_clause_findings_point_where_the_clause_belongs():
    """「no exclusions」 points at the definition of 秘密情報, not at the duty that the carve-out
    findings quote, so the reader sees where each missing clause would go."""
    _, data, _ = check_json(CORPUS / "monitor-agreement-harsh.txt", extra=("--exit-zero",))
    by_rule = {f["rule_id"]: f for f in data["documents"][0]["findings"]}
    assert "「秘密情報」とは" in by_rule["CONF002"]["excerpt"]
    assert by_rule["CONF002"]["start"] != by_rule["CONF010"]["start"]
