"""Match nodes compiled once per rule set and evaluated over one shared Analysis.

Every node evaluates to a list of character spans in the document for one sentence: leaves give
the text they matched; conditions (``not``, ``near``, ``absent`` …) give the whole sentence when
they hold. ``all`` keeps the spans of its first positive child (the anchor) when every other child
holds, after ``inside``/``not_inside`` have filtered them. Results are memoised per node and
sentence, so a window or document condition shared by many sentences is computed once.
"""

from __future__ import annotations

import bisect

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from ndalint.errors import InputError
from ndalint.nlp import PIPELINE, Analysis, Sentence
from ndalint.rules import schema as s
from ndalint.rules.checks import CHECKS

Span = tuple[int, int]


def _width_table() -> dict[int, str]:
    table = {}
    for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0xFF61, 0xFF9F)):
        for o in range(lo, hi + 1):
            n = unicodedata.normalize("NFKC", chr(o))
            if len(n) == 1:
                table[o] = n
    return table


_WIDTH = _width_table()


def normalise(text: str) -> str:
    """Full-width letters/digits to ASCII and half-width katakana to full width, char by char so
    offsets stay valid. Punctuation such as （ ） 「 」 is left alone: rule authors write it."""
    return text.translate(_WIDTH)


@dataclass
class Compiled:
    """Matchers shared by all rules: one spaCy Matcher/PhraseMatcher for every token/phrase leaf."""

    regexes: dict[int, str] = field(default_factory=dict)  # compiled at first use: see compiled_regex
    phrases: dict[int, list[str]] = field(default_factory=dict)
    token_keys: dict[int, str] = field(default_factory=dict)
    phrase_keys: dict[int, str] = field(default_factory=dict)
    dep_keys: dict[int, str] = field(default_factory=dict)
    dep_patterns: dict[str, list] = field(default_factory=dict)
    # spaCy's matchers are built at the first sentence that needs them: importing spaCy costs more
    # than a whole cold check, and most documents never reach a token pattern
    token_patterns: list[tuple[str, list, str]] = field(default_factory=list)
    phrase_patterns: list[tuple[str, str, list[str]]] = field(default_factory=list)
    _matcher: object = None
    _phrase_matchers: dict[str, object] = field(default_factory=dict)
    _built: bool = False
    origin: str = ""  # "file:line: " of the rule being added, for errors found when building
    _dep_matcher: object = None
    #: regex leaves of user rules (node id -> rule id): run with a time limit, see user_regex
    untrusted: dict[int, str] = field(default_factory=dict)

    def add(self, node: s.Match, where: str, rule_id: str | None = None) -> None:
        """Compile one node and its children; raise ValueError naming ``where`` on a bad pattern.
        ``rule_id`` marks the nodes of a user rule, whose regexes run with a time limit."""
        key = f"n{id(node)}"
        if isinstance(node, s.Regex):
            self.regexes[id(node)] = normalise(node.regex)
            if rule_id:
                self.untrusted[id(node)] = rule_id
                user_regex(self.regexes[id(node)])  # the regex engine must accept it too: a load error now
        elif isinstance(node, s.Phrases):
            if node.attr == "TEXT":
                self.phrases[id(node)] = [normalise(p) for p in node.phrases]
            else:
                self.phrase_patterns.append((node.attr, key, node.phrases))
                self.phrase_keys[id(node)] = node.attr + ":" + key
        elif isinstance(node, s.Tokens):
            self.token_patterns.append((key, node.tokens, f"{self.origin}{where}"))
            self.token_keys[id(node)] = key
        elif isinstance(node, s.Dependency):
            self.dep_patterns[key] = node.dependency
            self.dep_keys[id(node)] = key
        for child, sub in children(node):
            self.add(child, f"{where}.{sub}", rule_id)

    # -- per-sentence raw matches -------------------------------------------------------------

    def build_matchers(self) -> None:
        """Build the spaCy Matcher/PhraseMatchers; raise ValueError naming a bad token pattern."""
        if self._built:
            return
        from spacy.matcher import Matcher, PhraseMatcher

        vocab = PIPELINE.tokenizer.vocab
        if self.token_patterns:
            self._matcher = Matcher(vocab, validate=True)
            for key, pattern, where in self.token_patterns:
                try:
                    self._matcher.add(key, [pattern])  # type: ignore[attr-defined]
                except Exception as exc:  # spaCy explains what is wrong with the pattern
                    raise ValueError(f"{where}.tokens: {str(exc).splitlines()[0]}") from None
        for attr, key, phrases in self.phrase_patterns:
            pm = self._phrase_matchers.setdefault(attr, PhraseMatcher(vocab, attr=attr))
            pm.add(key, [PIPELINE.tokenizer(p) for p in phrases])  # type: ignore[attr-defined]
        self._built = True

    def token_matches(self, analysis: Analysis, sent: Sentence) -> dict[str, list[Span]]:
        out: dict[str, list[Span]] = {}
        if not self.token_patterns and not self.phrase_patterns:
            return out
        self.build_matchers()
        doc = analysis.tokens(sent)
        vocab = doc.vocab
        matchers = ([self._matcher] if self._matcher is not None else []) + list(self._phrase_matchers.values())
        for attr_matcher in matchers:
            for match_id, start, end in attr_matcher(doc):  # type: ignore[operator]
                k = vocab.strings[match_id]
                span = doc[start:end]
                out.setdefault(k, []).append((sent.start + span.start_char, sent.start + span.end_char))
        return out

    def dep_matches(self, analysis: Analysis, sent: Sentence) -> dict[str, list[Span]]:
        from spacy.matcher import DependencyMatcher

        doc = analysis.parse([sent])[sent.index]
        if self._dep_matcher is None:
            self._dep_matcher = DependencyMatcher(doc.vocab, validate=True)
            for key, pattern in self.dep_patterns.items():
                self._dep_matcher.add(key, [pattern])  # type: ignore[attr-defined]
        out: dict[str, list[Span]] = {}
        for match_id, token_ids in self._dep_matcher(doc):  # type: ignore[operator]
            toks = [doc[i] for i in token_ids]
            start = min(t.idx for t in toks)
            end = max(t.idx + len(t.text) for t in toks)
            out.setdefault(doc.vocab.strings[match_id], []).append((sent.start + start, sent.start + end))
        return out


#: Seconds one search of a user rule's regex may take on one sentence. Python's re cannot be
#: interrupted (a catastrophic pattern such as (a+)+$ hangs the process), so user regexes run on the
#: regex module, whose searches take a timeout; the built-in pack is checked by `ndalint test-rules`.
USER_REGEX_SECONDS = 1.0


class RuleTimeout(InputError):
    """A user rule's regex ran past its time limit on this document."""


@functools.lru_cache(maxsize=None)
def user_regex(pattern: str):
    import regex

    try:
        return regex.compile(pattern, regex.VERSION0)
    except regex.error as exc:
        raise ValueError(f"regex: {exc}") from None


@functools.lru_cache(maxsize=None)
def compiled_regex(pattern: str) -> re.Pattern[str]:
    """Compile on first use and keep for the process: a rule whose sentence never comes (a company
    rule on a pledge) costs nothing, and the same fragment shared by many rules compiles once.
    (``re``'s own cache holds 512 patterns; the pack has more.)"""
    return re.compile(pattern)


def children(node: s.Match) -> list[tuple[s.Match, str]]:
    if isinstance(node, s.All):
        return [(c, f"all[{i}]") for i, c in enumerate(node.all)]
    if isinstance(node, s.AnyOf):
        return [(c, f"any[{i}]") for i, c in enumerate(node.any)]
    if isinstance(node, s.Not):
        return [(node.not_, "not")]
    if isinstance(node, s.Near):
        return [(node.near.match, "near")]
    if isinstance(node, s.NotNear):
        return [(node.not_near.match, "not_near")]
    if isinstance(node, s.Inside):
        return [(node.inside.match, "inside")]
    if isinstance(node, s.NotInside):
        return [(node.not_inside.match, "not_inside")]
    if isinstance(node, s.Absent):
        return [(node.absent, "absent")]
    if isinstance(node, s.Requires):
        return [(node.requires, "requires")]
    if isinstance(node, s.Conditional):
        at = [(node.conditional.at, "conditional.at")] if node.conditional.at is not None else []
        return [(node.conditional.if_, "conditional.if"), (node.conditional.then, "conditional.then"), *at]
    return []


def _cost(node: s.Match) -> int:
    """0 cheap, 1 looks beyond the sentence, 2 needs the tokenizer, 3 needs the parser."""
    if isinstance(node, s.Dependency):
        return 3
    if isinstance(node, s.Tokens) or (isinstance(node, s.Phrases) and node.attr != "TEXT"):
        return 2
    if isinstance(node, (s.Absent, s.Near, s.NotNear)):
        return 1
    return max([0] + [_cost(c) for c, _ in children(node)])


class Evaluator:
    """Evaluates nodes over one analysis; shared by all rules of a run on that document."""

    def __init__(self, compiled: Compiled, analysis: Analysis) -> None:
        self.c = compiled
        self.a = analysis
        self.memo: dict[tuple[int, int], list[Span]] = {}
        self._tokens: dict[int, dict[str, list[Span]]] = {}
        self._deps: dict[int, dict[str, list[Span]]] = {}
        self._norm: dict[int, str] = {}
        self._order: dict[int, list[s.Match]] = {}
        self._windows = _windows(analysis)
        # per (node, window): whether it matches there, and its spans there. A window is shared by
        # every sentence in it, so a document-wide condition costs one pass, not one per sentence
        self._window_hit: dict[tuple[int, int], bool] = {}
        self._window_spans: dict[tuple[int, int], list[Span]] = {}

    def norm(self, sent: Sentence) -> str:
        if sent.index not in self._norm:
            self._norm[sent.index] = normalise(sent.text)
        return self._norm[sent.index]

    def window(self, sent: Sentence, window: str) -> list[Sentence]:
        if window == "sentence":
            return [sent]
        if window == "document":
            return self.a.sentences
        return self._windows[window].get(sent.index, [sent])

    def _window_key(self, node: s.Match, sent: Sentence, window: str) -> tuple[int, int]:
        if window == "sentence":
            return id(node), sent.index
        if window == "document":
            return id(node), -1
        group = self._windows[window].get(sent.index)
        return (id(node), -2 - id(group)) if group is not None else (id(node), sent.index)

    def in_window(self, node: s.Match, sent: Sentence, window: str) -> bool:
        """Whether ``node`` matches anywhere in ``sent``'s window (memoised per window)."""
        key = self._window_key(node, sent, window)
        hit = self._window_hit.get(key)
        if hit is None:
            hit = self._window_hit[key] = any(self.spans(node, o) for o in self.window(sent, window))
        return hit

    def window_spans(self, node: s.Match, sent: Sentence, window: str) -> list[Span]:
        """Every span of ``node`` in ``sent``'s window (memoised per window)."""
        key = self._window_key(node, sent, window)
        found = self._window_spans.get(key)
        if found is None:
            found = self._window_spans[key] = [sp for o in self.window(sent, window) for sp in self.spans(node, o)]
        return found

    def anywhere(self, node: s.Match) -> list[Span]:
        for sent in self.a.sentences:
            found = self.spans(node, sent)
            if found:
                return found
        return []

    def spans(self, node: s.Match, sent: Sentence) -> list[Span]:
        key = (id(node), sent.index)
        if key not in self.memo:
            self.memo[key] = self._eval(node, sent)
        return self.memo[key]

    def _eval(self, node: s.Match, sent: Sentence) -> list[Span]:
        whole = [(sent.start, sent.end)]
        handler = _HANDLERS.get(type(node))
        if handler is None:
            raise TypeError(f"no evaluator for {type(node).__name__}")
        return handler(self, node, sent, whole)

    # leaves
    def _regex(self, node: s.Regex, sent: Sentence, whole: list[Span]) -> list[Span]:
        rule_id = self.c.untrusted.get(id(node))
        if rule_id is not None:
            return self._user_regex(node, sent, rule_id)
        rx = compiled_regex(self.c.regexes[id(node)])
        return [(sent.start + m.start(), sent.start + m.end()) for m in rx.finditer(self.norm(sent)) if m.end() > m.start()]

    def _user_regex(self, node: s.Regex, sent: Sentence, rule_id: str) -> list[Span]:
        rx = user_regex(self.c.regexes[id(node)])
        try:
            matches = list(rx.finditer(self.norm(sent), timeout=USER_REGEX_SECONDS))
        except TimeoutError:
            raise RuleTimeout(f"ルール {rule_id} の正規表現が {USER_REGEX_SECONDS:g} 秒以内に終わりませんでした"
                              "（破滅的なバックトラックのおそれ）。ルールの正規表現を見直してください") from None
        return [(sent.start + m.start(), sent.start + m.end()) for m in matches if m.end() > m.start()]

    def _phrases(self, node: s.Phrases, sent: Sentence, whole: list[Span]) -> list[Span]:
        if id(node) in self.c.phrase_keys:
            key = self.c.phrase_keys[id(node)].split(":", 1)[1]
            return self._token_hits(sent).get(key, [])
        text = self.norm(sent)
        out = []
        for p in self.c.phrases[id(node)]:
            i = text.find(p)
            while i >= 0:
                out.append((sent.start + i, sent.start + i + len(p)))
                i = text.find(p, i + 1)
        return sorted(out)

    def _token_hits(self, sent: Sentence) -> dict[str, list[Span]]:
        if sent.index not in self._tokens:
            self._tokens[sent.index] = self.c.token_matches(self.a, sent)
        return self._tokens[sent.index]

    def _tokens_leaf(self, node: s.Tokens, sent: Sentence, whole: list[Span]) -> list[Span]:
        return self._token_hits(sent).get(self.c.token_keys[id(node)], [])

    def _dependency(self, node: s.Dependency, sent: Sentence, whole: list[Span]) -> list[Span]:
        if sent.index not in self._deps:
            self._deps[sent.index] = self.c.dep_matches(self.a, sent)
        return self._deps[sent.index].get(self.c.dep_keys[id(node)], [])

    def _check(self, node: s.Check, sent: Sentence, whole: list[Span]) -> list[Span]:
        key = (id(node), -1)
        if key not in self.memo:
            self.memo[key] = sorted(CHECKS[node.check](self.a.contract))
        found = self.memo[key]
        lo = bisect.bisect_left(found, (sent.start, -1))
        hi = bisect.bisect_left(found, (sent.end, -1))
        return found[lo:hi]

    def _subject(self, node: s.Subject, sent: Sentence, whole: list[Span]) -> list[Span]:
        from ndalint.rules.subject import subject_kind

        return whole if subject_kind(sent, self.a.contract) in node.subject else []

    # combinators
    def _all(self, node: s.All, sent: Sentence, whole: list[Span]) -> list[Span]:
        filters = [c for c in node.all if isinstance(c, (s.Inside, s.NotInside))]
        others = [c for c in node.all if c not in filters]
        if not others:
            return []
        anchor = others[0]
        order = self._order.get(id(node))
        if order is None:  # cheap conditions first: a parse only if needed (once per node and document)
            order = sorted(others[1:], key=_cost)
            if _cost(anchor) == 0:
                # a cheap anchor first: most sentences lack it, and then the conditions' regexes are
                # neither run nor compiled (compiling is most of a cold check); the spans are the same
                order.insert(0, anchor)
            self._order[id(node)] = order
        for child in order:
            if not self.spans(child, sent):
                return []
        spans = self.spans(anchor, sent)
        for f in filters:
            spec = f.inside if isinstance(f, s.Inside) else f.not_inside
            containers = self.window_spans(spec.match, sent, spec.window)
            inside = lambda sp: any(c0 <= sp[0] and sp[1] <= c1 for c0, c1 in containers)  # noqa: E731
            spans = [sp for sp in spans if inside(sp) == isinstance(f, s.Inside)]
        return spans

    def _any(self, node: s.AnyOf, sent: Sentence, whole: list[Span]) -> list[Span]:
        return sorted({sp for child in node.any for sp in self.spans(child, sent)})

    def _not(self, node: s.Not, sent: Sentence, whole: list[Span]) -> list[Span]:
        return [] if self.spans(node.not_, sent) else whole

    def _near(self, node: s.Near | s.Inside, sent: Sentence, whole: list[Span]) -> list[Span]:
        spec = node.near if isinstance(node, s.Near) else node.inside
        return whole if self.in_window(spec.match, sent, spec.window) else []

    def _not_near(self, node: s.NotNear | s.NotInside, sent: Sentence, whole: list[Span]) -> list[Span]:
        spec = node.not_near if isinstance(node, s.NotNear) else node.not_inside
        return [] if self.in_window(spec.match, sent, spec.window) else whole

    def _absent(self, node: s.Absent, sent: Sentence, whole: list[Span]) -> list[Span]:
        key = (id(node), -1)
        if key not in self.memo:
            self.memo[key] = [] if self.anywhere(node.absent) else [(0, 0)]
        return whole if self.memo[key] else []

    def _document_only(self, node: s.Match, sent: Sentence, whole: list[Span]) -> list[Span]:
        raise ValueError("requires/conditional are document-level and must be a rule's whole match")


_HANDLERS: dict[type, Callable[..., list[Span]]] = {
    s.Regex: Evaluator._regex,
    s.Phrases: Evaluator._phrases,
    s.Tokens: Evaluator._tokens_leaf,
    s.Dependency: Evaluator._dependency,
    s.Check: Evaluator._check,
    s.Subject: Evaluator._subject,
    s.All: Evaluator._all,
    s.AnyOf: Evaluator._any,
    s.Not: Evaluator._not,
    s.Near: Evaluator._near,
    s.Inside: Evaluator._near,
    s.NotNear: Evaluator._not_near,
    s.NotInside: Evaluator._not_near,
    s.Absent: Evaluator._absent,
    s.Requires: Evaluator._document_only,
    s.Conditional: Evaluator._document_only,
}


def _windows(analysis: Analysis) -> dict[str, dict[int, list[Sentence]]]:
    """paragraph = 項, clause/article = 条; sentences outside articles are their own window."""
    groups: dict[str, dict[object, list[Sentence]]] = {"paragraph": {}, "clause": {}}
    for sent in analysis.sentences:
        if sent.article is None:
            continue
        groups["clause"].setdefault(id(sent.article), []).append(sent)
        groups["paragraph"].setdefault((id(sent.article), id(sent.paragraph)), []).append(sent)
    out: dict[str, dict[int, list[Sentence]]] = {"paragraph": {}, "clause": {}}
    for sent in analysis.sentences:
        if sent.article is None:
            continue
        out["clause"][sent.index] = groups["clause"][id(sent.article)]
        out["paragraph"][sent.index] = groups["paragraph"][(id(sent.article), id(sent.paragraph))]
    out["article"] = out["clause"]
    return out
