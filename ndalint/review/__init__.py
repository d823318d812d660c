"""The Word review copy: the draft given back with a comment on the words of each finding and,
with ``redline``, each rule's concrete rewording as a tracked change that Word can accept or reject.

Data flow: the .docx is read in the accepted view while the reader records where every character
of the text is in the body XML (``ingest.docx.open_for_review``); the ordinary pipeline lints that
text; this package then edits the body in place (``textmap`` splits runs, ``markup`` adds marks,
comments and revisions) and writes a package in which every other part is the input's own bytes
(``package``).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ndalint.errors import InputError
from ndalint.ingest import check_size, check_text, reading
from ndalint.ingest.formats import sniff
from ndalint.lint import Engine, lint_document
from ndalint.report.model import DocumentReport, Edit, Finding
from ndalint.review.markup import Stamp, anchor_comment, comment, tracked_edit
from ndalint.review.notes import finding_note, summary_note
from ndalint.review.package import Package, max_id
from ndalint.review.textmap import TextMap
from ndalint.rules.fixes import compatible
from ndalint.structure.model import Overrides

__all__ = ["Review", "ReviewOptions", "review"]


@dataclass(frozen=True)
class ReviewOptions:
    redline: bool = False
    author: str = "ndalint"
    initials: str | None = None  # default: from the author's name
    date: str | None = None  # ISO 8601 as Word writes it; default: now (UTC)

    def stamp(self) -> Stamp:
        date = self.date or datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        return Stamp(self.author, self.initials or _initials(self.author), date)


def _initials(author: str) -> str:
    words = author.split()
    if len(words) > 1:
        return "".join(w[0] for w in words)[:3].upper()
    return author[:2].upper() if author.isascii() else author[:1]


@dataclass
class Review:
    data: bytes  # the review copy (.docx); empty for a document not recognised as a contract
    report: DocumentReport
    comments: int = 0  # findings commented on the words they are about
    edits: list[Edit] = field(default_factory=list)  # the rewordings made tracked changes (with redline)
    unplaced: list[Finding] = field(default_factory=list)  # listed in the summary comment instead

    @property
    def revisions(self) -> int:
        return len(self.edits)


def review(data: bytes, path: str, engine: Engine | None, overrides: Overrides | None = None,
           options: ReviewOptions = ReviewOptions()) -> Review:
    """Lint a .docx and return its review copy. Raises InputError (not a .docx, unreadable). A document
    that is not recognised as a contract has no copy: ``data`` is empty and the report says why."""
    from ndalint.ingest.docx import open_for_review  # python-docx: only for Word work

    check_size(len(data))
    if sniff(data, os.path.splitext(path)[1]) != "docx":
        raise InputError("Word 文書（.docx）ではありません。レビュー用の写しは .docx についてだけ作成できます")
    with reading():  # the same net as every other read: a broken package is refused in one line
        doc, source = open_for_review(data, path)
    check_text(doc.text)
    report = lint_document(doc, engine, overrides)
    if report.status != "ok":
        return Review(data=b"", report=report)

    root = source.package.element  # w:document
    package = Package(data, str(source.package.part.partname))
    comments = package.comments_root()
    ids = itertools.count(max_id(root, comments) + 1)
    styles = package.style_ids()
    stamp = options.stamp()
    textmap = TextMap(source.pieces, doc.text, root)
    result = Review(data=b"", report=report)

    # revisions first: they split runs, and the comments are then anchored on the split runs
    redlined: set[int] = set()
    if options.redline:
        by_edit = {id(f.fix): i for i, f in enumerate(report.findings) if f.fix}
        for e in compatible(f.fix for f in report.findings if f.fix):
            if tracked_edit(textmap, e.start, e.end, e.replacement, ids, stamp):
                result.edits.append(e)
                redlined.add(by_edit[id(e)])

    summary_id = next(ids)
    summary_placed = _anchor_title(textmap, report, doc, summary_id, styles)
    notes_start = int(doc.meta.get("notes_start", len(doc.text)))  # type: ignore[call-overload]
    placed = []
    for i, f in enumerate(report.findings):
        cid = next(ids)
        if f.start < notes_start and anchor_comment(textmap, cid, f.start, max(f.end, f.start + 1), styles):
            placed.append(comment(cid, finding_note(f, i in redlined), stamp, styles))
        else:
            result.unplaced.append(f)
    result.comments = len(placed)
    if summary_placed:
        comments.append(comment(summary_id, summary_note(report, result.revisions, result.unplaced), stamp, styles))
    for c in placed:
        comments.append(c)
    package.set_document(root)
    package.set_comments(comments)
    result.data = package.write()
    return result


def _anchor_title(textmap: TextMap, report: DocumentReport, doc, cid: int, styles: set[str]) -> bool:
    """The summary comment goes on the title (else on the first paragraph with text)."""
    blocks = [b for b in doc.blocks if doc.block_text(b).strip()]
    title = (report.title or "").strip()
    block = next((b for b in blocks if title and title in doc.block_text(b)), blocks[0] if blocks else None)
    return block is not None and anchor_comment(textmap, cid, block.start, block.end, styles)
