"""Whose sentence is it? The party a clause sentence is about (「乙は、」「2　当社が」「ただし、甲は」).

Rules about individuals skip sentences whose subject is a company (甲は、乙に… in a participant
agreement binds 甲), and rules can ask for it directly with ``subject: company``.
"""

from __future__ import annotations

import re

from ndalint.nlp import Sentence
from ndalint.structure.model import Contract, PartyKind

_SUBJECT = re.compile(r"(?P<label>[^\s、。「」（）]{1,8}?)(?:は|が)[、\s]")
# paragraph and item numbers, connectives and framing phrases before the subject
_LEAD = re.compile(
    r"^(?:[0-9０-９]{1,2}[\s\u3000.．]+|[(（][0-9０-９一二三四五六七八九十]{1,3}[)）]\s*|[①-⑳]\s*|"
    r"[一二三四五六七八九十]{1,3}[\s\u3000、]|(?:ただし|但し|なお|また|前項の場合|この場合)[、，]?\s*|"
    r"[^、。「」]{1,30}?(?:では|においては|については|の場合|場合には|場合は|ときは)[、，]\s*)+")
# words that name the company side even where the contract never defines them as a party
COMPANY_WORDS = {"当社", "弊社", "貴社", "甲社", "主催者", "事務局", "運営者", "委託者", "発注者", "会社"}


def subject_of(sent: Sentence) -> str | None:
    head = _LEAD.sub("", sent.text[:80])
    m = _SUBJECT.search(head[:40])
    return m.group("label") if m else None


def subject_kind(sent: Sentence, contract: Contract) -> PartyKind | None:
    """company | individual | unknown for a recognised subject; None when there is none."""
    label = subject_of(sent)
    if label is None:
        return None
    party = contract.party(label)
    if party is not None:
        return party.kind
    return "company" if label in COMPANY_WORDS else "unknown"
