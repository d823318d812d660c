"""The format-independent result of ingestion: text plus a map back to the source."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from ndalint import limits
from ndalint.ingest.bounds import check_chars

BlockKind = Literal["line", "heading", "fence", "list", "table"]


@dataclass(frozen=True)
class Block:
    """One physical unit of the source: a line (txt, md, pdf) or a paragraph (docx).

    ``start``/``end`` are offsets into ``Document.text``; blocks are separated by one ``\\n``.
    ``number`` is what a user would look for in the source: the line number (txt, md, pdf)
    or the paragraph number (docx).
    """

    start: int
    end: int
    number: int
    kind: BlockKind = "line"
    level: int = 0  # heading level (Markdown #, Word "Heading N")
    label: str | None = None  # Word auto-numbering text, already prefixed to the block text
    page: int | None = None
    fenced: bool = False  # Markdown: inside a ``` code fence
    marker: bool = False  # Markdown: a fence line itself, carries no text
    # PDF: a logical line joined from wrapped physical lines; for each further physical line,
    # (offset within the block where it starts, its line number, its page).
    breaks: tuple[tuple[int, int, int | None], ...] = ()


@dataclass(frozen=True)
class Location:
    line: int
    column: int
    page: int | None = None


@dataclass
class Document:
    path: str
    format: str  # txt | md | docx | pdf
    text: str
    blocks: list[Block]
    encoding: str | None = None
    meta: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._starts = [b.start for b in self.blocks]

    @property
    def unit(self) -> str:
        """What ``Location.line`` counts in this format."""
        return "paragraph" if self.format == "docx" else "line"

    def block_at(self, offset: int) -> Block:
        if not self.blocks:
            raise ValueError("document has no blocks")
        i = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self.blocks[i]

    def locate(self, offset: int) -> Location:
        """Map a character offset to the line (or docx paragraph) and 1-based column.

        In a block joined from several physical lines (PDF) the line, column and page are those of
        the physical line the offset falls on.
        """
        b = self.block_at(offset)
        line, start, page = b.number, b.start, b.page
        for at, number, on_page in b.breaks:
            if offset < b.start + at:
                break
            line, start, page = number, b.start + at, on_page
        return Location(line=line, column=offset - start + 1, page=page)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]


class BlockBuilder:
    """Collects blocks and their text for readers whose units are paragraphs or joined lines
    (docx, odt, pdf): blocks are separated by one newline, so a unit never keeps one of its own."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.pos = 0
        #: the run's character limit, enforced as the text grows: a small package that expands
        #: (numbering labels repeated on every paragraph) is refused before it fills memory
        self.max_chars = limits.current().chars

    def add(self, text: str, number: int | None = None, **attrs: object) -> None:
        text = text.replace("\r", "").replace("\n", " ")
        number = number if number is not None else len(self.blocks) + 1
        self.blocks.append(Block(self.pos, self.pos + len(text), number, **attrs))  # type: ignore[arg-type]
        self.parts.append(text)
        self.pos += len(text) + 1
        if self.pos - 1 > self.max_chars:
            check_chars(self.pos - 1)

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def blocks_from_lines(text: str, **attrs: object) -> list[Block]:
    """Blocks for text whose lines are its units (txt, pdf pages)."""
    blocks = []
    pos = 0
    for number, line in enumerate(text.split("\n"), start=1):
        blocks.append(Block(start=pos, end=pos + len(line), number=number, **attrs))  # type: ignore[arg-type]
        pos += len(line) + 1
    return blocks
