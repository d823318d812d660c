"""`make bench`: throughput of the pipeline on the public model NDAs and the project corpus.

Prints wall-clock figures; nothing here is asserted (speed is measured, not tested).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT.parent / "shared" / "corpus" / "public").glob("*.contract.txt")) + sorted(
    p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md", ".docx"))
# Files as their owners saved them: what the readers (Word XML, PDF text layer) cost per file.
READ_FILES = sorted(p for p in (ROOT.parent / "shared" / "corpus").glob("*/*") if p.suffix in (".docx", ".pdf"))


def read_times() -> None:
    from ndalint.ingest import load

    for path in READ_FILES:
        load(str(path))  # first read imports the format's library; not what a batch pays per file
    by_format: dict[str, list[float]] = {}
    for path in READ_FILES:
        best = min(_timed(load, str(path)) for _ in range(5))
        by_format.setdefault(path.suffix, []).append(best)
        print(f"  read {path.name}: {best * 1000:.1f} ms")
    for suffix, times in sorted(by_format.items()):
        print(f"read {suffix}: {len(times)} files, median {statistics.median(times) * 1000:.1f} ms, "
              f"max {max(times) * 1000:.1f} ms (best of 5 each)")


def structure_times() -> None:
    """What reading the structure costs per document, and the share of parties, bound party and kind."""
    from ndalint import ingest, structure
    from ndalint.structure import bound, kinds, resolver

    docs = [ingest.load(str(p)) for p in FILES]
    parts = {"resolve": resolver.resolve, "mark_bound": bound.mark_bound, "classify_kind": kinds.classify_kind}
    spent = dict.fromkeys(parts, 0.0)

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t
        return wrapper

    for name, fn in parts.items():
        setattr(structure, name, timed(name, fn))  # structure/__init__ calls them by these names
    try:
        best = min(sum(_timed(structure.parse, d) for d in docs) for _ in range(3))
        for name in spent:
            spent[name] /= 3
    finally:
        for name, fn in parts.items():
            setattr(structure, name, fn)
    per = {name: spent[name] / len(docs) * 1000 for name in spent}
    print(f"structure: {best / len(docs) * 1000:.1f} ms/document, of which parties {per['resolve']:.1f} ms, "
          f"bound party {per['mark_bound']:.1f} ms, kind of agreement {per['classify_kind']:.1f} ms")


def _timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def main() -> None:
    t0 = time.perf_counter()
    from ndalint.lint import lint_path
    from ndalint.nlp import PIPELINE
    from ndalint.rules import RuleSet

    rules = RuleSet.load()
    _ = PIPELINE.tokenizer
    startup = time.perf_counter() - t0
    print(f"startup (imports, rule pack, tokenizer): {startup:.2f}s, {len(rules.rules)} rules")
    chars = sum(len(p.read_bytes().decode('utf-8', 'ignore')) for p in FILES)
    t1 = time.perf_counter()
    for p in FILES:
        lint_path(str(p), rules)
    cold = time.perf_counter() - t1
    print(f"cold pass (empty caches, GiNZA parser loaded lazily if a rule needs it): {cold:.2f}s "
          f"-> {chars / cold:,.0f} chars/s; full pipeline loaded: {PIPELINE.full_loaded}")
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        for p in FILES:
            lint_path(str(p), rules)
        runs.append(time.perf_counter() - t)
    best = min(runs)
    print(f"{len(FILES)} documents, {chars:,} characters: best {best:.2f}s, median {statistics.median(runs):.2f}s "
          f"(warm cache) -> {chars / best:,.0f} chars/s, {len(FILES) / best:.1f} docs/s")
    read_times()
    structure_times()
    audit_times()


def audit_times() -> None:
    """`ndalint audit` at scale: ≥ 2,000 generated real-like agreements (variants of the project
    corpus and of the real agreements in ../shared: .txt and .md with small edits, .docx edited
    through python-docx, the real PDFs; one file in a hundred broken), in a temporary directory,
    never in the project. For --jobs 1, 2, 4, … up to the CPUs present, then the Ray engine with two
    actors: files/s, wall seconds, and the peak memory of the largest process and of the whole
    process tree (the audit, its forkserver and workers; for Ray its raylet, GCS and actors), sampled
    from /proc every 0.1 s (PSS every 2 s: it costs a page-table walk). RSS counts pages shared
    between processes (the GiNZA model the workers share copy-on-write) once per process; PSS
    divides them between the processes sharing them.
    Then the same tree again from the cache. NDALINT_BENCH_AUDIT sets the number of files
    (default 2000; 0 skips); NDALINT_BENCH_RAY=0 skips the Ray row."""
    import os
    import tempfile

    n = int(os.environ.get("NDALINT_BENCH_AUDIT", "2000"))
    if n <= 0:
        return
    cpus = os.cpu_count() or 1
    jobs = sorted({j for j in (1, 2, 4, 8, 16, 32, 64) if j <= cpus} | {cpus})
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "agreements"
        t = time.perf_counter()
        kinds = _generate_tree(tree, n)
        print(f"audit: {n} generated files ({', '.join(f'{c} {k}' for k, c in sorted(kinds.items()))}) "
              f"in {time.perf_counter() - t:.1f}s")
        runs = [(f"local --jobs {j}", "local", j) for j in jobs]
        if os.environ.get("NDALINT_BENCH_RAY", "1") != "0":
            runs.append(("ray, 2 actors", "ray", 2))
        table = []
        for label, engine, j in runs:
            out = Path(tmp) / f"out-{engine}-{j}"
            took, peaks, totals = _measured_audit(tree, out, engine, j)
            table.append((label, n / took, took, *peaks, totals))
        print()
        print(f"{'engine / jobs':<18} {'files/s':>8} {'seconds':>8} {'largest RSS':>12} {'tree RSS':>10} {'tree PSS':>10}")
        for label, rate, took, largest, tree_rss, tree_pss, totals in table:
            print(f"{label:<18} {rate:8.1f} {took:8.1f} {largest:9.0f} MiB {tree_rss:6.0f} MiB {tree_pss:6.0f} MiB")
        print(f"(every run: {table[0][-1]['documents']} documents, {table[0][-1]['errors']} unreadable reported; "
              "the Ray row includes starting the local Ray instance)")
        out = Path(tmp) / f"out-local-{jobs[-1]}"
        again, _, totals = _measured_audit(tree, out, "local", jobs[-1])
        first = next(took for label, _, took, *_ in table if label == f"local --jobs {jobs[-1]}")
        print(f"audit again from the cache: {again:.1f}s ({first / again:.0f}x faster than {first:.1f}s; "
              f"{totals['cached']} cached, {totals['analysed']} analysed)")


def _generate_tree(tree: Path, n: int) -> dict[str, int]:
    """n files, each different from every other: variants of every source in turn."""
    import shutil

    import docx

    real = ROOT.parent / "shared" / "corpus" / "real"
    sources = [p for p in sorted((ROOT / "corpus").iterdir()) + sorted(real.iterdir())
               if p.suffix in (".txt", ".md", ".docx", ".pdf") and p.name.lower() != "readme.md"]
    texts = {p: p.read_text(encoding="utf-8") for p in sources if p.suffix in (".txt", ".md")}
    kinds: dict[str, int] = {}
    for i in range(n):
        src = sources[i % len(sources)]
        target = tree / f"batch{i // 100:02d}" / f"{i:05d}_{src.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if i % 100 == 99:  # one file in a hundred is broken
            target = target.with_suffix(".docx")
            target.write_bytes(b"not a zip")
            kinds["broken"] = kinds.get("broken", 0) + 1
            continue
        if src.suffix == ".docx":
            d = docx.Document(str(src))
            d.add_paragraph(f"（控 第{i}号）本書の写しである。")
            d.save(str(target))
        elif src.suffix == ".pdf":
            shutil.copy(src, target)  # as saved by its owner (identical copies: analysed again with a fresh cache)
        else:
            text = texts[src]
            if i % 3 == 1:
                text = text.replace("1年", f"{i % 5 + 1}年")
            elif i % 3 == 2:
                text = text.replace("損害", "一切の損害", 1)
            target.write_text(text + f"\n（控 第{i}号）\n", encoding="utf-8")  # every file differs
        kinds[src.suffix] = kinds.get(src.suffix, 0) + 1
    return kinds


_DRIVER = """
import json, sys
from ndalint.audit import audit
if __name__ == "__main__":
    tree, out, engine, jobs = sys.argv[1:5]
    r = audit(tree, out, jobs=int(jobs), engine=engine, progress=False)
    print(json.dumps(r.totals))
"""


def _measured_audit(tree: Path, out: Path, engine: str, jobs: int) -> tuple[float, tuple[float, float, float], dict]:
    """Run one audit in a child process (`audit()` as the CLI calls it, with the engine chosen) and
    sample its process tree; returns seconds, (largest process peak RSS, tree peak RSS, tree peak
    PSS) in MiB, and the totals."""
    import json
    import subprocess
    import sys

    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _DRIVER, str(tree), str(out), engine, str(jobs)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    largest = tree_rss = tree_pss = 0.0
    last_pss = 0.0
    while proc.poll() is None:
        family = [proc.pid, *_descendants(proc.pid)]
        rss = 0.0
        for pid in family:
            status = _proc_fields(f"/proc/{pid}/status", ("VmRSS", "VmHWM"))
            rss += status.get("VmRSS", 0)
            largest = max(largest, status.get("VmHWM", 0))
        tree_rss = max(tree_rss, rss)
        if time.perf_counter() - last_pss >= 2.0:  # walks every page table: ~10 ms a process, so seldom
            last_pss = time.perf_counter()
            pss = sum(_proc_fields(f"/proc/{pid}/smaps_rollup", ("Pss",)).get("Pss", 0) for pid in family)
            tree_pss = max(tree_pss, pss)
        time.sleep(0.1)
    took = time.perf_counter() - t
    stdout = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"audit ({engine}, jobs {jobs}) failed with exit code {proc.returncode}")
    totals = json.loads(stdout.strip().splitlines()[-1])
    return took, (largest / 1024, tree_rss / 1024, tree_pss / 1024), totals


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _proc_fields(path: str, names: tuple[str, ...]) -> dict[str, float]:
    """kB values of the named fields of a /proc status-like file (missing: the process is gone)."""
    values: dict[str, float] = {}
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            for line in fh:
                key, _, rest = line.partition(":")
                if key in names:
                    values[key] = float(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return values


if __name__ == "__main__":
    main()
