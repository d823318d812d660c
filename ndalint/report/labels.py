"""Japanese wording shared by every human-facing format (text, html, markdown, rule docs)."""

from __future__ import annotations

SEVERITY_JA = {"info": "参考", "low": "低", "medium": "中", "high": "高", "critical": "重大"}
BAND_JA = {"low": "低", "medium": "中", "high": "高", "critical": "重大"}
VERDICT = {
    "low": "参加者・相手方が安心して話せる内容です。",
    "medium": "いくつかの条項が相手方を萎縮させるおそれがあります。",
    "high": "相手方を強く萎縮させる条項があります。送付前に見直してください。",
    "critical": "個人に過大な負担を課しており、このままでは参加・協力をためらわせます。",
}
KIND_JA = {"company": "法人", "individual": "個人", "unknown": "不明"}
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
