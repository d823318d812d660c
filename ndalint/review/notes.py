"""What the review copy's comments say, in Japanese: one per finding, and a summary on the title."""

from __future__ import annotations

from collections import Counter

from ndalint.report.labels import BAND_JA, SCORE_JA, SEVERITY_JA, VERDICT, bound_ja, driver_ja, where
from ndalint.report.model import SEVERITIES, DocumentReport, Finding

Paragraphs = list[tuple[str, bool]]  # (text, bold)

REDLINE_NOTE = ("変更履歴の文言は修正案の一例です。契約の趣旨や相手方との関係に照らして、"
                "承諾・却下又は書き換えをご判断ください。")


def finding_note(f: Finding, redlined: bool) -> Paragraphs:
    """[高] LIAB001 個人に上限のない損害賠償を負わせている / message / 修正案 / 根拠."""
    out: Paragraphs = [(f"［{SEVERITY_JA.get(f.severity, f.severity)}］{f.rule_id} {f.title or f.name}", True),
                       (f.message, False)]
    if redlined:
        out.append(("この箇所に修正案の一例を変更履歴として入れています。", False))
    if f.suggestion:
        out.append(("修正案：", True))
        out.extend((line, False) for line in f.suggestion.split("\n") if line.strip())
    if f.references:
        out.append(("根拠：" + "、".join(f.references), False))
    return out


def summary_note(doc: DocumentReport, revisions: int, unplaced: list[Finding]) -> Paragraphs:
    """The first comment, on the title: the score, its band, who is bound, what drives the score."""
    out: Paragraphs = [("ndalint による検査結果", True)]
    if doc.score:
        band = BAND_JA.get(doc.score.band, doc.score.band)
        out.append((f"{SCORE_JA} {doc.score.value}/100（{band}）", True))
        out.append((VERDICT.get(doc.score.band, ""), False))
    out.append((bound_ja(doc.parties, doc.binds_individual), False))
    if doc.score and doc.score.drivers:
        out.append(("主な要因：" + "、".join(driver_ja(r, doc.findings) for r in doc.score.drivers), False))
    counts = Counter(f.severity for f in doc.findings)
    by_severity = "・".join(f"{SEVERITY_JA[s]} {counts[s]}" for s in reversed(SEVERITIES) if counts.get(s))
    out.append((f"指摘 {len(doc.findings)}件" + (f"（{by_severity}）" if by_severity else "")
                + "。各指摘は該当する語句にコメントしています。", False))
    if revisions:
        out.append((f"変更履歴 {revisions}件：{REDLINE_NOTE}", False))
    if unplaced:
        out.append(("本文中に位置を示せない指摘（脚注・文末注など）：", True))
        out.extend((f"［{SEVERITY_JA.get(f.severity, f.severity)}］{f.rule_id} {f.title or f.name}"
                    f"（{where(f.article, f.paragraph)}）{f.message}", False) for f in unplaced)
    if doc.suppressed:
        out.append((f"抑制コメントにより {doc.suppressed}件の指摘を省略しています。", False))
    return out
