"""``--format markdown``: GitHub-flavoured Markdown for pull-request comments.

Per document: a heading, the score with band and verdict, a findings table (one row per finding,
in document order), each suggestion in a collapsed ``<details>`` block, and the mitigations.
Text from documents is escaped: Markdown punctuation is backslash-escaped, ``|`` cannot break a
table, newlines cannot end a cell, and text inside raw HTML (``<summary>``) is HTML-escaped.
"""

from __future__ import annotations

import re
from html import escape as html_escape

from ndalint.report import labels as L
from ndalint.report.model import DocumentReport, Finding, Report

_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&@])")
_BLOCK_START = re.compile(r"^([-+=]|\d+(?=[.)]))")
_PLAIN_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
_BOLD = {"critical", "high"}


def md(text: str) -> str:
    """Inline text: whitespace (newlines included) folded to one space, punctuation escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _line(text: str) -> str:
    """One line of a paragraph or quote: escaped, and never the start of a list, heading or quote."""
    text = md(text)
    m = _BLOCK_START.match(text)
    if m is None:
        return text
    cut = m.end() if m.group(1)[0].isdigit() else 0  # "1." -> "1\.", "-" -> "\-"
    return text[:cut] + "\\" + text[cut:]


def _code(rule_id: str) -> str:
    return f"`{rule_id}`" if _PLAIN_ID.match(rule_id) else md(rule_id)


def render(report: Report, **_: object) -> str:
    docs = report.documents
    total = sum(len(d.findings) for d in docs)
    errors = sum(1 for d in docs if d.error)
    out = [f"## {md(L.REPORT_TITLE)}", "", f"**{md(L.run_summary(len(docs), total, errors, sum(1 for d in docs if d.notice)))}**", ""]
    if len(docs) > 1:
        out += _summary(docs)
    for doc in docs:
        out += _document(doc)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _summary(docs: list[DocumentReport]) -> list[str]:
    s = L.SECTION_JA
    rows = [f"| {s['document']} | {s['score']} | {s['band']} | {s['findings']} |", "|---|--:|---|--:|"]
    for d in docs:
        name = md(d.title or d.path) + (f" ({md(d.path)})" if d.title else "")
        if d.error:
            rows.append(f"| {name} | — | {s['error']} | — |")
        elif d.notice:
            rows.append(f"| {name} | — | {s['unrecognized']} | — |")
        elif d.score:
            rows.append(f"| {name} | {d.score.value} | {L.BAND_JA.get(d.score.band, md(d.score.band))} | {len(d.findings)} |")
        else:
            rows.append(f"| {name} | — | — | {len(d.findings)} |")
    return rows + [""]


def _document(doc: DocumentReport) -> list[str]:
    s = L.SECTION_JA
    heading = f"### {md(doc.title)} — {md(doc.path)}" if doc.title else f"### {md(doc.path)}"
    out = [heading, ""]
    if doc.error:
        return out + [f"**{s['error']}**: {md(doc.error)}", ""]
    source = L.source_ja(doc.source)
    if source:
        out += [f"{s['source']}: {md(source)}", ""]
    if doc.notice:
        return out + [f"**{s['unrecognized']}**: {md(doc.notice)}", ""]
    if doc.score:
        sc = doc.score
        out += [f"**{L.SCORE_JA}: {sc.value}/100（{L.BAND_JA.get(sc.band, md(sc.band))}）** — {md(L.VERDICT.get(sc.band, ''))}", ""]
        if sc.categories:
            cats = "、".join(f"{md(L.CATEGORY_JA.get(c, c))} {v}" for c, v in sc.categories.items())
            out += [f"{s['categories']}: {cats}", ""]
    if doc.parties:
        out += [f"{s['parties']}: " + md(L.parties_ja(doc.parties)), ""]
    out += [md(L.bound_ja(doc.parties, doc.binds_individual)), ""]
    kind = L.kind_ja(doc.kind, doc.kind_evidence, doc.kind_overridden)
    if kind:
        out += [md(kind), ""]
    findings = sorted(doc.findings, key=lambda f: (f.start, f.end, f.rule_id))
    if findings:
        out += [f"#### {s['findings']}（{len(findings)}件）", "",
                f"| # | {s['severity']} | {s['rule']} | 内容 | {s['location']} | {s['line']} | {s['message']} |",
                "|--:|---|---|---|---|--:|---|"]
        out += [_row(i, f) for i, f in enumerate(findings, 1)]
        out.append("")
        for i, f in enumerate(findings, 1):
            out += _details(i, f)
    else:
        out += [L.NO_FINDINGS, ""]
    if doc.mitigations:
        out += [f"#### {s['mitigations']}", ""]
        for m in doc.mitigations:
            where = f"第{m.article}条" if m.article else L.position(m.line)
            out.append(f"- ✓ {where}: {md(m.message)}")
        out.append("")
    return out


def _row(i: int, f: Finding) -> str:
    sev = L.SEVERITY_JA.get(f.severity, md(f.severity))
    sev = f"**{sev}**" if f.severity in _BOLD else sev
    return (f"| {i} | {sev} | {_code(f.rule_id)} | {md(f.title or f.name)} | {L.where(f.article, f.paragraph)} "
            f"| {f.line} | {md(f.message)} |")


def _details(i: int, f: Finding) -> list[str]:
    s = L.SECTION_JA
    if not (f.suggestion or f.excerpt or f.references):
        return []
    summary = f"{i}. {f.rule_id} {s['suggestion'] if f.suggestion else s['excerpt']}（{L.where(f.article, f.paragraph)}）"
    out = [f"<details><summary>{html_escape(summary)}</summary>", ""]
    if f.excerpt:
        out += [f"{s['excerpt']}: 「{md(f.excerpt)}」", ""]
    if f.suggestion:
        out += [f"**{s['suggestion']}**", ""]
        out += [f"> {_line(line)}" if line.strip() else ">" for line in f.suggestion.splitlines()]
        out.append("")
    if f.references:
        out += [f"{s['references']}: " + "、".join(md(r) for r in f.references), ""]
    return out + ["</details>", ""]
