"""Japanese wording of the diff reports (text, markdown, html); the check report's words come from
ndalint/report/labels.py."""

from __future__ import annotations

from ndalint.diff.model import Clause, DiffReport, FindingChange, Place
from ndalint.report.labels import BAND_JA, SEVERITY_JA, where

TITLE = "ndalint 差分レポート"
SECTION = {
    "resolved": "解消された指摘",
    "introduced": "新たな指摘",
    "unchanged": "継続する指摘",
    "changed": "変更された条項",
    "added": "追加された条項",
    "removed": "削除された条項",
    "renumbered": "番号だけが変わった条項",
    "old": "旧",
    "new": "新",
}
BAND_CHANGE = {"better": "改善", "same": "変化なし", "worse": "悪化"}
NO_CLAUSE_CHANGES = "条項の本文に変更はありません。"


def side(r) -> str:
    return f"{r.path}" + (f"（{r.title}）" if r.title else "")


def score_line(report: DiffReport) -> str:
    """心理的安全性リスク 65/100 高 → 40/100 中（−25、改善）."""
    s = report.score
    if s is None:
        return "スコア：どちらかの文書にスコアがありません。"
    delta = f"{s.delta:+d}" if s.delta else "±0"
    return (f"心理的安全性リスク {s.old}/100 {BAND_JA[s.old_band]} → {s.new}/100 {BAND_JA[s.new_band]}"
            f"（{delta}、{BAND_CHANGE[s.band_change]}）")


def counts(report: DiffReport) -> str:
    f = report.findings
    return f"指摘：解消 {len(f.resolved)}件・新規 {len(f.introduced)}件・継続 {len(f.unchanged)}件"


def place(p: Place | None, which: str) -> str:
    return f"{which}{where(p.article)}・{p.line}行" if p else ""


def finding_head(c: FindingChange) -> str:
    """[高] LIAB001 個人に上限のない損害賠償を負わせている（旧第8条・41行 → 新第9条・44行）."""
    where_ = " → ".join(x for x in (place(c.old, "旧"), place(c.new, "新")) if x)
    return f"[{SEVERITY_JA.get(c.severity, c.severity)}] {c.rule_id} {c.title}（{where_}）"


def clause_head(c: Clause) -> str:
    """旧第8条（損害賠償及び違約金） → 新第9条（損害賠償）."""
    old = f"旧{c.old_label}" + (f"（{c.old_title}）" if c.old_title else "") if c.old_label else ""
    new = f"新{c.new_label}" + (f"（{c.new_title}）" if c.new_title else "") if c.new_label else ""
    return " → ".join(x for x in (old, new) if x)


def verdict(report: DiffReport) -> str:
    g = report.gate
    if not g.failed:
        return f"判定：新たな{SEVERITY_JA[g.fail_on]}以上の指摘はなく、判定も悪化していません。"
    n = sum(1 for r in g.reasons if "introduced" in r)
    parts = [f"{SEVERITY_JA[g.fail_on]}以上の新たな指摘 {n}件"] if n else []
    if report.score and report.score.band_change == "worse":
        parts.append(f"判定の悪化（{BAND_JA[report.score.old_band]} → {BAND_JA[report.score.new_band]}）")
    return "判定：" + "、".join(parts) + "があります。送付前に見直してください。"
