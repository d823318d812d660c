"""``ndalint diff --format markdown``: a pull-request comment. Score line, finding tables, and the
changed clauses side by side in a two-column table (旧 | 新) with deletions in <del> and insertions in
<ins> (GitHub renders both); long sections are collapsed in ``<details>``. Document text is escaped as in
the check report's Markdown (ndalint/report/markdown.py)."""

from __future__ import annotations

from html import escape

from ndalint.diff import labels as D
from ndalint.diff.model import Clause, DiffReport, FindingChange
from ndalint.report.labels import SEVERITY_JA, where
from ndalint.report.markdown import md

ICON = {"resolved": "✅", "introduced": "⚠️", "unchanged": "・"}


def render(report: DiffReport, **_: object) -> str:
    out = [f"## {md(D.TITLE)}", "", f"- {D.SECTION['old']}: {md(D.side(report.old))}",
           f"- {D.SECTION['new']}: {md(D.side(report.new))}", "", f"**{md(D.score_line(report))}**", "",
           md(D.counts(report)), ""]
    f = report.findings
    for key, items in (("introduced", f.introduced), ("resolved", f.resolved), ("unchanged", f.unchanged)):
        if not items:
            continue
        table = _table(items)
        if key == "unchanged":
            out += [f"<details><summary>{escape(D.SECTION[key])}（{len(items)}件）</summary>", "", *table, "", "</details>", ""]
        else:
            out += [f"### {ICON[key]} {md(D.SECTION[key])}（{len(items)}件）", "", *table, ""]
    out += _clauses(report.clauses)
    out += [f"**{md(D.verdict(report))}**", ""]
    return "\n".join(out)


def _place(c: FindingChange) -> str:
    parts = [f"旧{where(c.old.article)}" if c.old else "", f"新{where(c.new.article)}" if c.new else ""]
    return " → ".join(p for p in parts if p)


def _table(items: list[FindingChange]) -> list[str]:
    rows = ["| 重大度 | ルール | 指摘 | 箇所 |", "|---|---|---|---|"]
    for c in items:
        sev = SEVERITY_JA.get(c.severity, c.severity)
        rows.append(f"| {'**' + sev + '**' if c.severity in ('high', 'critical') else sev} | `{c.rule_id}` "
                    f"| {md(c.title)} | {md(_place(c))} |")
    return rows


def _cell(c: Clause, keep: str) -> str:
    """One side of a changed clause: escaped, line breaks as <br>, changes marked."""
    parts = []
    for s in c.diff:
        if s.op not in ("equal", keep):
            continue
        lines = [md(x) for x in s.text.split("\n")]
        if s.op != "equal":  # tags, not ~~ or **: those do not open or close beside 、 and 。
            tag = "del" if s.op == "delete" else "ins"
            lines = [f"<{tag}>{x}</{tag}>" if x else x for x in lines]
        parts.append("<br>".join(lines))
    return "".join(parts)


def _clauses(clauses: list[Clause]) -> list[str]:
    changed = [c for c in clauses if c.status == "changed"]
    out: list[str] = []
    if changed:
        out += [f"### {md(D.SECTION['changed'])}（{len(changed)}か条）", "", "| 条項 | 旧 | 新 |", "|---|---|---|"]
        for c in changed:
            out.append(f"| {md(D.clause_head(c))} | {_cell(c, 'delete')} | {_cell(c, 'insert')} |")
        out.append("")
    for key in ("added", "removed"):
        items = [c for c in clauses if c.status == key]
        if items:
            out += [f"### {md(D.SECTION[key])}（{len(items)}か条）", ""]
            out += [f"- **{md(D.clause_head(c))}**: {md(c.text or '')}" for c in items]
            out.append("")
    moved = [c for c in clauses if c.status == "renumbered"]
    if moved:
        out += [md(f"{D.SECTION['renumbered']}：" + "、".join(f"旧{c.old_label}→新{c.new_label}" for c in moved)), ""]
    if not out:
        out = [md(D.NO_CLAUSE_CHANGES), ""]
    return out
