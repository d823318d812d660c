"""Snapshot of every output format on two corpus documents (a harsh and a well-designed participant
agreement). A change in any renderer, rule or score shows up here as a reviewable diff;
accept intended changes with `pytest tests/test_snapshots.py --snapshot-update`."""

from __future__ import annotations

import pytest

from conftest import ROOT, run_cli
from ndalint.report import FORMATS

DOCUMENTS = ["corpus/monitor-agreement-harsh.txt", "corpus/cocreation-agreement-good.md"]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("document", DOCUMENTS)
def test_format_snapshot(fmt, document, snapshot, monkeypatch):
    monkeypatch.chdir(ROOT)  # relative paths in the reports, as in a repository checkout
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NDALINT_DOCS_URL", raising=False)
    result = run_cli("check", "--format", fmt, "--exit-zero", document)
    assert result.exit_code == 0
    assert result.stdout == snapshot
