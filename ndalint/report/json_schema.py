"""The JSON Schema of ``--format json``, generated from the Report model.

The committed copy (schemas/ndalint.report-1.schema.json) is what integrators read; a test fails
when it differs from the model, and another validates real output against it.
"""

from __future__ import annotations

import json
from typing import Any

from ndalint.report.model import SCHEMA, Report

SCHEMA_ID = "https://github.com/ndalint/ndalint/blob/main/schemas/ndalint.report-1.schema.json"


def json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema(by_alias=True, mode="serialization")
    schema["properties"]["schema"] = {"const": SCHEMA, "description": "report format version", "title": "Schema"}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "ndalint report", **{k: v for k, v in schema.items() if k != "title"}}


def render_schema() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
