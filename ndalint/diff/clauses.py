"""Pair the articles of two drafts and diff the text of each pair.

Pairing, in order (each article is paired at most once):

1. the same text (heading number left out): unchanged, or renumbered when the number moved;
2. the same number and heading;
3. the same heading, when only one article on each side has it (numbers shifted);
4. the same number, when the texts are at least half alike;
5. the most similar remaining texts (difflib ratio >= 0.5), best first;
6. the one article left on each side between the same two paired neighbours, when some text (a
   quarter) or the heading is shared: a clause rewritten in place.

What stays unpaired was removed (OLD) or added (NEW). Text is compared without the 第N条 label and
with whitespace folded, so a renumbered article is not a changed one. The diff is by words for
Latin letters and digits and by characters for Japanese, which has no spaces between words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from ndalint.diff.model import Clause, Segment
from ndalint.structure.model import Article

SIMILAR = 0.5
RELATED = 0.25
_LABEL = re.compile(r"^[#\s]*第\s*[0-9０-９一二三四五六七八九十百〇]+\s*条(\s*の\s*[0-9０-９一二三四五六七八九十]+)?\s*")
_TOKEN = re.compile(r"[A-Za-z0-9]+|\s+|.", re.DOTALL)


@dataclass
class Art:
    """An article with the text it is compared by."""

    number: int
    label: str
    title: str | None
    body: str  # as written, heading label removed, whitespace of each line folded
    key: str  # what equality compares: NFKC, no whitespace (a .docx and a .md of one text are equal)

    @classmethod
    def of(cls, a: Article, text: str) -> Art:
        raw = _LABEL.sub("", text[a.start : a.end], count=1)
        body = "\n".join(" ".join(line.split()) for line in raw.splitlines() if line.strip())
        return cls(a.number, a.label, a.title, body, "".join(unicodedata.normalize("NFKC", body).split()))


def _heading(a: Art) -> str:
    return "".join(unicodedata.normalize("NFKC", a.title or "").split())


def _ratio(a: Art, b: Art) -> float:
    return SequenceMatcher(None, a.key, b.key, autojunk=False).ratio()


def _related(a: Art, b: Art) -> bool:
    """Rewritten in place: some text in common, or one heading inside the other (損害賠償及び違約金 → 損害賠償)."""
    ha, hb = _heading(a), _heading(b)
    return bool(ha and hb and (ha in hb or hb in ha)) or _ratio(a, b) >= RELATED


def pair(old: list[Art], new: list[Art]) -> tuple[list[tuple[Art, Art, str]], list[Art], list[Art]]:
    """(pairs with how each was found, OLD articles left over, NEW articles left over)."""
    left_o, left_n = list(old), list(new)
    pairs: list[tuple[Art, Art, str]] = []

    def take(o: Art, n: Art, how: str) -> None:
        pairs.append((o, n, how))
        left_o.remove(o)
        left_n.remove(n)

    for o in list(left_o):  # 1. the same text
        n = next((n for n in left_n if n.key == o.key), None)
        if n is not None:
            take(o, n, "text")
    for o in list(left_o):  # 2. the same number and heading
        n = next((n for n in left_n if n.label == o.label and _heading(n) == _heading(o)), None)
        if n is not None:
            take(o, n, "number")
    for o in list(left_o):  # 3. a heading unique on both sides
        if not _heading(o):
            continue
        same_o = [x for x in left_o if _heading(x) == _heading(o)]
        same_n = [x for x in left_n if _heading(x) == _heading(o)]
        if len(same_o) == 1 and len(same_n) == 1:
            take(o, same_n[0], "heading")
    for o in list(left_o):  # 4. the same number, alike enough
        n = next((n for n in left_n if n.label == o.label), None)
        if n is not None and _ratio(o, n) >= SIMILAR:
            take(o, n, "number")
    scored = sorted(((_ratio(o, n), i, j) for i, o in enumerate(left_o) for j, n in enumerate(left_n)),
                    key=lambda t: (-t[0], t[1], t[2]))
    used_o, used_n, similar = set(), set(), []
    for r, i, j in scored:  # 5. the most similar remaining texts
        if r < SIMILAR:
            break
        if i not in used_o and j not in used_n:
            used_o.add(i)
            used_n.add(j)
            similar.append((left_o[i], left_n[j]))
    for o, n in similar:
        take(o, n, "similarity")
    for o, n in _same_slot(old, new, pairs, left_o, left_n):  # 6. rewritten where it stood
        take(o, n, "position")
    return pairs, left_o, left_n


def _same_slot(old: list[Art], new: list[Art], pairs: list[tuple[Art, Art, str]], left_o: list[Art],
               left_n: list[Art]) -> list[tuple[Art, Art]]:
    """One unpaired article on each side between the same two paired neighbours, and related."""
    new_of = {id(o): new.index(n) for o, n, _ in pairs}

    def slot(o: Art) -> tuple[int, int]:
        i = old.index(o)
        return (max((new_of[id(x)] for x in old[:i] if id(x) in new_of), default=-1),
                min((new_of[id(x)] for x in old[i + 1 :] if id(x) in new_of), default=len(new)))

    slots: dict[tuple[int, int], list[Art]] = {}
    for o in left_o:
        slots.setdefault(slot(o), []).append(o)
    out = []
    for (before, after), olds in slots.items():
        news = [n for n in left_n if before < new.index(n) < after]
        if len(olds) == 1 and len(news) == 1 and _related(olds[0], news[0]):
            out.append((olds[0], news[0]))
    return out


def segments(old: str, new: str) -> list[Segment]:
    """Word-level diff (character-level for Japanese), small equal runs between changes folded in."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    raw: list[tuple[str, str, str]] = []  # (op, old text, new text)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        raw.append((op, "".join(a[i1:i2]), "".join(b[j1:j2])))
    # a lone character kept between two changes reads as noise: 「甲の」→「乙が」, not 「[甲]の[乙]が」
    for k in range(1, len(raw) - 1):
        op, x, _ = raw[k]
        if op == "equal" and len(x) == 1 and raw[k - 1][0] != "equal" and raw[k + 1][0] != "equal":
            raw[k] = ("replace", x, x)
    out: list[Segment] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1].op == op:
            out[-1] = Segment(op=op, text=out[-1].text + text)  # type: ignore[arg-type]
        else:
            out.append(Segment(op=op, text=text))  # type: ignore[arg-type]

    pending_del, pending_ins = "", ""
    for op, x, y in raw:
        if op == "equal":
            add("delete", pending_del)
            add("insert", pending_ins)
            pending_del, pending_ins = "", ""
            add("equal", x)
        else:
            pending_del += x
            pending_ins += y
    add("delete", pending_del)
    add("insert", pending_ins)
    return out


def compare(old: list[Art], new: list[Art]) -> list[Clause]:
    """Every article of both drafts, in NEW's order, removed ones where they stood in OLD."""
    pairs, removed, _ = pair(old, new)
    by_new = {id(n): (o, how) for o, n, how in pairs}
    clauses: list[Clause] = []
    for n in new:
        if id(n) not in by_new:
            clauses.append(Clause(status="added", new_number=n.number, new_label=n.label, new_title=n.title, text=n.body))
            continue
        o, how = by_new[id(n)]
        same = o.key == n.key
        status = ("renumbered" if o.label != n.label else "unchanged") if same else "changed"
        clauses.append(Clause(status=status, old_number=o.number, new_number=n.number, old_label=o.label,
                              new_label=n.label, old_title=o.title, new_title=n.title, matched_by=how,  # type: ignore[arg-type]
                              similarity=1.0 if same else round(_ratio(o, n), 3),
                              diff=[] if same else segments(o.body, n.body)))
    for o in removed:  # before the first clause that came after it in OLD
        clause = Clause(status="removed", old_number=o.number, old_label=o.label, old_title=o.title, text=o.body)
        at = next((i for i, c in enumerate(clauses) if c.old_number is not None and c.old_number > o.number),
                  len(clauses))
        clauses.insert(at, clause)
    return clauses


def article_map(clauses: list[Clause]) -> dict[int, int]:
    """OLD article number -> NEW article number, for every paired article."""
    out: dict[int, int] = {}
    for c in clauses:
        if c.old_number is not None and c.new_number is not None:
            out.setdefault(c.old_number, c.new_number)
    return out
