"""Run every rule's own examples: each ``flag`` example must produce the rule, each ``ok`` must not."""

from __future__ import annotations

from dataclasses import dataclass

from ndalint import structure
from ndalint.ingest.document import Document, blocks_from_lines
from ndalint.nlp import Analysis
from ndalint.rules.engine import Assume, RuleSet
from ndalint.rules.fixes import apply_edits
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
                elif kind == "flag" and rule.fix and not rule.mitigation:
                    failure = _check_fix(single, rule, i, ex, findings)
                    if failure:
                        failures.append(Failure(lr, kind, i, ex, failure))
    return count, failures


def _check_fix(single: RuleSet, rule: Rule, index: int, ex: Example, findings) -> str | None:
    """Accepting every tracked change the rule proposes in a flag example must silence the rule."""
    edits = [f.fix for f in findings if f.fix]
    if not edits:
        return None  # the fix does not fit this wording: the finding stays a comment
    fixed = apply_edits(ex.text, edits)
    after, _, _ = single.run(analyse_text(fixed), _assume(rule, ex))
    if after:
        return f"the fix leaves the rule firing: 「{after[0].excerpt}」 in\n    {fixed.strip()[:200]}"
    return None


def fixed_example(lr: LoadedRule) -> tuple[str, str] | None:
    """(before, after) for the first ``flag`` example the rule's fix fits: the fix shown in its docs."""
    rule = lr.rule
    if rule.fix is None:
        return None
    single = RuleSet([lr])
    for ex in rule.examples.flag:
        findings, _, _ = single.run(analyse_text(ex.text), _assume(rule, ex))
        edits = [f.fix for f in findings if f.fix]
        if edits:
            return ex.text.strip(), apply_edits(ex.text, edits).strip()
    return None
