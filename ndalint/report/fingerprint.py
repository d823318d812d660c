"""The identity of a finding across versions of a document (SARIF fingerprints, ``ndalint diff``).

A finding is the rule, the article it stands in and the matched words (NFKC, whitespace
removed), hashed; not its line, so it keeps its identity when clauses above it are added or
removed. The same words twice in one article are told apart by a running count (``digest:2``).
"""

from __future__ import annotations

import hashlib
import unicodedata

from ndalint.report.model import DocumentReport, Finding

_OWN = object()  # the finding's own article number


def normalised(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def matched_text(doc: DocumentReport, f: Finding) -> str:
    return doc.text[f.start : f.end] if doc.text is not None else f.excerpt


def fingerprint(doc: DocumentReport, f: Finding, seen: dict[str, int], article: object = _OWN) -> str:
    """``digest:n``. ``article`` replaces the finding's article number in the key: a diff passes
    the number the article has in the other version, so a renumbered clause keeps its findings."""
    art = f.article if article is _OWN else article
    key = f"{f.rule_id}|{art if art is not None else '-'}|{normalised(matched_text(doc, f))}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1  # the same words twice in one article stay distinct
    return f"{digest}:{seen[digest]}"
