"""A rule's ``fix`` at one finding: the concrete edit of the document text that it proposes.

The edit is computed where the finding is made (the sentence is known there) and travels in the
report (``Finding.fix``), so every consumer sees the same words: the JSON report, the Word review
copy's tracked changes (``ndalint review --redline``) and ``ndalint test-rules``, which applies
the fixes of each ``flag`` example and checks that the rule is then silent.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache

from ndalint.nlp import Sentence
from ndalint.report.model import Edit
from ndalint.rules.schema import Fix
from ndalint.rules.wording import fit_wording
from ndalint.structure.model import Contract

Span = tuple[int, int]


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def edit_for(fix: Fix, sent: Sentence, span: Span, contract: Contract) -> Edit | None:
    """The edit ``fix`` proposes for the finding at ``span`` in ``sent``, or None where it does not fit."""
    if fix.unless is not None:
        # the paragraph (項), not only the sentence: 「…5年間とする。ただし、…無期限に存続する。」
        where = (contract.text[sent.paragraph.start : sent.paragraph.end] if sent.paragraph else "") + sent.text
        if _compiled(fix.unless).search(where):
            return None
    if fix.append is not None:
        if not sent.text.rstrip().endswith("。"):
            return None  # a heading, a list item, a sentence cut off: a proviso after it would not read
        at = _sentence_end(sent)
        return Edit(start=at, end=at, replacement=fit_wording(fix.append, contract))
    assert fix.replace is not None and fix.with_ is not None
    matches = list(_compiled(fix.replace).finditer(sent.text))
    if not matches:
        return None
    hit_start, hit_end = span[0] - sent.start, span[1] - sent.start
    # the match that overlaps the finding, else the one closest to it
    m = min(matches, key=lambda m: (not (m.start() < hit_end and hit_start < m.end()),
                                    abs(m.start() - hit_start)))
    if m.end() == m.start():
        return None  # an empty match replaces nothing a reader could see
    new = m.expand(fit_wording(fix.with_, contract)) if fix.with_ else ""
    old = m.group(0)
    if new == old:
        return None
    # only the words that change: 「終了後も存続」→「終了後も2年間存続」 inserts 「2年間」, as a lawyer would mark it
    head = len(os.path.commonprefix([old, new]))
    tail = len(os.path.commonprefix([old[head:][::-1], new[head:][::-1]]))
    start = sent.start + m.start() + head
    return Edit(start=start, end=sent.start + m.end() - tail, replacement=new[head : len(new) - tail])


def _sentence_end(sent: Sentence) -> int:
    """After the sentence's last visible character (its 。), before trailing spaces and the line end."""
    return sent.start + len(sent.text.rstrip())


def compatible(edits: Iterable[Edit]) -> list[Edit]:
    """The edits that can be accepted together, in document order: an edit overlapping one kept
    before it is dropped, and so is the same insertion twice at one place (two rules proposing the
    same proviso). Word could not accept both either."""
    kept: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if any(_clash(e, k) for k in kept):
            continue
        kept.append(e)
    return kept


def _clash(a: Edit, b: Edit) -> bool:
    if a.start == a.end == b.start == b.end:
        return a.replacement == b.replacement
    return (a.start < b.end and b.start < a.end) or (a.start == a.end and b.start < a.start < b.end) \
        or (b.start == b.end and a.start < b.start < a.end)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with the ``compatible`` edits applied (insertions at one place keep their order)."""
    out = text
    for e in reversed(compatible(edits)):
        out = out[: e.start] + e.replacement + out[e.end :]
    return out
