"""Command line: parse options, call the library, choose the formatter, set the exit code.

Exit codes (fixed contract): 0 nothing at or above --fail-on, 1 findings at or above it (or a
document read but not recognised as a contract: no verdict is not a pass), 2 usage or input error
(one line on stderr, never a traceback).
"""

from __future__ import annotations

import os
import sys
from functools import partial

import click

from ndalint import __version__, baseline, ingest, limits
from ndalint.config import CommandLine, Project
from ndalint.deadline import deadline
from ndalint.errors import InputError, NdalintError
from ndalint.fsutil import write_atomic
from ndalint.limits import DEFAULT as DEFAULT_LIMITS
from ndalint.lint import internal_error, lint_path
from ndalint.report import FORMATS, render
from ndalint.report.labels import SCORE_JA as SCORE_NAME
from ndalint.report.model import SEVERITIES, Report, Tool
from ndalint.rules import RuleSet
from ndalint.structure.kinds import KINDS as AGREEMENT_KINDS

PARTY_KINDS = ("individual", "company")

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class FailOn(click.ParamType):
    """``low|medium|high|critical`` or ``score:N``."""

    name = "SEVERITY|score:N"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        v = str(value).strip().lower()
        if v in SEVERITIES:
            return ("severity", SEVERITIES.index(v))
        if v.startswith("score:") and v[6:].isdigit() and 0 <= int(v[6:]) <= 100:
            return ("score", int(v[6:]))
        self.fail(f"'{value}' is not one of {', '.join(SEVERITIES)} or score:N (N = 0..100)", param, ctx)


class PartyKindParam(click.ParamType):
    """``LABEL=KIND`` for --party: 乙=individual."""

    name = "LABEL=KIND"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        label, _, kind = str(value).partition("=")
        if not label.strip() or kind.strip() not in PARTY_KINDS:
            self.fail(f"'{value}' is not LABEL=KIND with KIND one of {', '.join(PARTY_KINDS)} (e.g. 乙=individual)", param, ctx)
        return (label.strip(), kind.strip())


class LimitParam(click.ParamType):
    """``NAME=VALUE`` for --limit: pages=5000, timeout=30."""

    name = "NAME=VALUE"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        name, _, number = str(value).partition("=")
        try:
            DEFAULT_LIMITS.with_values({name.strip(): number.strip()})
        except ValueError as exc:
            self.fail(f"'{value}': {exc}", param, ctx)
        return (name.strip(), number.strip())


limit_option = click.option(
    "--limit", "limit_values", multiple=True, type=LimitParam(), metavar="NAME=VALUE",
    help="Raise or lower a bound for each file (repeatable): bytes, chars, pages, unpacked (bytes once unzipped), "
         "timeout (seconds; 0 = none). Defaults: bytes=50 MiB, chars=2000000, pages=2000, unpacked=200 MiB, timeout=300.")


def _gate(report: Report, fail_on: tuple[str, int], new_only: bool = False) -> bool:
    """``new_only`` (with a baseline): only the findings themselves count; the score and its band
    describe the whole document, old findings included."""
    kind, threshold = fail_on
    for doc in report.documents:
        if doc.status == "unrecognized":
            return True  # no verdict is not a pass: a CI gate must not wave an unread contract through
        if new_only:
            if any(SEVERITIES.index(f.severity) >= (threshold if kind == "severity" else SEVERITIES.index("medium"))
                   for f in doc.findings):
                return True
            continue
        if kind == "score" and doc.score and doc.score.value >= threshold:
            return True
        if kind == "severity" and any(SEVERITIES.index(f.severity) >= threshold for f in doc.findings):
            return True
        # the headline decides too: a document banded 高 「送付前に見直してください」 must not exit 0
        # because each of its findings alone is medium
        if kind == "severity" and doc.score and doc.score.band in SEVERITIES and SEVERITIES.index(doc.score.band) >= max(
                threshold, SEVERITIES.index("medium")):
            return True
    return False


def _want_color(output: str | None) -> bool:
    """Colour for a terminal; never for files and pipes, unless FORCE_COLOR; never with NO_COLOR."""
    if os.environ.get("NO_COLOR") is not None:
        return False
    if os.environ.get("FORCE_COLOR") is not None:
        return True
    return output is None and sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _echo_errors(report: Report) -> None:
    for doc in report.documents:
        if doc.error or doc.notice:
            click.echo(f"ndalint: {doc.path}: {doc.error or doc.notice}", err=True)


class _Group(click.Group):
    """Turns library errors into one line on stderr and exit code 2, for every command."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NdalintError as exc:
            click.echo(f"ndalint: {exc}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="ndalint", message="%(prog)s %(version)s")
def main() -> None:
    """ndalint: 日本語の秘密保持契約書・誓約書・参加同意書のリスクを検査するリンター。"""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS) + ["docx"]), default="text", show_default=True,
              help="docx: the Word review copy of one .docx input (as ndalint review), written to --output.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE (atomically).")
@click.option("--fail-on", type=FailOn(), default=None, show_default="high (or fail-on in the configuration)",
              help="Exit 1 when a finding or a document's score band (中/高/重大) is at or above SEVERITY, "
                   "or the score reaches N.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on.")
@click.option("--select", default="", help="Only these rules: ids, prefixes (LIAB) or names, comma-separated.")
@click.option("--ignore", default="", help="Skip these rules: ids, prefixes or names, comma-separated.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), help="Extra rule directory (repeatable).")
@click.option("--docx-view", type=click.Choice(ingest.DOCX_VIEWS), default="accepted", show_default=True,
              help="Word files with tracked changes: lint the text with them accepted, or the original.")
@click.option("--party", "parties", multiple=True, type=PartyKindParam(), metavar="LABEL=KIND",
              help="State a party's kind instead of reading it: 乙=individual, 甲=company (repeatable).")
@click.option("--kind", "agreement_kind", type=click.Choice((*AGREEMENT_KINDS, "other")), default=None,
              help="State the kind of agreement instead of reading it.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Use this configuration file instead of the nearest pyproject.toml [tool.ndalint] / ndalint.toml.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--stdin-filename", default=None, metavar="NAME",
              help="The file name to report for - (standard input), as editors pass the buffer they lint; "
                   "its extension tells the format.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False), default=None,
              help="Record today's findings in FILE (and exit 0); later runs with --baseline report only new ones.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None,
              help="Leave out the findings FILE records (matched by fingerprint, so moved clauses stay matched); "
                   "the gate then counts only new findings, not the score band.")
@limit_option
def check(paths: tuple[str, ...], fmt: str, output: str | None, fail_on: tuple[str, int] | None, exit_zero: bool,
          select: str, ignore: str, rule_dirs: tuple[str, ...], docx_view: str,
          parties: tuple[tuple[str, str], ...], agreement_kind: str | None, stdin_filename: str | None,
          config_file: str | None = None, isolated: bool = False, write_baseline: str | None = None,
          baseline_file: str | None = None, limit_values: tuple[tuple[str, str], ...] = ()) -> None:
    """Lint contracts (.txt .md .docx .pdf .rtf .odt, a directory, or - for stdin)."""
    if config_file and isolated:
        raise click.UsageError("--config and --isolated cannot be used together")
    stated: dict[str, str] = {}
    for label, kind in parties:
        if stated.setdefault(label, kind) != kind:
            raise click.UsageError(f"--party {label} is stated twice with different kinds ({stated[label]}, {kind})")
    # the nearest configuration file of each document, under the command line (ndalint/config.py)
    project = Project(CommandLine(tuple(x for x in select.split(",") if x), tuple(x for x in ignore.split(",") if x),
                                  rule_dirs, tuple(stated.items()), agreement_kind, fail_on, limit_values),
                      config_file, isolated, stdin_filename)
    targets = list(project.discover(paths))
    if not targets:
        raise click.UsageError("no .txt, .md, .docx, .pdf, .rtf or .odt files found in the given paths")
    plans = [project.plan(p) for p in targets]
    if fmt == "docx":
        if docx_view != "accepted":
            raise click.UsageError("--format docx reviews the accepted view (tracked changes kept as they are); drop --docx-view")
        report = _review_copy(targets, plans, output, project)
    else:
        report = None
    load = partial(ingest.load, docx_view=docx_view, stdin_name=stdin_filename)
    documents = report.documents if report else [_lint_one(p, plan, load, stdin_filename) for p, plan in zip(targets, plans)]
    report = Report(tool=Tool(version=__version__), documents=documents, rules=project.rules_info())
    if write_baseline:
        recorded = baseline.write(report, write_baseline)
        click.echo(f"ndalint: {write_baseline}: {recorded}件の指摘を記録しました（{len(documents)}文書）", err=True)
        _echo_errors(report)
        sys.exit(EXIT_ERROR if any(d.error for d in documents) else EXIT_OK)
    if baseline_file:
        baseline.apply(report, baseline.read(baseline_file))
    if fmt != "docx":  # the review copy is written already
        out = render(report, fmt, color=_want_color(output))
        if output:
            write_atomic(output, out)
        else:
            click.echo(out, nl=False, color=True)  # the renderer already chose colour or not
    _echo_errors(report)
    if any(d.error for d in documents):
        sys.exit(EXIT_ERROR)
    failed = any(_gate(Report(tool=report.tool, documents=[d]), plan.fail_on, new_only=bool(baseline_file))
                 for d, plan in zip(documents, plans))
    sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_OK)


def _lint_one(path: str, plan, load, stdin_filename: str | None):
    with limits.using(plan.limits):
        return lint_path(path, plan.engine, load, plan.overrides, stdin_filename)


def _review_copy(targets: list[str], plans, output: str | None, project: Project) -> Report:
    """``check --format docx``: the review copy (comments only) of a single .docx, written to --output."""
    if len(targets) != 1 or not output:
        raise click.UsageError("--format docx writes the Word review copy of one .docx: give one file and --output FILE.docx")
    from ndalint.review import ReviewOptions

    result = _review_file(targets[0], output, plans[0], ReviewOptions())
    if result.data:  # a document not recognised has no copy; check reports it and exits 1
        write_atomic(output, result.data)
    return Report(tool=Tool(version=__version__), documents=[result.report], rules=project.rules_info())


def _review_file(path: str, target: str, plan, options):
    """The review copy of ``path`` within the plan's limits; refuses to overwrite the input."""
    from ndalint.review import review

    if os.path.exists(target) and os.path.exists(path) and os.path.samefile(target, path):
        raise click.UsageError("the review copy must not overwrite the input; choose another --output")
    try:
        with limits.using(plan.limits), deadline(plan.limits.timeout):
            return review(ingest.read_bytes(path), path, plan.engine, plan.overrides, options)
    except InputError as exc:
        raise NdalintError(f"{path}: {exc}") from None
    except Exception as exc:  # as lint_path does: one line, the traceback only with NDALINT_DEBUG
        if os.environ.get("NDALINT_DEBUG"):
            raise
        raise NdalintError(f"{path}: {internal_error(exc)}") from None


rules_option = click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False),
                            help="Extra rule directory (repeatable).")


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rules_option
def rules_cmd(fmt: str, rule_dirs: tuple[str, ...]) -> None:
    """List the rules (id, name, title, category, severity, status)."""
    from ndalint.rules.views import rules_table

    click.echo(rules_table(RuleSet.load(rule_dirs), fmt), nl=False)


@main.command("rule")
@click.argument("key")
@rules_option
def rule_cmd(key: str, rule_dirs: tuple[str, ...]) -> None:
    """Explain one rule (by id or name): what it flags, why, its basis, examples, wording to use instead."""
    from ndalint.rules.docs import rule_page

    lr = RuleSet.load(rule_dirs).find(key)
    if lr is None:
        raise NdalintError(f"no rule '{key}' (see: ndalint rules)")
    click.echo(rule_page(lr))


@main.command("test-rules")
@click.argument("directory", required=False, type=click.Path(file_okay=False, exists=True))
@rules_option
def test_rules(directory: str | None, rule_dirs: tuple[str, ...]) -> None:
    """Run every rule's flag/ok examples; exit 1 on any failure."""
    from ndalint.rules.examples import run_examples

    dirs = rule_dirs + ((directory,) if directory else ())
    ruleset = RuleSet.load(dirs, builtin=directory is None, strict=True)
    count, failures = run_examples(ruleset)
    for f in failures:
        click.echo(str(f))
    click.echo(f"{len(ruleset.rules)} rules, {count} examples: {count - len(failures)} passed, {len(failures)} failed")
    sys.exit(EXIT_FINDINGS if failures else EXIT_OK)


@main.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the --format json report (schemas/ndalint.report-1.schema.json)."""
    from ndalint.report.json_schema import render_schema

    click.echo(render_schema(), nl=False)


@main.command("eval")
@click.argument("directory", type=click.Path(file_okay=False, exists=True))
@click.option("--labels", "labels_path", type=click.Path(dir_okay=False, exists=True),
              help="Expected results per document, project or real-corpus schema [default: DIRECTORY/labels.yaml].")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-under", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 when a category's precision or recall is below this value.")
@click.option("--min-party-kind", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 when the share of labelled parties read with the right kind is below this value.")
@click.option("--min-bound", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 when the share of documents where 'an individual is bound' is right is below this value.")
@click.option("--min-kind", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 when the share of documents with the right kind of agreement is below this value.")
@rules_option
def eval_cmd(directory: str, labels_path: str | None, fmt: str, fail_under: float | None, min_party_kind: float | None,
             min_bound: float | None, min_kind: float | None, rule_dirs: tuple[str, ...]) -> None:
    """Measure the rule pack against labelled documents: per-category precision and recall,
    disagreements, the rank correlation between score and labelled risk, and the accuracy of
    party kinds, of "an individual is bound" and of the kind of agreement."""
    import json
    from pathlib import Path

    from ndalint.evaluation import evaluate, load_labels, render_text

    engine = RuleSet.load(rule_dirs)
    labels = load_labels(Path(labels_path) if labels_path else Path(directory) / "labels.yaml")
    result = evaluate(Path(directory), labels, lambda p: lint_path(p, engine), [r.id for r in engine.rules])
    if fmt == "json":
        click.echo(json.dumps(result.model_dump(by_alias=True), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result), nl=False)
    failed = result.below(fail_under) if fail_under is not None else []
    failed += result.measures_below({"party_kind": min_party_kind, "bound": min_bound, "kind": min_kind})
    if failed:
        # stdout holds the report; say on stderr which gate failed, so CI logs show why without parsing it
        click.echo(f"ndalint: eval below the floor: {', '.join(failed)}", err=True)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@main.command()
@click.argument("sentence")
@click.option("--parse/--no-parse", default=True, help="Run the full GiNZA pipeline (dependencies) or only the tokenizer.")
def explain(sentence: str, parse: bool) -> None:
    """Show tokens (text, lemma, norm, POS, tag, dependency) of a sentence, for writing token patterns."""
    from ndalint.rules.views import explain_sentence

    click.echo(explain_sentence(sentence, parse), nl=False)


@main.command()
@click.argument("out", type=click.Path(file_okay=False), default="docs/rules")
@rules_option
def docs(out: str, rule_dirs: tuple[str, ...]) -> None:
    """Generate the rule documentation (one page per rule plus an index) into OUT."""
    from pathlib import Path

    from ndalint.rules.docs import write_docs

    written = write_docs(RuleSet.load(rule_dirs).loaded, Path(out))
    click.echo(f"wrote {len(written)} pages to {out}")


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE (atomically).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="medium", show_default=True,
              help="Exit 1 when a finding at or above SEVERITY is introduced (or NEW's score band is worse than OLD's).")
@click.option("--select", default="", help="Only these rules: ids, prefixes (LIAB) or names, comma-separated.")
@click.option("--ignore", default="", help="Skip these rules: ids, prefixes or names, comma-separated.")
@rules_option
@click.option("--docx-view", type=click.Choice(ingest.DOCX_VIEWS), default="accepted", show_default=True,
              help="Word files with tracked changes: lint the text with them accepted, or the original.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Use this configuration file for both drafts instead of each one's nearest.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
def diff_cmd(old: str, new: str, fmt: str, output: str | None, fail_on: str, select: str, ignore: str,
             rule_dirs: tuple[str, ...], docx_view: str, config_file: str | None, isolated: bool) -> None:
    """Compare two drafts (any formats, e.g. an old .docx and a new .md): findings resolved,
    introduced and unchanged, the score before and after, and the clauses that changed."""
    from ndalint.diff import diff
    from ndalint.diff import render as render_diff
    from ndalint.errors import InputError
    from ndalint.lint import lint_document

    if config_file and isolated:
        raise click.UsageError("--config and --isolated cannot be used together")
    project = Project(CommandLine(tuple(x for x in select.split(",") if x), tuple(x for x in ignore.split(",") if x),
                                  rule_dirs), config_file, isolated)
    sides = []
    for path in (old, new):
        plan = project.plan(path)
        try:
            doc = ingest.load(path, docx_view=docx_view)
        except InputError as exc:
            raise NdalintError(f"{path}: {exc}") from None
        report = lint_document(doc, plan.engine, plan.overrides)
        if report.status != "ok":  # nothing to compare: not a pass either
            raise NdalintError(f"{path}: {report.notice or report.error}")
        sides.append((report, doc))
    (old_report, old_doc), (new_report, new_doc) = sides
    result = diff(old_report, old_doc, new_report, new_doc, fail_on, __version__)
    out = render_diff(result, fmt, color=_want_color(output))
    if output:
        write_atomic(output, out)
    else:
        click.echo(out, nl=False, color=True)
    sys.exit(EXIT_FINDINGS if result.gate.failed else EXIT_OK)


@main.command("audit")
@click.argument("directory", type=click.Path(file_okay=False, exists=True))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Directory for results.csv, results.json, dashboard.html and the cache (.cache/).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, show_default="the number of CPUs",
              help="Worker processes.")
@click.option("--no-cache", is_flag=True, help="Analyse every file again (neither read nor write OUT/.cache/).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Use this configuration file instead of each file's nearest one.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: worker processes on this machine; ray: Ray actors (pip install 'ndalint[ray]'), "
                   "on a cluster with --ray-address.")
@click.option("--ray-address", default=None, metavar="ADDRESS",
              help="The Ray cluster to use (e.g. ray://head:10001 or auto); default: a local Ray instance.")
@limit_option
def audit_cmd(directory: str, out: str, jobs: int | None, no_cache: bool, config_file: str | None,
              isolated: bool, engine: str = "local", ray_address: str | None = None,
              limit_values: tuple[tuple[str, str], ...] = ()) -> None:
    """Audit a whole tree of agreements in parallel: results.csv, results.json and an offline
    dashboard.html in OUT; unchanged files are read from OUT/.cache/ (so an interrupted run resumes)."""
    from ndalint.audit import audit

    if config_file and isolated:
        raise click.UsageError("--config and --isolated cannot be used together")
    if os.path.exists(out) and not os.path.isdir(out):
        raise click.UsageError(f"--out {out} is not a directory")
    if ray_address and engine != "ray":
        raise click.UsageError("--ray-address needs --engine ray")
    result = audit(directory, out, jobs=jobs, use_cache=not no_cache, config=config_file, isolated=isolated,
                   limits=DEFAULT_LIMITS.with_values(dict(limit_values)) if limit_values else None,
                   engine=engine, ray_address=ray_address)
    if not result.documents:
        raise click.UsageError(f"no .txt, .md, .docx, .pdf, .rtf or .odt files found in {directory}")
    click.echo(result.summary_line())
    sys.exit(EXIT_OK)


@main.command("review")
@click.argument("path")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Where to write the review copy (atomically). Default: NAME.review.docx beside the input.")
@click.option("--redline", is_flag=True,
              help="Also make each concrete rewording a rule proposes a tracked change (w:del/w:ins) to accept or reject.")
@click.option("--author", default="ndalint", show_default=True, help="Author of the comments and tracked changes.")
@click.option("--initials", default=None, help="Initials Word shows beside the comments (default: from --author).")
@click.option("--date", "when", default=None, metavar="ISO8601",
              help="Date of the comments and revisions, e.g. 2026-12-04T09:00:00Z (default: now; fix it for reproducible copies).")
@click.option("--select", default="", help="Only these rules: ids, prefixes (LIAB) or names, comma-separated.")
@click.option("--ignore", default="", help="Skip these rules: ids, prefixes or names, comma-separated.")
@rules_option
@click.option("--party", "parties", multiple=True, type=PartyKindParam(), metavar="LABEL=KIND",
              help="State a party's kind instead of reading it: 乙=individual, 甲=company (repeatable).")
@click.option("--kind", "agreement_kind", type=click.Choice((*AGREEMENT_KINDS, "other")), default=None,
              help="State the kind of agreement instead of reading it.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Use this configuration file instead of the nearest pyproject.toml [tool.ndalint] / ndalint.toml.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@limit_option
def review_cmd(path: str, output: str | None, redline: bool, author: str, initials: str | None, when: str | None,
               select: str, ignore: str, rule_dirs: tuple[str, ...], parties: tuple[tuple[str, str], ...],
               agreement_kind: str | None, config_file: str | None, isolated: bool,
               limit_values: tuple[tuple[str, str], ...] = ()) -> None:
    """Write a copy of a Word contract (.docx) with a comment on the words of every finding (rule,
    message, legal basis, suggested wording) and a summary on the title; with --redline, the
    concrete rewordings as tracked changes. The input is never modified."""
    from ndalint.review import ReviewOptions

    if config_file and isolated:
        raise click.UsageError("--config and --isolated cannot be used together")
    if when is not None:
        _check_date(when)
    stated: dict[str, str] = {}
    for label, kind in parties:
        if stated.setdefault(label, kind) != kind:
            raise click.UsageError(f"--party {label} is stated twice with different kinds ({stated[label]}, {kind})")
    target = output or _review_name(path)
    project = Project(CommandLine(tuple(x for x in select.split(",") if x), tuple(x for x in ignore.split(",") if x),
                                  rule_dirs, tuple(stated.items()), agreement_kind, limits=limit_values),
                      config_file, isolated)
    result = _review_file(path, target, project.plan(path),
                          ReviewOptions(redline=redline, author=author, initials=initials, date=when))
    if not result.data:
        raise NdalintError(f"{path}: 契約書として認識できないため、レビュー用の写しを作成しませんでした（{result.report.notice}）")
    write_atomic(target, result.data)
    score = result.report.score
    click.echo(f"ndalint: {target}: コメント {result.comments}件" + (f"、変更履歴 {result.revisions}件" if redline else "")
               + (f"、本文に位置を示せない指摘 {len(result.unplaced)}件（要約コメントに記載）" if result.unplaced else "")
               + (f"（{SCORE_NAME} {score.value}/100）" if score else ""), err=True)
    sys.exit(EXIT_OK)


def _review_name(path: str) -> str:
    root, _ = os.path.splitext(path)
    return root + ".review.docx"


def _check_date(value: str) -> None:
    from datetime import datetime

    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.UsageError(f"--date {value!r} is not an ISO 8601 date such as 2026-12-04T09:00:00Z") from None


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Keep 127.0.0.1 unless a reverse proxy with authentication stands in front (README).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--max-upload-mb", default=10, show_default=True, type=click.IntRange(1, 50), help="Largest upload accepted (413 above).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Analysis worker processes (each loads the pipeline once).")
@click.option("--queue", default=8, show_default=True, type=click.IntRange(0, 1000),
              help="Uploads that may wait for a worker; beyond that the server answers 503 with Retry-After.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(1, 3600),
              help="Seconds one analysis may take before it is abandoned (422).")
@click.option("--upload-timeout", default=60.0, show_default=True, type=click.FloatRange(1, 3600),
              help="Seconds a client has to send its whole upload (408 after that).")
@limit_option
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int, max_upload_mb: int, workers: int, queue: int, timeout: float,
              upload_timeout: float, limit_values: tuple[tuple[str, str], ...] = ()) -> None:
    """Serve an upload page and a JSON API (POST /api/v1/check). Uploads stay in memory and never
    reach the disk or the log. --limit bounds every upload as it bounds check's files (422 past
    one; bytes below --max-upload-mb lowers the upload limit, 413); --limit timeout=N is --timeout N."""
    try:
        import fastapi  # noqa: F401
        import python_multipart  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise NdalintError("ndalint serve needs the web extra: pip install 'ndalint[serve]'") from None
    from ndalint.serve import run as serve

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"ndalint: listening on {host}: anyone who can reach it can upload; put it behind a reverse proxy "
                   "with authentication (README, 'Running the server')", err=True)
    bounds = DEFAULT_LIMITS.with_values(dict(limit_values))
    if "timeout" in dict(limit_values):  # one per-job time limit: --timeout and --limit timeout= are the same
        if ctx.get_parameter_source("timeout") is click.core.ParameterSource.COMMANDLINE and timeout != bounds.timeout:
            raise click.UsageError("--timeout and --limit timeout= set the same time limit: give one of them")
        if bounds.timeout <= 0:
            raise click.UsageError("--limit timeout= must be positive for the server (each analysis needs a time limit)")
        timeout = bounds.timeout
    click.echo(f"ndalint: http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    serve(host, port, max_upload_mb, workers, queue, timeout, upload_timeout, bounds)
    sys.exit(EXIT_OK)


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it; not 1, which CI reads as "findings"
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a pipeline whose reader stopped early


def run() -> None:
    """Entry point that keeps tracebacks away from users."""
    try:
        # not standalone: click would turn Ctrl-C into "Aborted!" and exit 1
        code = main(standalone_mode=False)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at interpreter exit
    except click.exceptions.Abort:  # click turns Ctrl-C into Abort when it owns the prompt
        click.echo("ndalint: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("ndalint: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except NdalintError as exc:
        click.echo(f"ndalint: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        # the reader went away (| head): nothing more to say, and nothing left to flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)
    except OSError as exc:  # writing the report to standard output failed (disk full, closed terminal)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        click.echo(f"ndalint: 出力を書き込めません（{exc.strerror or type(exc).__name__}）", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
