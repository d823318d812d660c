"""Is this a contract at all? A document with no contract structure and no contract vocabulary
(a diary, an English text, minutes, a recipe) gets no score: a score of 0 would read as 「安心」.

The test leans towards "yes": calling a real pledge or a page of event rules "not a contract"
silences every rule, which is worse than linting a letter and finding nothing.
"""

from __future__ import annotations

import re
from functools import cache

from ndalint.structure.model import Contract

# Words agreements, pledges, participation terms and community rules are written in.
CONTRACT_WORDS = re.compile(
    r"(契約|誓約|規約|約款|同意|承諾|了承|許諾|覚書|守秘|秘密|機密|口外|漏ら|漏洩|漏えい|損害|賠償|弁償|違約金|免責|責任|"
    r"遵守|当事者|第三者|禁止|違反|義務|権利|著作権|帰属|個人情報|無断|転載|甲[はおと及並]|乙[はおと及並]|委託|"
    r"準拠法|合意管轄|有効期間|ルール|誓います|お約束)"
)
# What such a document calls itself in its first line.
CONTRACT_TITLE = re.compile(
    r"(契約|誓約|規約|約款|同意|承諾|覚書|念書|差入|確約|申込書|合意|確認書|規程|規則|ルール|条件|要項|約束|お願い|ガイドライン|"
    r"注意事項|遵守事項|利用規約|ポリシー|心得|行動規範)"
)
_SHORT = 600  # characters: a short pledge or a page of rules may use one contract word only
NOT_A_CONTRACT = "契約書として読み取れませんでした"


@cache
def _japanese() -> re.Pattern[str]:
    # compiled at first use: only a document that is not a contract is counted, and the kanji range
    # is slow to compile
    return re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def unrecognized(contract: Contract) -> str | None:
    """The reason this document cannot be linted as a contract, or None when it can."""
    text = contract.text
    numbered_articles = sum(1 for a in contract.articles if text.startswith("第", a.start))
    first_line = next((line.strip(" \t\u3000#") for line in text.split("\n") if line.strip()), "")
    if numbered_articles >= 2 or any(p.defined and p.label in "甲乙丙丁" for p in contract.parties):
        return None
    if len(first_line) <= 60 and CONTRACT_TITLE.search(first_line):
        return None
    words = {m.group(1)[:2] for m in CONTRACT_WORDS.finditer(text)}
    # Sections or parties found by the looser schemes count only with a contract word beside them:
    # minutes and recipes have numbered or bracketed headings too.
    needed = 1 if contract.articles or contract.parties or len(text) < _SHORT else 2
    if len(words) >= needed:
        return None
    letters = sum(1 for ch in text[:20000] if ch.isalpha())
    japanese = len(_japanese().findall(text[:20000]))
    if letters and japanese / letters < 0.2:
        return f"{NOT_A_CONTRACT}（日本語の文書ではないようです。ndalint は日本語の契約書を検査します）"
    return f"{NOT_A_CONTRACT}（条項・当事者・契約の用語が見つかりません）。契約書であれば、本文がテキストとして保存されているか確認してください"
