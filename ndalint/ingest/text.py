"""Plain text (.txt): each line is a block."""

from __future__ import annotations

from ndalint.ingest.document import Document, blocks_from_lines
from ndalint.ingest.encoding import decode


def read_text(data: bytes, path: str) -> Document:
    text, encoding = decode(data)
    return Document(path=path, format="txt", text=text, blocks=blocks_from_lines(text), encoding=encoding)
