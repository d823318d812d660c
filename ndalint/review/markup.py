"""WordprocessingML for the review copy: comment anchors and bodies, tracked deletions and insertions.

Everything is built with lxml on the body that python-docx parsed (python-docx 1.2 can add a
comment, but saving through it re-serialises every XML part of the package — styles, numbering,
settings, core properties — which the review copy must leave byte for byte as they were).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from docx.oxml.ns import qn

from ndalint.review.textmap import DEL, DEL_TEXT, P, RPR, T, XML_SPACE, TextMap, paragraph_of

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_ID, _AUTHOR, _DATE, _INITIALS = (qn(t) for t in ("w:id", "w:author", "w:date", "w:initials"))
_INSTR, _DEL_INSTR = qn("w:instrText"), qn("w:delInstrText")
_RPR_CHANGE, _INS = qn("w:rPrChange"), qn("w:ins")


@dataclass(frozen=True)
class Stamp:
    """Who made a comment or revision, and when (ISO 8601, as Word writes it)."""

    author: str
    initials: str
    date: str


def _el(parent_or_tag, tag: str | None = None, **attrs: str):
    """A new ``w:`` element (as a child of ``parent_or_tag`` when that is an element)."""
    if tag is None:
        el = _make(parent_or_tag)
    else:
        el = _make(tag)
        parent_or_tag.append(el)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _make(tag: str):
    from docx.oxml.parser import OxmlElement

    return OxmlElement(tag)


def _text_run(text: str, props=None, bold: bool = False):
    """A run showing ``text``; line breaks become ``w:br``."""
    run = _make("w:r")
    if props is not None:
        run.append(props)
    elif bold:
        rpr = _el(run, "w:rPr")
        _el(rpr, "w:b")
    for n, line in enumerate(text.split("\n")):
        if n:
            _el(run, "w:br")
        if line:
            t = _el(run, "w:t")
            t.text = line
            t.set(XML_SPACE, "preserve")
    return run


# --------------------------------------------------------------------------------- comments


def comment(cid: int, paragraphs: list[tuple[str, bool]], stamp: Stamp, styles: set[str]):
    """A ``w:comment``: one paragraph per (text, bold); the first starts with the annotation mark."""
    c = _el("w:comment", id=str(cid), author=stamp.author, date=stamp.date, initials=stamp.initials)
    for n, (text, bold) in enumerate(paragraphs):
        p = _el(c, "w:p")
        if "CommentText" in styles:
            _el(_el(p, "w:pPr"), "w:pStyle", val="CommentText")
        if n == 0:
            ref = _el(p, "w:r")
            if "CommentReference" in styles:
                _el(_el(ref, "w:rPr"), "w:rStyle", val="CommentReference")
            _el(ref, "w:annotationRef")
        p.append(_text_run(text, bold=bold))
    return c


def anchor_comment(textmap: TextMap, cid: int, start: int, end: int, styles: set[str]) -> bool:
    """Attach comment ``cid`` to ``[start, end)``: range marks around exactly those characters and
    the reference mark after them. False when the range shows no text of the body."""
    covered = textmap.covered(start, end)
    if covered is None:
        return False
    # both ends first: splitting at the start renumbers the pieces
    start, end = max(start, textmap.starts[covered[0]]), min(end, textmap.starts[covered[1]] + textmap.length(covered[1]))
    first = textmap.run_from(start)
    last = textmap.run_until(end)
    if first is None or last is None:
        return False
    first.addprevious(_el("w:commentRangeStart", id=str(cid)))
    mark_end = _el("w:commentRangeEnd", id=str(cid))
    last.addnext(mark_end)
    ref = _make("w:r")
    if "CommentReference" in styles:
        _el(_el(ref, "w:rPr"), "w:rStyle", val="CommentReference")
    _el(ref, "w:commentReference", id=str(cid))
    # the reference mark stands in the paragraph itself, not inside someone's tracked insertion or a link
    outer = mark_end
    while outer.getparent() is not None and outer.getparent().tag != P:
        outer = outer.getparent()
    (outer if outer.getparent() is not None else mark_end).addnext(ref)
    return True


# --------------------------------------------------------------------------- tracked changes


def tracked_edit(textmap: TextMap, start: int, end: int, replacement: str, ids, stamp: Stamp) -> bool:
    """Show ``text[start:end] -> replacement`` as Word revisions (``w:del`` then ``w:ins``).

    Only inside one paragraph and on runs that stand directly in it: words inside someone else's
    tracked change, a hyperlink or a field are left alone (the comment still carries the wording).
    Returns whether the revision was made."""
    if start < end:
        covered = textmap.covered(start, end)
        if covered is None:
            return False
        elements = textmap.elements[covered[0] : covered[1] + 1]
    else:
        before = textmap.last_before(start)
        if before is None:
            return False
        elements = [textmap.element(before)]
    paragraph = paragraph_of(elements[0])
    if paragraph is None or any(textmap.unit(el) is None or textmap.unit(el).getparent() is not paragraph
                                or el.getparent() is not textmap.unit(el) for el in elements):
        return False
    if start < end:
        first, last = textmap.run_from(start), textmap.run_until(end)
        span = [first]
        while span[-1] is not last:
            nxt = span[-1].getnext()
            if nxt is None or nxt.tag in (qn("w:hyperlink"), qn("w:ins"), qn("w:del"), qn("w:fldSimple"), qn("w:sdt"),
                                           qn("w:smartTag"), qn("w:moveTo"), qn("w:moveFrom"), qn("w:customXml")):
                return False  # the words run into other structure: no revision
            span.append(nxt)
        deletion = _el("w:del", id=str(next(ids)), author=stamp.author, date=stamp.date)
        first.addprevious(deletion)
        for el in span:
            deletion.append(el)
            for t in el.iter(T, _INSTR):
                t.tag = DEL_TEXT if t.tag == T else _DEL_INSTR
        after, props_from = deletion, first
    else:
        after = textmap.run_until(start)
        if after is None:
            return False
        props_from = after
        if after.getparent() is not None and after.getparent().tag == DEL:
            after = after.getparent()  # the end of another revision's deleted words
        while (nxt := after.getnext()) is not None and nxt.tag == _INS and nxt.get(_AUTHOR) == stamp.author \
                and nxt.get(_DATE) == stamp.date:
            after = nxt  # a second proviso after the same sentence comes after the first
    if replacement:
        insertion = _el("w:ins", id=str(next(ids)), author=stamp.author, date=stamp.date)
        insertion.append(_text_run(replacement, _props(props_from)))
        after.addnext(insertion)
    return True


def _props(run):
    """A copy of a run's properties for new words beside it (without its own formatting revision)."""
    props = run.find(RPR)
    if props is None:
        return None
    props = copy.deepcopy(props)
    for change in props.findall(_RPR_CHANGE):
        props.remove(change)
    return props
