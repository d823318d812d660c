"""Numbers as contracts write them: 12, １２, 十二, 二十一, 〇."""

from __future__ import annotations

import unicodedata

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
KATAKANA_ORDER = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
IROHA_ORDER = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
KANJI_NUMBER = "〇零一二三四五六七八九十百千"


def parse_number(s: str) -> int | None:
    """Parse Arabic (half or full width) or kanji numerals; None when it is not a number."""
    s = unicodedata.normalize("NFKC", s.strip())
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if len(s) == 1 and s in CIRCLED:
        return CIRCLED.index(s) + 1
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = current * 10 + _DIGITS[ch] if current else _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def label_number(label: str) -> int | None:
    """The ordinal of an item label: (1) ① 一 ア イ(iroha) a."""
    core = unicodedata.normalize("NFKC", label).strip("()（）.．、 \u3000")
    if not core:
        return None
    if core in CIRCLED or label.strip() in CIRCLED:
        return CIRCLED.index(label.strip()[0]) + 1
    n = parse_number(core)
    if n is not None:
        return n
    if len(core) == 1 and core in KATAKANA_ORDER:
        return KATAKANA_ORDER.index(core) + 1
    if len(core) == 1 and "a" <= core.lower() <= "z":
        return ord(core.lower()) - ord("a") + 1
    return None
