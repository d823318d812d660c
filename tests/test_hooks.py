"""ndalint where a team meets it (issue 12, item 5): the real pre-commit tool with this checkout as
its hook repository, the concise format, --stdin-filename for editors, and Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, run_cli

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A contract repository whose .pre-commit-config.yaml points at this checkout, hook installed.

    pre-commit clones the hook repository at a commit, so this tests HEAD: commit before running."""
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    repo = tmp_path_factory.mktemp("contracts")
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "legal@example.jp")
    _git(repo, "config", "user.name", "Legal")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: ndalint\n", encoding="utf-8")
    # the hook's environment (spaCy, GiNZA …) is built once per commit of this checkout and reused
    env = {**os.environ, "PRE_COMMIT_HOME": str(ROOT / ".pytest_cache" / "pre-commit")}
    env.pop("NDALINT_DOCS_URL", None)
    installed = subprocess.run([str(PRE_COMMIT), "install", "--install-hooks"], cwd=repo, env=env,
                               capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    _git(repo, "add", ".pre-commit-config.yaml")
    assert _git(repo, "commit", "-q", "-m", "config").returncode == 0  # no contract staged: the hook skips
    return repo, env


def test_pre_commit_blocks_a_harsh_contract_then_allows_a_clean_one(hook_repo):
    repo, env = hook_repo
    shutil.copy(CORPUS / "employee-pledge.txt", repo / "pledge.txt")
    # a README with harsh wording is not a contract: excluded by the hook
    (repo / "README.md").write_text((CORPUS / "employee-pledge.txt").read_text(encoding="utf-8"), encoding="utf-8")
    _git(repo, "add", "pledge.txt", "README.md")
    blocked = subprocess.run(["git", "commit", "-m", "add pledge"], cwd=repo, env=env, capture_output=True, text=True)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "pledge.txt:" in output and "LIAB001" in output and "件の指摘" in output
    assert "README.md:" not in output
    assert _git(repo, "log", "--oneline").stdout.count("\n") == 1  # nothing new was committed

    shutil.copy(CORPUS / "mutual-nda-companies.txt", repo / "pledge.txt")
    _git(repo, "add", "pledge.txt", "README.md")
    allowed = subprocess.run(["git", "commit", "-m", "balanced NDA"], cwd=repo, env=env, capture_output=True, text=True)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    said = allowed.stdout + allowed.stderr  # git prints the hook's summary on stderr
    assert "ndalint" in said and "Passed" in said


def test_concise_format_is_one_line_per_finding():
    result = run_cli("check", "--format", "concise", str(CORPUS / "employee-pledge.txt"))
    lines = result.stdout.splitlines()
    findings = [line for line in lines if ": " in line and line.split(": ", 1)[1][:4] in ("CONF", "LIAB", "STAG", "PART", "TONE", "FORM")]
    assert findings and all(line.startswith(f"{CORPUS / 'employee-pledge.txt'}:") for line in findings)
    assert lines[-1].endswith("件の指摘（1文書）") and lines[-1].startswith(str(len(findings)))
    assert result.exit_code == 1


def test_stdin_filename_names_the_buffer_and_tells_its_format(tmp_path):
    data = (CORPUS / "employee-pledge.txt").read_bytes()
    result = subprocess.run([str(Path(sys.executable).parent / "ndalint"), "check", "-", "--stdin-filename", "drafts/pledge.txt",
                             "--format", "concise"], input=data, capture_output=True)
    out = result.stdout.decode()
    assert result.returncode == 1 and out.startswith("drafts/pledge.txt:") and "<stdin>" not in out
    docx = (ROOT / "corpus" / "freelancer-contract.docx").read_bytes()
    result = subprocess.run([str(Path(sys.executable).parent / "ndalint"), "check", "-", "--stdin-filename", "draft.docx",
                             "--format", "concise", "--exit-zero"], input=docx, capture_output=True)
    assert result.returncode == 0 and "draft.docx:" in result.stdout.decode()


def test_ctrl_c_exits_130_without_a_traceback(tmp_path):
    for i in range(200):  # enough work that the signal arrives mid-run, however fast linting gets
        shutil.copy(CORPUS / "monitor-agreement-harsh.txt", tmp_path / f"doc{i:03d}.txt")
    # a harness that started the tests in the background (nohup …, &) passes SIGINT on as ignored,
    # and Python then never installs its handler: give the child the default a terminal gives
    proc = subprocess.Popen([str(Path(sys.executable).parent / "ndalint"), "check", str(tmp_path), "--exit-zero"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
