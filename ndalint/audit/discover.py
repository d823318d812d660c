"""The files of an audit: what ``check DIR`` would lint, in a stable order; and what the walk left
out that a user would expect to be audited."""

from __future__ import annotations

import os

from ndalint.config import CommandLine, Project

LINKED_DIRECTORY = "ディレクトリへのシンボリックリンクはたどりません（ループや二重の監査を避けるため）"
UNLISTABLE = "ディレクトリの中身を読めません"


def project(config: str | None = None, isolated: bool = False) -> Project:
    """The per-file configuration, as ``check`` builds it with no rule options on the command line."""
    return Project(CommandLine(), config, isolated)


def discover(directory: str, proj: Project) -> list[str]:
    """Recursive, hidden folders and README-like files skipped, ``exclude`` globs left out; sorted
    and without duplicates so that every run (and every --jobs) lists the same files."""
    return sorted(dict.fromkeys(proj.discover([directory])))


def skipped_entries(directory: str) -> list[dict[str, str]]:
    """What the walk did not enter, with the reason: symbolic links to directories (the walk never
    follows them, so a link to an ancestor cannot loop and a linked folder is not audited twice)
    and directories it cannot list. Hidden folders are left out as the walk leaves them out.
    Files are not listed here: a file that cannot be read is an error row of its own."""
    found: list[dict[str, str]] = []

    def unlistable(exc: OSError) -> None:
        found.append({"path": str(exc.filename), "reason": f"{UNLISTABLE}（{exc.strerror or exc}）"})

    for root, dirs, _ in os.walk(directory, onerror=unlistable):
        keep = []
        for d in sorted(dirs):
            if d.startswith(".") or d in ("node_modules", "__pycache__"):
                continue
            full = os.path.join(root, d)
            if os.path.islink(full):
                found.append({"path": full, "reason": LINKED_DIRECTORY})
            else:
                keep.append(d)
        dirs[:] = keep
    return sorted(found, key=lambda e: e["path"])
