"""The files of an audit: what ``check DIR`` would lint, in a stable order."""

from __future__ import annotations

from ndalint.config import CommandLine, Project


def project(config: str | None = None, isolated: bool = False) -> Project:
    """The per-file configuration, as ``check`` builds it with no rule options on the command line."""
    return Project(CommandLine(), config, isolated)


def discover(directory: str, proj: Project) -> list[str]:
    """Recursive, hidden folders and README-like files skipped, ``exclude`` globs left out; sorted
    and without duplicates so that every run (and every --jobs) lists the same files."""
    return sorted(dict.fromkeys(proj.discover([directory])))
