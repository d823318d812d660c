"""A real wheel, installed into a fresh virtual environment, lints a file from an unrelated
directory: the built-in rule pack ships as package data (issue 12, item 1). pre-commit installs
hooks exactly this way, so an editable-only layout would leave a hook without rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("ndalint", "rules"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    (built,) = out.glob("ndalint-*.whl")
    return built


def test_the_wheel_carries_the_rule_pack(wheel):
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    packaged = {n for n in names if n.startswith("ndalint_rules/") and n.endswith(".yaml")}
    in_tree = {f"ndalint_rules/{p.relative_to(ROOT / 'rules').as_posix()}" for p in (ROOT / "rules").rglob("*.yaml")}
    assert packaged == in_tree
    assert "ndalint/structure/kinds.yaml" in names and "ndalint/structure/party_words.yaml" in names


def test_installed_wheel_lints_from_any_directory(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # the dependencies (spaCy, GiNZA …) come from the test environment; ndalint itself only from the wheel
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True)

    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(CORPUS / "employee-pledge.txt", work / "pledge.txt")
    where = subprocess.run([str(py), "-c", "import ndalint, ndalint.rules.loader as l; print(ndalint.__file__); print(l.BUILTIN)"],
                           cwd=work, capture_output=True, text=True, check=True).stdout.split()
    assert all(Path(p).is_relative_to(venv) for p in where), where
    result = subprocess.run([str(venv / "bin" / "ndalint"), "check", "pledge.txt", "--format", "json"],
                            cwd=work, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr  # a harsh pledge fails the default gate
    report = json.loads(result.stdout)
    assert {"CONF001", "LIAB001"} <= {f["rule_id"] for f in report["documents"][0]["findings"]}
    rules = json.loads(subprocess.run([str(venv / "bin" / "ndalint"), "rules", "--format", "json"], cwd=work,
                                      capture_output=True, text=True, check=True).stdout)
    assert len(rules) == len([p for p in (ROOT / "rules").rglob("*.yaml") if not p.name.startswith("_")])
    listed = subprocess.run([str(venv / "bin" / "ndalint"), "test-rules"], cwd=work, capture_output=True, text=True)
    assert listed.returncode == 0 and "0 failed" in listed.stdout
