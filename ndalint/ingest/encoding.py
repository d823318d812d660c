"""Bytes to text for plain-text formats: BOMs, UTF-8, then a Japanese-aware detector.

charset-normalizer does the detection; we only narrow its candidates to encodings Japanese
contracts are actually saved in, because on short texts an unrestricted detector happily
answers cp949 (Korean) for EUC-JP.
"""

from __future__ import annotations

import codecs

from ndalint.errors import InputError
from ndalint.ingest.bounds import check_chars

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_JAPANESE = ["cp932", "shift_jis", "euc_jp", "euc_jis_2004", "iso2022_jp", "utf_8"]
_ALLOWED_CONTROLS = set("\n\r\t\f\v")


def _plausible(text: str) -> float:
    """Share of characters that Japanese text is made of (kana, kanji, ASCII, punctuation)."""
    ok = sum(1 for ch in text if ch in "\n\t" or " " <= ch <= "~" or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return ok / max(1, len(text))


def _utf16_without_bom(data: bytes) -> str | None:
    """BOM-less UTF-16 shows NULs in the high bytes of ASCII (newlines, digits); Japanese
    characters have none, so judge by which byte order gives plausible Japanese text."""
    if len(data) % 2:
        return None
    best: tuple[float, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _plausible(text[:4000])
        if score > 0.95 and (best is None or score > best[0]):
            best = (score, text)
    return best[1] if best else None


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    return controls > max(2, len(text[:20000]) // 200)


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` with line ends normalised to ``\\n``.

    Raises InputError for empty or binary content.
    """
    if not data.strip(b" \t\r\n\x00"):
        if b"\x00" in data:
            raise InputError("テキストとして読めません（NUL バイトばかりのファイルです）")
        raise InputError("ファイルが空です")
    text: str | None = None
    encoding = ""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data[len(bom) :].decode(enc), enc.replace("-sig", "") + " (BOM)"
            except UnicodeDecodeError:
                raise InputError(f"{enc} の BOM がありますが、内容を {enc} として読めません") from None
            break
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if text is None and b"\x00" in data[:4096]:
        text = _utf16_without_bom(data)
        encoding = "utf-16"
    if text is None:
        import charset_normalizer  # imported here: only files that are not UTF-8 need the detector

        best = charset_normalizer.from_bytes(data, cp_isolation=_JAPANESE).best()
        if best is None:
            raise InputError("テキストとして読めません（バイナリファイルか、未対応の文字コードです）")
        text, encoding = str(best), best.encoding
    if _looks_binary(text):
        raise InputError("テキストとして読めません（バイナリファイルのようです）")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("ファイルが空です")
    check_chars(len(text))  # before the lines are split, unwrapped and mapped
    return text, encoding
