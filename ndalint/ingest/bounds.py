"""The run's limits (``ndalint.limits``) as the readers enforce them, and the one-line messages
a user sees when a file is past one. Each message names the limit and how to raise it
(``--limit NAME=VALUE``), because a legitimate 3,000-page annex should not be a dead end."""

from __future__ import annotations

from ndalint import limits
from ndalint.errors import InputError


def mib(size: int) -> str:
    return f"{size / limits.MIB:.1f} MiB" if size < 10 * limits.MIB else f"{size // limits.MIB:,} MiB"


def check_size(size: int) -> None:
    """Raise InputError when a file of ``size`` bytes is past the run's limit."""
    limit = limits.current().bytes
    if size > limit:
        raise InputError(f"ファイルが大きすぎます（{mib(size)}、上限 {mib(limit)}。--limit bytes=… で変更できます）")


def check_chars(count: int) -> None:
    """Raise InputError when ``count`` characters of text are past the run's limit."""
    limit = limits.current().chars
    if count > limit:
        raise InputError(f"本文が長すぎます（{count:,} 文字、上限 {limit:,} 文字。--limit chars=… で変更できます）")


def check_text(text: str) -> None:
    check_chars(len(text))


def check_pages(count: int) -> None:
    limit = limits.current().pages
    if count > limit:
        raise InputError(f"PDF のページが多すぎます（{count:,} ページ、上限 {limit:,} ページ。--limit pages=… で変更できます）")


def unpacked_error(what: str, declared: int | None = None) -> InputError:
    """The message for a package or stream that would unpack past the run's limit (a zip bomb, or
    simply a very large file): ``what`` is the thing measured, ``declared`` the size its headers
    state (None: it was inflated and counted until it passed the limit)."""
    limit = limits.current().unpacked
    size = f"展開後 {mib(declared)}、上限 {mib(limit)}" if declared is not None else f"上限 {mib(limit)} を超えます"
    return InputError(f"{what}を展開すると大きすぎます（{size}。--limit unpacked=… で変更できます）")
