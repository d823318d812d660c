"""Project configuration through the CLI, as a user runs it: pyproject.toml [tool.ndalint], ndalint.toml
and .ndalint.toml found by walking up from each file, --config, --isolated, and the one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import check_json, run_cli
from ndalint.config import glob_matches

# A pledge binding a person: wide scope (CONF001-003, low CONF010/011/013) and uncapped damages (LIAB001, high).
PLEDGE = """\
秘密保持誓約書

株式会社サンプル（以下「甲」という。）と山田太郎（以下「乙」という。）は、次のとおり合意する。

第1条（秘密保持）
乙は、甲から開示された一切の情報を秘密として保持し、第三者に開示しない。

第2条（損害賠償）
乙は、本誓約書に違反して甲に損害を与えた場合、その一切の損害を賠償する。
"""

# An NDA between two companies over marked information: only low findings, read as b2b.
MUTUAL = """\
秘密保持契約書

株式会社アルファ（以下「甲」という。）と株式会社ベータ（以下「乙」という。）は、次のとおり合意する。

第1条（秘密情報）
本契約において秘密情報とは、開示者が秘密である旨を明示して開示した技術上の情報をいう。

第2条（秘密保持）
甲及び乙は、秘密情報を第三者に開示しない。
"""

HOUSE_RULE = """\
id: TONE951
name: house-forbidden-word
title: 社内で使わない表現
category: chilling-language
severity: low
match:
  regex: "一切の損害"
message: "社内規程で避ける表現です（{match}）。"
examples:
  flag: ["乙は一切の損害を賠償する。"]
  ok: ["乙は通常の損害を賠償する。"]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings(data: dict, index: int = 0) -> dict[str, str]:
    return {f["rule_id"]: f["severity"] for f in data["documents"][index]["findings"]}


def by_name(data: dict) -> dict[str, dict]:
    return {Path(d["path"]).name: d for d in data["documents"]}


def test_severity_override_in_pyproject_changes_findings_score_and_gate(tmp_path):
    doc = write(tmp_path / "contracts" / "pledge.txt", PLEDGE)
    code, plain, _ = check_json(doc)
    assert code == 1 and findings(plain)["LIAB001"] == "high"

    write(tmp_path / "pyproject.toml", '[project]\nname = "legal"\n\n[tool.ndalint.severity]\nLIAB001 = "info"\nCONF = "low"\n')
    code, data, stderr = check_json(doc)
    sev = findings(data)
    assert sev["LIAB001"] == "info"  # an exact id beats the prefix
    assert sev["CONF001"] == sev["CONF002"] == "low" and sev["CONF010"] == "low"
    # the score uses the overridden severity, and the default gate (high) now passes
    assert data["documents"][0]["score"]["value"] < plain["documents"][0]["score"]["value"]
    assert data["documents"][0]["score"]["band"] in ("low", "medium")
    assert code == 0, stderr
    # every format reports the overridden severity
    concise = run_cli("check", "--format", "concise", str(doc)).stdout
    assert "LIAB001 [参考]" in concise and "CONF001 [低]" in concise
    sarif = json.loads(run_cli("check", "--format", "sarif", str(doc)).stdout)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "LIAB001")
    assert result["level"] == "note" and result["properties"]["severity"] == "info"
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "LIAB001")
    assert rule["properties"]["severity"] == "info"
    # and --fail-on counts the overridden severity
    assert run_cli("check", "--fail-on", "info", str(doc)).exit_code == 1
    assert run_cli("check", "--fail-on", "medium", str(doc)).exit_code == 0


def test_nearest_configuration_wins_without_merging(tmp_path):
    write(tmp_path / "ndalint.toml", 'select = ["LIAB"]\n')
    top = write(tmp_path / "pledge.txt", PLEDGE)
    nested = write(tmp_path / "team" / "deep" / "pledge.txt", PLEDGE)
    write(tmp_path / "team" / ".ndalint.toml", 'ignore = ["LIAB"]\n')
    # a pyproject.toml without [tool.ndalint] does not count: the parent's file still applies
    other = write(tmp_path / "plain" / "pledge.txt", PLEDGE)
    write(tmp_path / "plain" / "pyproject.toml", '[project]\nname = "plain"\n[tool.black]\nline-length = 100\n')
    _, data, _ = check_json(top, nested, other)
    assert set(findings(data, 0)) == {"LIAB001"}
    assert "LIAB001" not in findings(data, 1) and "CONF001" in findings(data, 1)  # select of the parent not inherited
    assert set(findings(data, 2)) == {"LIAB001"}


def test_dotfile_beats_ndalint_toml_beats_pyproject_in_one_directory(tmp_path):
    doc = write(tmp_path / "pledge.txt", PLEDGE)
    write(tmp_path / "pyproject.toml", '[tool.ndalint]\nselect = ["CONF001"]\n')
    assert set(findings(check_json(doc)[1])) == {"CONF001"}
    write(tmp_path / "ndalint.toml", 'select = ["CONF002"]\n')
    assert set(findings(check_json(doc)[1])) == {"CONF002"}
    write(tmp_path / ".ndalint.toml", 'select = ["CONF003"]\n')
    assert set(findings(check_json(doc)[1])) == {"CONF003"}


def test_per_file_ignores_are_relative_to_the_configuration_file(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.ndalint]\nper-file-ignores = { "legacy/*.txt" = ["LIAB001", "CONF01"] }\n')
    legacy = write(tmp_path / "legacy" / "old.txt", PLEDGE)
    current = write(tmp_path / "current" / "old.txt", PLEDGE)
    deeper = write(tmp_path / "current" / "legacy" / "old.txt", PLEDGE)  # the glob is anchored at the config's directory
    _, data, _ = check_json(legacy, current, deeper)
    assert "LIAB001" not in findings(data, 0) and "CONF010" not in findings(data, 0) and "CONF001" in findings(data, 0)
    assert {"LIAB001", "CONF010"} <= set(findings(data, 1))
    assert {"LIAB001", "CONF010"} <= set(findings(data, 2))


def test_per_file_kind_and_parties_and_top_level_parties(tmp_path):
    write(tmp_path / "ndalint.toml", """\
kind = "b2b"

[[per-file]]
glob = "panels/*.txt"
kind = "panel"
parties = { "乙" = "individual" }
""")
    panel = write(tmp_path / "panels" / "a.txt", MUTUAL)
    plain = write(tmp_path / "b.txt", MUTUAL)
    _, data, _ = check_json(panel, plain)
    docs = by_name(data)
    a, b = docs["a.txt"], docs["b.txt"]
    assert a["kind"] == "panel" and a["kind_overridden"]
    assert [(p["label"], p["kind"], p["overridden"]) for p in a["parties"]] == [
        ("甲", "company", False), ("乙", "individual", True)]
    assert a["binds_individual"] is True and "STAGE001" in findings({"documents": [a]})
    assert b["kind"] == "b2b" and b["kind_overridden"] and not b["binds_individual"]
    # the report says who stated it: the file, not the command line
    otsu = next(p for p in a["parties"] if p["label"] == "乙")
    assert otsu["evidence"][0].startswith("設定ファイルの指定（") and "ndalint.toml" in otsu["evidence"][0]
    assert any("設定ファイルの指定" in e for e in a["kind_evidence"])
    # the command line wins over the file
    _, data, _ = check_json(panel, extra=("--kind", "event", "--party", "乙=company"))
    (doc,) = data["documents"]
    assert doc["kind"] == "event" and [p["kind"] for p in doc["parties"]] == ["company", "company"]
    assert doc["kind_evidence"] == ["利用者の指定（--kind）"]
    assert next(p for p in doc["parties"] if p["label"] == "乙")["evidence"][0] == "利用者の指定（--party 乙=company）"


def test_exclude_applies_to_directory_walks_only(tmp_path):
    write(tmp_path / ".ndalint.toml", 'exclude = ["drafts", "*.bak.txt", "archive/2019/**"]\n')
    write(tmp_path / "a.txt", MUTUAL)
    write(tmp_path / "drafts" / "x.txt", MUTUAL)
    write(tmp_path / "notes" / "b.bak.txt", MUTUAL)
    write(tmp_path / "archive" / "2019" / "q" / "c.txt", MUTUAL)
    write(tmp_path / "archive" / "2020" / "d.txt", MUTUAL)
    _, data, _ = check_json(tmp_path)
    assert sorted(by_name(data)) == ["a.txt", "d.txt"]
    _, data, _ = check_json(tmp_path / "drafts" / "x.txt")  # a file named explicitly is always linted
    assert [Path(d["path"]).name for d in data["documents"]] == ["x.txt"]


def test_select_extend_select_ignore_and_command_line_precedence(tmp_path):
    doc = write(tmp_path / "pledge.txt", PLEDGE)
    write(tmp_path / "ndalint.toml", 'select = ["CONF"]\nextend-select = ["LIAB001"]\nignore = ["CONF01"]\nfail-on = "critical"\n')
    code, data, _ = check_json(doc)
    assert set(findings(data)) == {"CONF001", "CONF002", "CONF003", "LIAB001"}
    assert code == 0  # fail-on = "critical" from the file
    code, data, _ = check_json(doc, extra=("--fail-on", "high"))
    assert code == 1  # --fail-on wins
    # --select replaces the file's select, extend-select and ignore; --ignore adds to the file's ignore
    _, data, _ = check_json(doc, extra=("--select", "CONF010,LIAB"))
    assert set(findings(data)) == {"CONF010", "LIAB001"}
    _, data, _ = check_json(doc, extra=("--ignore", "CONF002"))
    assert set(findings(data)) == {"CONF001", "CONF003", "LIAB001"}
    write(tmp_path / "ndalint.toml", 'fail-on = "score:90"\n')
    assert check_json(doc)[0] == 0
    write(tmp_path / "ndalint.toml", 'fail-on = "score:40"\n')
    assert check_json(doc)[0] == 1


def test_rules_directories_are_relative_to_the_configuration_file(tmp_path):
    write(tmp_path / "policy" / "house" / "TONE951.yaml", HOUSE_RULE)
    write(tmp_path / "policy" / "ndalint.toml", 'rules = ["house"]\n[severity]\nhouse-forbidden-word = "medium"\n')
    doc = write(tmp_path / "policy" / "docs" / "pledge.txt", PLEDGE)
    _, data, _ = check_json(doc)
    assert findings(data)["TONE951"] == "medium"  # a rule of the extra pack, its severity overridden by name
    outside = write(tmp_path / "elsewhere" / "pledge.txt", PLEDGE)
    assert "TONE951" not in findings(check_json(outside)[1])


def test_config_option_replaces_discovery_and_isolated_ignores_everything(tmp_path):
    doc = write(tmp_path / "project" / "pledge.txt", PLEDGE)
    write(tmp_path / "project" / "ndalint.toml", 'select = ["LIAB"]\n')
    shared = write(tmp_path / "shared" / "strict.toml", 'select = ["CONF001"]\n')
    assert set(findings(check_json(doc)[1])) == {"LIAB001"}
    assert set(findings(check_json(doc, extra=("--config", str(shared)))[1])) == {"CONF001"}
    isolated = findings(check_json(doc, extra=("--isolated",))[1])
    assert {"LIAB001", "CONF001", "CONF010"} <= set(isolated)
    # a pyproject.toml given with --config must have the table
    bare = write(tmp_path / "bare" / "pyproject.toml", '[project]\nname = "x"\n')
    result = run_cli("check", "--config", str(bare), str(doc))
    assert result.exit_code == 2 and "no [tool.ndalint] table" in result.stderr
    result = run_cli("check", "--config", str(shared), "--isolated", str(doc))
    assert result.exit_code == 2 and "--config and --isolated" in result.stderr


def test_stdin_is_configured_as_the_stdin_filename(tmp_path):
    write(tmp_path / "ndalint.toml", '[[per-file]]\nglob = "panels/*.txt"\nkind = "panel"\n')
    result = run_cli("check", "--format", "json", "--stdin-filename", str(tmp_path / "panels" / "x.txt"), "-",
                     input=MUTUAL.encode("utf-8"))
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["kind"] == "panel" and doc["kind_overridden"]


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("ndalint.toml", 'selct = ["CONF"]\n', ["unknown key 'selct'", "allowed: select, ignore, extend-select"]),
    ("pyproject.toml", '[tool.ndalint]\nextend_select = ["CONF"]\n', ["[tool.ndalint]", "unknown key 'extend_select'", "extend-select"]),
    ("ndalint.toml", 'select = "CONF"\n', ["select: invalid value (got 'CONF')", "a list of rule ids"]),
    ("pyproject.toml", '[tool.ndalint.severity]\nPART011 = "urgent"\n', ["[tool.ndalint] severity.PART011", "'urgent'", "info, low, medium, high, critical"]),
    (".ndalint.toml", 'fail-on = "hgh"\n', ["fail-on", "'hgh'", "score:N"]),
    ("ndalint.toml", 'kind = "panl"\n', ["kind", "'panl'", "panel"]),
    ("ndalint.toml", 'parties = { "乙" = "person" }\n', ["parties.乙", "'person'", "individual"]),
    ("ndalint.toml", "parties = { 乙 = \"individual\" }\n", ["invalid TOML", 'must be quoted: "乙"']),
    ("ndalint.toml", '[[per-file]]\nglob = "x/*.txt"\nknd = "panel"\n', ["unknown key 'knd' in [[per-file]]", "glob, kind, parties"]),
    ("ndalint.toml", '[[per-file]]\nkind = "panel"\n', ["per-file[0].glob: required"]),
    ("ndalint.toml", 'ignore = ["NOPE9"]\n', ["ignore: no rule matches 'NOPE9'", "prefix"]),
    ("ndalint.toml", 'per-file-ignores = { "*.txt" = ["QQQ"] }\n', ["per-file-ignores: no rule matches 'QQQ'"]),
    ("ndalint.toml", 'rules = ["missing-dir"]\n', ["rules: directory 'missing-dir' not found"]),
    ("ndalint.toml", 'select = ["CONF"\n', ["invalid TOML"]),
])
def test_a_bad_configuration_is_one_line_and_exit_2(tmp_path, name, text, expected):
    write(tmp_path / name, text)
    doc = write(tmp_path / "pledge.txt", PLEDGE)
    result = run_cli("check", str(doc))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ndalint: ") and "Traceback" not in result.stderr
    assert str(tmp_path / name) in lines[0]
    for part in expected:
        assert part in lines[0], (part, lines[0])


def test_a_bad_configuration_is_ignored_with_isolated(tmp_path):
    write(tmp_path / "ndalint.toml", 'selct = ["CONF"]\n')
    doc = write(tmp_path / "pledge.txt", PLEDGE)
    assert run_cli("check", "--isolated", str(doc)).exit_code == 1  # linted: LIAB001 is high


@pytest.mark.parametrize(("pattern", "path", "hit"), [
    ("drafts", "drafts/a.txt", True),
    ("drafts/", "team/drafts/a.txt", True),
    ("*.md", "a/b/c.md", True),
    ("panels/*.txt", "panels/a.txt", True),
    ("panels/*.txt", "x/panels/a.txt", False),
    ("panels/*.txt", "panels/sub/a.txt", False),
    ("**/old/*.txt", "a/b/old/x.txt", True),
    ("./sub/**", "sub/q/r.txt", True),
    ("a/[!b]*.txt", "a/c.txt", True),
    ("a/[!b]*.txt", "a/b.txt", False),
])
def test_globs(pattern, path, hit):
    assert glob_matches(pattern, path) is hit
