"""Source file -> Document. One reader per format, chosen from the content first, then the suffix.

Content wins because real archives hold PDFs saved as .txt, Word files renamed .doc(x) by hand
and text pasted into files with any name; the suffix only tells Markdown from plain text.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

from ndalint.errors import InputError
from ndalint.ingest.document import Block, Document, Location
from ndalint.ingest.markdown import read_markdown
from ndalint.ingest.text import read_text

__all__ = ["DOCX_VIEWS", "Block", "Document", "Location", "READERS", "discover", "load", "load_bytes"]

Reader = Callable[[bytes, str], Document]


def _lazy(module: str) -> Reader:
    """A reader imported on first use: the binary formats pull in python-docx, PDFium, odfpy or
    striprtf, which a pre-commit run on a Markdown contract should not pay for."""
    name = "read_" + module.rsplit(".", 1)[-1]

    def read(data: bytes, path: str, **options: str) -> Document:
        return getattr(importlib.import_module(module), name)(data, path, **options)

    read.__name__ = name
    return read


read_docx = _lazy("ndalint.ingest.docx")
read_pdf = _lazy("ndalint.ingest.pdf")
read_odt = _lazy("ndalint.ingest.odt")
read_rtf = _lazy("ndalint.ingest.rtf")

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".rtf": read_rtf,
    ".odt": read_odt,
}
#: Word's two text views: with tracked changes accepted (what the draft will say) or rejected.
DOCX_VIEWS = ("accepted", "original")
#: Suffixes a directory walk picks up (the design's list plus the other word-processor formats).
WALKED = (".txt", ".md", ".docx", ".pdf", ".rtf", ".odt")
#: Repository documents that sit beside contracts and are not contracts (named files still lint).
NOT_CONTRACTS = ("readme", "changelog", "contributing", "license", "licence", "code_of_conduct", "security")
MAX_BYTES = 50 * 1024 * 1024
MAX_CHARS = 2_000_000
STDIN = "-"


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT_MIME = b"application/vnd.oasis.opendocument.text"


def _sniff_zip(data: bytes) -> Reader:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return read_docx  # the Word reader words the "broken package" message
    if "word/document.xml" in names:
        return read_docx
    if mimetype == _ODT_MIME:
        return read_odt
    if mimetype.startswith(b"application/vnd.oasis.opendocument") or any(n.startswith(("xl/", "ppt/")) for n in names):
        raise InputError("文書ファイルではありません（表計算・プレゼンテーション等）。契約書を .docx・.pdf・.txt で指定してください")
    raise InputError("ZIP ファイルです。契約書の文書ファイル（.docx・.odt など）ではありません")


def _sniff(data: bytes, suffix: str) -> Reader:
    """The reader for these bytes, judged by their content; the suffix only separates md from txt."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return read_pdf
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return _sniff_zip(data)
    if data.startswith(_OLE_MAGIC):
        return read_docx  # old .doc or an encrypted .docx: the Word reader says which
    if head.startswith(b"{\\rtf"):
        return read_rtf
    reader = READERS.get(suffix)
    # A .docx/.pdf/.odt/.rtf whose bytes are not that format is damaged or misnamed: its own
    # reader says so, rather than linting whatever the bytes decode to.
    return reader or read_text


def load_bytes(data: bytes, path: str, suffix: str | None = None, *, docx_view: str = "accepted") -> Document:
    """Read one document from memory (stdin, web uploads). Raises InputError."""
    if len(data) > MAX_BYTES:
        raise InputError(f"ファイルが大きすぎます（{len(data) // 1_048_576} MiB、上限 {MAX_BYTES // 1_048_576} MiB）")
    reader = _sniff(data, (suffix or "").lower())
    if reader is read_docx:
        reader = partial(read_docx, view=docx_view)
    doc = reader(data, path)
    if len(doc.text) > MAX_CHARS:
        raise InputError(f"本文が長すぎます（{len(doc.text):,} 文字、上限 {MAX_CHARS:,} 文字）")
    return doc


def load(path: str, *, docx_view: str = "accepted") -> Document:
    """Read one file (or ``-`` for standard input) into a Document. Raises InputError."""
    if path == STDIN:
        return load_bytes(sys.stdin.buffer.read(), "<stdin>", docx_view=docx_view)
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise InputError("ディレクトリです")
        if size > MAX_BYTES:
            raise InputError(f"ファイルが大きすぎます（{size // 1_048_576} MiB、上限 {MAX_BYTES // 1_048_576} MiB）")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("ファイルが見つかりません") from None
    except PermissionError:
        raise InputError("ファイルを読む権限がありません") from None
    except IsADirectoryError:
        raise InputError("ディレクトリです") from None
    except OSError as exc:
        raise InputError(f"ファイルを読めません（{exc.strerror or exc}）") from None
    return load_bytes(data, path, p.suffix, docx_view=docx_view)


def discover(paths: Iterable[str]) -> Iterator[str]:
    """Expand directories (sorted, hidden folders skipped); files and ``-`` pass through."""
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__"))
                for name in sorted(files):
                    if (name.lower().endswith(WALKED) and not name.startswith((".", "~$"))
                            and name.lower().rsplit(".", 1)[0] not in NOT_CONTRACTS):
                        yield os.path.join(root, name)
        else:
            yield path
