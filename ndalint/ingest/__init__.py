"""Source file -> Document. One reader per format, chosen from a registry by suffix or content."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ndalint.errors import InputError
from ndalint.ingest.document import Block, Document, Location
from ndalint.ingest.docx import read_docx
from ndalint.ingest.markdown import read_markdown
from ndalint.ingest.pdf import read_pdf
from ndalint.ingest.text import read_text

__all__ = ["Block", "Document", "Location", "READERS", "discover", "load", "load_bytes"]

Reader = Callable[[bytes, str], Document]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".docx": read_docx,
    ".pdf": read_pdf,
}
#: Suffixes a directory walk picks up (the design's list; .text/.markdown only when named).
WALKED = (".txt", ".md", ".docx", ".pdf")
#: Repository documents that sit beside contracts and are not contracts (named files still lint).
NOT_CONTRACTS = ("readme", "changelog", "contributing", "license", "licence", "code_of_conduct", "security")
MAX_BYTES = 50 * 1024 * 1024
MAX_CHARS = 2_000_000
STDIN = "-"


def _sniff(data: bytes) -> Reader:
    if data.lstrip()[:5] == b"%PDF-":
        return read_pdf
    if data[:2] == b"PK" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return read_docx
    return read_text


def load_bytes(data: bytes, path: str, suffix: str | None = None) -> Document:
    """Read one document from memory (stdin, web uploads). Raises InputError."""
    if len(data) > MAX_BYTES:
        raise InputError(f"ファイルが大きすぎます（{len(data) // 1_048_576} MiB、上限 {MAX_BYTES // 1_048_576} MiB）")
    reader = READERS.get((suffix or "").lower()) or _sniff(data)
    if reader is read_text and data[:5] == b"%PDF-":
        reader = read_pdf
    doc = reader(data, path)
    if len(doc.text) > MAX_CHARS:
        raise InputError(f"本文が長すぎます（{len(doc.text):,} 文字、上限 {MAX_CHARS:,} 文字）")
    return doc


def load(path: str) -> Document:
    """Read one file (or ``-`` for standard input) into a Document. Raises InputError."""
    if path == STDIN:
        return load_bytes(sys.stdin.buffer.read(), "<stdin>")
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
    return load_bytes(data, path, p.suffix)


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
