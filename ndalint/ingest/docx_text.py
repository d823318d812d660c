"""Word (.docx) XML -> text, as Word displays it: one story (the body, a note, a text box) at a time.

python-docx's ``Paragraph.text`` sees only runs that are direct children of ``w:p``; a contract
under review hides its words one level deeper (tracked changes, content controls, fields), so we
walk the elements ourselves with lxml and compare tags against precomputed Clark names.
"""

from __future__ import annotations

from collections.abc import Iterator

from docx.oxml.ns import qn


P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (qn(t) for t in (
    "w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent", "w:customXml"))
R, T, DEL_TEXT, INSTR, DEL_INSTR, FLD_CHAR = (qn(t) for t in (
    "w:r", "w:t", "w:delText", "w:instrText", "w:delInstrText", "w:fldChar"))
INS, DEL, MOVE_TO, MOVE_FROM = (qn(t) for t in ("w:ins", "w:del", "w:moveTo", "w:moveFrom"))
PPR, RPR, PPR_CHANGE, TRPR = (qn(t) for t in ("w:pPr", "w:rPr", "w:pPrChange", "w:trPr"))
TXBX_CONTENT = qn("w:txbxContent")
#: Where a comment is anchored: its range (start, end) and the run holding its reference mark.
COMMENT_START, COMMENT_END, COMMENT_REF = (qn(t) for t in (
    "w:commentRangeStart", "w:commentRangeEnd", "w:commentReference"))
_COMMENT_MARKS = {COMMENT_START: "start", COMMENT_END: "end", COMMENT_REF: "ref"}
_ID = qn("w:id")
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
ALTERNATE, CHOICE, FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"

#: Inline wrappers whose runs are ordinary paragraph text.
_TRANSPARENT = frozenset(qn(t) for t in ("w:hyperlink", "w:smartTag", "w:customXml", "w:fldSimple",
                                         "w:bdo", "w:dir"))
#: Run content that Word draws as one character.
_CHARS = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:cr"): " ", qn("w:noBreakHyphen"): "-"}
#: A line break inside a paragraph reads as a space; page and column breaks as nothing.
_BR, _BR_TYPE = qn("w:br"), qn("w:type")
#: Run content that may hold text boxes (drawings, VML shapes, embedded objects).
_SHAPES = frozenset((qn("w:drawing"), qn("w:pict"), qn("w:object")))
_RUBY, _RUBY_BASE = qn("w:ruby"), qn("w:rubyBase")
_FLD_CHAR_TYPE = qn("w:fldCharType")
#: Fields whose result is a copy of other text (a table of contents, an index), never contract text.
_COPY_FIELDS = frozenset(("TOC", "INDEX", "TOA"))
#: Block-level elements; anything else between two paragraphs is markup (bookmarks, ranges).
_BLOCKS = frozenset((P, TBL, SDT, CUSTOM_XML, qn("w:sectPr"), qn("w:altChunk")))


_INSERTED, _DELETED = frozenset((INS, MOVE_TO)), frozenset((DEL, MOVE_FROM))
_SHOWN = {"accepted": (_INSERTED, _DELETED), "original": (_DELETED, _INSERTED)}


def shown(view: str) -> tuple[frozenset[str], frozenset[str]]:
    """(revision wrappers to read, revision wrappers to drop) in a view."""
    return _SHOWN[view]


#: Markup-compatibility namespaces (by their usual prefix) whose Choice holds the same text as the
#: Fallback: drawing shapes and text boxes. Others (w16se emoji, chartex) keep the text in the Fallback.
_UNDERSTOOD = frozenset(("wps", "wpg", "wpc", "wpi", "wp14", "w14", "w15", "a14", "v", "o", "w10"))


def branch(alternate):
    """The one branch of ``mc:AlternateContent`` to read, so that its text is not doubled."""
    for choice in alternate.iterchildren(CHOICE):
        if set((choice.get("Requires") or "").split()) <= _UNDERSTOOD:
            return choice
    return alternate.find(FALLBACK)


def is_toc(sdt) -> bool:
    gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and "Contents" in (gallery.get(qn("w:val")) or "")


def walk(container, view: str, in_table: bool = False) -> Iterator[tuple[object, bool]]:
    """Yield (paragraph element, in_table) of a story in reading order."""
    _, dropped = shown(view)
    for child in container.iterchildren():
        tag = child.tag
        if tag == P:
            yield child, in_table
        elif tag == TBL:
            for cell in _cells(child, dropped):
                yield from walk(cell, view, True)
        elif tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None and not is_toc(child):
                yield from walk(content, view, in_table)
        elif tag == CUSTOM_XML:
            yield from walk(child, view, in_table)
        elif tag == ALTERNATE:
            chosen = branch(child)
            if chosen is not None:
                yield from walk(chosen, view, in_table)


def _unwrap(parent, tag: str) -> Iterator[object]:
    """Children with ``tag``, looking through row/cell-level content controls and custom XML."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _unwrap(content, tag)
        elif child.tag == CUSTOM_XML:
            yield from _unwrap(child, tag)


def _cells(tbl, dropped: frozenset[str]) -> Iterator[object]:
    for row in _unwrap(tbl, TR):
        trpr = row.find(TRPR)
        if trpr is not None and any(trpr.find(tag) is not None for tag in dropped):
            continue  # a row inserted or deleted with tracking, absent in this view
        yield from _unwrap(row, TC)


def mark_removed(p, ppr, view: str) -> bool:
    """Whether the paragraph mark is a tracked change absent in ``view`` (so the paragraph joins the next)."""
    rpr = ppr.find(RPR) if ppr is not None else None
    if rpr is None:
        return False
    _, dropped = _SHOWN[view]
    return any(child.tag in dropped for child in rpr.iterchildren()) and _next_block(p) is not None


def _next_block(p):
    # Word cannot join a paragraph with a table or across a cell: only a following paragraph counts.
    sibling = p.getnext()
    while sibling is not None and sibling.tag not in _BLOCKS:
        sibling = sibling.getnext()
    return sibling if sibling is not None and sibling.tag == P else None


def comment_marks_before(p) -> list[tuple[str, str, int]]:
    """Comment range marks standing between the previous block and paragraph ``p`` (a range that
    spans whole paragraphs or a table may start or end outside any paragraph), at offset 0 of ``p``."""
    marks = []
    sibling = p.getprevious()
    while sibling is not None and sibling.tag not in _BLOCKS:
        kind = _COMMENT_MARKS.get(sibling.tag)
        if kind is not None:
            marks.append((kind, sibling.get(_ID) or "", 0))
        sibling = sibling.getprevious()
    return marks[::-1]


def properties(ppr, view: str):
    """The ``w:pPr`` in force in ``view``: the original view reads a tracked formatting change's old value."""
    if view == "original" and ppr is not None:
        old = ppr.find(f"{PPR_CHANGE}/{PPR}")
        if old is not None:
            return old
    return ppr


def textboxes(shape) -> list[object]:
    """Outermost ``w:txbxContent`` under a shape, one branch of each AlternateContent."""
    found: list[object] = []
    stack = [shape]
    while stack:
        el = stack.pop()
        if el.tag == TXBX_CONTENT:
            found.append(el)  # nested boxes are reached when this box's paragraphs are read
        elif el.tag == ALTERNATE:
            chosen = branch(el)
            if chosen is not None:
                stack.append(chosen)
        else:
            stack.extend(reversed(el))  # reversed: keep document order when popping
    return found


class _Field:
    __slots__ = ("code", "state")

    def __init__(self) -> None:
        self.code: list[str] = []
        self.state = "code"  # code -> result | copy (the result of a TOC-like field)


class StoryReader:
    """Reads the paragraphs of one story in order; complex fields may span paragraphs."""

    def __init__(self, view: str, trace: bool = False) -> None:
        self.read = shown(view)[0]
        #: with ``trace``: (offset in the paragraph's text, the element that shows it) for every piece of
        #: text read — a ``w:t`` (its whole text) or a one-character element (tab, break); the Word
        #: review copy anchors comments and tracked changes through it
        self.pieces: list[tuple[int, object]] | None = [] if trace else None
        self.fields: list[_Field] = []
        self.hidden = 0  # open fields whose current part is not displayed text
        self.copied = False  # text of a TOC-like field result was dropped in this paragraph
        #: comment anchors met in the last paragraph read: (start | end | ref, comment id, offset in its text)
        self.marks: list[tuple[str, str, int]] = []

    def paragraph(self, p) -> tuple[str, list[object], bool]:
        """(text, text boxes anchored here, only-a-TOC-copy) for one ``w:p``; its comment anchors in ``marks``."""
        out: list[str] = []
        boxes: list[object] = []
        self.copied = False
        self.marks = []
        if self.pieces is not None:
            self.pieces = []
        self._inline(p, out, boxes)
        text = "".join(out)
        return text, boxes, self.copied and not text.strip()

    def _inline(self, el, out: list[str], boxes: list[object]) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag == R:
                self._run(child, out, boxes)
            elif tag in _TRANSPARENT or tag in self.read:
                self._inline(child, out, boxes)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._inline(content, out, boxes)
            elif tag == ALTERNATE:
                chosen = branch(child)
                if chosen is not None:
                    self._inline(chosen, out, boxes)
            elif tag in _COMMENT_MARKS:
                self._mark(child, out)
            # w:del in the accepted view (w:ins in the original), comments, bookmarks,
            # proofing marks and math are not displayed text.

    def _run(self, r, out: list[str], boxes: list[object]) -> None:
        for child in r.iterchildren():
            tag = child.tag
            if tag == T or tag == DEL_TEXT:
                if self.hidden:
                    self.copied = self.copied or bool(child.text) and self._copying()
                else:
                    self._piece(child, out)
                    out.append(child.text or "")
            elif tag in _CHARS:
                if not self.hidden:
                    self._piece(child, out)
                    out.append(_CHARS[tag])
            elif tag == _BR:
                if not self.hidden and child.get(_BR_TYPE) in (None, "textWrapping"):
                    self._piece(child, out)
                    out.append(" ")
            elif tag == FLD_CHAR:
                self._field_char(child.get(_FLD_CHAR_TYPE))
            elif tag == INSTR or tag == DEL_INSTR:
                if self.fields and self.fields[-1].state == "code":
                    self.fields[-1].code.append(child.text or "")
            elif tag in _SHAPES:
                if not self.hidden:
                    boxes.extend(textboxes(child))
            elif tag == ALTERNATE:
                chosen = branch(child)
                if chosen is not None:
                    self._run(chosen, out, boxes)  # a branch holds run content: a shape or the text
            elif tag == _RUBY:
                base = child.find(_RUBY_BASE)  # the reading aid (w:rt) is not the contract's word
                if base is not None:
                    self._inline(base, out, boxes)
            elif tag == COMMENT_REF:
                self._mark(child, out)

    def _piece(self, el, out: list[str]) -> None:
        if self.pieces is not None:
            self.pieces.append((sum(map(len, out)), el))

    def _mark(self, el, out: list[str]) -> None:
        self.marks.append((_COMMENT_MARKS[el.tag], el.get(_ID) or "", sum(map(len, out))))

    def _copying(self) -> bool:
        return any(f.state == "copy" for f in self.fields)

    def _field_char(self, kind: str | None) -> None:
        # Displayed: a field's result, unless an enclosing field is still in its code part.
        if kind == "begin":
            self.fields.append(_Field())
            self.hidden += 1
        elif kind == "separate" and self.fields and self.fields[-1].state == "code":
            field = self.fields[-1]
            words = "".join(field.code).split()
            if words and words[0].upper() in _COPY_FIELDS:
                field.state = "copy"
            else:
                field.state = "result"
                self.hidden -= 1
        elif kind == "end" and self.fields:
            if self.fields.pop().state != "result":
                self.hidden -= 1
