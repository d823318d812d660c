"""Layout: which blocks are contract text, and how they divide into 条・項・号, preamble, signature, 別紙.

Real files wrap the contract in other material: the METI model contracts put each article in a
Markdown code fence with commentary (＜ポイント＞, ＜解説＞) around it, and their Word versions
have the same commentary as ordinary paragraphs. Commentary is excluded from the body so that
rules never lint a lawyer's explanation as if it were a clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ndalint.ingest.document import Block, Document
from ndalint.structure.model import Article, Item, Paragraph, Section
from ndalint.structure.headings import next_starts_article, opening, scheme_of
from ndalint.structure.lines import (
    APPENDIX_START,
    ARTICLE_HEADING,
    ARTICLE_START,
    CLOSING,
    COMMENTARY_MARK,
    ITEM_START,
    PARAGRAPH_START,
    PREAMBLE_CUES,
    SIGNATURE_START,
    TITLE_AT_END,
    TITLE_ONLY,
    TITLE_WORDS,
)
from ndalint.structure.numerals import label_number, parse_number

# A preamble written as plain Markdown above fenced articles: it defines the parties and concludes.
_FENCE_PREAMBLE = re.compile(r"以下[、,]?[「『][^」』]{1,20}[」』]")
_CONCLUDES = re.compile(r"(締結|合意|誓約|同意|約する)")
_PARTY_LINE = re.compile(r"[（(]以下[、,]?\s*[「『][^」』]{1,20}[」』]")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_TXT_HEADING = re.compile(r"^#{1,6}[ \t\u3000]+")  # a space after the marks: 「#1」 is no heading


def content(doc: Document, block: Block) -> str:
    """Block text without Markdown heading marks or leading indentation."""
    text = doc.block_text(block)
    # Markdown heading marks, also in plain text pasted from a Markdown page (「## 第1条（目的）」 in a .txt)
    if block.kind == "heading" and doc.format == "md":
        text = _MD_HEADING.sub("", text)
    elif doc.format == "txt" and text.startswith("#"):
        text = _TXT_HEADING.sub("", text)
    return text.strip(" \t\u3000")


def _contract_blocks(doc: Document) -> list[Block]:
    """Blocks that hold contract text, in order; commentary and fence markers are left out."""
    blocks = [b for b in doc.blocks if not b.marker]
    fenced_articles = any(b.fenced and ARTICLE_START.match(content(doc, b)) for b in blocks)
    if fenced_articles:
        # Contract text lives in the fences; headings name articles and 別紙, whose lists are not fenced.
        kept: list[Block] = []
        appendix_level: int | None = None
        first_fence = next(i for i, b in enumerate(blocks) if b.fenced)
        for i, b in enumerate(blocks):
            text = content(doc, b)
            if i < first_fence and b.kind != "heading" and _FENCE_PREAMBLE.search(text) and _CONCLUDES.search(text):
                kept.append(b)
                continue
            if b.kind == "heading":
                appendix_level = b.level if APPENDIX_START.match(text.lstrip("【［[")) else (
                    appendix_level if appendix_level is not None and b.level > appendix_level else None)
                if ARTICLE_HEADING.match(text) or appendix_level is not None or b.level == 1:
                    kept.append(b)
            elif b.fenced or appendix_level is not None:
                kept.append(b)
        return kept
    kept = []
    in_commentary = False
    for b in blocks:
        text = content(doc, b)
        if COMMENTARY_MARK.match(text):
            in_commentary = True
            continue
        if in_commentary:
            ends = (ARTICLE_START.match(text) or ARTICLE_HEADING.match(text) or re.match(CLOSING, text)
                    or (b.kind == "heading" and b.level <= 2))
            if not ends:
                continue
            in_commentary = False
        kept.append(b)
    return kept


@dataclass
class Layout:
    title: str | None
    preamble: Section | None
    articles: list[Article]
    appendices: list[Section]
    signature: Section | None
    body: list[tuple[int, int]]


def _front_matter(doc: Document, front: list[Block]) -> tuple[str | None, Section | None]:
    """Title and preamble from the blocks before the first article."""
    title = None
    # 「誓　約　書」: titles are often spaced out; the words are found without the spaces
    candidates = [content(doc, b) for b in front]
    candidates = [t for t in candidates if t and len(t) <= 60 and TITLE_WORDS.search(re.sub(r"[\s\u3000]", "", t))
                  and not PREAMBLE_CUES.search(t)]
    # "モデル契約書 ver1.0" above "秘密保持契約書（AI）": prefer a line that ends with the document type
    title = next((t for t in candidates if TITLE_AT_END.search(re.sub(r"[\s\u3000]", "", t))),
                 candidates[0] if candidates else None)
    preamble = None
    for i in range(len(front) - 1, -1, -1):
        text = content(doc, front[i])
        if front[i].kind != "heading" and PREAMBLE_CUES.search(text):
            j = i
            # a preamble may run over several lines (wrapped PDF text, 私は… then a second sentence)
            while j > 0 and _continues_preamble(doc, front[j - 1], front[j]):
                j -= 1
            # party lines set apart above it (開示者：株式会社A（以下「開示者」という。）) belong to it
            k = j
            while k > 0 and (not content(doc, front[k - 1]) or _PARTY_LINE.search(content(doc, front[k - 1]))):
                k -= 1
            j = next((x for x in range(k, j + 1) if content(doc, front[x])), j)
            preamble = Section(front[j].start, front[i].end)
            break
    return title, preamble


def _continues_preamble(doc: Document, prev: Block, cur: Block) -> bool:
    text = content(doc, prev)
    return bool(
        text
        and prev.kind != "heading"
        and prev.end + 1 == cur.start  # adjacent: no blank line, fence or commentary between
        and not TITLE_AT_END.search(text)
        and not re.search(r"(御中|殿)$", text)
    )


def build_layout(doc: Document) -> Layout:
    blocks = _contract_blocks(doc)
    # Word footnotes and endnotes come after the body (ingest appends them): an appendix of their
    # own, so that a note never becomes the tail of the last article or of the signature block.
    notes_start = doc.meta.get("notes_start")
    notes = [b for b in blocks if isinstance(notes_start, int) and b.start >= notes_start]
    blocks = blocks[: len(blocks) - len(notes)]
    articles: list[Article] = []
    appendices: list[Section] = []
    signature: Section | None = None
    front: list[Block] = []
    pending_title: tuple[int | None, str] | None = None
    state = "front"
    texts = [content(doc, b) for b in blocks]
    scheme = scheme_of(texts)

    def close_article(end: int) -> None:
        if articles and state == "article":
            a = articles[-1]
            a.end = max(a.start, end)
            if a.paragraphs:
                a.paragraphs[-1].end = a.end
                if a.paragraphs[-1].items:
                    a.paragraphs[-1].items[-1].end = a.end

    last_end = 0
    for idx, b in enumerate(blocks):
        text = texts[idx]
        offset = b.start + (doc.block_text(b).find(text) if text else 0)
        if not text:
            continue
        heading = ARTICLE_HEADING.match(text)
        # 「第1条（目的）」 names the article whose text follows on a 第1条 line (METI Markdown);
        # followed by plain text instead, the heading itself opens the article (## 第1条（目的）).
        if heading and next_starts_article(scheme, texts, idx):
            pending_title = (parse_number(heading.group("num")), heading.group("title"))
            continue
        title_only = TITLE_ONLY.match(text)
        if title_only and state in ("front", "article") and next_starts_article(scheme, texts, idx):
            pending_title = (None, title_only.group("title"))
            continue
        opened = None
        if state in ("front", "article") or state == "signature" and scheme == "kanji":
            # numbered clauses open articles after a preamble that pledges or agrees, or straight after
            # the title (「誓約書」, then 「1. 私は…」 with no preamble at all)
            clauses_allowed = state == "article" or any(PREAMBLE_CUES.search(content(doc, f)) or _titles(content(doc, f))
                                                          for f in front)
            opened = opening(scheme, texts, idx, articles[-1].number if articles else None, clauses_allowed)
        if opened:
            close_article(last_end)
            title = opened.title
            if pending_title and pending_title[0] in (None, opened.number) and not title:
                title = pending_title[1]
            if not title and articles and articles[-1].number == opened.number:
                title = articles[-1].title  # an alternative version of the same article (【オプション2】)
            art = Article(number=opened.number, title=title, start=offset, end=b.end, sub=opened.sub)
            art.paragraphs.append(Paragraph(number=1, start=offset, end=b.end))
            articles.append(art)
            pending_title = None
            state = "article"
            last_end = b.end
            continue
        pending_title = None
        appendix = APPENDIX_START.match(text.lstrip("【［[")) if state != "front" or articles else None
        if appendix and (b.kind == "heading" or len(text) <= 40) and not text.startswith("別紙に"):
            close_article(last_end)
            if signature and state == "signature":
                signature.end = last_end
            if appendices:
                appendices[-1].end = last_end
            appendices.append(Section(offset, b.end, title=text))
            state = "appendix"
            last_end = b.end
            continue
        if state == "article" and SIGNATURE_START.match(text):
            close_article(last_end)
            signature = Section(offset, b.end)
            state = "signature"
            last_end = b.end
            continue
        if state == "front":
            front.append(b)
        elif state == "article":
            _extend_article(doc, articles[-1], text, offset, b.end)
        elif state == "signature" and signature:
            signature.end = b.end
        elif state == "appendix":
            appendices[-1].end = b.end
        last_end = b.end
    close_article(last_end)
    if notes:
        appendices.append(Section(notes[0].start, notes[-1].end, title="脚注"))
    title, preamble = _front_matter(doc, front)
    if title is None:
        title = next((content(doc, b) for b in doc.blocks if b.kind == "heading" and b.level == 1), None)
    body = _body_spans(doc, blocks + notes, preamble)
    return Layout(title, preamble, articles, appendices, signature, body)


def _extend_article(doc: Document, art: Article, text: str, offset: int, end: int) -> None:
    art.end = end
    para = art.paragraphs[-1]
    pm = PARAGRAPH_START.match(text)
    if pm:
        n = parse_number(pm.group("num")) or 0
        if para.number < n <= para.number + 3:
            para.end = offset - 1 if offset > para.start else offset
            if para.items:
                para.items[-1].end = para.end
            art.paragraphs.append(Paragraph(number=n, start=offset, end=end))
            return
    im = ITEM_START.match(text)
    if im:
        label = next(g for g in im.groups() if g)
        raw = im.group(0).strip()
        if para.items:
            para.items[-1].end = offset - 1
        para.items.append(Item(label=raw if raw.startswith(("(", "（")) else label, number=label_number(label),
                               start=offset, end=end))
    elif para.items:
        para.items[-1].end = end
    para.end = end


def _body_spans(doc: Document, blocks: list[Block], preamble: Section | None) -> list[tuple[int, int]]:
    """Merge the kept blocks (from the preamble on) into contiguous spans of contract text."""
    first = preamble.start if preamble else None
    spans: list[tuple[int, int]] = []
    for b in blocks:
        if first is not None and b.end < first:
            continue
        if first is None and not spans and not ARTICLE_START.match(content(doc, b)) and b.kind == "heading":
            continue
        if spans and b.start <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], b.end)
        else:
            spans.append((b.start, b.end))
    return spans


def _titles(text: str) -> bool:
    """A line that is a document's title: short, no sentence in it, ending in 誓約書 / 契約書 / 規約 …"""
    line = re.sub(r"[\s\u3000]", "", text)
    return 0 < len(line) <= 40 and "。" not in line and bool(TITLE_AT_END.search(line))
