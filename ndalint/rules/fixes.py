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
    if fix.append is not None:
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


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with ``edits`` applied: later ones first, an edit overlapping one already applied skipped
    (Word cannot accept two tracked changes of the same words either). Insertions at one place keep
    their order."""
    out = text
    floor = len(text) + 1
    ordered = sorted(enumerate(edits), key=lambda ie: (ie[1].start, ie[1].end, ie[0]), reverse=True)
    for _, e in ordered:
        if e.end > floor:
            continue
        out = out[: e.start] + e.replacement + out[e.end :]
        floor = e.start
    return out
