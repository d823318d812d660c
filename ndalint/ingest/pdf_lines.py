"""From physical PDF lines to logical lines: running headers out, wrapped lines joined, exporter
spaces around digits removed.

Japanese has no spaces between words, so a line wrap inside a sentence must be undone without a
trace, or phrases such as （以下「乙」という。） fall apart and rules stop matching. We undo a wrap
only when the geometry says the line was full (the next word would not have fitted) and the text
says the sentence goes on; everything short (headings, titles, signature blocks) stays as drawn.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ndalint.ingest.pdf_extract import PhysLine

_DIGIT = "0-9０-９"
_CJK = "\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uffef"
_UNIT = "年月日条項号円名人件回通部時分秒週頁枚個％%万億千百"

# Patterns that only PDFs and hard-wrapped text files reach are compiled at first use: wrapped.py
# imports this module for every .txt, and their large character classes are slow to compile.


# Exporters (Word, Google Docs) put half-width spaces around numbers set in a Latin font:
# 第 1 条, 2026 年 4 月. A number at the start of a line is a paragraph number ("2 前項の..."),
# so its space is kept unless a counter follows.
@cache
def _space_before_digit() -> re.Pattern[str]:
    return re.compile(rf"(?<=[{_CJK}])[ \u00a0]+(?=[{_DIGIT}])")


@cache
def _space_after_digit() -> re.Pattern[str]:
    return re.compile(rf"(?P<num>(?:^|(?<=[{_CJK}]))[{_DIGIT}][{_DIGIT},，.．]*)[ \u00a0]+(?=[{_CJK}])")


# What starts a new unit of the contract; such a line is never the tail of the line before.
_KANJI_NUM = "一二三四五六七八九十百〇"


@cache
def new_unit() -> re.Pattern[str]:
    return re.compile(
        r"^[\s\u3000]*(?:"
        # 第N条, 第N章; not a reference running on from the line before (第5条まで, 第3条の規定)
        rf"第\s*[{_DIGIT}{_KANJI_NUM}]+\s*[条章節項](?![ぁ-ゖ及並又若、。・，,])"
        rf"|[{_DIGIT}]{{1,3}}\s*[.．、](?![{_DIGIT}])"  # 1. １．
        rf"|[{_DIGIT}]{{1,3}}[ \u3000]+(?![{_UNIT}]|か月|ヶ月|カ月)"  # "2　前項" but not "5 年間"
        rf"|[(（]\s*(?:[{_DIGIT}]{{1,3}}|[{_KANJI_NUM}]{{1,3}}|[a-zａ-ｚA-Zア-ン])\s*[)）]"  # (1) （ア）
        r"|[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]"  # ① ❶
        rf"|[{_KANJI_NUM}]{{1,3}}[ \u3000、．.]"  # 一　
        r"|[ア-ンｱ-ﾝ][ \u3000.．]"  # ア　
        r"|[（(][^（）()「」『』。、]{1,20}[）)][\s\u3000]*(?:$|第)"  # （目的）
        r"|以\s*上(?:$|[\s\u3000、,])"  # 以上 (the closing of the clauses or of the whole document)
        r"|記$"
        r"|[【■□●◆◇・※＊*]"  # labels and bullets
        r")"
    )


@cache
def _date_line() -> re.Pattern[str]:
    return re.compile(
        rf"^[\s\u3000]*(?:令和|平成|昭和|西暦)?[\s\u3000]*[{_DIGIT}元_＿●○〇 \u3000]*年[{_DIGIT}_＿●○〇 \u3000]*月"
        rf"[{_DIGIT}_＿●○〇 \u3000]*日[\s\u3000]*$"
    )


# Line ends that close a sentence or introduce what follows on its own line.
_CLOSED_END = tuple("。．.!?！？:：")
# A heading: its closing bracket ends it even when a long title reaches the margin.
_HEADING = re.compile(
    rf"^[\s\u3000]*(?:第\s*[{_DIGIT}{_KANJI_NUM}]+\s*条[\s\u3000]*)?[（(][^（）()]*[）)][\s\u3000]*$"
)
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")

# Page numbers: "- 2 -", "2/3", "1 / 3", "Page 2", "２頁", "p. 2", "2 of 3"
@cache
def _page_number() -> re.Pattern[str]:
    return re.compile(
        rf"^[\s\u3000]*[-‐−–—－ー]?[\s\u3000]*(?:(?:page|p\.?)[\s\u3000]*)?[{_DIGIT}]+[\s\u3000]*"
        rf"(?:(?:[/／]|of)[\s\u3000]*[{_DIGIT}]+)?[\s\u3000]*(?:頁|ページ)?[\s\u3000]*[-‐−–—－ー]?[\s\u3000]*$",
        re.IGNORECASE,
    )


_EDGE_LINES = 2  # how many lines at the top and at the bottom of a page may be running material
_EDGE_BAND = 0.15  # share of the page height, top and bottom, where running material sits


@dataclass
class LogicalLine:
    text: str
    page: int
    number: int
    breaks: list[tuple[int, int, int]] = field(default_factory=list)  # (offset, line number, page)


def normalize_spaces(text: str) -> str:
    """``第 1 条`` -> ``第1条``; spaces in Latin text and full-width spaces are left alone."""
    text = _space_before_digit().sub("", text)

    def after(m: re.Match[str]) -> str:
        at_start = m.start() == 0 or text[m.start() - 1].isspace()
        unit_follows = m.end() < len(text) and text[m.end()] in _UNIT
        return m.group("num") if (unit_follows or not at_start) else m.group(0)

    return _space_after_digit().sub(after, text)


# ---- running headers, footers, page numbers -------------------------------------------------


def strip_running(pages: list[list[PhysLine]]) -> tuple[list[PhysLine], int]:
    """Body lines in order, and how many header/footer/page-number lines were left out."""
    edges = [_edge_lines(lines) for lines in pages]
    seen = Counter(key for page_edges in edges for key in {_key(line) for line in page_edges})
    needed = max(2, math.ceil(0.6 * len(pages)))
    body: list[PhysLine] = []
    removed = 0
    for lines, page_edges in zip(pages, edges):
        extremes = _extremes(lines)
        for line in lines:
            if not line.text.strip():
                continue
            running = line in page_edges and seen[_key(line)] >= needed
            numbered = line in extremes and _page_number().match(line.text) is not None and _in_band(line)
            if running or numbered:
                removed += 1
            else:
                body.append(line)
    return body, removed


def _key(line: PhysLine) -> str:
    # The page number inside a running header ("秘密保持契約書 2/5") changes from page to page.
    return re.sub(rf"[{_DIGIT}]+", "#", re.sub(r"[\s\u3000]+", "", line.text))


def _by_height(lines: list[PhysLine]) -> list[PhysLine]:
    """Lines from the top of the page down; content order when there is no geometry."""
    visible = [line for line in lines if line.text.strip()]
    if all(line.has_geometry for line in visible):
        return sorted(visible, key=lambda line: -line.top)
    return visible


def _edge_lines(lines: list[PhysLine]) -> list[PhysLine]:
    ordered = _by_height(lines)
    edge = ordered[:_EDGE_LINES] + ordered[-_EDGE_LINES:]
    return [line for line in edge if _in_band(line)]


def _extremes(lines: list[PhysLine]) -> list[PhysLine]:
    ordered = _by_height(lines)
    return ordered[:1] + ordered[-1:]


def _in_band(line: PhysLine) -> bool:
    if not line.has_geometry or not line.page_height:
        return True  # position unknown: the text pattern and the repetition have to decide
    band = _EDGE_BAND * line.page_height
    return line.bottom >= line.page_height - band or line.top <= band


# ---- joining wrapped lines ----------------------------------------------------------------


def join_wrapped(lines: list[PhysLine]) -> tuple[list[LogicalLine], int]:
    """Logical lines, and how many physical lines were joined to the line before."""
    margin = _text_columns(lines)
    pitch = _line_pitch(lines)
    typical_chars = _typical_chars(lines)
    out: list[LogicalLine] = []
    joined = 0
    prev: PhysLine | None = None
    for line in lines:
        text = normalize_spaces(line.text.strip(" \t"))
        if prev is not None and out and _continues(prev, line, text, margin, pitch, typical_chars):
            cur = out[-1]
            sep = " " if _LATIN_OR_DIGIT.fullmatch(cur.text[-1:]) and _LATIN_OR_DIGIT.fullmatch(text[:1]) else ""
            cur.text += sep
            cur.breaks.append((len(cur.text), line.number, line.page))
            cur.text += text
            joined += 1
        else:
            out.append(LogicalLine(text=text, page=line.page, number=line.number))
        prev = line
    return out, joined


def _continues(a: PhysLine, b: PhysLine, b_text: str, margin: dict[float, tuple[float, float]], pitch: float,
               typical_chars: int) -> bool:
    a_text = a.text.rstrip(" \t\u3000")
    if not a_text or not b_text:
        return False
    if a_text.endswith(_CLOSED_END) or _HEADING.match(a_text):
        return False
    if new_unit().match(b_text) or _date_line().match(b_text):
        return False
    if a.has_geometry and b.has_geometry:
        return _full_by_geometry(a, b, margin, pitch)
    return len(a_text) >= 0.9 * typical_chars  # no boxes: a full line is about as long as most


def _full_by_geometry(a: PhysLine, b: PhysLine, margin: dict[float, tuple[float, float]], pitch: float) -> bool:
    if abs(a.em - b.em) > 0.25 * max(a.em, b.em):
        return False  # a title above body text, body text above a footnote
    if a.page == b.page and pitch and (a.bottom - b.bottom) > 1.5 * pitch:
        return False  # a blank line between them: a new paragraph
    left, right = margin.get(round(a.page_width), (0.0, 0.0))
    if a.right - a.left < 0.6 * (right - left):
        return False  # right-aligned material (a banner, a date, a signature) is not a wrapped paragraph
    # The line was full when the next line's first word would not have fitted in what is left;
    # one em of slack covers justification and kinsoku (a character pushed to the next line).
    return right - a.right <= b.lead_width + a.em


def _text_columns(lines: list[PhysLine]) -> dict[float, tuple[float, float]]:
    """Left and right edge of the text column, per page width: where most lines start, where full
    lines end (a high percentile, so that one overlong line does not move the margin)."""
    edges: dict[float, tuple[list[float], list[float]]] = {}
    for line in lines:
        if line.has_geometry:
            lefts, rights = edges.setdefault(round(line.page_width), ([], []))
            lefts.append(line.left)
            rights.append(line.right)
    return {w: (sorted(lefts)[len(lefts) // 10], sorted(rights, reverse=True)[len(rights) // 10])
            for w, (lefts, rights) in edges.items()}


def _line_pitch(lines: list[PhysLine]) -> float:
    steps = [a.bottom - b.bottom for a, b in zip(lines, lines[1:])
             if a.page == b.page and a.has_geometry and b.has_geometry and a.bottom - b.bottom > 0]
    import statistics  # imported here: only PDFs measure line pitch

    return statistics.median(steps) if steps else 0.0


def _typical_chars(lines: list[PhysLine]) -> int:
    lengths = sorted((len(line.text.strip()) for line in lines), reverse=True)
    return lengths[len(lengths) // 10] if lengths else 0
