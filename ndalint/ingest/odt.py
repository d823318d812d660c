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

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ANNOTATION = (_OFFICE, "annotation")
# Not the text a reader sees in the paragraph: deleted text, note bodies, comments and their ends.
_SKIP = {(_TEXT, "tracked-changes"), (_TEXT, "note"), (_TEXT, "soft-page-break"), (_TEXT, "sequence-decls"),
         _ANNOTATION, (_OFFICE, "annotation-end")}


def _paragraph_text(node) -> str:
    parts: list[str] = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(str(child.data))
        elif child.qname in _SKIP:
            continue
        elif child.qname == (_TEXT, "s"):
            parts.append(" " * int(child.getAttrNS(_TEXT, "c") or 1))
        elif child.qname == (_TEXT, "tab"):
            parts.append("\t")
        elif child.qname == (_TEXT, "line-break"):
            parts.append(" ")
        else:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _walk(node, in_table: bool = False):
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname in ((_TEXT, "p"), (_TEXT, "h")):
            level = int(child.getAttrNS(_TEXT, "outline-level") or 1) if qname[1] == "h" else 0
            yield _paragraph_text(child), level, in_table
        elif qname in _SKIP:
            continue
        elif qname is not None:
            yield from _walk(child, in_table or qname[0] == _TABLE)


def _count(node, qname: tuple[str, str]) -> int:
    own = 1 if getattr(node, "qname", None) == qname else 0
    return own + sum(_count(child, qname) for child in node.childNodes)


def read_odt(data: bytes, path: str) -> Document:
    from odf.opendocument import load as load_odf

    try:
        odf = load_odf(io.BytesIO(data))
    except Exception as exc:  # odfpy raises zip, XML and key errors on damaged packages
        raise InputError(f"OpenDocument として読めません（壊れているようです: {type(exc).__name__}）") from None
    out = BlockBuilder()
    for text, level, in_table in _walk(odf.text):
        out.add(text, kind="heading" if level else "table" if in_table else "line", level=level)
    if not out.text.strip():
        raise InputError("OpenDocument 文書に本文がありません")
    meta = {"view": "accepted", "comments": _count(odf.text, _ANNOTATION),
            "insertions": _count(odf.text, (_TEXT, "insertion")), "deletions": _count(odf.text, (_TEXT, "deletion"))}
    return Document(path=path, format="odt", text=out.text, blocks=out.blocks, meta=meta)
