"""Word (.docx): the text as Word displays it, in reading order, numbering labels rebuilt.

python-docx opens the package; the body XML is walked with lxml (``docx_text``) because
python-docx lists paragraphs and tables separately (their interleaving is the reading order)
and its ``Paragraph.text`` misses runs inside tracked changes, content controls and fields.

Layout of ``Document.text``: body paragraphs (a text box's paragraphs right after the paragraph
that anchors it), then footnotes and endnotes as an appendix from ``meta["notes_start"]``.
Headers, footers and comments are never part of the text. Each comment anchored in the text is
recorded in ``meta["comment_ranges"]``: ``{"id", "author", "text", "start", "end"}``, the
character range it is attached to (``commentRangeStart``/``commentRangeEnd``; a comment without a
range is the point of its reference mark, ``start == end``). ``suppress`` reads directives there.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from ndalint.errors import InputError
from ndalint.ingest.docx_parts import NOTE_KINDS, HeadingLevels, comment_count, comment_texts, notes, revision_counts
from ndalint.ingest.docx_text import PPR, StoryReader, comment_marks_before, mark_removed, properties, walk
from ndalint.ingest.document import BlockBuilder, BlockKind, Document
from ndalint.ingest.formats import DOCX_VIEWS, OLE_MAGIC
from ndalint.ingest.numbering import NumberingState
from ndalint.ingest.package import check_zip

_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


def _open(data: bytes):
    import docx  # python-docx; imported here so that txt/md runs never pay for it

    if data.startswith(OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise InputError("パスワードで保護（暗号化）された Word 文書です。保護を解除してから再実行してください")
        raise InputError("旧形式の Word 文書（.doc）には対応していません。.docx で保存し直してください")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError("docx として読めません（ZIP 形式ではありません。壊れているか、別形式のファイルです）")
    check_zip(data, "Word 文書")  # zip bombs: before python-docx inflates anything
    try:
        # python-docx parses every part with resolve_entities=False and lxml's no_network default:
        # entities are never expanded, external ones never fetched (tests/test_adversarial.py)
        return docx.Document(io.BytesIO(data))
    except InputError:  # the run's time limit (deadline.TimeLimit) is one, and keeps its message
        raise
    except Exception as exc:  # python-docx raises many types for broken packages
        raise InputError(_broken(exc)) from None


def _broken(exc: Exception) -> str:
    from lxml import etree

    if isinstance(exc, etree.XMLSyntaxError) and any(w in str(exc) for w in ("amplification", "entity reference loop")):
        return "docx として読めません（XML の実体参照を展開すると巨大になる、細工された文書です）"
    if isinstance(exc, etree.XMLSyntaxError):
        return "docx として読めません（壊れた Word 文書です: XML の構文エラー）"
    return f"docx として読めません（壊れた Word 文書です: {type(exc).__name__}）"


class _Reader:
    """One document in one view: walks stories and emits their paragraphs as blocks."""

    def __init__(self, doc, view: str, trace: bool = False) -> None:
        self.view = view
        #: with ``trace``: (offset in ``Document.text``, element) for every piece of text, in order
        self.trace: list[tuple[int, object]] | None = [] if trace else None
        self.numbering = NumberingState.from_document(doc)
        self.headings = HeadingLevels(_styles(doc))
        self.out = BlockBuilder()
        #: comment id -> {"start" | "end" | "ref": offset in the text}, the first of each kind met
        self.anchors: dict[str, dict[str, int]] = {}

    def story(self, container, reader: StoryReader, numbered: bool = True, prefix: str = "") -> None:
        """Emit the paragraphs of ``container``; a paragraph whose mark is absent in this view joins the next."""
        pending: list[str] = []
        pending_boxes: list[object] = []
        pending_marks: list[tuple[str, str, int]] = []
        pending_pieces: list[tuple[int, object]] = []
        for p, in_table in walk(container, self.view):
            text, boxes, toc_copy = reader.paragraph(p)
            marks = comment_marks_before(p) + reader.marks
            pieces = reader.pieces or []
            ppr = p.find(PPR)
            if mark_removed(p, ppr, self.view):
                at = sum(map(len, pending))
                pending_marks += [(kind, cid, at + off) for kind, cid, off in marks]
                pending_pieces += [(at + off, el) for off, el in pieces]
                pending.append(text)
                pending_boxes.extend(boxes)
                continue  # nor does it advance numbering: Word shows no such paragraph
            if pending:
                at = sum(map(len, pending))
                marks = pending_marks + [(kind, cid, at + off) for kind, cid, off in marks]
                pieces = pending_pieces + [(at + off, el) for off, el in pieces]
                text, boxes = "".join(pending) + text, pending_boxes + boxes
                pending, pending_boxes, pending_marks, pending_pieces = [], [], [], []
            elif toc_copy:
                continue  # a paragraph of a table-of-contents field: a copy of the headings
            # the joined paragraph keeps the properties of the mark that survives: this one
            self._paragraph(properties(ppr, self.view), text, in_table, numbered, prefix, marks, pieces)
            for box in boxes:  # a text box reads as its own paragraphs right after its anchor
                self.story(box, StoryReader(self.view, self.trace is not None), numbered)

    def _paragraph(self, ppr, text: str, in_table: bool, numbered: bool, prefix: str,
                   marks: list[tuple[str, str, int]] = (), pieces: list[tuple[int, object]] = ()) -> None:
        numbers = self.numbering.number(ppr) if numbered else None
        label = numbers[0] if numbers else None
        shift = 0  # how far the paragraph's own text moves: a numbering label or a note mark before it
        if numbers:
            shift = len(label) + len(numbers[1])
            text = f"{label}{numbers[1]}{text}"
        if prefix:
            stripped = text.lstrip()
            shift += len(prefix) - (len(text) - len(stripped))
            text = prefix + stripped
        for kind, cid, off in marks:
            local = max(len(prefix), min(len(text), off + shift))
            local -= text.count("\r", 0, local)  # BlockBuilder drops carriage returns
            self.anchors.setdefault(cid, {}).setdefault(kind, self.out.pos + local)
        if self.trace is not None:
            for off, el in pieces:
                local = off + shift
                self.trace.append((self.out.pos + local - text.count("\r", 0, local), el))
        level = self.headings.of(ppr) if numbered else 0
        kind: BlockKind = "heading" if level else "table" if in_table else "list" if label else "line"
        if prefix:
            kind = "line"  # a note: the structure stage finds the appendix from meta["notes_start"]
        self.out.add(text, kind=kind, level=level, label=label)

    def comment_ranges(self, doc) -> list[dict[str, object]]:
        """The comments anchored in the text read, with the range each is attached to."""
        end_of_text = max(0, self.out.pos - 1)
        out = []
        for cid, (author, text) in comment_texts(doc, self.view).items():
            at = self.anchors.get(cid)
            if not at:
                continue  # anchored in text this view does not show (a deleted passage), or nowhere
            start = at.get("start", at.get("ref", at.get("end")))
            end = at.get("end", at.get("ref", end_of_text))
            start, end = min(start, end), max(start, end)
            out.append({"id": cid, "author": author, "text": text, "start": start, "end": end})
        return sorted(out, key=lambda c: (c["start"], c["end"]))

    def appendix(self, doc, body) -> list[object]:
        """Footnotes, then endnotes, each paragraph a block prefixed with its mark (注1). Returns the notes."""
        read: list[object] = []
        for ref_tag, note_tag, reltype, mark in NOTE_KINDS:
            for n, note in enumerate(notes(doc, body, reltype, note_tag, ref_tag), start=1):
                self.story(note, StoryReader(self.view), numbered=False, prefix=f"{mark}{n}\u3000")
                read.append(note)
        return read


def _styles(doc):
    try:
        return doc.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        return None


def read_docx(data: bytes, path: str, view: str = "accepted") -> Document:
    """Read a .docx as Word shows it: ``view`` "accepted" (all tracked changes accepted, Word's
    "no markup") or "original" (tracked changes rejected). Raises InputError, or ValueError for
    an unknown view."""
    return _read(data, path, view)[0]


@dataclass
class Source:
    """A .docx opened for editing: the package as python-docx parsed it, and where each piece of
    ``Document.text`` is in the body XML (``pieces``: offset, ``w:t`` or one-character element)."""

    package: object
    pieces: list[tuple[int, object]]


def open_for_review(data: bytes, path: str) -> tuple[Document, Source]:
    """Read a .docx in the accepted view, keeping the parsed package and the text-to-XML map."""
    doc, reader, package = _read(data, path, "accepted", trace=True)
    return doc, Source(package=package, pieces=reader.trace or [])


def _read(data: bytes, path: str, view: str, trace: bool = False):
    if view not in DOCX_VIEWS:
        raise ValueError(f"unknown docx view {view!r}; expected one of {DOCX_VIEWS}")
    doc = _open(data)
    body = doc.element.body
    reader = _Reader(doc, view, trace)
    reader.story(body, StoryReader(view, trace))
    if not reader.out.text.strip():
        raise InputError("Word 文書に本文がありません")
    body_end, body_blocks = reader.out.pos, len(reader.out.blocks)
    appended = reader.appendix(doc, body)
    text = reader.out.text
    insertions, deletions = revision_counts(body, *appended)
    meta: dict[str, object] = {
        "view": view,
        "insertions": insertions,  # tracked-change counts are of the file, whichever view is read
        "deletions": deletions,
        "comments": comment_count(doc, body),
        "comment_ranges": reader.comment_ranges(doc),  # what each comment says and the text it is on
        "footnotes": len(appended),  # footnotes and endnotes, appended after the body
        # text[notes_start:] is the appendix (none when the notes referred to hold no paragraph)
        "notes_start": body_end if len(reader.out.blocks) > body_blocks else len(text),
    }
    return Document(path=path, format="docx", text=text, blocks=reader.out.blocks, meta=meta), reader, doc
