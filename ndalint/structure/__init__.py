"""Document -> Contract: parties and roles, defined terms, 条・項・号, preamble, 別紙, signature."""

from __future__ import annotations

from ndalint.ingest.document import Document
from ndalint.structure.bound import mark_bound
from ndalint.structure.kinds import classify_kind
from ndalint.structure.layout import build_layout
from ndalint.structure.model import Article, Contract, DefinedTerm, Item, Overrides, Paragraph, Party, Section
from ndalint.structure.parties import find_parties, undefined_labels
from ndalint.structure.lexicon import lexicon
from ndalint.structure.resolver import Context, resolve
from ndalint.structure.terms import find_terms
from ndalint.structure.topics import context_of_kind, topics_of

__all__ = ["Article", "Contract", "DefinedTerm", "Item", "Overrides", "Paragraph", "Party", "Section", "parse"]


def parse(doc: Document, overrides: Overrides | None = None) -> Contract:
    overrides = overrides or Overrides()
    layout = build_layout(doc)
    text = doc.text
    for art in layout.articles:
        art.topics = topics_of(art.title, text[art.start : art.end])
    terms = find_terms(text, layout.body)
    preamble = (layout.preamble.start, layout.preamble.end) if layout.preamble else None
    first = (layout.articles[0].start, layout.articles[0].end) if layout.articles else None
    parties = find_parties(text, terms, preamble, first)
    parties += undefined_labels(text, layout.body, parties)
    body_text = "\n".join(text[s:e] for s, e in layout.body)
    if overrides.kind:
        kind, kind_evidence = overrides.kind, [overrides.stated_by("kind", "--kind")]
    else:
        kind, kind_evidence = classify_kind(layout.title, body_text, sum(p.kind == "individual" for p in parties),
                                            sum(p.kind == "company" for p in parties))
    parties = resolve(parties, Context(text, layout.body, layout.preamble, layout.signature, kind), overrides.parties,
                      overrides)
    mark_bound(parties, text, layout.body, lexicon().signer_aliases)
    contexts = context_of_kind(kind)
    return Contract(
        document=doc,
        title=layout.title,
        preamble=layout.preamble,
        parties=parties,
        terms=terms,
        articles=layout.articles,
        appendices=layout.appendices,
        signature=layout.signature,
        body=layout.body,
        contexts=contexts,
        kind=kind,
        kind_evidence=kind_evidence,
        kind_overridden=overrides.kind is not None,
    )
