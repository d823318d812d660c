"""How a document marks its articles, and which lines open one.

Most contracts write 第N条. Real files also come as headings without numbers (「（目的）」 from a
Word export whose auto-numbering was lost), community rules headed 「1. アカウントについて」,
pledges numbered １．２．… and templates whose numbers are blanks (第〇条, {条}). A document is
read with one scheme, chosen once from all its lines, so that a 「1.」 paragraph inside a 第N条
article never opens an article of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ndalint.structure.lines import (
    ARTICLE_START,
    ITEM_START,
    NUMBERED_SECTION,
    PLEDGE_CLAUSE,
    SIGNATURE_START,
    TITLE_AT_END,
    TITLE_ONLY,
)
from ndalint.structure.numerals import parse_number

Scheme = Literal["kanji", "titled", "numbered", "clauses"]

# Bracketed lines that are not section headings: signature labels, notes, the closing.
_NOT_SECTION = re.compile(r"^(甲|乙|丙|丁|戊|立会人|連帯保証人|保証人|注|注記|備考|附則|以上|印|署名|記名押印|住所|氏名|別紙.*)$")
# A numbered line that ends like a sentence is a clause (「1. 秘密を漏らさないこと」), not a heading.
_SENTENCE_END = re.compile(r"(こと|ます|です|する|しない|ない|した|だ|さい)$")
_ENDS_SENTENCE = re.compile(r"[。．！？!?）)」]$")


@dataclass(frozen=True)
class Opening:
    """An article that a line opens: its number (by position when the document has none) and title."""

    number: int
    title: str | None
    sub: int | None = None  # 第3条の2 -> 2


def scheme_of(texts: list[str]) -> Scheme:
    """The article scheme of a document, from the stripped text of its contract blocks."""
    if any((m := ARTICLE_START.match(t)) and parse_number(m.group("num")) for t in texts):
        return "kanji"  # 第〇条 alone is a template's blank, not a numbering
    if sum(1 for i, t in enumerate(texts) if section_title(t) and not section_title(_next(texts, i))) >= 3:
        return "titled"
    if _numbered_sections(texts) >= 3:
        return "numbered"
    return "clauses"


def section_title(text: str) -> str | None:
    """「（目的）」, 「{条}（目的）」, 「第〇条（目的）」 -> 目的; never a signature label or a note."""
    m = TITLE_ONLY.match(text)
    return m.group("title") if m and not _NOT_SECTION.match(m.group("title").strip()) else None


def opening(scheme: Scheme, texts: list[str], idx: int, last: int | None, clauses_allowed: bool) -> Opening | None:
    """The article that line ``idx`` opens, if any. ``last`` is the previous article's number;
    ``clauses_allowed`` says whether numbered clauses may open articles here (after a preamble
    that pledges or agrees, or inside the clauses already)."""
    text = texts[idx]
    following = 1 if last is None else last + 1
    if scheme == "kanji":
        m = ARTICLE_START.match(text)
        if not m:
            return None
        sub = parse_number(m.group("sub")) if m.group("sub") else None
        return Opening(parse_number(m.group("num")) or following, m.group("title") or m.group("bare"), sub)
    if scheme == "titled":
        title = section_title(text)
        if title and last is None and TITLE_AT_END.search(re.sub(r"[\s\u3000]", "", title)):
            return None  # 「■誓約書■」「【秘密保持契約書】」 is the document's title, not its first section
        return Opening(following, title) if title else None
    if not (clauses_allowed or scheme == "numbered"):
        return None
    m = PLEDGE_CLAUSE.match(text)
    if not m or last is not None and parse_number(m.group("num")) != following:
        return None
    title = m.group("title") or (NUMBERED_SECTION.match(text).group("title") if numbered_heading(texts, idx) else None)
    return Opening(parse_number(m.group("num")) or following, title)


def next_starts_article(scheme: Scheme, texts: list[str], idx: int) -> bool:
    """Does the next text line open an article? Where articles are 第N条 or bracketed headings, a
    following 「1.」 is the article's first paragraph, not a clause: 第2条（定義） then 1. … is one article."""
    text = _next(texts, idx)
    return bool(ARTICLE_START.match(text) or scheme in ("numbered", "clauses") and PLEDGE_CLAUSE.match(text))


def numbered_heading(texts: list[str], idx: int) -> bool:
    """「1. アカウントについて」 is a heading when its own text follows: sentences, or (1) items."""
    m = NUMBERED_SECTION.match(texts[idx])
    if not m or _SENTENCE_END.search(m.group("title").strip()):
        return False
    text = _next(texts, idx)
    if ITEM_START.match(text):
        return True
    if not text or PLEDGE_CLAUSE.match(text) or TITLE_ONLY.match(text) or SIGNATURE_START.match(text):
        return False
    return bool(_ENDS_SENTENCE.search(text))


def _numbered_sections(texts: list[str]) -> int:
    """How many numbered headings 1, 2, 3 … stand in order, each followed by its own text."""
    expected = 1
    for idx, text in enumerate(texts):
        m = NUMBERED_SECTION.match(text)
        if m and parse_number(m.group("num")) == expected and numbered_heading(texts, idx):
            expected += 1
    return expected - 1


def _next(texts: list[str], idx: int) -> str:
    return next((t for t in texts[idx + 1 :] if t), "")
