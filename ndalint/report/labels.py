"""Japanese wording shared by every human-facing format (text, html, markdown, rule docs)."""

from __future__ import annotations

from ndalint.structure.kinds import KIND_NAMES_JA


SEVERITY_JA = {"info": "参考", "low": "低", "medium": "中", "high": "高", "critical": "重大"}
BAND_JA = {"low": "低", "medium": "中", "high": "高", "critical": "重大"}
VERDICT = {
    "low": "参加者・相手方が安心して話せる内容です。",
    "medium": "いくつかの条項が相手方を萎縮させるおそれがあります。",
    "high": "相手方を強く萎縮させる条項があります。送付前に見直してください。",
    "critical": "個人に過大な負担を課しており、このままでは参加・協力をためらわせます。",
}
KIND_JA = {"company": "法人・団体", "individual": "個人", "unknown": "不明"}
CATEGORY_JA = {
    "confidentiality-scope": "秘密情報の範囲",
    "individual-liability": "個人の賠償責任",
    "staged-disclosure": "段階的開示",
    "participant-protection": "参加者の保護",
    "chilling-language": "萎縮させる表現",
    "drafting": "起案上の不備",
}


def where(article: int | None, paragraph: int | None = None) -> str:
    """第3条第2項, or 前文等 for text outside the articles."""
    if article is None:
        return "前文等"
    return f"第{article}条" + (f"第{paragraph}項" if paragraph and paragraph > 1 else "")


# Wording of the document-oriented formats (html, markdown, github). Added names only.
SCORE_JA = "心理的安全性リスク"
REPORT_TITLE = "ndalint 検査レポート"
SECTION_JA = {
    "summary": "概要",
    "document": "文書",
    "score": "スコア",
    "band": "判定",
    "findings": "指摘事項",
    "mitigations": "評価できる点",
    "categories": "内訳",
    "parties": "当事者",
    "text": "本文",
    "suggestion": "修正案",
    "references": "根拠",
    "excerpt": "該当箇所",
    "severity": "重大度",
    "rule": "ルール",
    "location": "箇所",
    "line": "行",
    "message": "指摘",
    "drivers": "主な要因",
    "error": "読み込みエラー",
    "unrecognized": "契約書として未認識",
    "source": "読み取り",
}
NO_FINDINGS = "指摘事項はありません。"
NO_TEXT = "本文はこのレポートに含まれていません。"
DRAFTING_NOTE = "起案上の不備はスコアに影響しません。"
CATEGORY_UNIT = "点"


def position(line: int, column: int | None = None) -> str:
    """41行17桁 (or 41行)."""
    return f"{line}行" + (f"{column}桁" if column else "")


def driver_ja(rule_id: str, findings) -> str:
    """LIAB001（個人に上限のない損害賠償を負わせている）: the id a reader can look up, and what it means."""
    title = next((f.title for f in findings if f.rule_id == rule_id and f.title), None)
    return f"{rule_id}（{title}）" if title else rule_id


def source_ja(source) -> str | None:
    """What was linted, when a reader had to choose: 「変更履歴を反映した版（挿入 2・削除 1）、コメント 3件は対象外」."""
    if source is None:
        return None
    parts: list[str] = []
    if source.insertions or source.deletions:
        view = "変更履歴をすべて反映した版" if source.view != "original" else "変更履歴を反映しない元の版"
        parts.append(f"{view}（挿入 {source.insertions}・削除 {source.deletions}）")
    elif source.view:
        parts.append("変更履歴なし")
    if source.comments:
        parts.append(f"コメント {source.comments}件は検査対象外")
    if source.footnotes:
        parts.append(f"脚注 {source.footnotes}件は末尾に付記")
    if source.pages:
        pdf = f"PDF {source.pages}ページ"
        if source.joined_lines:
            pdf += f"、行の折り返し {source.joined_lines}か所を連結"
        if source.removed_lines:
            pdf += f"、ヘッダー・フッター・ページ番号 {source.removed_lines}行を除外"
        parts.append(pdf)
    return "、".join(parts) or None




def bound_ja(parties, binds_individual: bool | None = None) -> str:
    """秘密保持義務を負う当事者：乙（個人）— 根拠：守秘義務「乙は、…開示しない」; or why it could not be told."""
    bound = [p for p in parties if p.bound]
    if not bound:
        applied = "適用しています" if binds_individual else "適用していません"
        return ("秘密保持義務を負う当事者：本文から特定できませんでした。"
                f"個人に関する検査項目は、契約の種類と当事者から判断して{applied}。")
    who = "、".join(f"{p.label}（{kind_of(p)}）" for p in bound)
    duty = next((e for p in bound for e in p.evidence if e.startswith("守秘義務")), None)
    line = f"秘密保持義務を負う当事者：{who}" + (f" — 根拠：{duty}" if duty else "")
    unknown = [p.label for p in bound if p.kind == "unknown"]
    if unknown:
        line += f"。{'・'.join(unknown)}が個人か法人か判定できませんでした（--party {unknown[0]}=individual のように指定できます）"
    return line


def kind_of(p) -> str:
    """個人 / 法人・団体, 「と推定」 where only the kind of agreement or a bare 氏名・印 decided, 「指定」 for --party."""
    name = KIND_JA.get(p.kind, p.kind)
    if p.overridden:
        return name + "・指定"
    return name + "と推定" if p.kind != "unknown" and p.confidence is not None and p.confidence < 0.7 else name


def parties_ja(parties) -> str:
    """甲＝株式会社A（法人・団体）、乙＝（名称なし）（個人と推定）."""
    return "、".join(f"{p.label}＝{p.name or '（名称なし）'}（{kind_of(p)}）" for p in parties)


def kind_ja(kind: str | None, evidence: list[str], overridden: bool = False) -> str | None:
    """契約の種類：業務委託（個人）— 根拠：「業務委託契約書」（表題）."""
    if not kind:
        return None
    line = f"契約の種類：{KIND_NAMES_JA.get(kind, kind)}" + ("（指定）" if overridden else "")
    reasons = list(dict.fromkeys(e.split("（")[0] if e.startswith("「") else e for e in evidence))[:2]
    return line + (f" — 根拠：{'、'.join(reasons)}" if reasons and not overridden else "")


def run_summary(documents: int, findings: int, errors: int = 0, unrecognized: int = 0) -> str:
    """3件の文書を検査: 指摘 12件、読み込みエラー 1件、契約書として未認識 1件."""
    return (f"{documents}件の文書を検査: 指摘 {findings}件" + (f"、読み込みエラー {errors}件" if errors else "")
            + (f"、契約書として未認識 {unrecognized}件" if unrecognized else ""))
