"""Suggested wording in the document's own words: its party labels, its name for itself and for
the activity, its defined term for the secret, and the vocabulary of its kind of agreement.

Rules write their suggestions once, in the 甲/乙 and 開示者/受領者 of a model contract, about a
「本プログラム」 with a 「謝礼」. A pledge speaks of 私 and 貴社, participation terms of 参加者 and
主催者, an employee is paid wages rather than a fee, a member leaves (退会) rather than retires, and
some contracts define 「機密情報」 instead of 「秘密情報」; a lawyer pasting the suggestion should
not have to translate it.
"""

from __future__ import annotations

import re
from collections import Counter

from ndalint.structure.model import Contract, Party

_KANJI = "一-龥々"
_JOIN = "及並又若"  # 甲及び乙, 甲並びに乙, 甲又は乙, 甲若しくは乙
# How a document names itself and the activity it is about (本規約, 本イベント …)
_SELF = re.compile(r"本(契約書?|規約|誓約書|同意書|覚書|約款|誓約条項)(?![一-龥])")
_ACTIVITY = re.compile(r"本(プログラム|イベント|業務|調査|サービス|セッション|ワークショップ|コミュニティ|取引|"
                       r"プロジェクト|大会|講座|研修|インターンシップ|ハッカソン|アイデアソン|モニター|件業務|件取引|"
                       r"サーバー|活動|会合|共創活動)(?![一-龥])")
# Where the document names no activity, the kind of agreement decides
_ACTIVITY_BY_KIND = {"employment": "貴社での業務", "exit-pledge": "在職中の業務", "freelance": "本業務",
                     "b2b": "本取引", "panel": "本調査", "event": "本イベント", "community": "本コミュニティ",
                     "visitor": "本訪問", "beta-test": "本テスト", "c2c": "本サービス"}
# What the bound person is paid, and how their relation ends, by kind of agreement
_PAY_BY_KIND = {"employment": "賃金", "exit-pledge": "賃金", "freelance": "委託料", "b2b": "委託料", "c2c": "売上金"}
# Members, visitors and event guests are not paid: a cap on their liability is a stated sum
_UNPAID = {"community", "visitor", "event"}
_PAID_CAP = re.compile(r"(本(契約|規約|誓約書|同意書)に基づき)?[^、。「」]{0,8}?(受領した|受け取った|支払われた|支払った)謝礼(（[^）]*）)?の(総)?額")
_END_BY_KIND = {"community": "退会", "panel": "退会", "event": "参加の終了", "co-creation": "参加の終了",
                "visitor": "訪問の終了", "beta-test": "参加の終了", "freelance": "本契約の終了", "b2b": "本契約の終了",
                "c2c": "退会"}


def fit_wording(text: str, contract: Contract) -> str:
    labels = {p.label for p in contract.parties}
    terms = {t.term for t in contract.terms}
    person, organisation = _sides(contract.parties)
    if person and organisation and not labels & {"甲", "乙"}:
        text = _replace_word(text, "乙", person.label)
        text = _replace_word(text, "甲", organisation.label)
    if person and organisation and not (labels | terms) & {"受領者", "開示者"}:
        text = text.replace("受領者", person.label).replace("開示者", organisation.label)
    if person and "参加者" not in labels and person.label != "参加者":
        # the bound person, not the class: 「他の参加者」「参加者間の議論」 stay as they are
        text = re.sub(r"(?<!他の)(?<!ほかの)参加者(?!間|どうし|同士|全員)", person.label, text)
    if organisation and not labels & {"当社", "主催者"}:
        text = _replace_word(text, "当社", organisation.label)
    if "機密情報" in terms and "秘密情報" not in terms:
        text = text.replace("秘密情報", "機密情報")
    return _fit_kind(text, contract)


def _fit_kind(text: str, contract: Contract) -> str:
    v = _vocabulary(contract)
    if v["own_name"]:
        text = re.sub(r"本(契約|規約|誓約書|同意書)(?![一-龥])", v["own_name"], text)
    if v["activity"]:
        text = text.replace("本プログラム", v["activity"])
    if v["unpaid"]:
        text = _PAID_CAP.sub("金〇万円", text)
    if v["pay"]:
        text = text.replace("委託料（謝礼）", v["pay"]).replace("謝礼", v["pay"])
    if v["end"]:
        text = text.replace("退職", v["end"])
    return text


def _vocabulary(contract: Contract) -> dict[str, str | None]:
    """What the document calls itself, its activity, the pay and the end: read once per contract."""
    cached = contract.derived.get("vocabulary")
    if cached is not None:
        return cached  # type: ignore[return-value]
    body = contract.text
    paid = "謝礼" in body
    pay = _PAY_BY_KIND.get(contract.kind or "")
    if pay == "委託料" and body.count("報酬") > body.count("委託料"):
        pay = "報酬"
    end = _END_BY_KIND.get(contract.kind or "")
    v: dict[str, str | None] = {
        "own_name": _most_common(_SELF, body) or _name_from_title(contract.title),
        "activity": _most_common(_ACTIVITY, body) or _ACTIVITY_BY_KIND.get(contract.kind or ""),
        "unpaid": "yes" if contract.kind in _UNPAID and not paid else None,
        "pay": pay if pay and not paid else None,
        "end": end if end and "退職" not in body else None,
    }
    contract.derived["vocabulary"] = v
    return v


def _name_from_title(title: str | None) -> str | None:
    """A document that never names itself is still 本誓約書 / 本規約 / 本同意書 by its title."""
    for word in ("誓約書", "同意書", "規約", "覚書", "ルール", "ガイドライン"):
        if title and word in title:
            return "本" + word
    return None


def _most_common(pattern: re.Pattern[str], text: str) -> str | None:
    counts = Counter(m.group(0) for m in pattern.finditer(text))
    return counts.most_common(1)[0][0] if counts else None


def _sides(parties: list[Party]) -> tuple[Party | None, Party | None]:
    """The bound person and the organisation facing them, as the document names them."""
    people = [p for p in parties if p.kind == "individual"]
    person = next((p for p in people if p.bound), people[0] if people else None)
    organisation = next((p for p in parties if p.kind == "company" and p.primary), None) or next(
        (p for p in parties if p.kind == "company"), None)
    return person, organisation


def _replace_word(text: str, old: str, new: str) -> str:
    # 乙 alone, not inside 甲乙 or a longer kanji word; 甲及び乙 / 乙又は甲 are still two words
    return re.sub(rf"(?<![{_KANJI}]){old}(?![{_KANJI}])|(?<![{_KANJI}]){old}(?=[{_JOIN}])|(?<=[{_JOIN}]){old}(?![{_KANJI}])",
                  new, text)
