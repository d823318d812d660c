"""Plain views for rule authors: the rule list and a sentence's tokens."""

from __future__ import annotations

import json

from ndalint.nlp import PIPELINE
from ndalint.rules.engine import RuleSet


def rules_table(ruleset: RuleSet, fmt: str) -> str:
    rows = [{"id": r.id, "name": r.name, "title": r.title, "category": r.category, "severity": r.severity,
             "status": r.status, "mitigation": r.mitigation} for r in ruleset.rules]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    return "".join(f"{r['id']:<9} {r['severity']:<8} {r['name']:<40} {r['title']}\n" for r in rows)


def explain_sentence(sentence: str, parse: bool) -> str:
    doc = PIPELINE.full(sentence) if parse else PIPELINE.tokenizer(sentence)
    header = ["i", "text", "lemma", "norm", "pos", "tag"] + (["dep", "head"] if parse else [])
    lines = ["\t".join(header)]
    for t in doc:
        row = [str(t.i), t.text, t.lemma_, t.norm_, t.pos_, t.tag_]
        if parse:
            row += [t.dep_, f"{t.head.i}:{t.head.text}"]
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"
