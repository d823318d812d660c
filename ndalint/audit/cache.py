"""The audit cache: OUTDIR/.cache/<2 hex>/<key>.json, one DocumentReport per entry.

The key is sha256 of (the file's bytes, the rule-pack version, the configuration that applies to
the file). The rule-pack version hashes the built-in rule files, the package's own code and data
(``ndalint/**/*.py``, ``*.yaml``) and the version string, so an upgrade or an edited rule starts a
fresh cache instead of serving stale findings. Identical files share an entry (the path is set
when it is read back).

Entries are written with write_atomic (temporary file + rename), so concurrent workers, concurrent
audits into the same OUTDIR and the workers of a killed audit never leave a half-written entry; a
damaged, truncated or vanished entry is a miss. The temporary file of a writer killed mid-write is
never read (its name is not an entry's) and is deleted by the next prune once it is stale. Bounded: after a run, beyond MAX_ENTRIES entries or MAX_BYTES in total the least
recently used entries (by modification time, refreshed on every hit) are deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from functools import cache
from pathlib import Path
from typing import Any

from ndalint import __version__
from ndalint.config import Project
from ndalint.fsutil import write_atomic

MAX_ENTRIES = 50_000
MAX_BYTES = 512 * 1024 * 1024
FORMAT = "ndalint.audit-cache/1"
STALE_TEMP_SECONDS = 600  # a temporary file this old belongs to no writer still running


def _hash_tree(h: Any, root: Path, suffixes: tuple[str, ...]) -> None:
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")


@cache
def pack_version() -> str:
    """Rule files + ndalint's code and data + version: what decides a report besides the input."""
    from ndalint.rules.loader import BUILTIN

    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    _hash_tree(h, BUILTIN, (".yaml", ".yml"))
    _hash_tree(h, Path(__file__).resolve().parent.parent, (".py", ".yaml", ".yml"))
    return h.hexdigest()


class Keys:
    """The cache key of each file: content + pack + the configuration that applies to it."""

    def __init__(self, project: Project, options: str = "") -> None:
        self.project, self.options = project, options
        self._configs: dict[Path, str] = {}

    def _config_part(self, path: str) -> str:
        cfg = self.project.config_for(path)
        if cfg is None:
            return "none"
        if cfg.path not in self._configs:
            h = hashlib.sha256(str(cfg.path).encode() + b"\0" + cfg.path.read_bytes())
            for d in cfg.settings.rules:  # extra rule directories the configuration names
                _hash_tree(h, cfg.root / d, (".yaml", ".yml"))
            self._configs[cfg.path] = h.hexdigest()
        # per-file globs depend on where the file sits under the configuration
        rel = os.path.relpath(os.path.abspath(path), cfg.root)
        return f"{self._configs[cfg.path]}:{rel}"

    def key(self, path: str, data: bytes) -> str:
        h = hashlib.sha256()
        for part in (pack_version(), self.options, self._config_part(path)):
            h.update(part.encode("utf-8", "surrogateescape") + b"\0")
        h.update(hashlib.sha256(data).digest())
        return h.hexdigest()


class Cache:
    def __init__(self, outdir: str, enabled: bool = True) -> None:
        self.root = Path(outdir) / ".cache"
        self.enabled = enabled

    def _entry(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored DocumentReport (as a dict), or None: missing, damaged or from another pack."""
        if not self.enabled:
            return None
        entry = self._entry(key)
        try:
            data = json.loads(entry.read_bytes())
            if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("report"), dict):
                return None
            os.utime(entry)  # recently used: the last to be pruned
        except (OSError, ValueError):
            return None
        return data["report"]

    def put(self, key: str, report: dict[str, Any]) -> None:
        if not self.enabled:
            return
        try:
            write_atomic(str(self._entry(key)), json.dumps({"key": key, "report": report}, ensure_ascii=False))
        except OSError:
            pass  # a cache that cannot be written only costs time

    def prune(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> int:
        """Delete the least recently used entries beyond the bounds; returns how many."""
        if not self.enabled or not self.root.is_dir():
            return 0
        entries = []
        stale = time.time() - STALE_TEMP_SECONDS
        for shard in os.scandir(self.root):
            if not shard.is_dir():
                continue
            for e in os.scandir(shard.path):
                if e.name.startswith(".ndalint-"):  # left by a writer killed mid-write
                    with contextlib.suppress(OSError):
                        if e.stat().st_mtime < stale:
                            os.unlink(e.path)
                elif e.name.endswith(".json"):
                    try:
                        st = e.stat()
                    except OSError:
                        continue
                    entries.append((st.st_mtime, st.st_size, e.path))
        total = sum(size for _, size, _ in entries)
        if len(entries) <= max_entries and total <= max_bytes:
            return 0
        entries.sort()
        removed = 0
        for mtime, size, path in entries:
            if len(entries) - removed <= max_entries and total <= max_bytes:
                break
            try:
                os.unlink(path)
            except OSError:
                pass
            removed += 1
            total -= size
        return removed
