"""Word (.docx): body paragraphs and table cells in reading order, numbering labels rebuilt.

python-docx reads the package; we walk the body XML ourselves because python-docx lists
paragraphs and tables separately, and their interleaving is the reading order.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from ndalint.errors import InputError
from ndalint.ingest.document import Block, Document
from ndalint.ingest.numbering import NumberingState

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_HEADING_STYLE = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.IGNORECASE)


def _open(data: bytes):
    import docx  # python-docx; imported here so that txt/md runs never pay for it

    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise InputError("パスワードで保護（暗号化）された Word 文書です。保護を解除してから再実行してください")
        raise InputError("旧形式の Word 文書（.doc）には対応していません。.docx で保存し直してください")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError("docx として読めません（ZIP 形式ではありません。壊れているか、別形式のファイルです）")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise InputError(f"docx として読めません（壊れた Word 文書です: {type(exc).__name__}）") from None


def _is_toc(sdt) -> bool:
    gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and "Contents" in (gallery.get(qn("w:val")) or "")


def _walk(container):
    """Yield (paragraph element, in_table) in reading order."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield child, False
        elif child.tag == qn("w:tbl"):
            for p in child.iter(qn("w:p")):
                yield p, True
        elif child.tag == qn("w:sdt") and not _is_toc(child):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _walk(content)


def _heading_level(paragraph: Paragraph, names: dict[str | None, str]) -> int:
    # python-docx resolves paragraph.style by scanning every style: look each id up once per file
    style_id = paragraph._p.style
    if style_id not in names:
        try:
            names[style_id] = paragraph.style.name if paragraph.style is not None else ""
        except (KeyError, AttributeError):
            names[style_id] = ""
    name = names[style_id]
    if name in ("Title", "表題"):
        return 1
    m = _HEADING_STYLE.match(name or "")
    return int(m.group(1)) if m else 0


def read_docx(data: bytes, path: str) -> Document:
    doc = _open(data)
    numbering = NumberingState.from_document(doc)
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    style_names: dict[str | None, str] = {}
    for number, (p_el, in_table) in enumerate(_walk(doc.element.body), start=1):
        paragraph = Paragraph(p_el, doc)
        text = paragraph.text.replace("\r", "").replace("\n", " ")
        label = numbering.label(p_el)
        if label:
            text = f"{label}\u3000{text}"
        level = _heading_level(paragraph, style_names)
        kind = "heading" if level else "table" if in_table else "list" if label else "line"
        blocks.append(Block(pos, pos + len(text), number, kind=kind, level=level, label=label))
        parts.append(text)
        pos += len(text) + 1
    full = "\n".join(parts)
    if not full.strip():
        raise InputError("Word 文書に本文がありません")
    return Document(path=path, format="docx", text=full, blocks=blocks)
