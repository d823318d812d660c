"""Run every rule's own examples: each ``flag`` example must produce the rule, each ``ok`` must not."""

from __future__ import annotations

from dataclasses import dataclass

from ndalint import structure
from ndalint.ingest.document import Document, blocks_from_lines
from ndalint.nlp import Analysis
from ndalint.rules.engine import Assume, RuleSet
from ndalint.rules.loader import LoadedRule
from ndalint.rules.schema import Example, Rule


@dataclass(frozen=True)
class Failure:
    rule: LoadedRule
    kind: str  # flag | ok
    index: int
    example: Example
    detail: str

    def __str__(self) -> str:
        line = self.rule.line_of("examples", self.kind, self.index)
        return f"{self.rule.path}:{line}: {self.rule.rule.id} examples.{self.kind}[{self.index}]: {self.detail}\n    {self.example.text.strip()[:120]}"


def _assume(rule: Rule, ex: Example) -> Assume:
    """By default an example is read in the situation the rule is written for."""
    bound = ex.assume.bound_party or ("individual" if rule.applies_when.bound_party == "individual" else
                                      "company" if rule.applies_when.bound_party == "company" else None)
    contexts = ex.assume.context if ex.assume.context is not None else (rule.applies_when.context[:1] or None)
    return Assume(bound_party=bound, contexts=frozenset(contexts) if contexts is not None else None)


def analyse_text(text: str) -> Analysis:
    doc = Document(path="<example>", format="txt", text=text, blocks=blocks_from_lines(text))
    return Analysis.of(structure.parse(doc))


def run_examples(ruleset: RuleSet) -> tuple[int, list[Failure]]:
    failures: list[Failure] = []
    count = 0
    for lr in ruleset.loaded:
        single = RuleSet([lr])
        rule = lr.rule
        for kind in ("flag", "ok"):
            for i, ex in enumerate(getattr(rule.examples, kind)):
                count += 1
                findings, mitigations, _ = single.run(analyse_text(ex.text), _assume(rule, ex))
                hits = mitigations if rule.mitigation else findings
                if kind == "flag" and not hits:
                    failures.append(Failure(lr, kind, i, ex, "expected the rule to fire, but it did not"))
                elif kind == "ok" and hits:
                    failures.append(Failure(lr, kind, i, ex, f"expected no finding, got one at 「{hits[0].excerpt}」"))
    return count, failures
