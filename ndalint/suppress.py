"""Suppression comments: a reviewed clause can be accepted on purpose, with a reason.

    <!-- ndalint-disable LIAB002 -- 成果報酬型のため違約金条項を双方合意済み（法務 2026-11） -->
    <!-- ndalint-disable-next-line CONF014 -- 公知情報の除外は別紙で合意 -->
    <!-- ndalint-disable-block LIAB -- 附属書は親会社の定型条項（変更不可） -->
    …
    <!-- ndalint-enable -->
    <!-- ndalint-disable-file STAGE -- 事業化フェーズのみの契約 -->

What each covers:

- ``ndalint-disable``: the article (条) it stands in; when it stands on a line of its own directly
  above an article heading (only blank lines or other directives between), that next article. A
  directive above the first article, in the preamble, covers the first article.
- ``ndalint-disable-next-line``: the next non-empty line (a paragraph in Word) that is not itself a
  directive.
- ``ndalint-disable-block`` … ``ndalint-enable``: everything between the two. ``ndalint-enable``
  alone closes every open block, ``ndalint-enable RULE`` the blocks that name RULE; a block never
  closed runs to the end of the document.
- ``ndalint-disable-file``: the whole document.

Rules are named by id or prefix, separated by commas. A directive without a reason suppresses
nothing (FORM006). A rule name that matches no rule is reported (FORM009), and so is a named rule
that ran but had nothing to suppress where the directive reaches (FORM010, like Ruff's RUF100).

In Markdown an HTML comment keeps the directive out of the rendered contract; in plain text and
Word any line containing the directive works. In Word the directive may also be the text of a
comment (校閲 → 新しいコメント): it then covers the commented range, widened to the sentences it is
on (the article when the range is the article's heading; the paragraph for a comment without a
range), except ``ndalint-disable-file``, which covers the document. ``ndalint-enable`` in a comment
means nothing: the comment's range already ends the block.

The checks behind FORM009 and FORM010 propose candidates from the contract alone; ``apply``, which
sees the findings and the rules that ran, keeps those that hold and re-anchors them on the rule name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ndalint.report.model import Finding
from ndalint.structure.model import Contract

_SPACE = "[ \t\u3000]"
DIRECTIVE = re.compile(
    rf"ndalint-(?P<kind>disable-file|disable-next-line|disable-block|disable|enable)(?=\s|-->|$)"
    rf"(?P<rest>[^\n]*?){_SPACE}*(?:-->|$)",
    re.MULTILINE,
)
_RULES = re.compile(rf"{_SPACE}+([A-Za-z][A-Za-z0-9_]*(?:{_SPACE}*[,、，]{_SPACE}*[A-Za-z][A-Za-z0-9_]*)*)")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_SEPARATOR = re.compile(rf"{_SPACE}*(?:--|—|:|：){_SPACE}*")
_KINDS = {"disable": "article", "disable-file": "file", "disable-next-line": "next-line",
          "disable-block": "block", "enable": "enable"}
_KEYWORDS = {v: k for k, v in _KINDS.items()}
_MARKUP = re.compile(r"<!--|-->")

#: names of the rules whose candidates ``apply`` settles (the rule files may renumber them, not rename)
UNKNOWN_RULE = "unknown-rule-in-directive"
UNUSED = "unused-suppression"


@dataclass(frozen=True)
class Token:
    """A rule named in a directive, and where a finding about it is reported."""

    rule: str  # upper case: an id (LIAB002) or a prefix (LIAB)
    start: int
    end: int


@dataclass(frozen=True)
class Directive:
    kind: str  # article | next-line | block | file | enable
    tokens: tuple[Token, ...]
    reason: str
    start: int  # the directive in the text; for a Word comment, where its range begins
    end: int
    keyword_end: int  # end of "ndalint-disable…" (in the text), or start + 1 for a comment
    comment: tuple[int, int] | None = None  # the commented range, for a directive in a Word comment

    @property
    def valid(self) -> bool:
        return self.kind == "enable" or bool(self.reason)


@dataclass(frozen=True)
class Suppression:
    rules: tuple[str, ...]
    reason: str
    start: int  # characters covered, [start, end)
    end: int
    overlap: bool = False  # a Word comment: a finding that touches the range is covered
    directive: Directive | None = field(default=None, compare=False)

    def reaches(self, f: Finding) -> bool:
        if self.overlap:
            return f.start < self.end and self.start < max(f.end, f.start + 1)
        return self.start <= f.start < self.end

    def matching(self, f: Finding) -> list[str]:
        """The rules of this directive that name the finding's rule, if it lies in reach."""
        return [r for r in self.rules if f.rule_id.startswith(r)] if self.reaches(f) else []

    def covers(self, f: Finding) -> bool:
        return bool(self.matching(f))


# -- reading directives ------------------------------------------------------------------------------

def _parse(kind: str, rest: str, base: int) -> tuple[tuple[Token, ...], str]:
    """(rules, reason) of one directive; ``base`` is the offset of ``rest`` in the text it was read from."""
    tokens: list[Token] = []
    after = rest
    m = _RULES.match(rest)
    if m:
        for t in _TOKEN.finditer(m.group(1)):
            at = base + m.start(1) + t.start()
            tokens.append(Token(t.group(0).upper(), at, at + len(t.group(0))))
        after = rest[m.end():]
    sep = _SEPARATOR.match(after)
    reason = after[sep.end():].strip() if sep else ""  # words without "--" before them are no reason
    return tuple(tokens), reason


def _text_directives(text: str) -> list[Directive]:
    out = []
    for m in DIRECTIVE.finditer(text):
        tokens, reason = _parse(m.group("kind"), m.group("rest"), m.start("rest"))
        out.append(Directive(_KINDS[m.group("kind")], tokens, reason, m.start(), m.end(), m.end("kind")))
    return out


def _comment_directives(contract: Contract) -> list[Directive]:
    """Directives written as Word comments (``meta["comment_ranges"]``, see ingest/docx.py)."""
    doc = contract.document
    text = doc.text
    out = []
    for c in doc.meta.get("comment_ranges") or ():
        start, end = int(c["start"]), int(c["end"])
        if end <= start or not text[start:end].strip():  # a point comment: the paragraph it is in
            block = doc.block_at(start) if doc.blocks else None
            start, end = (block.start, block.end) if block else (start, end)
        anchor = start + len(text[start:end]) - len(text[start:end].lstrip())  # where it is reported
        for m in DIRECTIVE.finditer(str(c.get("text") or "")):
            tokens, reason = _parse(m.group("kind"), m.group("rest"), 0)
            tokens = tuple(Token(t.rule, anchor, anchor + 1) for t in tokens)
            out.append(Directive(_KINDS[m.group("kind")], tokens, reason, anchor, anchor + 1, anchor + 1,
                                 comment=(start, end)))
    return out


def parse(contract: Contract) -> list[Directive]:
    """Every directive of the document, valid or not, in the text and in Word comments."""
    text = contract.document.text
    found = _text_directives(text) if "ndalint-" in text else []
    if contract.document.meta.get("comment_ranges"):
        found += _comment_directives(contract)
    return sorted(found, key=lambda d: (d.start, d.end))


def _residue(s: str) -> str:
    """What a stretch of text says besides directives and comment markup."""
    return _MARKUP.sub("", DIRECTIVE.sub("", s)).strip(" \t\u3000\n")


def _article_scope(contract: Contract, at: int) -> tuple[int, int]:
    text = contract.document.text
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    following = next((a for a in contract.articles if a.start >= line_end), None)
    if following is not None and not _residue(text[line_start:line_end]):
        heading_line = text.rfind("\n", 0, following.start) + 1
        if not _residue(text[line_end:heading_line]):  # nothing but blank lines and directives before it
            return following.start, following.end
    art = contract.article_at(at) or next((a for a in contract.articles if a.start >= at), None)
    return (art.start, art.end) if art else (at, len(text))


def _next_line_scope(contract: Contract, d: Directive) -> tuple[int, int]:
    doc = contract.document
    if not doc.blocks:
        return d.end, d.end
    blocks = doc.blocks
    i = blocks.index(doc.block_at(d.start))
    for b in blocks[i + 1:]:
        if _residue(doc.block_text(b)):
            return b.start, b.end + 1  # the line and its end
    return d.end, d.end


def _comment_scope(contract: Contract, d: Directive) -> tuple[int, int]:
    """The sentences a comment is on (a reviewer marks a few words of the clause she accepts), or
    the article when it is on the article's heading."""
    text = contract.document.text
    start, end = d.comment  # type: ignore[misc]
    art = contract.article_at(start)
    if art is not None and end <= art.end:
        heading_end = text.find("\n", art.start)
        if start >= art.start and end <= (len(text) if heading_end < 0 else heading_end) + 1:
            return art.start, art.end
    first = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find("。", max(start, end - 1)), text.find("\n", max(start, end - 1))) if i >= 0]
    last = min(stops, default=len(text))
    return first, max(end, last + 1 if text[last:last + 1] == "。" else last)


def suppressions(contract: Contract, found: list[Directive] | None = None) -> list[Suppression]:
    """What the valid directives cover."""
    text = contract.document.text
    found = parse(contract) if found is None else found
    out: list[Suppression] = []
    open_blocks: list[Directive] = []
    closed: dict[int, int] = {}  # id of a block directive -> where its enable stands
    for d in found:
        if d.kind == "enable" and d.comment is None:
            names = {t.rule for t in d.tokens}
            for b in [b for b in open_blocks if not names or names & {t.rule for t in b.tokens}]:
                closed[id(b)] = d.start
                open_blocks.remove(b)
        elif d.kind == "block" and d.comment is None and d.valid:
            open_blocks.append(d)
    for d in found:
        if not d.valid or d.kind == "enable" or not d.tokens:
            continue
        rules = tuple(t.rule for t in d.tokens)
        if d.kind == "file":
            span, overlap = (0, len(text)), False
        elif d.comment is not None:
            span, overlap = _comment_scope(contract, d), True
        elif d.kind == "article":
            span, overlap = _article_scope(contract, d.start), False
        elif d.kind == "next-line":
            span, overlap = _next_line_scope(contract, d), False
        else:  # block
            span, overlap = (d.start, closed.get(id(d), len(text))), False
        out.append(Suppression(rules, d.reason, span[0], span[1], overlap, d))
    return out


def directives(contract: Contract) -> tuple[list[Suppression], list[int]]:
    """Valid suppressions, and the offsets of directives ignored for want of a reason."""
    found = parse(contract)
    return suppressions(contract, found), [d.start for d in found if not d.valid]


# -- candidates for FORM009 and FORM010 (checks.py) -----------------------------------------------------

@lru_cache(maxsize=1)
def builtin_rule_ids() -> frozenset[str]:
    """Ids of the built-in rules (a rule file is named after its id)."""
    from ndalint.rules.loader import BUILTIN, rule_files

    return frozenset(p.stem.upper() for p in rule_files(BUILTIN))


def _names_a_rule(token: str, ids: Iterable[str]) -> bool:
    return any(i.startswith(token) for i in ids)


def unknown_rule_spans(contract: Contract, known: Iterable[str] | None = None) -> list[tuple[int, int]]:
    """Rule names in directives that match no rule, and directives that name none at all."""
    ids = builtin_rule_ids() if known is None else frozenset(known)
    out = []
    for d in parse(contract):
        if not d.tokens and d.kind != "enable":
            out.append((d.start, d.keyword_end))
        out += [(t.start, t.end) for t in d.tokens if not _names_a_rule(t.rule, ids)]
    return sorted(set(out))


def suppression_spans(contract: Contract) -> list[tuple[int, int]]:
    """Every rule named by a valid suppression: the candidates for "unused" (``apply`` decides)."""
    return sorted({(t.start, t.end) for d in parse(contract) if d.valid and d.kind != "enable" for t in d.tokens})


# -- applying ------------------------------------------------------------------------------------------

def _restate(contract: Contract, f: Finding, token: Token) -> Finding:
    """The candidate finding moved onto one rule name, and its message naming it."""
    doc = contract.document
    loc = doc.locate(token.start)
    shown = doc.text[f.start:f.end]
    message = f.message.replace(f"「{shown}」", f"「{token.rule}」", 1) if shown else f.message
    return f.model_copy(update={"start": token.start, "end": token.end, "line": loc.line, "column": loc.column,
                                "page": loc.page, "message": message})


def apply(contract: Contract, findings: list[Finding], engine: object | None = None) -> tuple[list[Finding], int]:
    """Findings that remain, and how many were suppressed.

    ``engine`` (the rule set that ran) tells which rules exist and which ran: a directive naming a
    rule of a user's pack is known, and one naming a rule left out by --select is not "unused"."""
    found = parse(contract)
    if not found:
        return findings, 0  # and then the checks proposed no candidates either
    candidates = [f for f in findings if f.name in (UNKNOWN_RULE, UNUSED)]
    ran_rules = getattr(engine, "rules", None)
    ran = frozenset(r.id for r in ran_rules) if ran_rules is not None else None
    known = builtin_rule_ids() | (ran or frozenset())
    sups = suppressions(contract, found)

    kept: list[Finding] = []
    used: set[tuple[int, str]] = set()
    suppressed = 0
    for f in findings:
        if f.name in (UNKNOWN_RULE, UNUSED):
            continue
        hits = [(i, r) for i, s in enumerate(sups) for r in s.matching(f)]
        used.update(hits)
        if hits:
            suppressed += 1
        else:
            kept.append(f)

    # the candidates of FORM009/FORM010, each with the directive it is about
    unknown = [(t, d) for d in found for t in d.tokens if not _names_a_rule(t.rule, known)]
    unknown += [(Token("ndalint-" + _KEYWORDS[d.kind], d.start, d.keyword_end), d)
                for d in found if not d.tokens and d.kind != "enable"]

    def settle() -> list[tuple[Finding, Directive]]:
        unused = [(t, s.directive) for i, s in enumerate(sups) for t in s.directive.tokens  # type: ignore[union-attr]
                  if (i, t.rule) not in used and _names_a_rule(t.rule, known)
                  and (ran is None or _names_a_rule(t.rule, ran))]
        out = []
        for f in candidates:
            about = unknown if f.name == UNKNOWN_RULE else unused
            inside = {(t, d) for t, d in about if f.start <= t.start < max(f.end, f.start + 1)}
            out += [(_restate(contract, f, t), d) for t, d in sorted(inside, key=lambda td: (td[0].start, td[0].rule))]
        return out

    def suppressing(f: Finding, about: Directive) -> list[tuple[int, str]]:
        # a directive never hides a finding about itself: "disable-file FORM010" is not its own use
        return [(i, r) for i, s in enumerate(sups) if s.directive is not about for r in s.matching(f)]

    settled = settle()
    for _ in range(len(sups)):  # a directive naming FORM009/FORM010 is used when it hides such a finding
        more = {hit for f, d in settled for hit in suppressing(f, d)} - used
        if not more:
            break
        used |= more
        settled = settle()
    for f, d in settled:
        if suppressing(f, d):
            suppressed += 1
        else:
            kept.append(f)
    kept.sort(key=lambda f: (f.start, f.rule_id))
    return kept, suppressed
