"""``--format text`` (default): a report a lawyer reads in a terminal, in Japanese.

Rendered with rich; without a terminal (pipes, CI logs) or with NO_COLOR set it is plain text
that still reads well in 80 columns.
"""

from __future__ import annotations

import io
import os

from rich.console import Console
from rich.text import Text

from ndalint.report.labels import BAND_JA, CATEGORY_JA, KIND_JA, SEVERITY_JA, VERDICT, where as where_ja
from ndalint.report.model import DocumentReport, Finding, Report

SEVERITY_STYLE = {"info": "dim", "low": "cyan", "medium": "yellow", "high": "bold red", "critical": "bold white on red"}


def _console(width: int | None, color: bool | None) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    if color is None:
        color = os.environ.get("NO_COLOR") is None and os.environ.get("FORCE_COLOR") is not None
    console = Console(file=buf, width=width or 80, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, emoji=False, soft_wrap=False)
    return console, buf


def render(report: Report, width: int | None = None, color: bool | None = None, **_: object) -> str:
    console, buf = _console(width, color)
    for doc in report.documents:
        _document(console, doc)
    _summary(console, report)
    return buf.getvalue()


def _document(console: Console, doc: DocumentReport) -> None:
    console.rule(Text(doc.path, style="bold"), align="left")
    if doc.error:
        console.print(Text(f"エラー: {doc.error}", style="bold red"))
        console.print()
        return
    if doc.title:
        console.print(f"表題: {doc.title}")
    if doc.score:
        s = doc.score
        console.print(Text.assemble(("心理的安全性リスク: ", "bold"), (f"{s.value}/100（{BAND_JA[s.band]}）", "bold"),
                                    "  ", VERDICT[s.band]))
        if s.categories:
            console.print("  内訳: " + "、".join(f"{CATEGORY_JA.get(c, c)} {v}" for c, v in s.categories.items()))
    if doc.parties:
        console.print("当事者: " + "、".join(
            f"{p.label}＝{p.name or '（名称なし）'}（{KIND_JA.get(p.kind, p.kind)}）" for p in doc.parties))
    if doc.articles:
        titled = "、".join(f"第{a.number}条" + (f"（{a.title}）" if a.title else "") for a in doc.articles)
        console.print(f"条項: {len(doc.articles)}か条 — {titled}")
    console.print()
    for f in doc.findings:
        _finding(console, f)
    if doc.mitigations:
        console.print(Text("評価できる点", style="bold green"))
        for m in doc.mitigations:
            where = f"第{m.article}条" if m.article else f"{m.line}行"
            console.print(f"  ✓ {where}: {m.message}")
        console.print()
    if not doc.findings:
        console.print("指摘事項はありません。")
        console.print()


def _finding(console: Console, f: Finding) -> None:
    where = where_ja(f.article, f.paragraph)
    head = Text.assemble((f"[{SEVERITY_JA[f.severity]}] ", SEVERITY_STYLE[f.severity]), (f"{f.rule_id} ", "bold"),
                         (f.title or f.name, "bold"), f"  {where}（{f.line}行{f.column}桁）")
    console.print(head)
    console.print(Text("  「" + f.excerpt + "」", style="italic"))
    console.print("  " + f.message)
    if f.suggestion:
        console.print(Text("  修正案: " + f.suggestion.strip().replace("\n", " "), style="green"))
    if f.references:
        console.print("  根拠: " + "、".join(f.references), style="dim")
    console.print()


def _summary(console: Console, report: Report) -> None:
    docs = report.documents
    errors = sum(1 for d in docs if d.error)
    findings = sum(len(d.findings) for d in docs)
    console.print(f"{len(docs)}件の文書を検査: 指摘 {findings}件" + (f"、読み込みエラー {errors}件" if errors else ""))
