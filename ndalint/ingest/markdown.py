"""Markdown (.md): lines are blocks; headings and code fences are marked, never removed.

The text keeps the Markdown markup so that line and column numbers match the file exactly;
the structure stage reads the block kinds (heading level, fenced) instead of the markup.
"""

from __future__ import annotations

import re

from ndalint.ingest.document import Block, Document
from ndalint.ingest.encoding import decode

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s")
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")


def read_markdown(data: bytes, path: str) -> Document:
    text, encoding = decode(data)
    blocks: list[Block] = []
    pos = 0
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        start, end = pos, pos + len(line)
        pos = end + 1
        m = _FENCE.match(line)
        if m and (fence is None or m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)):
            fence = m.group(1) if fence is None else None
            blocks.append(Block(start, end, number, kind="fence", marker=True))
            continue
        if fence is not None:
            blocks.append(Block(start, end, number, kind="fence", fenced=True))
            continue
        h = _HEADING.match(line)
        if h:
            blocks.append(Block(start, end, number, kind="heading", level=len(h.group(1))))
        else:
            blocks.append(Block(start, end, number))
    return Document(path=path, format="md", text=text, blocks=blocks, encoding=encoding)
