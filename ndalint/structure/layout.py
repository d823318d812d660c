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
from ndalint.structure.numerals import KANJI_NUMBER, label_number, parse_number

_NUM = rf"[0-9０-９]+|[{KANJI_NUMBER}]+"
ARTICLE_START = re.compile(
    rf"^第\s*(?P<num>{_NUM})\s*条(?:\s*の\s*(?P<sub>{_NUM}))?"
    r"(?:\s*[（(](?P<title>[^）)\n]{1,40})[）)])?(?=[\s\u3000【［\[]|$|[^ぁ-ゖ及並又若、。・，,])"
)
# A heading that names an article without its text: "1条（秘密情報の定義）" (METI Markdown/Word)
ARTICLE_HEADING = re.compile(rf"^第?\s*(?P<num>{_NUM})\s*条\s*[（(](?P<title>[^）)\n]{{1,40}})[）)]\s*$")
TITLE_ONLY = re.compile(r"^(?:\{[^{}\n]{0,10}\}|第\s*[〇○●◯＿_×△]+\s*条)?\s*[（(](?P<title>[^）)\n]{1,30})[）)]\s*$")
PARAGRAPH_START = re.compile(r"^(?P<num>[0-9０-９]{1,2})(?:[\s\u3000]+|[.．](?![0-9０-９]))")
ITEM_START = re.compile(
    r"^(?:"
    r"[(（]\s*(?P<paren>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}|[a-zａ-ｚ]|[ア-ン])\s*[)）]"
    r"|(?P<circled>[①-⑳])"
    r"|(?P<kanji>[一二三四五六七八九十]{1,3})[\s\u3000、．.]"
    r"|(?P<kana>[ア-ン])[\s\u3000.．、]"
    r"|(?P<latin>[a-z])[.．)]"
    r")"
)
# 「1. 新人期間について」: a short numbered heading with no sentence end, its text on the next lines
NUMBERED_SECTION = re.compile(r"^(?P<num>[0-9０-９]{1,2})[.．、]\s*(?P<title>[^。．\n]{1,30})$")
PLEDGE_CLAUSE = re.compile(r"^(?P<num>[0-9０-９]{1,2})[.．、\s\u3000]\s*(?:[（(](?P<title>[^）)\n]{1,30})[）)])?")
COMMENTARY_MARK = re.compile(r"^[＜<【〈［\[]\s*(ポイント|解説|コメント|注記?|補足|留意点|趣旨|解説文|Point)\s*[＞>】〉］\]]")
CLOSING = r"本契約(の)?締結の証として|本契約の成立を証するため|以上を証するため|上記(の内容)?を(誓約|確認|承諾|同意)"
SIGNATURE_START = re.compile(
    rf"^({CLOSING}|"
    r"以上$|以\s*上$|(令和|平成|西暦)\s*[0-9０-９元〇一二三四五六七八九十●○〇]*\s*年|"
    r"(住\s*所|氏\s*名|署\s*名|所在地|代表者|記名押印)\s*[:：　 ]|"
    r"[（(]?(甲|乙)[）)]?\s*[:：]|20[0-9０-９]{2}\s*年)"
)
APPENDIX_START = re.compile(r"^[【［\[]?\s*別\s*紙\s*(?P<num>[0-9０-９一二三四五六七八九十]*)\s*[】］\]]?(?P<title>.*)$")
TITLE_WORDS = re.compile(r"(契約書?|誓約書|規約|同意書|覚書|合意書|約款|確認書|承諾書|規程)")
TITLE_AT_END = re.compile(r"(契約書?|誓約書|規約|同意書|覚書|合意書|約款|確認書|承諾書|規程)\s*([（(][^）)]*[）)])?$")
PREAMBLE_CUES = re.compile(
    r"(以下[、,]?[「『][^」』]+[」』]|締結する|締結します|(?:誓約|同意|確約|遵守)(?:いた|致)?します|誓約する|合意する|"
    r"(?:^|[\s\u3000。])(?:私|わたくし)(?:は|、))"
)
# A preamble written as plain Markdown above fenced articles: it defines the parties and concludes.
_FENCE_PREAMBLE = re.compile(r"以下[、,]?[「『][^」』]{1,20}[」』]")
_CONCLUDES = re.compile(r"(締結|合意|誓約|同意|約する)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")


def content(doc: Document, block: Block) -> str:
    """Block text without Markdown heading marks or leading indentation."""
    text = doc.block_text(block)
    if block.kind == "heading" and doc.format == "md":
        text = _MD_HEADING.sub("", text)
    return text.strip(" \t\u3000")


def _is_article_start(text: str) -> re.Match[str] | None:
    return ARTICLE_START.match(text)


def _contract_blocks(doc: Document) -> list[Block]:
    """Blocks that hold contract text, in order; commentary and fence markers are left out."""
    blocks = [b for b in doc.blocks if not b.marker]
    fenced_articles = any(b.fenced and _is_article_start(content(doc, b)) for b in blocks)
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
            ends = (_is_article_start(text) or ARTICLE_HEADING.match(text) or re.match(CLOSING, text)
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
    candidates = [content(doc, b) for b in front]
    candidates = [t for t in candidates if t and len(t) <= 60 and TITLE_WORDS.search(t) and not PREAMBLE_CUES.search(t)]
    # "モデル契約書 ver1.0" above "秘密保持契約書（AI）": prefer a line that ends with the document type
    title = next((t for t in candidates if TITLE_AT_END.search(t)), candidates[0] if candidates else None)
    preamble = None
    for i in range(len(front) - 1, -1, -1):
        text = content(doc, front[i])
        if front[i].kind != "heading" and PREAMBLE_CUES.search(text):
            j = i
            # a preamble may run over several lines (wrapped PDF text, 私は… then a second sentence)
            while j > 0 and _continues_preamble(doc, front[j - 1], front[j]):
                j -= 1
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
    articles: list[Article] = []
    appendices: list[Section] = []
    signature: Section | None = None
    front: list[Block] = []
    pending_title: tuple[int | None, str] | None = None
    state = "front"
    # 第〇条 is a template's blank, not an article number: such a document is numbered by position
    uses_kanji_articles = any((m := _is_article_start(content(doc, b))) and parse_number(m.group("num"))
                              for b in blocks)
    # Without 第N条, articles may still be marked: headings 「（目的）」 whose Word numbering was
    # lost in a text export, or community rules headed 「1. アカウントについて」.
    titled = not uses_kanji_articles and _titled_sections(doc, blocks)
    numbered = not uses_kanji_articles and not titled and _numbered_sections(doc, blocks) >= 3

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
        text = content(doc, b)
        offset = b.start + (doc.block_text(b).find(text) if text else 0)
        if not text:
            continue
        heading = ARTICLE_HEADING.match(text)
        # 「第1条（目的）」 names the article whose text follows on a 第1条 line (METI Markdown);
        # followed by plain text instead, the heading itself opens the article (## 第1条（目的）).
        if heading and _next_starts_article(doc, blocks, idx, uses_kanji_articles or titled):
            pending_title = (parse_number(heading.group("num")), heading.group("title"))
            continue
        title_only = TITLE_ONLY.match(text)
        if title_only and state in ("front", "article") and _next_starts_article(doc, blocks, idx, uses_kanji_articles or titled):
            pending_title = (None, title_only.group("title"))
            continue
        m = _is_article_start(text) if uses_kanji_articles else None
        if titled and title_only and state in ("front", "article"):
            m = _ImplicitNumber(len(articles) + 1, title_only.group("title"))
        pm = None
        if not uses_kanji_articles and not titled and state in ("front", "article") and (state == "article" or numbered or any(
                PREAMBLE_CUES.search(content(doc, f)) for f in front)):
            pm = PLEDGE_CLAUSE.match(text)
            if pm and articles and parse_number(pm.group("num")) != articles[-1].number + 1:
                pm = None
            if pm and not pm.group("title") and _numbered_heading(doc, blocks, idx):
                m = _ImplicitNumber(parse_number(pm.group("num")) or 0, NUMBERED_SECTION.match(text).group("title"))
        if (m or pm) and state in ("front", "article", "signature") and not (state == "signature" and pm):
            close_article(last_end)
            number = (m.number if isinstance(m, _ImplicitNumber) else parse_number((m or pm).group("num"))) or 0
            title = (m or pm).group("title")
            if pending_title and pending_title[0] in (None, number) and not title:
                title = pending_title[1]
            if not title and articles and articles[-1].number == number:
                title = articles[-1].title  # an alternative version of the same article (【オプション2】)
            sub = parse_number(m.group("sub")) if isinstance(m, re.Match) and m.group("sub") else None
            art = Article(number=number, title=title, start=offset, end=b.end, sub=sub)
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
    title, preamble = _front_matter(doc, front)
    if title is None:
        title = next((content(doc, b) for b in doc.blocks if b.kind == "heading" and b.level == 1), None)
    body = _body_spans(doc, blocks, preamble)
    return Layout(title, preamble, articles, appendices, signature, body)


class _ImplicitNumber:
    """An article opened by a heading that carries no number: numbered by its position."""

    def __init__(self, number: int, title: str) -> None:
        self.number, self.title = number, title

    def group(self, name: str) -> str | None:
        return self.title if name == "title" else None


def _titled_sections(doc: Document, blocks: list[Block]) -> bool:
    """Three or more standalone 「（見出し）」 lines, each followed by text: unnumbered articles."""
    texts = [t for t in (content(doc, b) for b in blocks) if t]
    hits = sum(1 for a, b in zip(texts, texts[1:]) if TITLE_ONLY.match(a) and not TITLE_ONLY.match(b))
    return hits >= 3


def _numbered_sections(doc: Document, blocks: list[Block]) -> int:
    """How many short headings numbered 1, 2, 3 … in order, each followed by its own text
    (community rules and terms without 条). A pledge's numbered one-line clauses do not count."""
    expected = 1
    for idx, b in enumerate(blocks):
        m = NUMBERED_SECTION.match(content(doc, b))
        if m and parse_number(m.group("num")) == expected and _numbered_heading(doc, blocks, idx):
            expected += 1
    return expected - 1


def _numbered_heading(doc: Document, blocks: list[Block], idx: int) -> bool:
    """「1. アカウントについて」 is a heading when its text follows, not another numbered line."""
    if not NUMBERED_SECTION.match(content(doc, blocks[idx])):
        return False
    for b in blocks[idx + 1 :]:
        text = content(doc, b)
        if text:
            return not (PLEDGE_CLAUSE.match(text) or ITEM_START.match(text) or TITLE_ONLY.match(text)
                        or SIGNATURE_START.match(text))
    return False


def _next_starts_article(doc: Document, blocks: list[Block], idx: int, kanji_articles: bool) -> bool:
    """Does the next text block open an article? Where articles are 第N条, a following 「1.」 is the
    article's first paragraph, not a pledge clause: 第2条（定義） then 1. … is one article."""
    for b in blocks[idx + 1 :]:
        text = content(doc, b)
        if text:
            return bool(_is_article_start(text) or not kanji_articles and PLEDGE_CLAUSE.match(text))
    return False


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
        if first is None and not spans and not _is_article_start(content(doc, b)) and b.kind == "heading":
            continue
        if spans and b.start <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], b.end)
        else:
            spans.append((b.start, b.end))
    return spans

