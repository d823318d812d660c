"""The pages of the worst documents (reports/) come from the run itself — from the cache, or with
--no-cache from the reports the workers send along — never from linting again in the audit's own
process, and they are the very pages `check --format html` would give."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED
from ndalint import lint
from ndalint.audit import audit

REAL = SHARED / "corpus" / "real"


@pytest.mark.parametrize("use_cache", [True, False])
def test_worst_pages_are_rendered_from_the_run_not_linted_again(tmp_path, monkeypatch, use_cache):
    tree = tmp_path / "c"
    tree.mkdir()
    for src in (CORPUS / "workshop-participant-harsh.txt", CORPUS / "employee-pledge.txt",
                REAL / "r18_spurs-freelance-basic-agreement.docx", REAL / "r23_pledge-clinic-staff-entry-pledge.pdf"):
        shutil.copy(src, tree / src.name)
    reference = audit(str(tree), str(tmp_path / "ref"), jobs=1, progress=False, use_cache=False)
    pages = {Path(d["path"]).name: (tmp_path / "ref" / d["report"]).read_text(encoding="utf-8")
             for d in reference.documents if d.get("report")}
    assert len(pages) == 4

    def no_linting_here(*args, **kwargs):
        raise AssertionError("the audit's own process linted a document again")

    monkeypatch.setattr(lint, "lint_path", no_linting_here)  # the workers are other processes
    result = audit(str(tree), str(tmp_path / "out"), jobs=2, progress=False, use_cache=use_cache)
    assert result.stats.sent == 4
    for d in result.documents:
        assert d["report"] and (tmp_path / "out" / d["report"]).read_text(encoding="utf-8") == pages[Path(d["path"]).name]
    assert "_report" not in result.documents[0]
