"""`ndalint audit` over a tree with what real file systems hold besides documents: directory
symlink loops, a file symlink to itself, a dangling symlink, a FIFO, a socket and /dev/zero named
like documents, a file and a directory without read permission, a directory named like a
document. Each is an error row with its reason, or left out of the walk and listed with its
reason, and the audit ends in bounded time (a FIFO opened for reading waits for a writer for
ever; /dev/zero read to its end never ends).

Permission: the tests run as root, which reads any file (CAP_DAC_OVERRIDE). The audit runs in a
child that drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its capability bounding set before
exec (still uid 0: it owns the files, so the mode bits, 000, decide) — a real EACCES, checked
first with a plain open() in the same conditions."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from conftest import CORPUS, SHARED

NDALINT = str(Path(sys.executable).parent / "ndalint")
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _without_read_override() -> None:  # runs in the child, before exec
    if os.geteuid() != 0:
        return  # not root: the mode bits apply already
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=False, capture_output=True, timeout=timeout, preexec_fn=_without_read_override)


def test_links_loops_special_and_unreadable_files(tmp_path):
    root = tmp_path / "contracts"
    (root / "sub").mkdir(parents=True)
    shutil.copy(CORPUS / "employee-pledge.txt", root / "ok.txt")
    shutil.copy(SHARED / "corpus" / "real" / "r03_p1-dealer-nda.txt", root / "sub" / "deep.txt")
    (root / "folder.txt").mkdir()  # a directory named like a document: walked into, not read
    shutil.copy(CORPUS / "supplier-nda-short.txt", root / "folder.txt" / "inner.txt")
    (root / "loop").symlink_to(".")  # contracts/loop/loop/loop/... for ever, if followed
    (root / "sub" / "back").symlink_to("..")
    (root / "self.txt").symlink_to("self.txt")
    (root / "gone.txt").symlink_to("missing.txt")
    os.mkfifo(root / "pipe.txt")
    (root / "zero.txt").symlink_to("/dev/zero")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(root / "sock.txt"))
    sock.close()
    (root / "secret.txt").write_text((CORPUS / "employee-pledge.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "secret.txt").chmod(0)
    (root / "locked").mkdir()
    shutil.copy(CORPUS / "employee-pledge.txt", root / "locked" / "hidden-away.txt")
    (root / "locked").chmod(0)
    try:
        # the conditions really deny reading (not only for the audit)
        probe = _run(sys.executable, "-c", f"open({str(root / 'secret.txt')!r}, 'rb').read()")
        assert probe.returncode != 0 and b"PermissionError" in probe.stderr, probe.stderr

        out = tmp_path / "out"
        start = time.monotonic()
        result = _run(NDALINT, "audit", str(root), "--out", str(out), "--jobs", "2")
        took = time.monotonic() - start
    finally:
        (root / "locked").chmod(0o755)
        (root / "secret.txt").chmod(0o644)
    assert result.returncode == 0, result.stderr.decode()
    assert took < 60
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    rows = {os.path.relpath(d["path"], root): d for d in data["documents"]}
    errors = {name: d["error"] for name, d in rows.items() if d["status"] == "error"}
    assert errors == {
        "self.txt": "ファイルを読めません（Too many levels of symbolic links）",
        "gone.txt": "ファイルが見つかりません",
        "pipe.txt": "通常のファイルではありません（名前付きパイプ）。読まずに飛ばしました",
        "zero.txt": "通常のファイルではありません（キャラクタデバイス）。読まずに飛ばしました",
        "sock.txt": "通常のファイルではありません（ソケット）。読まずに飛ばしました",
        "secret.txt": "ファイルを読む権限がありません",
    }
    ok = {name for name, d in rows.items() if d["status"] == "ok"}
    assert ok == {"ok.txt", os.path.join("sub", "deep.txt"), os.path.join("folder.txt", "inner.txt")}
    # what the walk did not enter, and why: the links (each once, never followed) and the locked folder
    skipped = {os.path.relpath(e["path"], root): e["reason"] for e in data["skipped"]}
    assert set(skipped) == {"loop", os.path.join("sub", "back"), "locked"}
    assert skipped["loop"].startswith("ディレクトリへのシンボリックリンクはたどりません")
    assert skipped["locked"] == "ディレクトリの中身を読めません（Permission denied）"
    assert data["totals"]["skipped"] == 3 and data["totals"]["errors"] == 6
    assert "3 skipped" in result.stdout.decode()
    html = (out / "dashboard.html").read_text(encoding="utf-8")
    assert "監査の対象外（3件）" in html and "ディレクトリの中身を読めません" in html
