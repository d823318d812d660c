"""Imported once by the forkserver that the audit's worker processes fork from: the tokenizer (with
its dictionary) and the GiNZA pipeline are loaded there, once per audit, and every worker starts
with them in place — pages shared copy-on-write rather than loaded again by each worker."""

from __future__ import annotations

try:
    import ndalint.audit.worker  # noqa: F401 - and with it ndalint.lint, the readers and the rules engine
    from ndalint.nlp import PIPELINE

    PIPELINE.tokenizer  # noqa: B018 - loaded for the effect
    PIPELINE.full  # noqa: B018
except Exception:  # noqa: BLE001, S110 - a worker loads what it needs itself; the forkserver must start
    pass
