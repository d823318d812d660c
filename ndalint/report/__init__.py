"""Report -> text. One module per output format, chosen from a registry (no if-chains)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ndalint.report.model import Report

Renderer = Callable[..., str]


def _lazy(module: str) -> Renderer:
    """A renderer imported on first use: a run prints one format, and the others (rich for text,
    the HTML page) cost a cold start time it should not pay."""

    def render(report: Report, **options: object) -> str:
        return importlib.import_module(module).render(report, **options)

    render.__name__ = "render_" + module.rsplit(".", 1)[-1]
    return render


FORMATS: dict[str, Renderer] = {
    "text": _lazy("ndalint.report.text"),
    "json": _lazy("ndalint.report.json_format"),
    "sarif": _lazy("ndalint.report.sarif"),
    "html": _lazy("ndalint.report.html"),
    "markdown": _lazy("ndalint.report.markdown"),
    "github": _lazy("ndalint.report.github"),
    "concise": _lazy("ndalint.report.concise"),
}


def render(report: Report, fmt: str, **options: object) -> str:
    return FORMATS[fmt](report, **options)
