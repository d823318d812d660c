"""``--format concise``: one line per finding, for pre-commit hooks, editors and grep.

    PATH:LINE:COL: RULE_ID [重要度] TITLE

then one line per document with its score, and a closing count. An unreadable or unrecognised
document is one line with the reason. No colour, no wrapping: a line is a record.
"""

from __future__ import annotations

from ndalint.report import labels as L
from ndalint.report.model import Report


def render(report: Report, **_: object) -> str:
    out: list[str] = []
    findings = 0
    for doc in report.documents:
        if doc.error:
            out.append(f"{doc.path}: {L.SECTION_JA['error']}: {doc.error}")
            continue
        if doc.notice:
            out.append(f"{doc.path}: {L.SECTION_JA['unrecognized']}: {doc.notice}")
            continue
        for f in sorted(doc.findings, key=lambda f: (f.start, f.end, f.rule_id)):
            where = f"{doc.path}:{max(f.line, 1)}:{max(f.column, 1)}"
            out.append(f"{where}: {f.rule_id} [{L.SEVERITY_JA.get(f.severity, f.severity)}] {f.title or f.name}")
            findings += 1
        if doc.score is not None:
            out.append(f"{doc.path}: {L.SECTION_JA['score']} {doc.score.value}/100"
                       f"（{L.BAND_JA.get(doc.score.band, doc.score.band)}）")
    out.append(f"{findings}件の指摘（{len(report.documents)}文書）")
    return "".join(line + "\n" for line in out)
