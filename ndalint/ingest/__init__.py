"""Source file -> Document. One reader per format, chosen by what the bytes are (``formats.sniff``)."""

from __future__ import annotations

import importlib
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from ndalint import limits
from ndalint.errors import InputError
from ndalint.ingest.bounds import check_size, check_text
from ndalint.ingest.document import Block, Document, Location
from ndalint.ingest.formats import DOCX_VIEWS, sniff
from ndalint.ingest.markdown import read_markdown
from ndalint.ingest.text import read_text

__all__ = ["DOCX_VIEWS", "INTERNAL", "READERS", "Block", "Document", "Location", "check_size", "check_text", "discover",
           "load", "load_bytes", "read_bytes", "reading"]

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
#: Suffixes a directory walk picks up (the design's list plus the other word-processor formats).
WALKED = (".txt", ".md", ".docx", ".pdf", ".rtf", ".odt")
#: Repository documents that sit beside contracts and are not contracts (named files still lint).
NOT_CONTRACTS = ("readme", "changelog", "contributing", "license", "licence", "code_of_conduct", "security")
STDIN = "-"
#: How an error no reader anticipated starts (the fuzz tests assert that no input reaches it).
INTERNAL = "読み込み中に予期しないエラーが発生しました"


def load_bytes(data: bytes, path: str, suffix: str | None = None, *, docx_view: str = "accepted") -> Document:
    """Read one document from memory (stdin, web uploads). Raises InputError."""
    check_size(len(data))
    if not data:
        raise InputError("ファイルが空です（0 バイト）")
    if docx_view not in DOCX_VIEWS:
        raise ValueError(f"unknown docx view {docx_view!r}; expected one of {DOCX_VIEWS}")
    with reading():
        fmt = sniff(data, suffix or "")
        reader = partial(read_docx, view=docx_view) if fmt == "docx" else READERS["." + fmt]
        doc = reader(data, path)
    check_text(doc.text)
    return doc


@contextmanager
def reading() -> Iterator[None]:
    """The last-resort net of every reader: whatever a reader raises becomes a one-line InputError
    (the file is refused, the batch goes on); a reader's bug costs one file, never the run."""
    try:
        yield
    except InputError:
        raise
    except RecursionError:
        raise InputError("入れ子が深すぎて読めません（要素が異常に深く入れ子になっています）") from None
    except MemoryError:
        raise InputError("メモリが足りず読めません（ファイルの内容が大きすぎます）") from None
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"{INTERNAL}（{type(exc).__name__}）。ndalint の不具合の可能性があります") from None


def load(path: str, *, docx_view: str = "accepted", stdin_name: str | None = None) -> Document:
    """Read one file (or ``-`` for standard input) into a Document. Raises InputError.

    ``stdin_name`` is what an editor calls the buffer it pipes in: the report's path, and the
    extension that hints the format."""
    if path == STDIN:
        # at most one byte past the limit: an endless pipe is refused, not read into memory
        data = sys.stdin.buffer.read(limits.current().bytes + 1)
        return load_bytes(data, stdin_name or "<stdin>", Path(stdin_name).suffix if stdin_name else None,
                          docx_view=docx_view)
    data = read_bytes(path)
    return load_bytes(data, path, Path(path).suffix, docx_view=docx_view)


def read_bytes(path: str) -> bytes:
    """The bytes of one file, within the size limit. Raises InputError with a one-line reason."""
    p = Path(path)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise InputError("ディレクトリです")
        if not stat.S_ISREG(st.st_mode):  # /dev/zero never ends; opening a named pipe waits for a writer
            raise InputError("通常のファイルではありません（デバイス・名前付きパイプ・ソケットは読めません）")
        check_size(st.st_size)
        with p.open("rb") as f:
            data = f.read(limits.current().bytes + 1)
        check_size(len(data))  # a file that grew after it was measured
        return data
    except FileNotFoundError:
        raise InputError("ファイルが見つかりません") from None
    except PermissionError:
        raise InputError("ファイルを読む権限がありません") from None
    except IsADirectoryError:
        raise InputError("ディレクトリです") from None
    except OSError as exc:
        raise InputError(f"ファイルを読めません（{exc.strerror or exc}）") from None



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
