"""Defined terms: 以下「X」という / 「X」とは."""

from __future__ import annotations

import re

from ndalint.structure.model import DefinedTerm

# …and name what they stand for inside the brackets: （以下、参加者を「乙」といいます）
HEREINAFTER = re.compile(
    r"以下[、,]?\s*(?:(?P<who>[^「」『』、。（）()\n\s]{1,12})を\s*)?(?:単に|総称して|併せて|あわせて)?\s*[「『](?P<term>[^」』\n]{1,30})[」』]\s*"
    r"(?:と(?:いう|いい|称する|総称する|略称する|する|します|いいます|呼ぶ)|(?=[。]?[）)]))"
)
# Real agreements also define without quotes: （以下、甲という。）, （以下主催者）, （以下、LG JLという。）
HEREINAFTER_BARE = re.compile(
    r"[（(]以下[、,]?\s*(?!同じ|同様|本条|この)(?P<term>[^「」『』（）()、。\n\s][^「」『』（）()、。\n]{0,11}?)\s*(?:と(?:いう|する|いいます|します))?。?[）)]"
)
MEANS = re.compile(r"[「『](?P<term>[^」』\n]{1,30})[」』]\s*とは(?:、|\s)*(?=(?:(?!」とは).){0,500}?(?:をいう|をいいます|を意味する|を意味します|を指す|を指します|のことをいう))")


def find_terms(text: str, spans: list[tuple[int, int]]) -> list[DefinedTerm]:
    terms: list[DefinedTerm] = []
    for start, end in spans:
        chunk = text[start:end]
        for rx in (HEREINAFTER, HEREINAFTER_BARE):
            for m in rx.finditer(chunk):
                terms.append(DefinedTerm(m.group("term"), start + m.start("term"), start + m.end("term"), "hereinafter"))
        for m in MEANS.finditer(chunk):
            # 「X」とは as a definition only where it opens a sentence or follows 本契約において
            before = chunk[max(0, m.start() - 12) : m.start()]
            if m.group(0).rstrip("、 ").endswith("とは") and (not before or re.search(r"(において|で|。|\n|は、|）|\)|^)[、\s\u3000]*$", before)):
                terms.append(DefinedTerm(m.group("term"), start + m.start("term"), start + m.end("term"), "means"))
    terms.sort(key=lambda t: t.start)
    return terms
