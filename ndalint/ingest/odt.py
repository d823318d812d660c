"""OpenDocument text (.odt, LibreOffice/Google Docs export): paragraphs and headings in reading order.

odfpy parses the package; we walk the body ourselves so that headings, paragraphs, list items and
table cells keep their order (odfpy's getElementsByType lists each kind apart). As for Word, the
text is the accepted view: tracked deletions live in ``text:tracked-changes`` and are not read,
and reviewers' comments (``office:annotation``) are counted, never linted. List numbering that
exists only in the list style (an auto-numbered 第N条) is not rendered.
"""

from __future__ import annotations

import io

from ndalint.errors import InputError
from ndalint.ingest.document import BlockBuilder, Document
from ndalint.ingest.package import check_zip

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ANNOTATION = (_OFFICE, "annotation")
# Not the text a reader sees in the paragraph: deleted text, note bodies, comments and their ends.
_SKIP = {(_TEXT, "tracked-changes"), (_TEXT, "note"), (_TEXT, "soft-page-break"), (_TEXT, "sequence-decls"),
         _ANNOTATION, (_OFFICE, "annotation-end")}


#: The most spaces one ``text:s`` stands for: a layout run, never a page of blanks (c="999999999"
#: would otherwise be a gigabyte from a few bytes of XML).
_MAX_SPACES = 1000


def _spaces(node) -> str:
    try:
        count = int(node.getAttrNS(_TEXT, "c") or 1)
    except ValueError:
        count = 1
    return " " * max(1, min(count, _MAX_SPACES))


def _paragraph_text(node) -> str:
    """The text of a paragraph or heading, its spans and links read through (iteratively: the XML
    of a hostile file can nest deeper than Python recurses)."""
    parts: list[str] = []
    stack = [iter(node.childNodes)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.nodeType == child.TEXT_NODE:
            parts.append(str(child.data))
        elif child.qname in _SKIP:
            continue
        elif child.qname == (_TEXT, "s"):
            parts.append(_spaces(child))
        elif child.qname == (_TEXT, "tab"):
            parts.append("\t")
        elif child.qname == (_TEXT, "line-break"):
            parts.append(" ")
        else:
            stack.append(iter(child.childNodes))
    return "".join(parts)


def _level(node) -> int:
    try:
        return max(1, int(node.getAttrNS(_TEXT, "outline-level") or 1))
    except ValueError:  # a hand-edited file: a heading all the same
        return 1


def _walk(node):
    """(text, heading level, in a table) of every paragraph and heading, in document order."""
    stack = [(iter(node.childNodes), False)]
    while stack:
        children, in_table = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        qname = getattr(child, "qname", None)
        if qname in ((_TEXT, "p"), (_TEXT, "h")):
            yield _paragraph_text(child), _level(child) if qname[1] == "h" else 0, in_table
        elif qname in _SKIP:
            continue
        elif qname is not None:
            stack.append((iter(child.childNodes), in_table or qname[0] == _TABLE))


def _count(node, qname: tuple[str, str]) -> int:
    count, stack = 0, [node]
    while stack:
        el = stack.pop()
        count += getattr(el, "qname", None) == qname
        stack.extend(el.childNodes)
    return count


def read_odt(data: bytes, path: str) -> Document:
    from defusedxml import DefusedXmlException
    from odf.opendocument import load as load_odf

    # zip bombs, before odfpy inflates anything; odfpy's DOM costs ~700 bytes a tag, so fewer tags
    check_zip(data, "OpenDocument 文書", tags_per_char=1)
    try:
        # odfpy parses with defusedxml: a DTD's entities are refused, never expanded or fetched
        odf = load_odf(io.BytesIO(data))
    except InputError:  # the run's time limit (deadline.TimeLimit) keeps its message
        raise
    except DefusedXmlException:
        raise InputError("OpenDocument として読めません（XML に実体宣言（DTD）があります。細工された文書です）") from None
    except Exception as exc:  # odfpy raises zip, XML and key errors on damaged packages
        raise InputError(f"OpenDocument として読めません（壊れているようです: {type(exc).__name__}）") from None
    if getattr(odf, "text", None) is None:  # a package whose body is not text (a drawing, a formula)
        raise InputError("OpenDocument 文書に本文がありません")
    out = BlockBuilder()
    for text, level, in_table in _walk(odf.text):
        out.add(text, kind="heading" if level else "table" if in_table else "line", level=level)
    if not out.text.strip():
        raise InputError("OpenDocument 文書に本文がありません")
    meta = {"view": "accepted", "comments": _count(odf.text, _ANNOTATION),
            "insertions": _count(odf.text, (_TEXT, "insertion")), "deletions": _count(odf.text, (_TEXT, "deletion"))}
    return Document(path=path, format="odt", text=out.text, blocks=out.blocks, meta=meta)
