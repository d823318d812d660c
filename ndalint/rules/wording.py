"""Suggested wording in the document's own words: its party labels and its defined term for the secret.

Rules write their suggestions once, in the 甲/乙 and 開示者/受領者 of a model contract. A pledge
speaks of 私 and 貴社, participation terms of 参加者 and 主催者, and some contracts define
「機密情報」 instead of 「秘密情報」; a lawyer pasting the suggestion should not have to translate it.
"""

from __future__ import annotations

import re

from ndalint.structure.model import Contract, Party

_KANJI = "一-龥々"


def fit_wording(text: str, contract: Contract) -> str:
    labels = {p.label for p in contract.parties}
    terms = {t.term for t in contract.terms}
    person, organisation = _sides(contract.parties)
    if person and organisation and not labels & {"甲", "乙"}:
        text = _replace_word(text, "乙", person.label)
        text = _replace_word(text, "甲", organisation.label)
    if person and organisation and not (labels | terms) & {"受領者", "開示者"}:
        text = text.replace("受領者", person.label).replace("開示者", organisation.label)
    if "機密情報" in terms and "秘密情報" not in terms:
        text = text.replace("秘密情報", "機密情報")
    return text


def _sides(parties: list[Party]) -> tuple[Party | None, Party | None]:
    """The bound person and the organisation facing them, as the document names them."""
    people = [p for p in parties if p.kind == "individual"]
    person = next((p for p in people if p.bound), people[0] if people else None)
    organisation = next((p for p in parties if p.kind == "company" and p.primary), None) or next(
        (p for p in parties if p.kind == "company"), None)
    return person, organisation


def _replace_word(text: str, old: str, new: str) -> str:
    # 乙 alone, not inside 甲乙 or a longer kanji word
    return re.sub(rf"(?<![{_KANJI}]){old}(?![{_KANJI}])", new, text)
