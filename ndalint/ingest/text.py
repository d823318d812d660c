"""Plain text (.txt): each line is a block, unless the file was hard-wrapped at a fixed width
(then each logical line is, see ``wrapped``)."""

from __future__ import annotations

from ndalint.ingest.document import Document, blocks_from_lines
from ndalint.ingest.encoding import decode
from ndalint.ingest.wrapped import unwrap


def read_text(data: bytes, path: str) -> Document:
    text, encoding = decode(data)
    joined = unwrap(text)
    if joined is not None:
        text, blocks = joined
        return Document(path=path, format="txt", text=text, blocks=blocks, encoding=encoding)
    return Document(path=path, format="txt", text=text, blocks=blocks_from_lines(text), encoding=encoding)
