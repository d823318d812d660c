"""Rich Text Format (.rtf): text through striprtf, decoded with the code page the file declares.

Japanese RTF written by Word or WordPad stores kanji as ``\\'xx`` byte pairs in the ANSI code
page named by ``\\ansicpgNNN`` (932, Shift_JIS) and the rest as ``\\uN`` escapes; striprtf
decodes both once it is told the code page.
"""

from __future__ import annotations

import re

from ndalint.errors import InputError
from ndalint.ingest.document import Document, blocks_from_lines

_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def read_rtf(data: bytes, path: str) -> Document:
    from striprtf.striprtf import rtf_to_text

    m = _CODEPAGE.search(data[:4096])
    encoding = f"cp{m.group(1).decode()}" if m else "cp932"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp932"
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except InputError:  # the run's time limit (deadline.TimeLimit) keeps its message
        raise
    except Exception as exc:  # striprtf raises plain Python errors on malformed groups
        raise InputError(f"RTF として読めません（壊れているようです: {type(exc).__name__}）") from None
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip("\n")
    if not text.strip():
        raise InputError("RTF 文書に本文がありません")
    return Document(path=path, format="rtf", text=text, blocks=blocks_from_lines(text), encoding=encoding)
