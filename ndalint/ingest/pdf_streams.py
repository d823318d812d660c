"""Measure what a PDF's compressed streams inflate to, before PDFium inflates them.

PDFium decodes a page's content stream whole: a 2 MB PDF whose content stream deflates to
2 GB takes 5 GB of memory to extract five letters. The streams are inflated here first, in
bounded chunks, and counted against ``limits.current().unpacked`` (as a .docx's parts are).

Images are not counted: text extraction never decodes them, and a scanned contract with an OCR
layer is legitimately hundreds of megabytes of pixels. Streams behind filters that cannot be
measured cheaply (LZW, run-length, or encrypted streams) are not counted either; the run's
timeout is the bound for those rare files.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from ndalint import limits
from ndalint.ingest.bounds import unpacked_error

# "stream" after a dictionary, then CRLF or LF (ISO 32000-1 §7.3.8.1); not the end of "endstream"
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")  # a lone CR is wrong, and PDFium reads it
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_DICT_WINDOW = 1024  # how far back from "stream" its dictionary is looked for
_CHUNK = 1 << 16
_OUT = 1 << 20
_FLATE = {b"FlateDecode", b"Fl"}
_HEX = {b"ASCIIHexDecode", b"AHx"}
_A85 = {b"ASCII85Decode", b"A85"}


def check_streams(data: bytes) -> int:
    """Raise InputError when the PDF's streams (images excepted) inflate past the run's limit.
    Returns the total counted."""
    limit = limits.current().unpacked
    total = 0
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - _DICT_WINDOW) : m.start()]
        at = head.rfind(b"obj")  # this object's "N G obj" (endobj of the one before comes earlier)
        dictionary = head[at + 3 :] if at >= 0 else head
        if _IMAGE.search(dictionary):
            continue
        filters = _filters(dictionary)
        total += _inflated(data, m.end(), filters, limit - total)
        if total > limit:
            raise unpacked_error("PDF の圧縮ストリーム")
    return total


def _filters(dictionary: bytes) -> list[bytes]:
    m = _FILTER.search(dictionary)
    return _NAME.findall(m.group(1)) if m else []


def _inflated(data: bytes, start: int, filters: list[bytes], budget: int) -> int:
    """Bytes the stream at ``start`` decodes to (counting no further than ``budget + 1``), when its
    filters are ASCII decodings followed by Flate; 0 for other streams."""
    if not filters:  # no /Filter, or one we cannot read (an indirect "/Filter 9 0 R"): try Flate;
        filters = [b"FlateDecode"]  # zlib refuses what is not deflate within its two header bytes
    if not any(f in _FLATE for f in filters):
        return 0
    first_flate = next(i for i, f in enumerate(filters) if f in _FLATE)
    prefix, rest = filters[:first_flate], filters[first_flate + 1 :]
    if any(f not in _HEX | _A85 for f in prefix):
        return 0  # LZW or run-length before the Flate: not measured (see the module docstring)
    source: bytes | memoryview = memoryview(data)[start:]
    if prefix:
        end = data.find(b"endstream", start)
        raw = data[start : end if end >= 0 else len(data)]
        try:
            for f in prefix:
                raw = binascii.unhexlify(_hex_digits(raw)) if f in _HEX else _a85(raw)
        except (ValueError, binascii.Error):
            return 0
        source = memoryview(raw)
    if rest and any(f in _FLATE for f in rest):
        # Flate inside Flate: inflate the outer layer (within the budget) and measure the inner one
        inner = _inflate(source, budget, keep=True)
        if isinstance(inner, int):
            return inner
        return _inflated(inner, 0, rest, budget)
    size = _inflate(source, budget, keep=False)
    assert isinstance(size, int)
    return size


def _inflate(source, budget: int, keep: bool) -> int | bytes:
    """Inflate a zlib stream in bounded steps. ``keep``: return the bytes if they fit the budget."""
    inflater = zlib.decompressobj()
    out: list[bytes] = []
    total, pos, pending = 0, 0, b""
    try:
        while total <= budget:
            if not pending:
                if pos >= len(source) or inflater.eof:
                    break
                pending = source[pos : pos + _CHUNK]
                pos += len(pending)
            chunk = inflater.decompress(pending, _OUT)
            total += len(chunk)
            if keep:
                out.append(chunk)
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass  # not a zlib stream, or damaged: what inflated so far counts
    if keep and total <= budget:
        return b"".join(out)
    return total


def _hex_digits(raw: bytes) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", raw.split(b">", 1)[0])
    return digits + b"0" if len(digits) % 2 else digits


def _a85(raw: bytes) -> bytes:
    body = raw.split(b"~>", 1)[0]
    return base64.a85decode(re.sub(rb"\s", b"", body.removeprefix(b"<~")))
