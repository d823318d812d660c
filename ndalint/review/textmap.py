"""Offsets of ``Document.text`` -> runs of the body XML, splitting runs where a range starts or ends.

The Word reader records, for every piece of text it read, the element that shows it (a ``w:t``
or a one-character element such as ``w:tab``); see ``ingest.docx.open_for_review``. To put a mark
exactly before or after a character, the run holding it is split in two there: both halves keep
a copy of the run's properties, so the formatting on either side is unchanged.
"""

from __future__ import annotations

import bisect
import copy

from docx.oxml.ns import qn

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
P, R, T, DEL_TEXT, RPR = (qn(t) for t in ("w:p", "w:r", "w:t", "w:delText", "w:rPr"))
INS, DEL, MOVE_TO, MOVE_FROM = (qn(t) for t in ("w:ins", "w:del", "w:moveTo", "w:moveFrom"))
#: Where a run may stand, so that range marks and revision wrappers can be put beside it.
#: A run inside a ruby base is not one of these: it is handled as part of the ruby's run.
RUN_PARENTS = frozenset(qn(t) for t in ("w:p", "w:hyperlink", "w:smartTag", "w:customXml", "w:fldSimple",
                                        "w:sdtContent", "w:ins", "w:del", "w:moveTo", "w:moveFrom", "w:bdo", "w:dir"))
_TEXT = (T, DEL_TEXT)


def paragraph_of(el):
    """The ``w:p`` an element stands in (the innermost: a text box's paragraph, not its anchor's)."""
    while el is not None and el.tag != P:
        el = el.getparent()
    return el


class TextMap:
    """Where each character of the text is in the XML, kept up to date as runs are split."""

    def __init__(self, pieces: list[tuple[int, object]], text: str, root) -> None:
        self.starts: list[int] = []
        self.elements: list[object] = []
        for start, el in pieces:
            # only what stands in this part and reads as recorded (a carriage return in w:t would not)
            if el.getroottree().getroot() is not root:
                continue
            shown = (el.text or "") if el.tag in _TEXT else text[start : start + 1]
            if not shown or text[start : start + len(shown)] != shown:
                continue
            self.starts.append(start)
            self.elements.append(el)

    def __len__(self) -> int:
        return len(self.starts)

    def length(self, i: int) -> int:
        """How many characters of the text piece ``i`` shows."""
        el = self.elements[i]
        return len(el.text or "") if el.tag in _TEXT else 1

    def _end(self, i: int) -> int:
        return self.starts[i] + self.length(i)

    def first_from(self, offset: int) -> int | None:
        """Index of the first piece that ends after ``offset``."""
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        while i < len(self.starts) and self._end(i) <= offset:
            i += 1
        return i if i < len(self.starts) else None

    def last_before(self, offset: int) -> int | None:
        """Index of the last piece that starts before ``offset``."""
        i = bisect.bisect_left(self.starts, offset) - 1
        return i if i >= 0 else None

    def covered(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last) piece indexes with text in ``[start, end)``, or None."""
        first, last = self.first_from(start), self.last_before(end)
        if first is None or last is None or first > last:
            return None
        return first, last

    def element(self, i: int):
        return self.elements[i]

    # --------------------------------------------------------------------- runs and splitting

    @staticmethod
    def unit(el):
        """The run to treat as one piece of inline content: the ``w:r`` whose parent may hold range
        marks (the ruby's run for text in a ruby base)."""
        run = el.getparent()
        while run is not None and not (run.tag == R and run.getparent() is not None
                                       and run.getparent().tag in RUN_PARENTS):
            run = run.getparent()
        return run

    def run_from(self, offset: int):
        """The run that starts exactly at ``offset`` (split off where needed), or None."""
        i = self.first_from(offset)
        if i is None:
            return None
        el = self.elements[i]
        run = self.unit(el)
        if run is None:
            return None
        if el.getparent() is not run:
            return run  # inside a ruby: the whole ruby is the smallest unit
        if offset > self.starts[i] and el.tag in _TEXT:
            i = self._split_text(i, offset - self.starts[i])
            el = self.elements[i]
        return self._split_before(run, el)

    def run_until(self, offset: int):
        """The run that ends exactly at ``offset`` (split off where needed), or None."""
        i = self.last_before(offset)
        if i is None:
            return None
        el = self.elements[i]
        run = self.unit(el)
        if run is None:
            return None
        if el.getparent() is not run:
            return run
        if offset < self._end(i) and el.tag in _TEXT:
            self._split_text(i, offset - self.starts[i])
        following = el.getnext()
        if following is not None:
            self._split_before(run, following)
        return run

    def _split_text(self, i: int, at: int) -> int:
        """Split the text of piece ``i`` at ``at`` into two elements of the same run; returns the second's index."""
        el = self.elements[i]
        text = el.text or ""
        second = copy.deepcopy(el)
        el.text, second.text = text[:at], text[at:]
        for t in (el, second):
            t.set(XML_SPACE, "preserve")  # a half may now start or end with a space
        el.addnext(second)
        self.starts.insert(i + 1, self.starts[i] + at)
        self.elements.insert(i + 1, second)
        return i + 1

    @staticmethod
    def _split_before(run, el):
        """Move ``el`` and what follows it in ``run`` into a new run right after it; returns the run
        that now starts with ``el`` (``run`` itself when ``el`` is its first content)."""
        content = [c for c in run if c.tag != RPR]
        if content and content[0] is el:
            return run
        new = run.makeelement(R, dict(run.attrib))
        props = run.find(RPR)
        if props is not None:
            new.append(copy.deepcopy(props))
        moving = [el, *el.itersiblings()]
        for child in moving:
            new.append(child)  # lxml moves the element
        run.addnext(new)
        return new
