"""``ndalint diff`` as text (default), in Japanese, in the check report's style: wrapped by display
width with kinsoku, colour on a terminal. Changed clauses are shown as 旧 and 新 lines one above
the other (a terminal is too narrow for Japanese side by side), deletions and insertions in red and
green, or set off with 〔−…〕〔＋…〕 without colour."""

from __future__ import annotations

from rich.text import Text

from ndalint.diff import labels as D
from ndalint.diff.model import Clause, DiffReport, FindingChange
from ndalint.report.text import SEVERITY_STYLE, _console, _Renderer

MARK = {"equal": ("", ""), "delete": ("〔−", "〕"), "insert": ("〔＋", "〕")}
STYLE = {"equal": "", "delete": "red strike", "insert": "green underline"}


def render(report: DiffReport, width: int | None = None, color: bool | None = None, **_: object) -> str:
    console = _console(width, color)
    r = _Renderer(console, plain=console.no_color)
    c = console
    c.rule(Text(D.TITLE, style="bold"), align="left", characters="━")
    r.para(f"旧：{D.side(report.old)}", hang=2)
    r.para(f"新：{D.side(report.new)}", hang=2)
    r.para(Text(D.score_line(report), style="bold"))
    r.para(D.counts(report))
    c.print()
    f = report.findings
    for key, items, mark in (("resolved", f.resolved, "✓"), ("introduced", f.introduced, "✗")):
        if items:
            r.para(Text(f"{D.SECTION[key]}（{len(items)}件）", style="bold underline"))
            for item in items:
                _finding(r, item, mark, full=key == "introduced")
            c.print()
    if f.unchanged:
        r.para(Text(f"{D.SECTION['unchanged']}（{len(f.unchanged)}件）", style="bold underline"))
        for item in f.unchanged:
            r.para(Text("· ") + _head(item), indent=2, hang=2)
        c.print()
    _clauses(r, report.clauses)
    c.rule(characters="━")
    r.para(Text(D.verdict(report), style="bold red" if report.gate.failed else "bold green"))
    return console.file.getvalue()  # type: ignore[attr-defined]


def _head(item: FindingChange) -> Text:
    return Text(D.finding_head(item), style=SEVERITY_STYLE.get(item.severity, ""))


def _finding(r: _Renderer, item: FindingChange, mark: str, full: bool) -> None:
    r.para(Text(mark + " ") + _head(item), indent=2, hang=4)
    r.para(Text("「" + item.excerpt + "」", style="italic"), indent=4, hang=1)
    if full:
        r.para(item.message, indent=4)
        if item.suggestion:
            r.para(Text("修正案：" + item.suggestion.strip(), style="green"), indent=4, hang=4)


def _side(r: _Renderer, c: Clause, keep: str) -> Text:
    out = Text()
    for s in c.diff:
        if s.op in ("equal", keep):
            open_, close = MARK[s.op] if r.plain else ("", "")
            out.append(open_ + s.text + close, style=STYLE[s.op] if not r.plain else "")
    return out


def _clauses(r: _Renderer, clauses: list[Clause]) -> None:
    changed = [c for c in clauses if c.status == "changed"]
    added = [c for c in clauses if c.status == "added"]
    removed = [c for c in clauses if c.status == "removed"]
    moved = [c for c in clauses if c.status == "renumbered"]
    if not (changed or added or removed or moved):
        r.para(D.NO_CLAUSE_CHANGES)
        r.c.print()
        return
    if changed:
        r.para(Text(f"{D.SECTION['changed']}（{len(changed)}か条）", style="bold underline"))
        for c in changed:
            r.para(Text(D.clause_head(c), style="bold"), indent=2, hang=2)
            r.para(Text("旧｜") + _side(r, c, "delete"), indent=4, hang=2)
            r.para(Text("新｜") + _side(r, c, "insert"), indent=4, hang=2)
        r.c.print()
    for key, items in (("added", added), ("removed", removed)):
        if items:
            r.para(Text(f"{D.SECTION[key]}（{len(items)}か条）", style="bold underline"))
            for c in items:
                r.para(Text(D.clause_head(c), style="bold"), indent=2, hang=2)
                r.para(Text(c.text or "", style="green" if key == "added" else "red"), indent=4, hang=0)
            r.c.print()
    if moved:
        r.para(f"{D.SECTION['renumbered']}：" + "、".join(f"旧{c.old_label}→新{c.new_label}" for c in moved), hang=2)
        r.c.print()
