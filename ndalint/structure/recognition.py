"""Is this a contract at all? A document with no articles, no parties and no contract vocabulary
(a diary, an English text, a letter) gets no score: a score of 0 would read as 「安心」."""

from __future__ import annotations

import re

from ndalint.structure.model import Contract

# Words that Japanese agreements, pledges, terms and community rules are written in; a diary or
# a letter has at most one of them by chance, which is why two distinct ones are asked for. The
# list leans wide on purpose: calling real terms "not a contract" would silence every rule.
CONTRACT_WORDS = re.compile(
    r"(契約|誓約|規約|約款|同意|承諾|覚書|守秘|秘密|機密|損害賠償|違約金|遵守|当事者|第三者|禁止|違反|義務|"
    r"甲[はおと及並]|乙[はおと及並]|委託|準拠法|合意管轄|有効期間|ルール|利用規約|誓います)"
)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
NOT_A_CONTRACT = "契約書として読み取れませんでした"


def unrecognized(contract: Contract) -> str | None:
    """The reason this document cannot be linted as a contract, or None when it can."""
    if contract.articles or any(p.defined for p in contract.parties):
        return None
    text = contract.text
    words = {m.group(1)[:2] for m in CONTRACT_WORDS.finditer(text)}
    if len(words) >= 2:
        return None
    letters = sum(1 for ch in text[:20000] if ch.isalpha())
    japanese = len(_JAPANESE.findall(text[:20000]))
    if letters and japanese / letters < 0.2:
        return f"{NOT_A_CONTRACT}（日本語の文書ではないようです。ndalint は日本語の契約書を検査します）"
    return f"{NOT_A_CONTRACT}（条項・当事者・契約の用語が見つかりません）。契約書であれば、本文がテキストとして保存されているか確認してください"
