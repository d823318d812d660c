"""Clause topics (from headings and content), and the context a rule reads from the kind of agreement.

Rules scope themselves by topic (``scope: {clause_topic: damages}``) and by context
(``applies_when: {context: co-creation}``); both are data here, not code paths.
"""

from __future__ import annotations

import re

TOPICS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "definitions": r"(定義|「[^」]+」とは)",
        "confidentiality": r"(秘密保持|守秘|機密保持|秘密情報|秘密の保持|漏洩|漏えい|口外|開示してはならない|開示しない|開示しません|漏らさない|漏らしません|口外しません|(開示|漏洩|漏えい|口外|他言)(いたしません|致しません)|他言しない|他言しません)",
        "exclusions": r"(公知|適用除外|対象外|例外|除外|秘密情報に含まれない|この限りでない)",
        "term": r"(有効期間|有効期限|契約期間|存続|期間|終了後|退職後|永久|無期限)",
        "damages": r"(損害賠償|違約金|賠償|補償|損害|弁護士費用|制裁金|罰金)",
        "ip": r"(知的財産|著作権|著作者人格権|特許|発明|成果物|権利の帰属|アイデア|帰属)",
        "return": r"(返還|破棄|廃棄|消去|削除)",
        "purpose": r"(目的)",
        "disclosure": r"(開示|公表|第三者への提供)",
        "remedies": r"(差止|差し止め|仮処分|法的措置)",
        "termination": r"(解除|解約|中途終了|退会|辞退|撤回|離脱|中止)",
        "recording": r"(録音|録画|撮影|記録|肖像)",
        "conduct": r"(行動規範|尊重|公正|ハラスメント|誠実)",
        "personal-data": r"(個人情報|プライバシー)",
        "law": r"(準拠法|管轄|裁判所)",
    }.items()
}



def topics_of(title: str | None, text: str) -> frozenset[str]:
    """Topics of a clause: its heading says most; its content adds what it clearly covers."""
    found = {name for name, rx in TOPICS.items() if title and rx.search(title)}
    found |= {name for name, rx in TOPICS.items() if len(rx.findall(text)) >= 1 and name not in ("purpose", "term", "disclosure")}
    if re.search(r"(期間|期限|終了後|退職後|存続|永久)", text):
        found.add("term")
    return frozenset(found)


# The context a rule's applies_when reads, from the primary kind of agreement. Communities, events,
# visitors and beta tests bind participants as co-creation sessions do (staged disclosure and the
# participant rules apply to them); c2c sellers and "other" get no context.
KIND_CONTEXT = {
    "employment": "employment", "exit-pledge": "employment", "freelance": "freelance", "panel": "panel",
    "co-creation": "co-creation", "community": "co-creation", "event": "co-creation", "visitor": "co-creation",
    "beta-test": "co-creation", "b2b": "company-to-company",
}


def context_of_kind(kind: str | None) -> frozenset[str]:
    return frozenset({KIND_CONTEXT[kind]}) if kind in KIND_CONTEXT else frozenset()
