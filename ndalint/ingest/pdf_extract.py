"""Physical text lines of a PDF with their geometry (pypdfium2).

PDFium orders characters in reading order and inserts generated line breaks; we rebuild the lines
from its character list so each line keeps the boxes the wrap and header logic measure with.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from ndalint.errors import InputError
from ndalint.ingest.bounds import check_chars

#: Characters PDFium emits that carry no text (line-break marks, hyphenation markers, noncharacters).
_DROP = {0x02, 0x03, 0xFFFE, 0xFFFF}


@dataclass
class PhysLine:
    """One line as drawn on a page. Coordinates are PDF points, y grows upwards."""

    text: str
    page: int  # 1-based
    number: int  # 1-based, counted across the whole PDF
    left: float = 0.0
    right: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    em: float = 0.0  # typical character height: the font size, roughly
    lead_width: float = 0.0  # width of the first word (a CJK character or a Latin run)
    page_width: float = 0.0
    page_height: float = 0.0

    @property
    def has_geometry(self) -> bool:
        return self.em > 0 and self.right > self.left


def read_lines(pdf, max_chars: int | None = None) -> list[list[PhysLine]]:
    """All lines of every page of an open ``pypdfium2.PdfDocument``, page by page.

    ``max_chars``: raise InputError (the run's character limit) as soon as the pages hold more
    characters, before they are read one by one."""
    pages: list[list[PhysLine]] = []
    number = 0
    counted = 0
    for index in range(len(pdf)):
        page = pdf[index]
        width, height = page.get_size()
        textpage = page.get_textpage()
        counted += max(0, textpage.count_chars())
        if max_chars is not None and counted > max_chars:
            textpage.close()
            page.close()
            check_chars(counted)
        lines = []
        for chars in _split_lines(textpage):
            number += 1
            lines.append(_measure(chars, index + 1, number, width, height))
        pages.append(lines)
        textpage.close()
        page.close()
    return pages


Box = tuple[float, float, float, float]


def _split_lines(textpage) -> list[list[tuple[str, Box | None]]]:
    """Characters with their loose boxes, split at PDFium's line breaks (generated \\r\\n)."""
    import pypdfium2.raw as raw

    lines: list[list[tuple[str, Box | None]]] = [[]]
    pending_high = 0
    for i in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage, i)
        if code in (0x0D, 0x0A):  # PDFium ends a line with \r\n; either one closes it
            if lines[-1]:
                lines.append([])
            continue
        if code in _DROP or (code < 0x20 and code != 0x09):
            continue
        if 0xD800 <= code < 0xDC00:  # a surrogate pair arrives as two characters
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000:
            if not pending_high:
                continue  # an unpaired surrogate cannot be written out as UTF-8
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
        pending_high = 0
        box: Box | None = None
        if not raw.FPDFText_IsGenerated(textpage, i):  # generated spaces have empty boxes
            try:
                box = textpage.get_charbox(i, loose=True)
            except InputError:  # the run's time limit (deadline.TimeLimit) must not be swallowed here
                raise
            except Exception:  # a box PDFium cannot compute is just not measured
                box = None
        lines[-1].append((chr(code), box))
    return [line for line in lines if line]


def _measure(chars, page: int, number: int, width: float, height: float) -> PhysLine:
    text = "".join(c for c, _ in chars)
    boxes = [b for c, b in chars if b is not None and not c.isspace() and b[2] > b[0]]
    line = PhysLine(text=text, page=page, number=number, page_width=width, page_height=height)
    if not boxes:
        return line
    line.left = min(b[0] for b in boxes)
    line.right = max(b[2] for b in boxes)
    line.bottom = min(b[1] for b in boxes)
    line.top = max(b[3] for b in boxes)
    line.em = statistics.median(b[3] - b[1] for b in boxes)
    line.lead_width = _lead_width(chars)
    return line


def _lead_width(chars) -> float:
    """Width of what a line-breaking algorithm would have had to fit on the previous line."""
    measured = [(c, b) for c, b in chars if b is not None and not c.isspace()]
    if not measured:
        return 0.0
    first, box = measured[0]
    if not (first.isascii() and first.isalnum()):
        return box[2] - box[0]
    end = box[2]
    for c, b in measured[1:]:
        if not (c.isascii() and c.isalnum()):
            break
        end = b[2]
    return end - box[0]
