"""Word (.docx) package parts around the body: notes, comments (count and text), style names, revision counts."""

from __future__ import annotations

import re

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ndalint.ingest.docx_text import DEL, INS, MOVE_FROM, MOVE_TO, P, R, StoryReader

_HEADING_STYLE = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.IGNORECASE)
#: As python-docx's own parser: entities never expanded, nothing fetched, and libxml2's default
#: safety limits kept (no huge_tree: a side part deeper than 256 elements or with a 10 MB text node
#: is refused as broken, and the body is read without it).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

#: (reference tag in the body, note tag in its part, relationship, prefix of its blocks)
NOTE_KINDS = (
    (qn("w:footnoteReference"), qn("w:footnote"), RT.FOOTNOTES, "注"),
    (qn("w:endnoteReference"), qn("w:endnote"), RT.ENDNOTES, "文末注"),
)
_COMMENT, _COMMENT_REF = qn("w:comment"), qn("w:commentReference")
_ID, _TYPE, _AUTHOR = qn("w:id"), qn("w:type"), qn("w:author")
_PSTYLE, _VAL = qn("w:pStyle"), qn("w:val")


def related_xml(doc, reltype: str):
    """Root element of the part the main document relates to with ``reltype``, or None."""
    for rel in doc.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            part = rel.target_part
            element = getattr(part, "element", None)  # parts python-docx knows are parsed already
            if element is not None:
                return element
            try:
                return etree.fromstring(part.blob, _PARSER)
            except etree.XMLSyntaxError:
                return None  # a broken side part must not lose the body
    return None


def notes(doc, body, reltype: str, note_tag: str, ref_tag: str) -> list[object]:
    """The notes of one kind that the body refers to, in the order Word numbers them."""
    root = related_xml(doc, reltype)
    if root is None:
        return []
    by_id = {n.get(_ID): n for n in root.iterchildren(note_tag)
             if n.get(_TYPE) in (None, "normal")}  # separators are page furniture, not notes
    ordered, seen = [], set()
    for ref in body.iter(ref_tag):
        note_id = ref.get(_ID)
        if note_id in by_id and note_id not in seen:
            seen.add(note_id)
            ordered.append(by_id[note_id])
    return ordered


def comment_count(doc, body) -> int:
    """Comments in the comments part; without one, the distinct references in the body."""
    root = related_xml(doc, RT.COMMENTS)
    if root is not None:
        return sum(1 for _ in root.iterchildren(_COMMENT))
    return len({ref.get(_ID) for ref in body.iter(_COMMENT_REF)})


def comment_texts(doc, view: str) -> dict[str, tuple[str, str]]:
    """Comment id -> (author, text) from the comments part; a comment's paragraphs joined by newlines."""
    root = related_xml(doc, RT.COMMENTS)
    if root is None:
        return {}
    out = {}
    for c in root.iterchildren(_COMMENT):
        reader = StoryReader(view)
        text = "\n".join(reader.paragraph(p)[0] for p in c.iter(P))
        out[c.get(_ID) or ""] = (c.get(_AUTHOR) or "", text)
    return out


def revision_counts(*stories) -> tuple[int, int]:
    """(insertions, deletions): tracked-change wrappers holding runs (not mere mark or row changes)."""
    insertions = deletions = 0
    for story in stories:
        for el in story.iter(INS, MOVE_TO, DEL, MOVE_FROM):
            if next(el.iter(R), None) is None:
                continue
            if el.tag in (INS, MOVE_TO):
                insertions += 1
            else:
                deletions += 1
    return insertions, deletions


class HeadingLevels:
    """Heading level of a paragraph from its style name ("Heading 2", 見出し 2, Title)."""

    def __init__(self, styles) -> None:
        self.levels: dict[str | None, int] = {}
        if styles is None:
            return
        for st in styles.iterchildren(qn("w:style")):
            if st.get(qn("w:type")) not in (None, "paragraph"):
                continue
            name_el = st.find(qn("w:name"))
            level = _level(name_el.get(qn("w:val")) if name_el is not None else "")
            self.levels[st.get(qn("w:styleId"))] = level
            if st.get(qn("w:default")) in ("1", "true", "on"):
                self.levels[None] = level  # a paragraph without pStyle has the default style

    def of(self, ppr) -> int:
        style = ppr.find(_PSTYLE) if ppr is not None else None
        return self.levels.get(style.get(_VAL) if style is not None else None, 0)


def _level(name: str | None) -> int:
    if name in ("Title", "表題"):
        return 1
    m = _HEADING_STYLE.match(name or "")
    return int(m.group(1)) if m else 0
