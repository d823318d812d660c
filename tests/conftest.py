"""Shared fixtures: real documents from ../shared and the project corpus, and builders for
hostile inputs (encodings, PDFs, broken files) made at test time."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ndalint.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PUBLIC = SHARED / "corpus" / "public"
CORPUS = ROOT / "corpus"


def run_cli(*args: str, input: bytes | None = None):
    """Invoke the CLI as a user would (in-process); returns click's Result with stdout/stderr apart."""
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def check_json(*paths: str | Path, extra: tuple[str, ...] = ()) -> tuple[int, dict, str]:
    result = run_cli("check", "--format", "json", *extra, *map(str, paths))
    return result.exit_code, json.loads(result.stdout), result.stderr


def make_pdf(path: Path, pages: list[list[str]], encrypt: str | None = None, text: bool = True) -> Path:
    """A PDF with a real Japanese text layer (reportlab CID font), optionally encrypted or text-less."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    for lines in pages:
        c.setFont("HeiseiMin-W3", 10.5)
        if text:
            y = 800
            for line in lines:
                c.drawString(40, y, line)
                y -= 18
        else:
            c.rect(40, 400, 300, 300, fill=1)  # an "image" of a page: no text layer
        c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture(scope="session")
def public_dir() -> Path:
    if not PUBLIC.is_dir():
        pytest.fail(f"../shared/corpus/public is missing (expected at {PUBLIC}); CI clones main with ../shared beside it")
    return PUBLIC
