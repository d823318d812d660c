"""``ndalint audit DIR --out OUTDIR``: lint a whole tree of agreements in worker processes, with a
content-addressed cache, and write results.csv, results.json and an offline dashboard.html.

- discover: the files, as ``check`` walks a directory (configuration ``exclude`` respected);
- cache:    OUTDIR/.cache/, one JSON DocumentReport per (file bytes, rule pack, configuration);
- run:      the worker pool (the rule pack loaded once per worker) and the progress line;
- outputs:  per-document summaries, totals, results.csv and results.json;
- dashboard: the self-contained HTML page.
"""

from __future__ import annotations

from ndalint.audit.run import AuditResult, audit

__all__ = ["AuditResult", "audit"]
