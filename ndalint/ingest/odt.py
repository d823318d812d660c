"""OpenDocument text (.odt, LibreOffice/Google Docs export): paragraphs and headings in reading order.

odfpy parses the package; we walk the body ourselves so that headings, paragraphs, list
items and table cells keep their order (odfpy's getElementsByType lists each kind apart).
"""

from __future__ import annotations

import io

from ndalint.errors import InputError
from ndalint.ingest.document import Block, Document

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
# Tracked deletions and notes' bodies are not the text a reader sees in the paragraph.
_SKIP = {(_TEXT_NS, "tracked-changes"), (_TEXT_NS, "note"), (_TEXT_NS, "soft-page-break"), (_TEXT_NS, "sequence-decls")}


def _paragraph_text(node) -> str:
    from odf.element import Text

    parts: list[str] = []
    for child in node.childNodes:
        if isinstance(child, Text) or child.nodeType == child.TEXT_NODE:
            parts.append(str(child.data) if hasattr(child, "data") else str(child))
        elif child.qname in _SKIP:
            continue
        elif child.qname == (_TEXT_NS, "s"):
            parts.append(" " * int(child.getAttrNS(_TEXT_NS, "c") or 1))
        elif child.qname == (_TEXT_NS, "tab"):
            parts.append("\t")
        elif child.qname == (_TEXT_NS, "line-break"):
            parts.append(" ")
        else:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _walk(node, in_table: bool = False):
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname in ((_TEXT_NS, "p"), (_TEXT_NS, "h")):
            level = int(child.getAttrNS(_TEXT_NS, "outline-level") or 1) if qname[1] == "h" else 0
            yield _paragraph_text(child), level, in_table
        elif qname in _SKIP:
            continue
        elif qname is not None:
            yield from _walk(child, in_table or qname[0] == _TABLE_NS)


def read_odt(data: bytes, path: str) -> Document:
    from odf.opendocument import load as load_odf

    try:
        odf = load_odf(io.BytesIO(data))
    except Exception as exc:  # odfpy raises zip, XML and key errors on damaged packages
        raise InputError(f"OpenDocument として読めません（壊れているようです: {type(exc).__name__}）") from None
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for number, (text, level, in_table) in enumerate(_walk(odf.text), start=1):
        text = text.replace("\r", "").replace("\n", " ")
        kind = "heading" if level else "table" if in_table else "line"
        blocks.append(Block(pos, pos + len(text), number, kind=kind, level=level))
        parts.append(text)
        pos += len(text) + 1
    full = "\n".join(parts)
    if not full.strip():
        raise InputError("OpenDocument 文書に本文がありません")
    return Document(path=path, format="odt", text=full, blocks=blocks)
