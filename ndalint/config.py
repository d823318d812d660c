"""Project configuration: ``[tool.ndalint]`` in pyproject.toml, or ``ndalint.toml`` / ``.ndalint.toml``.

Each checked file uses the nearest configuration file found by walking up from its directory
(``.ndalint.toml``, then ``ndalint.toml``, then a ``pyproject.toml`` that has ``[tool.ndalint]``, in each
directory); ``--config FILE`` replaces discovery, ``--isolated`` ignores every file. Nothing is
inherited between files: the nearest one is the whole configuration. Command-line options win.

Relative paths in a file (``rules``, the globs of ``exclude``, ``per-file-ignores`` and ``per-file``)
are relative to the directory of that file. A glob matches the path or one of its leading
directories (``drafts`` covers ``drafts/a.txt``); a glob without ``/`` matches a name at any depth.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ndalint import ingest
from ndalint.errors import ConfigError
from ndalint.limits import DEFAULT as DEFAULT_LIMITS
from ndalint.limits import Limits
from ndalint.report.model import SEVERITIES, Finding, Mitigation, RuleInfo
from ndalint.rules import RuleSet
from ndalint.structure.model import AGREEMENT_KINDS, Overrides

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

NAMES = (".ndalint.toml", "ndalint.toml", "pyproject.toml")  # in one directory, the first found wins
DEFAULT_FAIL_ON = ("severity", SEVERITIES.index("high"))

Severity = Literal["info", "low", "medium", "high", "critical"]
PartyKind = Literal["individual", "company"]
AgreementKind = Literal[(*AGREEMENT_KINDS, "other")]  # type: ignore[valid-type]

#: What each key allows, for the one-line error message.
ALLOWED = {
    "select": 'a list of rule ids, prefixes or names, e.g. ["CONF", "LIAB001"]',
    "ignore": 'a list of rule ids, prefixes or names, e.g. ["FORM", "PART011"]',
    "extend-select": 'a list of rule ids, prefixes or names, e.g. ["LIAB001"]',
    "severity": f'a table of rule id (or prefix or name) = one of {", ".join(SEVERITIES)}, e.g. PART011 = "info"',
    "per-file-ignores": 'a table of glob = list of rule ids or prefixes, e.g. "drafts/*.md" = ["FORM"]',
    "rules": 'a list of rule directories relative to the configuration file, e.g. ["house-rules"]',
    "fail-on": f'one of {", ".join(SEVERITIES)} or "score:N" with N = 0..100',
    "exclude": 'a list of globs left out of directory walks, e.g. ["drafts", "*.pdf"]',
    "parties": 'a table of party label = "individual" or "company", e.g. {"乙" = "individual"}',
    "kind": f'one of {", ".join((*AGREEMENT_KINDS, "other"))}',
    "per-file": 'an array of tables [[tool.ndalint.per-file]] with glob = "..." and kind and/or parties',
    "glob": 'a glob relative to the configuration file, e.g. "panels/*.txt"',
}


def parse_fail_on(value: str) -> tuple[str, int] | None:
    """``low|medium|high|critical`` (or info) -> ("severity", index); ``score:N`` -> ("score", N)."""
    v = value.strip().lower()
    if v in SEVERITIES:
        return ("severity", SEVERITIES.index(v))
    if v.startswith("score:") and v[6:].isdigit() and 0 <= int(v[6:]) <= 100:
        return ("score", int(v[6:]))
    return None


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True,
                              alias_generator=lambda name: name.replace("_", "-"), populate_by_name=False)


class PerFile(_Strict):
    """``[[tool.ndalint.per-file]]``: what to state for the files a glob matches."""

    glob: str = Field(min_length=1)
    kind: AgreementKind | None = None  # type: ignore[valid-type]
    parties: dict[str, PartyKind] = Field(default_factory=dict)


class Settings(_Strict):
    """The keys of one configuration file (``[tool.ndalint]`` or the top of ``ndalint.toml``)."""

    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    extend_select: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[str] = Field(default_factory=list)
    fail_on: str | None = None
    exclude: list[str] = Field(default_factory=list)
    parties: dict[str, PartyKind] = Field(default_factory=dict)
    kind: AgreementKind | None = None  # type: ignore[valid-type]
    per_file: list[PerFile] = Field(default_factory=list)
    limits: dict[str, float] = Field(default_factory=dict)  # ndalint.limits: bytes, chars, pages, unpacked, timeout

    @field_validator("limits")
    @classmethod
    def _limits(cls, v: dict[str, float]) -> dict[str, float]:
        DEFAULT_LIMITS.with_values(v)  # raises ValueError naming the key or the value
        return v

    @field_validator("fail_on")
    @classmethod
    def _fail_on(cls, v: str | None) -> str | None:
        if v is not None and parse_fail_on(v) is None:
            raise ValueError(f"'{v}' is not allowed")
        return v


# -- reading and validating ------------------------------------------------------------------------

def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def _error(path: Path, table: str, loc: tuple[Any, ...], err: dict[str, Any]) -> str:
    """One line: the file, the key, what is wrong and what is allowed."""
    keys = [str(p) for p in loc if isinstance(p, str)]
    where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")
    top = keys[0] if keys else ""
    if err["type"] == "extra_forbidden":
        inner = "per-file" in keys[:-1]
        allowed = (PerFile if inner else Settings).model_fields
        names = ", ".join(f.alias or n for n, f in allowed.items())
        scope = ("[[tool.ndalint.per-file]]" if table else "[[per-file]]") if inner else table
        return f"{_shown(path)}: unknown key '{keys[-1]}'{' in ' + scope if scope else ''}; allowed: {names}"
    leaf = keys[1] if len(keys) > 1 and top == "per-file" else top
    got = err.get("input")
    got_text = f" (got {got!r})" if got is not None and not isinstance(got, (dict, list)) else ""
    allowed_text = ALLOWED.get(leaf, "")
    prefix = f"{_shown(path)}: {table + ' ' if table else ''}{where}"
    if err["type"] == "missing":
        return f"{prefix}: required; allowed: {allowed_text}"
    if err["type"] == "value_error" and not allowed_text:  # our own validators say what is wrong
        return f"{prefix}: {str(err.get('msg', '')).removeprefix('Value error, ')}"
    return f"{prefix}: invalid value{got_text}; allowed: {allowed_text}"


def read_file(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The raw table of a configuration file and its name in messages; None for a pyproject.toml
    without ``[tool.ndalint]``."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        hint = ""
        if "key" in str(exc) and re.search(r"^[^#\n\"']*[^\x00-\x7f][^\n\"']*=", path.read_text("utf-8", "replace"), re.MULTILINE):
            hint = ' (a key that is not ASCII, such as the party label 乙, must be quoted: "乙" = "individual")'
        raise ConfigError(f"{_shown(path)}: invalid TOML: {exc}{hint}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{_shown(path)}: cannot read configuration: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("ndalint") if isinstance(tool, dict) else None
        if table is None:
            return None, "[tool.ndalint]"
        if not isinstance(table, dict):
            raise ConfigError(f"{_shown(path)}: [tool.ndalint] must be a table")
        return table, "[tool.ndalint]"
    return data, ""


@dataclass
class ConfigFile:
    path: Path
    settings: Settings
    table: str  # how messages name the table: "[tool.ndalint]", or "" for the top of ndalint.toml

    @property
    def root(self) -> Path:
        return self.path.parent

    @classmethod
    def load(cls, path: Path, explicit: bool = False) -> ConfigFile | None:
        path = path.resolve()
        data, table = read_file(path)
        if data is None:
            if explicit:
                raise ConfigError(f"{_shown(path)}: no [tool.ndalint] table")
            return None
        try:
            settings = Settings.model_validate(data)
        except ValidationError as exc:
            errs = exc.errors()
            more = f" (and {len(errs) - 1} more problem{'s' if len(errs) > 2 else ''})" if len(errs) > 1 else ""
            raise ConfigError(_error(path, table, errs[0]["loc"], errs[0]) + more) from None
        return cls(path, settings, table)

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{_shown(self.path)}: {self.table + ' ' if self.table else ''}{key}: {problem}")


# -- globs -----------------------------------------------------------------------------------------

def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and (end := pattern.find("]", i + 2)) > 0:
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body[:1] == "!" else body).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


@cache
def _compiled(pattern: str) -> tuple[re.Pattern[str], bool]:
    p = pattern.replace("\\", "/").strip()
    p = p.removeprefix("./")
    p = p.strip("/")
    return _glob_regex(p), "/" in p


def glob_matches(pattern: str, rel: str) -> bool:
    """``rel``: a path relative to the configuration file's directory, with ``/``. A glob with ``/``
    matches the path or one of its leading directories; one without matches any single name."""
    rx, anchored = _compiled(pattern)
    parts = [p for p in rel.split("/") if p]
    if anchored:
        return any(rx.match("/".join(parts[: n + 1])) for n in range(len(parts)))
    return any(rx.match(part) for part in parts)


def _relative(path: str, root: Path) -> str:
    p = Path(os.path.abspath(path))
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        try:
            return p.resolve().relative_to(root).as_posix()
        except ValueError:
            return p.as_posix()  # outside the project: only globs without '/' (names) can match


# -- the project: configuration per file -----------------------------------------------------------

@dataclass(frozen=True)
class CommandLine:
    """The options of ``ndalint check`` that a configuration file can also set (empty or None: not given)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    parties: tuple[tuple[str, str], ...] = ()
    kind: str | None = None
    fail_on: tuple[str, int] | None = None
    limits: tuple[tuple[str, str], ...] = ()  # --limit NAME=VALUE


@dataclass(frozen=True)
class Plan:
    """How to lint one file."""

    engine: Any  # RuleSet or Configured
    overrides: Overrides
    fail_on: tuple[str, int]
    limits: Limits = DEFAULT_LIMITS


class Configured:
    """A rule set with a configuration's severity overrides applied to every finding (so the score,
    the gate and every format see the overridden severity)."""

    def __init__(self, ruleset: RuleSet, severity: dict[str, str]) -> None:
        self.ruleset, self.severity = ruleset, severity
        self.rules = ruleset.rules

    def run(self, analysis: Any) -> tuple[list[Finding], list[Mitigation], int]:
        findings, mitigations, n = self.ruleset.run(analysis)
        findings = [f.model_copy(update={"severity": self.severity[f.rule_id]}) if f.rule_id in self.severity else f
                    for f in findings]
        return findings, mitigations, n

    def weight(self, rule_id: str) -> float:
        return self.ruleset.weight(rule_id)

    def info(self) -> list[RuleInfo]:
        return [r.model_copy(update={"severity": self.severity[r.id]}) if r.id in self.severity else r
                for r in self.ruleset.info()]


def _hits(ruleset: RuleSet, key: str) -> list[str]:
    return [r.id for r in ruleset.rules if r.id.startswith(key.upper()) or r.name == key]


class Project:
    """Finds the configuration of each file and turns it, with the command line, into a Plan."""

    def __init__(self, cli: CommandLine, config: str | None = None, isolated: bool = False,
                 stdin_filename: str | None = None) -> None:
        self.cli, self.isolated, self.stdin_filename = cli, isolated, stdin_filename
        self.explicit = ConfigFile.load(Path(config), explicit=True) if config and not isolated else None
        self._found: dict[Path, ConfigFile | None] = {}
        self._rulesets: dict[tuple[str, ...], RuleSet] = {}
        self._engines: dict[tuple[int, frozenset[str]], Any] = {}

    # which file configures a path
    def config_for(self, path: str) -> ConfigFile | None:
        if self.isolated:
            return None
        if self.explicit is not None:
            return self.explicit
        return self._nearest(Path(os.path.abspath(self._named(path))).parent)

    def _named(self, path: str) -> str:
        """Standard input is configured as the file --stdin-filename names (else as a file in the
        current directory)."""
        return (self.stdin_filename or os.path.join(os.getcwd(), "-")) if path == ingest.STDIN else path

    def _nearest(self, directory: Path) -> ConfigFile | None:
        if directory in self._found:
            return self._found[directory]
        found: ConfigFile | None = None
        for name in NAMES:
            candidate = directory / name
            if candidate.is_file() and (found := ConfigFile.load(candidate)) is not None:
                break
        if found is None and directory.parent != directory:
            found = self._nearest(directory.parent)
        self._found[directory] = found
        return found

    # files
    def discover(self, paths: Iterable[str]) -> Iterator[str]:
        """Like ingest.discover, leaving out what ``exclude`` names in directory walks (a file named
        on the command line is always linted)."""
        for path in paths:
            if path != ingest.STDIN and os.path.isdir(path):
                for found in ingest.discover([path]):
                    cfg = self.config_for(found)
                    if cfg is None or not any(glob_matches(g, _relative(found, cfg.root)) for g in cfg.settings.exclude):
                        yield found
            else:
                yield path

    # rules
    def _ruleset(self, dirs: tuple[str, ...]) -> RuleSet:
        if dirs not in self._rulesets:
            self._rulesets[dirs] = RuleSet.load(dirs)
        return self._rulesets[dirs]

    def _check_keys(self, cfg: ConfigFile, ruleset: RuleSet, key: str, values: Iterable[str]) -> None:
        for value in values:
            if not value or not _hits(ruleset, value):
                raise cfg.fail(key, f"no rule matches '{value}'; allowed: a rule id, a prefix such as LIAB, or a name "
                                    "(see: ndalint rules)")

    def plan(self, path: str) -> Plan:
        cfg = self.config_for(path)
        s = cfg.settings if cfg else Settings()
        named = self._named(path)
        rel = _relative(named, cfg.root) if cfg and not (path == ingest.STDIN and not self.stdin_filename) else ""
        file_ignores = frozenset(k for g, keys in s.per_file_ignores.items() if rel and glob_matches(g, rel) for k in keys)
        per_file = [e for e in s.per_file if rel and glob_matches(e.glob, rel)]
        parties = {**s.parties}
        kind = s.kind
        for entry in per_file:  # later entries win
            parties.update(entry.parties)
            kind = entry.kind or kind
        # the report says which file stated a value; what the command line states it calls --party
        source = _shown(cfg.path) if cfg else ""
        sources = {label: source for label in parties} | ({"kind": source} if kind else {})
        for label, _ in self.cli.parties:
            sources.pop(label, None)
        if self.cli.kind:
            sources.pop("kind", None)
        parties.update(dict(self.cli.parties))
        overrides = Overrides(parties=tuple(parties.items()), kind=self.cli.kind or kind,  # type: ignore[arg-type]
                              sources=tuple(sources.items()))
        fail_on = self.cli.fail_on or (parse_fail_on(s.fail_on) if s.fail_on else None) or DEFAULT_FAIL_ON
        key = (id(cfg), file_ignores)
        if key not in self._engines:
            self._engines[key] = self._engine(cfg, file_ignores)
        limits = DEFAULT_LIMITS.with_values(s.limits).with_values(dict(self.cli.limits))
        return Plan(self._engines[key], overrides, fail_on, limits)

    def _engine(self, cfg: ConfigFile | None, file_ignores: frozenset[str]) -> Any:
        s = cfg.settings if cfg else Settings()
        dirs = [str((cfg.root / d) if cfg else d) for d in s.rules]
        if cfg:
            for d, full in zip(s.rules, dirs):
                if not Path(full).is_dir():
                    raise cfg.fail("rules", f"directory '{d}' not found (relative to {_shown(cfg.root)}); "
                                            "allowed: a list of rule directories relative to the configuration file")
        seen: set[Path] = set()
        unique = []
        for d in (*dirs, *self.cli.rules):
            if Path(d).resolve() not in seen:
                seen.add(Path(d).resolve())
                unique.append(d)
        base = self._ruleset(tuple(unique))
        if cfg:
            for key, values in (("select", s.select or ()), ("extend-select", s.extend_select), ("ignore", s.ignore),
                                ("severity", s.severity),
                                ("per-file-ignores", [k for keys in s.per_file_ignores.values() for k in keys])):
                self._check_keys(cfg, base, key, values)
        if self.cli.select:
            select: list[str] = list(self.cli.select)  # the command line names the rules it wants
            ignore = [*self.cli.ignore, *file_ignores]
        else:
            select = [*s.select, *s.extend_select] if s.select else []
            ignore = [*s.ignore, *self.cli.ignore, *file_ignores]
        engine: Any = base.select(select, ignore)
        severity = _severities(engine, s.severity)
        if severity:
            engine = Configured(engine, severity)
        return engine

    def rules_info(self) -> list[RuleInfo]:
        """The rules that ran, for formats that describe them (the first configuration's view of each)."""
        known: dict[str, RuleInfo] = {}
        for engine in self._engines.values():
            for info in engine.info():
                known.setdefault(info.id, info)
        return [known[k] for k in sorted(known)]


def _severities(ruleset: RuleSet, table: dict[str, str]) -> dict[str, str]:
    """rule id -> severity; an exact id or name beats a prefix, a longer prefix a shorter one."""
    out: dict[str, str] = {}
    for rule in ruleset.rules:
        best: tuple[int, str] | None = None
        for key, severity in table.items():
            if key == rule.name or key.upper() == rule.id:
                rank = 1000
            elif rule.id.startswith(key.upper()):
                rank = len(key)
            else:
                continue
            if best is None or rank > best[0]:
                best = (rank, severity)
        if best is not None and best[1] != rule.severity:
            out[rule.id] = best[1]
    return out
