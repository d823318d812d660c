"""``--format github``: GitHub Actions workflow commands, one annotation line per finding.

    ::error file=PATH,line=L,col=C,title=RULE_ID TITLE::MESSAGE

Level from severity: critical/high -> error, medium -> warning, low/info -> notice. Escaping as
in @actions/core (packages/core/src/command.ts): in the message (data) % -> %25, CR -> %0D,
LF -> %0A; in property values additionally : -> %3A and , -> %2C. An unreadable document gets
one ``::error file=PATH`` line with the reason.
"""

from __future__ import annotations

from ndalint.report import labels as L
from ndalint.report.model import Finding, Report

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def command(level: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v not in (None, ""))
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def _message(f: Finding) -> str:
    s = L.SECTION_JA
    lines = [f"[{L.SEVERITY_JA.get(f.severity, f.severity)}] {L.where(f.article, f.paragraph)}: {f.message.strip()}"]
    if f.suggestion:
        lines.append(f"{s['suggestion']}: {f.suggestion}")
    if f.references:
        lines.append(f"{s['references']}: " + "、".join(f.references))
    return "\n".join(lines)


def render(report: Report, **_: object) -> str:
    out: list[str] = []
    for doc in report.documents:
        if doc.error:
            out.append(command("error", {"file": doc.path, "title": f"ndalint: {L.SECTION_JA['error']}"}, doc.error))
            continue
        if doc.notice:
            out.append(command("warning", {"file": doc.path, "title": f"ndalint: {L.SECTION_JA['unrecognized']}"}, doc.notice))
            continue
        for f in sorted(doc.findings, key=lambda f: (f.start, f.end, f.rule_id)):
            props = {"file": doc.path, "line": f.line if f.line > 0 else None,
                     "col": f.column if f.column > 0 else None, "title": f"{f.rule_id} {f.title or f.name}"}
            out.append(command(LEVEL.get(f.severity, "notice"), props, _message(f)))
    return "".join(line + "\n" for line in out)
