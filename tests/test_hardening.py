"""Bounds a run keeps whatever it is given: time per file, linear time in a document's length,
user rules whose regexes would never finish, and reports that cannot be written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, check_json, run_cli

from ndalint import limits

NDALINT = [sys.executable, "-m", "ndalint"]


def long_agreement(chars: int) -> str:
    """A long agreement made of the bundled ones, article after article (real-like text, no filler)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    out, size = [], 0
    while size < chars:
        for t in texts:
            out.append(t)
            size += len(t) + 1
    return "\n".join(out)[:chars]


# ----------------------------------------------------------------------------- time


def test_a_two_million_character_document_finishes(tmp_path):
    """At the character limit. Before the windows were memoised this took a quarter of an hour;
    `make bench` prints the curve (no timing is asserted here)."""
    path = tmp_path / "long.txt"
    path.write_text(long_agreement(limits.DEFAULT.chars - 1000), encoding="utf-8")
    code, data, err = check_json(path, extra=("--exit-zero",))
    doc = data["documents"][0]
    assert code == 0 and doc["status"] == "ok", err
    assert len(doc["findings"]) > 1000
    text_length = len(path.read_text(encoding="utf-8"))
    assert all(0 <= f["start"] <= f["end"] <= text_length for f in doc["findings"])


def test_the_per_file_time_limit_stops_one_file_and_the_batch_goes_on(tmp_path):
    slow = tmp_path / "slow.txt"
    slow.write_text(long_agreement(300_000), encoding="utf-8")
    started = time.monotonic()
    result = run_cli("check", "--format", "json", "--limit", "timeout=1", str(slow), str(CORPUS / "employee-pledge.txt"))
    assert time.monotonic() - started < 30
    assert result.exit_code == 2
    assert "時間内に終わりませんでした（上限 1 秒" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    import json

    docs = json.loads(result.stdout)["documents"]
    assert docs[0]["status"] == "error" and docs[1]["status"] == "ok" and docs[1]["findings"]


def test_limits_from_the_command_line_and_the_configuration_file(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text((CORPUS / "employee-pledge.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("check", "--limit", "chars=100", str(doc)).exit_code == 2
    (tmp_path / "ndalint.toml").write_text("[limits]\nchars = 100\n", encoding="utf-8")
    result = run_cli("check", str(doc))
    assert result.exit_code == 2 and "上限 100 文字" in result.stderr
    assert run_cli("check", "--limit", "chars=100000", "--exit-zero", str(doc)).exit_code == 0, "the command line wins"
    (tmp_path / "ndalint.toml").write_text("[limits]\npagez = 3\n", encoding="utf-8")
    bad = run_cli("check", str(doc))
    assert bad.exit_code == 2 and "pagez" in bad.stderr
    usage = run_cli("check", "--limit", "timeout=soon", str(doc))
    assert usage.exit_code == 2 and "must be a number" in usage.stderr


# ----------------------------------------------------------------------------- rules as input


CATASTROPHIC = """id: FORM950
name: catastrophic-regex
title: 破滅的な正規表現
category: drafting
severity: low
match: {{regex: "{pattern}"}}
message: "テスト"
examples:
  flag: ["aaaa"]
  ok: ["bbbb"]
"""


def test_a_user_rule_with_a_catastrophic_regex_cannot_hang_a_run(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "FORM950.yaml").write_text(CATASTROPHIC.format(pattern="(a|a)+$"), encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("秘密保持契約書\n第1条（秘密保持）\n乙は、甲の情報を第三者に開示しない。" + "a" * 40 + "!\n",
                      encoding="utf-8")
    started = time.monotonic()
    result = run_cli("check", "--rules", str(rules), "--format", "json", str(victim), str(CORPUS / "employee-pledge.txt"))
    assert time.monotonic() - started < 30
    assert result.exit_code == 2
    assert "ルール FORM950 の正規表現が" in result.stderr and "破滅的なバックトラック" in result.stderr
    import json

    docs = json.loads(result.stdout)["documents"]
    assert docs[0]["status"] == "error" and docs[1]["status"] == "ok"


def test_a_user_regex_the_engine_rejects_is_a_load_error(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "FORM950.yaml").write_text(CATASTROPHIC.format(pattern="(?<=a+)b"), encoding="utf-8")
    result = run_cli("check", "--rules", str(rules), str(CORPUS / "employee-pledge.txt"))
    assert result.exit_code == 2 and "FORM950.yaml" in result.stderr


# ----------------------------------------------------------------------------- output


def _run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*NDALINT, *args], cwd=ROOT, capture_output=True, timeout=120, **kw)


def test_an_unwritable_output_is_one_line_and_exit_2(tmp_path):
    for target in ("/proc/ndalint-report.json", "/dev/null/report.json"):
        result = run_cli("check", "--format", "json", "-o", target, str(CORPUS / "employee-pledge.txt"))
        assert result.exit_code == 2, target
    result = _run("check", "--format", "json", "-o", "/proc/ndalint-report.json", "corpus/employee-pledge.txt")
    assert result.returncode == 2
    assert result.stderr.decode().strip().count("\n") == 0 and "書き込めません" in result.stderr.decode()
    assert b"Traceback" not in result.stderr
    assert not any(p.name.startswith(".ndalint-") for p in Path("/proc").iterdir() if p.is_file())


def test_a_full_disk_on_standard_output_is_one_line_and_exit_2():
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*NDALINT, "check", "corpus/employee-pledge.txt"], cwd=ROOT, stdout=full,
                                stderr=subprocess.PIPE, timeout=120)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_reader_that_stops_early_is_not_an_error_message():
    reader = subprocess.Popen(["head", "-c", "100"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    result = subprocess.run([*NDALINT, "check", "corpus/", "--format", "json", "--exit-zero"], cwd=ROOT,
                            stdout=reader.stdin, stderr=subprocess.PIPE, timeout=300)
    reader.stdin.close()
    reader.wait()
    assert result.returncode in (0, 141)
    assert b"Traceback" not in result.stderr and b"Exception ignored" not in result.stderr


def test_reports_are_written_atomically_or_not_at_all(tmp_path, monkeypatch):
    """A write that fails midway (here: the disk fails on fsync) leaves the previous report as it
    was and no temporary file behind."""
    target = tmp_path / "report.json"
    target.write_text("previous report", encoding="utf-8")

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    result = run_cli("check", "--format", "json", "-o", str(target), str(CORPUS / "employee-pledge.txt"))
    assert result.exit_code == 2 and "書き込めません（No space left on device）" in result.stderr
    assert target.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


# ----------------------------------------------------------------------------- ndalint's own bugs


def test_a_bug_on_one_file_is_one_line_and_the_batch_goes_on(tmp_path, monkeypatch):
    """An exception no input explains (a bug of ndalint) costs its file, in one line, not the run."""
    import ndalint.lint

    real = ndalint.lint.lint_document

    def buggy(doc, *args, **kwargs):
        if doc.path.endswith("bug.txt"):
            raise KeyError("not a real failure: injected by the test")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(ndalint.lint, "lint_document", buggy)
    bug = tmp_path / "bug.txt"
    bug.write_text((CORPUS / "employee-pledge.txt").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.delenv("NDALINT_DEBUG", raising=False)
    result = run_cli("check", "--format", "json", str(bug), str(CORPUS / "employee-pledge.txt"))
    import json

    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "内部エラー（KeyError）" in result.stderr and "NDALINT_DEBUG=1" in result.stderr
    docs = json.loads(result.stdout)["documents"]
    assert docs[0]["status"] == "error" and docs[1]["status"] == "ok" and docs[1]["findings"]

    # a developer asks for the traceback
    monkeypatch.setenv("NDALINT_DEBUG", "1")
    with pytest.raises(KeyError, match="injected by the test"):
        run_cli("check", "--format", "json", str(bug))


def test_a_review_copy_whose_reader_fails_unexpectedly_is_one_line(tmp_path, monkeypatch):
    """``review`` goes through the readers' last-resort net as ``check`` does."""
    import ndalint.ingest.docx

    def broken(data, path):
        raise ValueError("not a real failure: injected by the test")

    monkeypatch.setattr(ndalint.ingest.docx, "open_for_review", broken)
    monkeypatch.delenv("NDALINT_DEBUG", raising=False)
    out = tmp_path / "copy.docx"
    result = run_cli("review", str(CORPUS / "freelancer-contract.docx"), "-o", str(out))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "読み込み中に予期しないエラーが発生しました（ValueError）" in result.stderr
    assert not out.exists()
