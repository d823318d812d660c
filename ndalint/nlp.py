"""Contract -> Analysis: sentences mapped to their clause, tokenised by GiNZA's tokenizer, and
parsed by the full GiNZA pipeline only where a rule asks for it.

Two tiers, because the statistical components cost ~1,000x the tokenizer (see DESIGN, Speed):

- ``tokens``: SudachiPy split mode C through ``spacy.blank("ja")``, configured exactly as
  ``ja_ginza``'s tokenizer, so lemmas, norms and tags are the ones GiNZA would give. Loads in
  milliseconds; every sentence gets it.
- ``parse``: ``spacy.load("ja_ginza")`` (parser, NER, morphologizer), loaded on first use, once per
  process, and run only on the sentences passed to ``Analysis.parse``.

Both tiers are cached per process by sentence text, so a sentence shared by many documents
(boilerplate) is analysed once in a batch.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ndalint.structure import Article, Contract, Item, Paragraph

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

GINZA_MODEL = "ja_ginza"
# SudachiPy refuses inputs over 49,149 bytes; sentences are far shorter, but a line of a
# broken PDF need not be. 12,000 characters of 4-byte UTF-8 stays under the limit.
_MAX_CHARS = 12_000
_OPEN = "「『（(［[【〔"
_DIRECTIVE = re.compile(r"ndalint-(disable|enable)")  # suppression comments: about the contract, not in it
_CLOSE = "」』）)］]】〕"


class Pipeline:
    """Lazily built spaCy pipelines, shared by every document in the process."""

    def __init__(self) -> None:
        self._tokenizer: Language | None = None
        self._full: Language | None = None
        self._lock = threading.Lock()

    @property
    def tokenizer(self) -> Language:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import spacy

                    self._tokenizer = spacy.blank("ja", config={"nlp": {"tokenizer": {"split_mode": "C"}}})
        return self._tokenizer

    @property
    def full(self) -> Language:
        if self._full is None:
            with self._lock:
                if self._full is None:
                    import spacy

                    try:
                        self._full = spacy.load(GINZA_MODEL)
                    except OSError as exc:  # the model package is a normal dependency; say so
                        raise RuntimeError(
                            f"GiNZA model '{GINZA_MODEL}' is not installed: pip install ja-ginza ({exc})"
                        ) from None
        return self._full

    @property
    def full_loaded(self) -> bool:
        return self._full is not None


PIPELINE = Pipeline()


class _LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[str, Doc] = OrderedDict()

    def get(self, key: str) -> Doc | None:
        doc = self.data.get(key)
        if doc is not None:
            self.data.move_to_end(key)
        return doc

    def put(self, key: str, doc: Doc) -> None:
        self.data[key] = doc
        if len(self.data) > self.size:
            self.data.popitem(last=False)


_TOKENS = _LRU(20_000)
_PARSES = _LRU(5_000)


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Sentence:
    """One sentence of contract text and the clause that holds it."""

    index: int
    start: int
    end: int
    text: str
    article: Article | None
    paragraph: Paragraph | None
    item: Item | None
    section: str  # preamble | article | signature | appendix | other
    heading: bool = False  # the line only names a clause: 第9条（損害賠償及び違約金）, （目的）
    directive: bool = False  # an ndalint-disable/-enable comment: about the contract, not part of it


_HEADING = re.compile(r"^(?:#{1,6}\s*)?(?:第\s*[0-9０-９一二三四五六七八九十百]+\s*条(?:の[0-9０-９一二三四五六七八九十]+)?\s*)?"
                      r"[（(][^）)\n]{1,40}[）)]\s*$|^(?:#{1,6}\s*)?第\s*[0-9０-９一二三四五六七八九十百]+\s*条\s*$")


def split_sentences(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Split at 。 (outside brackets, so 「以下「甲」という。」 stays whole) and at line ends."""
    depth = 0
    s = start
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch == "\n" or (ch == "。" and depth == 0) or i - s >= _MAX_CHARS:
            stop = i + 1 if ch == "。" else i
            if text[s:stop].strip():
                yield s, stop
            s = i + 1
            if ch == "\n":
                depth = 0
    if text[s:end].strip():
        yield s, end


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\u3000":
        s += 1
    while e > s and text[e - 1] in " \t\u3000\n":
        e -= 1
    return s, e


@dataclass
class Analysis:
    """The shared analysis of one contract; every rule reads this, none recomputes it."""

    contract: Contract
    sentences: list[Sentence] = field(default_factory=list)
    pipeline: Pipeline = PIPELINE

    @classmethod
    def of(cls, contract: Contract, pipeline: Pipeline = PIPELINE) -> Analysis:
        text = contract.text
        sentences: list[Sentence] = []
        for span_start, span_end in contract.body:
            for s, e in split_sentences(text, span_start, span_end):
                s, e = _trim(text, s, e)
                if s >= e:
                    continue
                article = contract.article_at(s)
                paragraph = article.paragraph_at(s) if article else None
                item = next((it for it in paragraph.items if it.start <= s < max(it.end, it.start + 1)), None) if paragraph else None
                sentences.append(Sentence(len(sentences), s, e, text[s:e], article, paragraph, item,
                                          _section(contract, s, article), bool(_HEADING.match(text[s:e])),
                                          _DIRECTIVE.search(text[s:e]) is not None))
        return cls(contract=contract, sentences=sentences, pipeline=pipeline)

    def tokens(self, sentence: Sentence) -> Doc:
        """Tokenizer tier: lemma, norm, tag, pos, morph (cheap; all sentences)."""
        key = _key(sentence.text)
        doc = _TOKENS.get(key)
        if doc is None:
            doc = self.pipeline.tokenizer(sentence.text)
            _TOKENS.put(key, doc)
        return doc

    def parse(self, sentences: Iterable[Sentence]) -> dict[int, Doc]:
        """Full GiNZA tier (dependencies, entities) for just these sentences, batched."""
        out: dict[int, Doc] = {}
        todo: list[Sentence] = []
        for s in sentences:
            doc = _PARSES.get(_key(s.text))
            if doc is None:
                todo.append(s)
            else:
                out[s.index] = doc
        if todo:
            nlp = self.pipeline.full
            for s, doc in zip(todo, nlp.pipe([s.text for s in todo], batch_size=64)):
                _PARSES.put(_key(s.text), doc)
                out[s.index] = doc
        return out


def _section(contract: Contract, offset: int, article: Article | None) -> str:
    if article:
        return "article"
    if contract.preamble and contract.preamble.start <= offset < contract.preamble.end:
        return "preamble"
    if contract.signature and contract.signature.start <= offset <= contract.signature.end:
        return "signature"
    if any(a.start <= offset <= a.end for a in contract.appendices):
        return "appendix"
    return "other"
