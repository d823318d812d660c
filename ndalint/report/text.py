"""``--format text`` (default): the report a lawyer reads in a terminal, in Japanese.

Rendered with rich. Without a terminal (pipes, CI logs) or with ``NO_COLOR`` set it is plain text;
matched words are then set off with 【】 instead of colour. Japanese has no spaces to break at, so
lines are wrapped here by display width with the usual line-breaking rules (kinsoku: no line
starts with 、。」 and the like), and continuation lines keep their indentation.
"""

from __future__ import annotations

import io
import os
from itertools import groupby

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from ndalint.report.labels import (
    BAND_JA,
    CATEGORY_JA,
    SEVERITY_JA,
    VERDICT,
    bound_ja,
    driver_ja,
    kind_ja,
    parties_ja,
    source_ja,
    where,
)
from ndalint.report.model import SEVERITIES, DocumentReport, Finding, Report

SEVERITY_STYLE = {"info": "dim", "low": "cyan", "medium": "yellow", "high": "bold red", "critical": "bold white on red"}
BAND_STYLE = {"low": "green", "medium": "yellow", "high": "red", "critical": "bold red"}
# characters that must not open a line (行頭禁則) and that must not end one (行末禁則)
NO_START = set("、。，．,.)）」』】〕〉》］｝・ー：；:;？！?!ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々…")
NO_END = set("(（「『【〔〈《［｛")
GAUGE_CELLS = 20


def _console(width: int | None, color: bool | None) -> Console:
    if color is None:
        color = os.environ.get("NO_COLOR") is None and os.environ.get("FORCE_COLOR") is not None
    return Console(file=io.StringIO(), width=width or 80, force_terminal=color, no_color=not color,
                   color_system="standard" if color else None, highlight=False, emoji=False, soft_wrap=True)


def render(report: Report, width: int | None = None, color: bool | None = None, **_: object) -> str:
    console = _console(width, color)
    r = _Renderer(console, plain=console.no_color)
    for doc in report.documents:
        r.document(doc)
    r.summary(report)
    return console.file.getvalue()  # type: ignore[attr-defined]


def break_points(text: str, width: int) -> list[int]:
    """Offsets at which to break ``text`` so that no line is wider than ``width`` cells."""
    points, line_start, used = [], 0, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            points.append(i + 1)
            line_start, used = i + 1, 0
            i += 1
            continue
        w = cell_len(ch)
        if used + w > width and i > line_start:
            cut = i
            # pull a forbidden line-opener back onto the line, or push a forbidden line-ender down
            while cut > line_start + 1 and (text[cut] in NO_START or text[cut - 1] in NO_END):
                cut -= 1
            if cut == line_start + 1:
                cut = i
            points.append(cut)
            line_start, used = cut, sum(cell_len(c) for c in text[cut:i])
        used += w
        i += 1
    return points


def _wrap(text: Text, first: int, rest: int) -> list[Text]:
    lines, avail = [], max(10, first)
    while True:
        points = break_points(text.plain, avail)
        if not points:
            return [*lines, text]
        head, text = text.divide(points[:1])
        lines.append(head)
        avail = max(10, rest)


class _Renderer:
    def __init__(self, console: Console, plain: bool) -> None:
        self.c = console
        self.plain = plain
        self.width = console.width

    def para(self, text: Text | str, indent: int = 0, hang: int = 0) -> None:
        """Print ``text`` wrapped at the console width: first line at ``indent``, the rest at
        ``indent + hang``."""
        t = text if isinstance(text, Text) else Text(text)
        for n, raw in enumerate(t.split("\n")):
            first = indent if n == 0 else indent + hang
            for k, line in enumerate(_wrap(raw, self.width - first, self.width - indent - hang)):
                self.c.print(Text(" " * (first if k == 0 else indent + hang)) + line)

    def document(self, doc: DocumentReport) -> None:
        self.c.rule(Text(doc.path, style="bold"), align="left", characters="━")
        if doc.error:
            self.para(Text("読み込みエラー：" + doc.error, style="bold red"))
            self.c.print()
            return
        if doc.title:
            self.para(Text(doc.title, style="bold"))
        source = source_ja(doc.source)
        if source:
            self.para(f"読み取り：{source}", hang=2)
        if doc.notice:
            self.para(Text(doc.notice, style="bold yellow"))
            self.c.print()
            return
        if doc.score:
            self.score(doc)
        if doc.parties:
            self.para("当事者：" + parties_ja(doc.parties), hang=2)
        self.para(bound_ja(doc.parties, doc.binds_individual), hang=2)
        kind = kind_ja(doc.kind, doc.kind_evidence, doc.kind_overridden)
        if kind:
            self.para(kind, hang=2)
        if doc.articles:
            first, last = doc.articles[0].number, doc.articles[-1].number
            self.para(f"条項：{len(doc.articles)}か条（第{first}条〜第{last}条）")
        self.c.print()
        titles = {a.number: a.title for a in doc.articles}
        for article, group in groupby(doc.findings, key=lambda f: f.article):
            heading = where(article) + (f"（{titles[article]}）" if titles.get(article) else "")
            self.para(Text(heading, style="bold underline"))
            for f in group:
                self.finding(doc, f)
        if doc.mitigations:
            self.para(Text("評価できる点", style="bold green"))
            for m in doc.mitigations:
                self.para(f"✓ {where(m.article) if m.article else f'{m.line}行'}：{m.message}", indent=2, hang=2)
            self.c.print()
        if not doc.findings:
            self.para("指摘事項はありません。")
            self.c.print()

    def score(self, doc: DocumentReport) -> None:
        s = doc.score
        assert s is not None
        filled = round(s.value / 100 * GAUGE_CELLS)
        gauge = "█" * filled + "░" * (GAUGE_CELLS - filled)
        self.para(Text.assemble(("心理的安全性リスク ", "bold"), (f"{s.value}/100 {BAND_JA[s.band]}", "bold " + BAND_STYLE[s.band]),
                                "  ", (gauge, BAND_STYLE[s.band])))
        self.para(VERDICT[s.band], indent=2)
        if s.categories:
            self.para("内訳：" + "、".join(f"{CATEGORY_JA.get(c, c)} {v}" for c, v in s.categories.items()), indent=2, hang=5)
        if s.drivers:
            self.para("主な要因：" + "、".join(driver_ja(r, doc.findings) for r in s.drivers), indent=2, hang=5)

    def finding(self, doc: DocumentReport, f: Finding) -> None:
        loc = f"{f.line}行" + (f"・{f.page}頁" if f.page else "")
        head = Text.assemble(("[" + SEVERITY_JA[f.severity] + "] ", SEVERITY_STYLE[f.severity]), (f.rule_id + " ", "bold"),
                             (f.title or f.name, "bold"), (f"（{where(f.article, f.paragraph)}・{loc}）", "dim"))
        self.para(head, indent=2, hang=4)
        self.para(self.excerpt(doc, f), indent=4, hang=1)
        self.para(f.message, indent=4)
        if f.suggestion:
            self.para(Text("修正案：" + f.suggestion.strip(), style="green"), indent=4, hang=4)
        if f.references:
            self.para(Text("根拠：" + "、".join(f.references), style="dim"), indent=4, hang=3)
        self.c.print()

    def excerpt(self, doc: DocumentReport, f: Finding) -> Text:
        matched = doc.text[f.start : f.end] if doc.text is not None else ""
        at = f.excerpt.find(matched) if matched and len(matched) < len(f.excerpt) else -1
        if at < 0:
            return Text("「" + f.excerpt + "」", style="italic")
        before, after = f.excerpt[:at], f.excerpt[at + len(matched) :]
        mark = ("【" + matched + "】", "bold") if self.plain else (matched, "bold reverse")
        return Text.assemble(("「" + before, "italic"), mark, (after + "」", "italic"))

    def summary(self, report: Report) -> None:
        docs = report.documents
        errors = sum(1 for d in docs if d.error)
        counts = {s: sum(1 for d in docs for f in d.findings if f.severity == s) for s in reversed(SEVERITIES)}
        total = sum(counts.values())
        by_sev = "・".join(f"{SEVERITY_JA[s]} {n}" for s, n in counts.items() if n)
        line = f"{len(docs)}件の文書を検査：指摘 {total}件" + (f"（{by_sev}）" if by_sev else "")
        if errors:
            line += f"、読み込みエラー {errors}件"
        unrecognized = sum(1 for d in docs if d.status == "unrecognized")
        if unrecognized:
            line += f"、契約書として未認識 {unrecognized}件"
        self.c.rule(characters="━")
        self.para(line)
        scored = sorted((d for d in docs if d.score), key=lambda d: (-d.score.value, d.path))  # type: ignore[union-attr]
        if len(scored) > 1:
            for d in scored:
                self.para(f"{d.score.value:>3} {BAND_JA[d.score.band]:<2} {d.path}", indent=2, hang=9)  # type: ignore[union-attr]
