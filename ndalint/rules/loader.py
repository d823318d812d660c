"""Load rule packs (one YAML file per rule) and report every problem with file, line and field.

A pack that does not validate never runs half: all errors are collected, then raised together.

Shared definitions live once per pack in ``_definitions.yaml`` (Vale's vocabularies, Semgrep's
shared patterns) instead of being copied between rule files:

- ``fragments``: regex text spliced into any ``regex`` by ``{{name}}`` (a party's words, duty verbs);
- ``matches``: whole match nodes a rule references with ``{use: name}`` (a cap on damages, a
  company subject), so a fix to the shared meaning reaches every rule at once.

Definitions sit in ``_definitions.yaml`` at the top of a pack and, for what only one category
shares, in its folder. The built-in definitions are visible to every pack; an extra rule directory
may add its own names but not redefine a built-in one.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ndalint.errors import ConfigError
from ndalint.rules.schema import Rule

def _builtin_dir() -> Path:
    """The built-in pack: the ndalint_rules package of an install (wheel or editable), else the
    rules/ folder of a source tree that was never installed."""
    from importlib import util

    spec = util.find_spec("ndalint_rules")
    if spec is not None and spec.origin:  # a regular package: rules/__init__.py marks it
        return Path(spec.origin).parent
    return Path(__file__).resolve().parent.parent.parent / "rules"


BUILTIN = _builtin_dir()
DEFINITIONS = "_definitions.yaml"
_FRAGMENT = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_-]*)\s*\}\}")


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    path: Path
    lines: dict[tuple[str | int, ...], int]  # field path -> 1-based line, for error messages

    def line_of(self, *loc: str | int) -> int:
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


def _line_map(node: yaml.Node, path: tuple[str | int, ...] = ()) -> dict[tuple[str | int, ...], int]:
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (key.value,)
            lines[sub] = key.start_mark.line + 1
            lines.update({k: v for k, v in _line_map(value, sub).items() if k != sub})
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            lines.update(_line_map(value, path + (i,)))
    return lines


def _clean_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # pydantic adds union member names ("All", "function-before[...]") to locations; drop them
    return tuple(p for p in loc if isinstance(p, int) or (p[:1].islower() or p in ("if", "not")) and "[" not in p)


@dataclass
class Definitions:
    """Named regex fragments and match nodes shared by the rules of a pack (already expanded)."""

    fragments: dict[str, str] = field(default_factory=dict)
    matches: dict[str, Any] = field(default_factory=dict)

    def merge(self, path: Path) -> list[str]:
        """Add the definitions in ``path``; return errors (file:line: what is wrong)."""
        try:
            text = path.read_text(encoding="utf-8")
            data = yaml.load(text, Loader=_YAML) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            return [f"{path}:1: cannot read definitions: {exc}"]
        if not isinstance(data, dict) or set(data) - {"fragments", "matches"}:
            return [f"{path}:1: a definitions file is a mapping with 'fragments' (name: regex) and 'matches' (name: match node)"]
        errors: list[str] = []
        for kind in ("fragments", "matches"):
            table = data.get(kind) or {}
            if not isinstance(table, dict):
                errors.append(f"{path}:1: '{kind}' must be a mapping of names")
                continue
            clash = sorted(set(table) & (set(self.fragments) | set(self.matches)))
            if clash:
                errors.append(f"{path}:1: {kind} {clash} already defined (built-in names cannot be redefined; choose another name)")
        if errors:
            return errors
        raw_fragments = dict(data.get("fragments") or {})
        for name in raw_fragments:
            try:
                self.fragments[name] = self._fragment(name, raw_fragments, ())
            except ValueError as exc:
                errors.append(f"{path}:1: fragments.{name}: {exc}")
        for name, node in (data.get("matches") or {}).items():
            try:
                self.matches[name] = self.expand(node)
            except ValueError as exc:
                errors.append(f"{path}:1: matches.{name}: {exc}")
        return errors

    def _fragment(self, name: str, raw: dict[str, Any], stack: tuple[str, ...]) -> str:
        if name in self.fragments:
            return self.fragments[name]
        if name in stack:
            raise ValueError(f"fragments refer to each other in a loop: {' -> '.join(stack + (name,))}")
        if name not in raw:
            raise ValueError(self._unknown("fragment", name, set(self.fragments) | set(raw)))
        value = raw[name]
        if not isinstance(value, str):
            raise ValueError("a fragment is a regex string")
        return _FRAGMENT.sub(lambda m: self._fragment(m.group(1), raw, stack + (name,)), value)

    def regex(self, value: str) -> str:
        return _FRAGMENT.sub(lambda m: self._lookup(m.group(1)), value)

    def _lookup(self, name: str) -> str:
        if name not in self.fragments:
            raise ValueError(self._unknown("fragment", name, set(self.fragments)))
        return "(?:" + self.fragments[name] + ")"

    def expand(self, node: Any) -> Any:
        """Replace ``{use: name}`` by the named node and ``{{name}}`` inside regexes by the fragment."""
        if isinstance(node, dict):
            if "use" in node:
                # {use: name} alone, or beside a window: not_near: {use: cap, window: document}
                name, rest = node["use"], {k: v for k, v in node.items() if k != "use"}
                if set(rest) - {"window"}:
                    raise ValueError(f"'use' takes only a 'window' beside it, not {sorted(set(rest) - {'window'})}")
                if name not in self.matches:
                    raise ValueError(self._unknown("match definition", str(name), set(self.matches)))
                used = copy.deepcopy(self.matches[name])
                return {"match": used, **rest} if rest else used
            return {k: (self.regex(v) if k in _REGEX_KEYS and isinstance(v, str) else self.expand(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [self.expand(v) for v in node]
        return node

    @staticmethod
    def _unknown(what: str, name: str, known: set[str]) -> str:
        return f"unknown {what} '{name}' (defined in {DEFINITIONS}: {', '.join(sorted(known)) or 'none'})"


#: Keys whose value is a regex that may splice fragments: a match leaf and a fix's ``replace`` / ``unless``.
_REGEX_KEYS = frozenset(("regex", "replace", "unless"))

# libyaml's parser when PyYAML was built with it: the pure-Python one took most of a cold start
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data built from that same tree: one parse, not two
    (``yaml.compose`` then ``yaml.load`` read every rule file twice on each cold start)."""
    loader = _YAML(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def load_file(path: Path, definitions: Definitions | None = None, trusted: bool = False) -> tuple[LoadedRule | None, list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
        node, data = _compose_and_construct(text)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{path}:1: cannot read rule file: {exc}"]
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else 1  # type: ignore[union-attr]
        return None, [f"{path}:{line}: invalid YAML: {getattr(exc, 'problem', exc)}"]
    if not isinstance(data, dict) or node is None:
        return None, [f"{path}:1: a rule file must be a mapping with id, name, title, category, severity, match, message, examples"]
    lines = _line_map(node)
    try:
        data = (definitions or builtin_definitions()).expand(data)
    except ValueError as exc:
        return None, [f"{path}:{lines.get(('match',), 1)}: match: {exc}"]
    try:
        rule = Rule.model_validate(data, context={"trusted": trusted})
    except ValidationError as exc:
        errors = []
        seen = set()
        for err in exc.errors():
            loc = _clean_loc(err["loc"])
            field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[") or "(rule)"
            key = (field, err["msg"])
            if key in seen:
                continue
            seen.add(key)
            line = LoadedRule(None, path, lines).line_of(*loc)  # type: ignore[arg-type]
            errors.append(f"{path}:{line}: {field}: {err['msg']}")
        # a union mismatch reports every member; keep the most specific messages
        specific = [e for e in errors if "Field required" not in e and "Extra inputs" not in e] or errors
        return None, specific[:8]
    return LoadedRule(rule, path, lines), []


def rule_files(directory: Path) -> list[Path]:
    """Rule files: every .yaml/.yml except those whose name starts with '_' (definitions)."""
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith("_"))


_BUILTIN_DEFS: Definitions | None = None


def builtin_definitions() -> Definitions:
    global _BUILTIN_DEFS
    if _BUILTIN_DEFS is None:
        defs = Definitions()
        errors = [e for path in definition_files(BUILTIN) for e in defs.merge(path)]
        if errors:
            raise ConfigError("invalid rule pack:\n" + "\n".join(errors))
        _BUILTIN_DEFS = defs
    return _BUILTIN_DEFS


def definitions_for(directory: Path) -> tuple[Definitions, list[str]]:
    """The built-in definitions plus those of ``directory`` (if it has a definitions file)."""
    base = builtin_definitions()
    paths = definition_files(directory)
    if directory.resolve() == BUILTIN.resolve() or not paths:
        return base, []
    defs = Definitions(dict(base.fragments), dict(base.matches))
    return defs, [e for path in paths for e in defs.merge(path)]


def definition_files(directory: Path) -> list[Path]:
    """The pack's definitions: ``_definitions.yaml`` at the top, then one per category folder
    (shared by the rules of that category; names are unique across the pack). A file may use
    the names of the files before it: the top one first, then the folders in name order."""
    top = directory / DEFINITIONS
    return ([top] if top.is_file() else []) + sorted(p for p in directory.glob(f"*/{DEFINITIONS}") if p.is_file())


def load_rules(directories: list[Path] | None = None, builtin: bool = True, strict: bool = False) -> list[LoadedRule]:
    """Load the built-in pack plus extra directories; raise ConfigError listing every problem.

    User rules are validated in full. The built-in pack's regexes are compiled at first use instead
    (``strict`` validates them too, as ``ndalint test-rules`` does)."""
    dirs = ([BUILTIN] if builtin else []) + [Path(d) for d in directories or []]
    loaded: list[LoadedRule] = []
    errors: list[str] = []
    for d in dirs:
        if not d.is_dir():
            errors.append(f"{d}: rule directory not found")
            continue
        defs, errs = definitions_for(d)
        errors += errs
        trusted = not strict and d.resolve() == BUILTIN.resolve()
        for path in rule_files(d):
            rule, errs = load_file(path, defs, trusted)
            errors += errs
            if rule:
                loaded.append(rule)
    by_id: dict[str, LoadedRule] = {}
    by_name: dict[str, LoadedRule] = {}
    for lr in loaded:
        for key, index in ((lr.rule.id, by_id), (lr.rule.name, by_name)):
            if key in index:
                errors.append(f"{lr.path}:{lr.line_of('id' if index is by_id else 'name')}: duplicate rule "
                              f"{'id' if index is by_id else 'name'} '{key}' (also in {index[key].path})")
            index[key] = lr
    if errors:
        raise ConfigError("invalid rule pack:\n" + "\n".join(errors))
    return sorted(loaded, key=lambda lr: lr.rule.id)
