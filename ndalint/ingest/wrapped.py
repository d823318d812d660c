"""Undo the hard wraps of a plain-text agreement saved at a fixed width.

Some .txt agreements are exported with every line cut at a fixed length (「…受託者の賠償額は委託料の」
/「額を上限とする。」). Japanese has no spaces between words, so such a cut splits phrases and
sentences and rules stop matching. The wrap is undone only when the file shows a wrap column (at
least five lines end within a few characters of the same length without closing a sentence) and the
next line does not start a new unit (article, numbered paragraph, item, bullet, heading). The
physical line numbers are kept in ``Block.breaks``, as for PDF, so findings still point at the
line a user sees.

A file with no wrap column may still be broken by hand in mid-phrase (a line ending in a particle
or 、 before the sentence goes on); such a line is joined to the next unless that one starts a new
unit, or the line is itself a numbered heading or an item ending in こと.
"""

from __future__ import annotations

from collections import Counter

from ndalint.ingest.document import Block, BlockBuilder
from ndalint.ingest.pdf_lines import _CLOSED_END, _HEADING, new_unit

_MIN_WRAPPED = 5  # lines ending near the same column before a wrap column is believed
_SLACK = 3  # characters: kinsoku shoving a bracket or 。 to the next line shortens a line a little
_RULE_CHARS = set("━─═—-=＝＿_*＊")
_MIN_COLUMN = 30  # characters: a narrower wrap is not a fixed-width export


def width(line: str) -> int:
    # Characters, not display columns: exporters wrap Japanese text at a character count (a
    # half-width 「1.」 still counts as two), which display widths blur.
    return len(line)


def wrap_column(lines: list[str]) -> int | None:
    """The column the file was wrapped at, or None when its lines are its own units."""
    open_lines = [width(s.rstrip()) for s in lines
                  if len(s.strip()) > 10 and not s.rstrip().endswith(_CLOSED_END) and not _is_rule(s) and not _HEADING.match(s)]
    counts = Counter(open_lines)  # by width: a file of many distinct lengths stays linear
    for col in sorted((w for w in counts if w >= _MIN_COLUMN), reverse=True):
        near = sum(counts.get(w, 0) for w in range(col - _SLACK, col + 1))
        if near >= _MIN_WRAPPED and near >= 0.3 * len(open_lines):
            return col
    return None


def _is_rule(line: str) -> bool:
    s = line.strip()
    return bool(s) and set(s) <= _RULE_CHARS


def _continues(prev: str, nxt: str, col: int) -> bool:
    a, b = prev.rstrip(" \t\u3000"), nxt.strip(" \t")
    if not a or not b or a.endswith(_CLOSED_END) or width(a) < col - _SLACK:
        return False
    if _is_rule(a) or _is_rule(b) or _HEADING.match(a) or new_unit().match(b):
        return False
    return True


# Without a wrap column, a line broken by hand in mid-phrase still shows it: it ends in a particle,
# a 、 or a conjunctive form (「…貴社の許可なく」/「第三者に開示・漏洩せず、…」), which no title,
# heading, party line or signature line ends in.
_MID_PHRASE = tuple("、をにはがのとでてくや・")
_HEADING_ENDS = ("について", "に関して", "に関する事項", "にあたって", "に当たって", "に際して", "として", "における", "の取扱い")
_MIN_HAND_WRAPPED = 12  # characters: shorter lines ending so are labels (「住所：」) or fragments


def _continues_by_hand(prev: str, nxt: str) -> bool:
    a, b = prev.rstrip(" \t\u3000"), nxt.strip(" \t")
    if not a or not b or len(a.strip()) < _MIN_HAND_WRAPPED or not a.endswith(_MID_PHRASE):
        return False
    if new_unit().match(a) and "、" not in a and len(a.strip()) <= 30:
        return False  # a numbered heading: 「2. アカウントについて」
    if a.endswith(_HEADING_ENDS):
        return False  # a heading or title: 「秘密情報、個人情報の取扱いについて」「説明会への参加にあたって」
    if a.endswith("こと") or b[0] in "0123456789０１２３４５６７８９":
        return False  # an item ends in こと; a line opening with a number is a new item, a date or a version
    return not (_is_rule(a) or _is_rule(b) or _HEADING.match(a) or new_unit().match(b)
                or b[0] in "・●○■□◆◇★☆※-－*＊>＞#＃|｜")


def unwrap(text: str) -> tuple[str, list[Block]] | None:
    """The text with wraps undone and its blocks (one per logical line); None if not wrapped."""
    lines = text.split("\n")
    col = wrap_column(lines)
    if col is None:
        return _join(lines, _continues_by_hand)
    return _join(lines, lambda prev, line: _continues(prev, line, col))


def _join(lines: list[str], continues) -> tuple[str, list[Block]] | None:
    """One block per logical line, ``continues(prev, line)`` deciding each join; None if nothing joined."""
    out = BlockBuilder()
    joined = 0
    current: str | None = None
    number = 0
    breaks: list[tuple[int, int, int | None]] = []
    for i, line in enumerate(lines, start=1):
        if current is not None and continues(lines[i - 2], line):
            current = current.rstrip(" \t\u3000")
            breaks.append((len(current), i, None))
            current += line.strip(" \t")
            joined += 1
            continue
        if current is not None:
            out.add(current, number, breaks=tuple(breaks))
        current, number, breaks = line, i, []
    if current is not None:
        out.add(current, number, breaks=tuple(breaks))
    return (out.text, out.blocks) if joined else None
