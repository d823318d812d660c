"""``ndalint diff --format json``: the DiffReport as JSON (``ndalint.diff/1``; README "Comparing drafts")."""

from __future__ import annotations

import json

from ndalint.diff.model import DiffReport


def render(report: DiffReport, **_: object) -> str:
    return json.dumps(report.model_dump(by_alias=True, mode="json"), ensure_ascii=False, indent=2) + "\n"
