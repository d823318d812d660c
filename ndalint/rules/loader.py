"""Load rule packs (one YAML file per rule) and report every problem with file, line and field.

A pack that does not validate never runs half: all errors are collected, then raised together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from ndalint.errors import ConfigError
from ndalint.rules.schema import Rule

BUILTIN = Path(__file__).resolve().parent.parent.parent / "rules"


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


# libyaml's parser when PyYAML was built with it: the pure-Python one took most of a cold start
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_file(path: Path) -> tuple[LoadedRule | None, list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=_YAML)
        data = yaml.load(text, Loader=_YAML)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{path}:1: cannot read rule file: {exc}"]
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else 1  # type: ignore[union-attr]
        return None, [f"{path}:{line}: invalid YAML: {getattr(exc, 'problem', exc)}"]
    if not isinstance(data, dict) or node is None:
        return None, [f"{path}:1: a rule file must be a mapping with id, name, title, category, severity, match, message, examples"]
    lines = _line_map(node)
    try:
        rule = Rule.model_validate(data)
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
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rules(directories: list[Path] | None = None, builtin: bool = True) -> list[LoadedRule]:
    """Load the built-in pack plus extra directories; raise ConfigError listing every problem."""
    dirs = ([BUILTIN] if builtin else []) + [Path(d) for d in directories or []]
    loaded: list[LoadedRule] = []
    errors: list[str] = []
    for d in dirs:
        if not d.is_dir():
            errors.append(f"{d}: rule directory not found")
            continue
        for path in rule_files(d):
            rule, errs = load_file(path)
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
