"""Source file -> Document. One reader per format, chosen by what the bytes are (``formats.sniff``)."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

from ndalint import limits
from ndalint.errors import InputError
from ndalint.ingest.document import Block, Document, Location
from ndalint.ingest.formats import DOCX_VIEWS, sniff
from ndalint.ingest.markdown import read_markdown
from ndalint.ingest.text import read_text

__all__ = ["DOCX_VIEWS", "Block", "Document", "Location", "READERS", "discover", "load", "load_bytes", "read_bytes"]

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


def check_size(size: int) -> None:
    """Raise InputError when a file of ``size`` bytes is past the run's limit."""
    limit = limits.current().bytes
    if size > limit:
        raise InputError(f"ファイルが大きすぎます（{_mib(size)}、上限 {_mib(limit)}。--limit bytes=… で変更できます）")


def check_text(text: str) -> None:
    limit = limits.current().chars
    if len(text) > limit:
        raise InputError(f"本文が長すぎます（{len(text):,} 文字、上限 {limit:,} 文字。--limit chars=… で変更できます）")


def _mib(size: int) -> str:
    return f"{size / limits.MIB:.1f} MiB" if size < 10 * limits.MIB else f"{size // limits.MIB} MiB"


def load_bytes(data: bytes, path: str, suffix: str | None = None, *, docx_view: str = "accepted") -> Document:
    """Read one document from memory (stdin, web uploads). Raises InputError."""
    check_size(len(data))
    fmt = sniff(data, suffix or "")
    reader = partial(read_docx, view=docx_view) if fmt == "docx" else READERS["." + fmt]
    doc = reader(data, path)
    check_text(doc.text)
    return doc


def load(path: str, *, docx_view: str = "accepted", stdin_name: str | None = None) -> Document:
    """Read one file (or ``-`` for standard input) into a Document. Raises InputError.

    ``stdin_name`` is what an editor calls the buffer it pipes in: the report's path, and the
    extension that hints the format."""
    if path == STDIN:
        return load_bytes(sys.stdin.buffer.read(), stdin_name or "<stdin>", Path(stdin_name).suffix if stdin_name else None,
                          docx_view=docx_view)
    data = read_bytes(path)
    return load_bytes(data, path, Path(path).suffix, docx_view=docx_view)


def read_bytes(path: str) -> bytes:
    """The bytes of one file, within the size limit. Raises InputError with a one-line reason."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise InputError("ディレクトリです")
        check_size(size)
        return p.read_bytes()
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
