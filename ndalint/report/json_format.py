"""``--format json``: the fixed JSON contract (schema ``ndalint.report/1``)."""

from __future__ import annotations

import json

from ndalint.report.model import Report


def render(report: Report, **_: object) -> str:
    data = report.model_dump(by_alias=True, mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
