"""PDF: the text layer, page by page (pypdf). No OCR: a scan without text is an error."""

from __future__ import annotations

import io
import logging

from ndalint.errors import InputError
from ndalint.ingest.document import Block, Document


def read_pdf(data: bytes, path: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if not data.lstrip().startswith(b"%PDF"):
        raise InputError("PDF として読めません（PDF のヘッダーがありません）")
    # pypdf logs recoverable damage as warnings; the user gets our one-line message instead
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # unsupported algorithm, broken encryption dictionary
                opened = 0
            if not opened:
                raise InputError("パスワードで保護（暗号化）された PDF です。保護を解除してから再実行してください")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except FileNotDecryptedError:
        raise InputError("パスワードで保護（暗号化）された PDF です。保護を解除してから再実行してください") from None
    except (PdfReadError, Exception) as exc:  # pypdf raises many types on damaged files
        raise InputError(f"PDF として読めません（壊れているようです: {type(exc).__name__}）") from None
    if not any(p.strip() for p in pages):
        raise InputError("PDF にテキスト層がありません（スキャン画像の PDF です）。OCR でテキスト化してから再実行してください")
    blocks: list[Block] = []
    parts: list[str] = []
    pos = 0
    number = 0
    for page_no, page in enumerate(pages, start=1):
        for line in page.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            number += 1
            blocks.append(Block(pos, pos + len(line), number, page=page_no))
            parts.append(line)
            pos += len(line) + 1
    return Document(path=path, format="pdf", text="\n".join(parts), blocks=blocks, meta={"pages": len(pages)})
