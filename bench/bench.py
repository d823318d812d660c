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
    """`ndalint audit` over generated variants of the corpus and the real agreements (in a temporary
    directory, never in the project), with --jobs 1 and 2 and then from the cache.
    NDALINT_BENCH_AUDIT sets the number of files (default 1000; 0 skips)."""
    import json
    import os
    import resource
    import shutil
    import subprocess
    import sys
    import tempfile

    n = int(os.environ.get("NDALINT_BENCH_AUDIT", "1000"))
    if n <= 0:
        return
    sources = [p for p in sorted((ROOT / "corpus").iterdir()) + sorted((ROOT.parent / "shared" / "corpus" / "real").iterdir())
               if p.suffix in (".txt", ".md")]
    exe = str(Path(sys.executable).parent / "ndalint")
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "agreements"
        for i in range(n):
            src = sources[i % len(sources)]
            target = tree / f"batch{i // 100:02d}" / f"{i:05d}_{src.name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            if i % 100 == 99:  # one file in a hundred is broken
                target.with_suffix(".docx").write_bytes(b"not a zip")
                continue
            text = src.read_text(encoding="utf-8")
            target.write_text(text + f"\n（控 第{i}号）\n", encoding="utf-8")  # every file differs
        jobs = [1, 2] + ([os.cpu_count()] if (os.cpu_count() or 1) > 2 else [])
        for j in jobs:
            out = Path(tmp) / f"out{j}"
            t = time.perf_counter()
            subprocess.run([exe, "audit", str(tree), "--out", str(out), "--jobs", str(j), "--no-cache"],
                           check=True, capture_output=True)
            took = time.perf_counter() - t
            totals = json.loads((out / "results.json").read_text(encoding="utf-8"))["totals"]
            print(f"audit {n} files --jobs {j}: {took:.1f}s -> {n / took:.1f} files/s "
                  f"({totals['documents']} documents, {totals['errors']} unreadable reported)")
        shutil.rmtree(Path(tmp) / "out1")
        t = time.perf_counter()
        subprocess.run([exe, "audit", str(tree), "--out", str(Path(tmp) / "cached"), "--jobs", "2"], check=True, capture_output=True)
        first = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run([exe, "audit", str(tree), "--out", str(Path(tmp) / "cached"), "--jobs", "2"], check=True, capture_output=True)
        again = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"audit again from the cache: {again:.1f}s ({first / again:.0f}x faster than {first:.1f}s); "
              f"largest process {peak:.0f} MiB")


if __name__ == "__main__":
    main()
