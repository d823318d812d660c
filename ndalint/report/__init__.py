"""Report -> text. One module per output format, chosen from a registry (no if-chains)."""

from __future__ import annotations

from collections.abc import Callable

from ndalint.report import github, html, json_format, markdown, sarif, text
from ndalint.report.model import Report

Renderer = Callable[..., str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "html": html.render,
    "markdown": markdown.render,
    "github": github.render,
}


def render(report: Report, fmt: str, **options: object) -> str:
    return FORMATS[fmt](report, **options)
