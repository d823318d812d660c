"""Rules over one Analysis -> findings and mitigations, in a deterministic order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ndalint.errors import ConfigError
from ndalint.nlp import Analysis, Sentence
from ndalint.report.model import Finding, Mitigation, RuleInfo
from ndalint.rules.wording import fit_wording
from ndalint.rules.fixes import edit_for
from ndalint.rules import schema as s
from ndalint.rules.loader import BUILTIN, LoadedRule, load_rules
from ndalint.rules.matchers import Compiled, Evaluator, Span, children
from ndalint.rules.subject import subject_kind, subject_of
from ndalint.structure.topics import TOPICS



@dataclass(frozen=True)
class Assume:
    """Facts an example takes for granted instead of reading them from a full contract."""

    bound_party: str | None = None  # individual | company
    contexts: frozenset[str] | None = None


class RuleSet:
    """A validated, compiled rule pack. Build once; run on many documents."""

    def __init__(self, rules: list[LoadedRule], strict: bool = False) -> None:
        self.loaded = rules
        self.rules = [lr.rule for lr in rules]
        self.compiled = Compiled()
        self.structural = {r.id for r in self.rules if _uses_checks(r.match)}  # may point at headings
        errors = []
        for lr in rules:
            self.compiled.origin = f"{lr.path}:{lr.line_of('match')}: "
            user = not lr.path.resolve().is_relative_to(BUILTIN.resolve())
            try:
                self.compiled.add(lr.rule.match, "match", lr.rule.id if user else None)
            except ValueError as exc:
                field = str(exc).split(":", 1)[0]
                errors.append(f"{lr.path}:{lr.line_of('match')}: {exc}" if field else f"{lr.path}: {exc}")
        # spaCy's matchers are otherwise built at first use (see Compiled); a user's token pattern
        # is checked now, so that a mistake is a load error with its file and line
        if strict or any(not lr.path.resolve().is_relative_to(BUILTIN.resolve()) for lr in rules if _uses_tokens(lr.rule.match)):
            try:
                self.compiled.build_matchers()
            except ValueError as exc:
                errors.append(str(exc))
        if errors:
            raise ConfigError("invalid rule pack:\n" + "\n".join(errors))

    @classmethod
    def load(cls, extra_dirs: Iterable[str | Path] = (), builtin: bool = True, strict: bool = False) -> RuleSet:
        return cls(load_rules([Path(d) for d in extra_dirs], builtin=builtin, strict=strict), strict=strict)

    def select(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> RuleSet:
        sel, ign = [x for x in select if x], [x for x in ignore if x]

        def hit(lr: LoadedRule, keys: list[str]) -> bool:
            return any(lr.rule.id.startswith(k.upper()) or lr.rule.name == k for k in keys)

        for key in sel + ign:
            if not any(hit(lr, [key]) for lr in self.loaded):
                raise ConfigError(f"--select/--ignore: no rule matches '{key}' (use an id, a prefix such as LIAB, or a name)")
        kept = [lr for lr in self.loaded if (not sel or hit(lr, sel)) and not hit(lr, ign)]
        return self._subset(kept)

    def _subset(self, kept: list[LoadedRule]) -> RuleSet:
        """The same compiled matchers, fewer rules: nothing to validate or compile again."""
        sub = RuleSet.__new__(RuleSet)
        sub.loaded, sub.rules, sub.compiled = kept, [lr.rule for lr in kept], self.compiled
        sub.structural = {r.id for r in sub.rules if r.id in self.structural}
        return sub

    def find(self, key: str) -> LoadedRule | None:
        return next((lr for lr in self.loaded if key in (lr.rule.id, lr.rule.name) or lr.rule.id == key.upper()), None)

    def info(self) -> list[RuleInfo]:
        return [RuleInfo(id=r.id, name=r.name, title=r.title, category=r.category, severity=r.severity,
                         rationale=r.rationale.strip(), suggestion=r.suggestion.strip() if r.suggestion else None,
                         references=list(r.references)) for r in self.rules]

    def weight(self, rule_id: str) -> float:
        lr = self.find(rule_id)
        return lr.rule.weight if lr else 1.0

    # -- running ---------------------------------------------------------------------------------

    def run(self, analysis: Analysis, assume: Assume | None = None) -> tuple[list[Finding], list[Mitigation], int]:
        ev = Evaluator(self.compiled, analysis)
        findings: list[Finding] = []
        mitigations: list[Mitigation] = []
        for rule in self.rules:
            if rule.status == "deprecated" or not _applies_to_document(rule, analysis, assume):
                continue
            for span, sent in _rule_hits(rule, ev, analysis, assume, rule.id in self.structural):
                if rule.mitigation:
                    mitigations.append(_mitigation(rule, analysis, span, sent))
                else:
                    findings.append(_finding(rule, analysis, span, sent, assume))
        findings.sort(key=lambda f: (f.start, f.rule_id))
        mitigations = _dedupe_mitigations(mitigations)
        return findings, mitigations, 0


def _applies_to_document(rule: s.Rule, analysis: Analysis, assume: Assume | None) -> bool:
    aw = rule.applies_when
    contexts = assume.contexts if assume and assume.contexts is not None else analysis.contract.contexts
    if aw.context and not set(aw.context) & contexts:
        return False
    if aw.not_context and set(aw.not_context) & contexts:
        return False
    has_individual = (assume.bound_party == "individual") if assume and assume.bound_party else (
        analysis.contract.binds_individual)
    if aw.bound_party == "individual":
        return has_individual
    if aw.bound_party == "company":
        return not has_individual
    return True


def _sentence_binds_individual(sent: Sentence, analysis: Analysis, assume: Assume | None) -> bool:
    """The sentence's obligated party is not a company (甲 in 「甲は…」 of a participant agreement)."""
    return subject_kind(sent, analysis.contract) != "company"


def _in_scope(rule: s.Rule, sent: Sentence) -> bool:
    topics = rule.scope.clause_topic
    if not topics or "document" in topics:
        return True
    if "preamble" in topics and sent.section == "preamble":
        return True
    own = sent.article.topics if sent.article else frozenset()
    return any(t in own or (t in TOPICS and TOPICS[t].search(sent.text)) for t in topics)


def _rule_hits(rule: s.Rule, ev: Evaluator, analysis: Analysis, assume: Assume | None,
               structural: bool = False) -> list[tuple[Span, Sentence]]:
    sentences = [x for x in analysis.sentences if _in_scope(rule, x)]
    if isinstance(rule.match, s.Requires):
        if ev.anywhere(rule.match.requires) or not analysis.sentences:
            return []
        at = _anchor(rule, sentences) or analysis.sentences[0]
        return [((at.start, at.end), at)]
    if isinstance(rule.match, s.Conditional):
        spec = rule.match.conditional
        clauses = [x for x in sentences if not (x.heading or x.directive)]
        for sent in clauses:
            spans = ev.spans(spec.if_, sent)
            if spans:
                if ev.anywhere(spec.then):
                    return []
                anchored = next(((found[0], x) for x in clauses if spec.at is not None and (found := ev.spans(spec.at, x))),
                                None)
                return [anchored or (spans[0], sent)]
        return []
    hits = []
    for sent in sentences:
        if (sent.heading or sent.directive) and not structural:
            continue  # a heading names a clause (第9条（違約金）); only the clause itself binds anyone
        if (rule.applies_when.bound_party == "individual" and rule.applies_when.subject_check
                and not _sentence_binds_individual(sent, analysis, assume)):
            continue
        spans = ev.spans(rule.match, sent)
        if spans:
            hits.append(((min(a for a, _ in spans), max(b for _, b in spans)), sent))
    return hits


def _uses_checks(node: s.Match) -> bool:
    if isinstance(node, s.Check):
        return True
    return any(_uses_checks(child) for child, _ in children(node))


def _uses_tokens(node: s.Match) -> bool:
    if isinstance(node, s.Tokens) or (isinstance(node, s.Phrases) and node.attr != "TEXT"):
        return True
    return any(_uses_tokens(child) for child, _ in children(node))


def _anchor(rule: s.Rule, sentences: list[Sentence]) -> Sentence | None:
    """Where a missing clause is reported: the first article whose own topics (heading first)
    are the rule's, so that 'no exclusions' points at the confidentiality clause."""
    topics = set(rule.scope.clause_topic) - {"document", "preamble"}
    for sent in sentences:
        if sent.article and topics & sent.article.topics:
            return sent
    return sentences[0] if sentences else None


def _excerpt(sent: Sentence, span: Span, limit: int = 160) -> str:
    """The sentence, or a window of it around the match that starts and ends on a phrase boundary
    (after 、 or 。), so that a quote never begins or breaks off in the middle of a word."""
    text = sent.text
    if len(text) <= limit:
        return text
    hit_start, hit_end = span[0] - sent.start, span[1] - sent.start
    start = max(0, hit_start - limit // 3)
    end = max(min(len(text), start + limit), min(len(text), hit_end))
    if start:
        comma = max(text.rfind(p, max(0, start - 25), max(start, hit_start)) for p in "、。")
        start = comma + 1 if comma >= 0 else start
    if end < len(text):
        comma = max(text.rfind(p, max(hit_end, end - 30), end) for p in "、。")
        end = comma + 1 if comma >= 0 else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


class _Fields(defaultdict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _party_phrase(analysis: Analysis, sent: Sentence) -> str:
    subject = subject_of(sent)
    individuals = analysis.contract.individual_parties
    if subject and (p := analysis.contract.party(subject)) and p.kind == "individual":
        return "誓約者" if p.label == "私" else p.label
    if individuals:
        p = individuals[0]
        return "誓約者" if p.label == "私" else p.label
    return subject or "個人の当事者"


def _finding(rule: s.Rule, analysis: Analysis, span: Span, sent: Sentence, assume: Assume | None) -> Finding:
    doc = analysis.contract.document
    loc = doc.locate(span[0])
    text = doc.text
    fields = _Fields(str, party=_party_phrase(analysis, sent), match=text[span[0] : span[1]],
                     article=sent.article.label if sent.article else "前文等")
    return Finding(
        rule_id=rule.id,
        name=rule.name,
        title=rule.title,
        category=rule.category,
        severity=rule.severity,
        message=rule.message.format_map(fields),
        article=sent.article.number if sent.article else None,
        paragraph=sent.paragraph.number if sent.paragraph else None,
        line=loc.line,
        column=loc.column,
        page=loc.page,
        start=span[0],
        end=span[1],
        excerpt=_excerpt(sent, span),
        suggestion=fit_wording(rule.suggestion.strip(), analysis.contract) if rule.suggestion else None,
        references=list(rule.references),
        fix=edit_for(rule.fix, sent, span, analysis.contract) if rule.fix else None,
    )


def _mitigation(rule: s.Rule, analysis: Analysis, span: Span, sent: Sentence) -> Mitigation:
    doc = analysis.contract.document
    fields = _Fields(str, match=doc.text[span[0] : span[1]], party="", article=sent.article.label if sent.article else "")
    return Mitigation(rule_id=rule.id, message=rule.message.format_map(fields), line=doc.locate(span[0]).line,
                      article=sent.article.number if sent.article else None, excerpt=_excerpt(sent, span))


def _dedupe_mitigations(items: list[Mitigation]) -> list[Mitigation]:
    seen: set[str] = set()
    out = []
    for m in sorted(items, key=lambda m: (m.line, m.rule_id)):
        if m.rule_id not in seen:  # one line per protective feature is enough for a reader
            seen.add(m.rule_id)
            out.append(m)
    return out
