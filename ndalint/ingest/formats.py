"""What format a file's bytes are, judged from the content before the suffix is trusted.

Real archives hold PDFs saved as .txt, Word files renamed by hand and text pasted into files with
any name; the suffix only tells Markdown from plain text, and names the format a damaged or
misnamed binary claims to be (so that its own reader can say what is wrong with it).
"""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib

from ndalint.errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, and .docx encrypted by Word
ODT_MIME = b"application/vnd.oasis.opendocument.text"
#: Word's two text views: tracked changes accepted (the draft as it will be signed), or the original.
DOCX_VIEWS = ("accepted", "original")
SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".docx": "docx", ".pdf": "pdf",
            ".rtf": "rtf", ".odt": "odt"}


def sniff(data: bytes, suffix: str = "") -> str:
    """The format of ``data``: pdf, docx, odt, rtf, md or txt. Raises InputError for packages that
    are not documents (spreadsheets, slides, plain archives)."""
    head = data[:16].removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _sniff_zip(data)
    if data.startswith(OLE_MAGIC):
        return "docx"  # old .doc or an encrypted .docx: the Word reader says which
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return SUFFIXES.get(suffix.lower(), "txt")


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = b""
            if "mimetype" in names:
                with zf.open("mimetype") as f:
                    mimetype = f.read(200).strip()  # bounded: the member may be a zip bomb
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError, NotImplementedError, zlib.error):
        return "docx"  # the Word reader words the "broken package" message
    if "word/document.xml" in names:
        return "docx"
    if mimetype == ODT_MIME:
        return "odt"
    if mimetype.startswith(b"application/vnd.oasis.opendocument") or any(n.startswith(("xl/", "ppt/")) for n in names):
        raise InputError("文書ファイルではありません（表計算・プレゼンテーション等）。契約書を .docx・.pdf・.txt で指定してください")
    raise InputError("ZIP ファイルです。契約書の文書ファイル（.docx・.odt など）ではありません")
