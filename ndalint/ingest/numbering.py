"""Word auto-numbering: rebuild the labels (①, (1), 一, ア …) that exist only in numbering.xml.

Contracts drafted in Word number their items (号) and often their paragraphs (項) with list
numbering, so the text of ``第1条第2項`` has no ``①`` in it; without the labels, item structure
and references such as 「前項第3号」 cannot be resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_KANJI_DIGITS = "〇一二三四五六七八九"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _kanji(n: int) -> str:
    if n < 10:
        return _KANJI_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _KANJI_DIGITS[tens]) + "十" + (_KANJI_DIGITS[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                       (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letter(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def format_number(n: int, fmt: str) -> str:
    """Render counter ``n`` in a Word ``w:numFmt``; unknown formats fall back to decimal."""
    formatters = {
        "decimal": str,
        "decimalZero": lambda k: f"{k:02d}",
        "decimalFullWidth": lambda k: str(k).translate(_FULLWIDTH),
        "decimalFullWidth2": lambda k: str(k).translate(_FULLWIDTH),
        "decimalHalfWidth": str,
        "decimalEnclosedCircle": lambda k: _CIRCLED[k - 1] if 0 < k <= len(_CIRCLED) else f"({k})",
        "decimalEnclosedCircleChinese": lambda k: _CIRCLED[k - 1] if 0 < k <= len(_CIRCLED) else f"({k})",
        "decimalEnclosedParen": lambda k: f"({k})",
        "decimalEnclosedFullstop": lambda k: f"{k}.",
        "aiueo": lambda k: _AIUEO[(k - 1) % len(_AIUEO)],
        "aiueoFullWidth": lambda k: _AIUEO[(k - 1) % len(_AIUEO)],
        "iroha": lambda k: _IROHA[(k - 1) % len(_IROHA)],
        "irohaFullWidth": lambda k: _IROHA[(k - 1) % len(_IROHA)],
        "japaneseCounting": _kanji,
        "japaneseDigitalTenThousand": _kanji,
        "ideographDigital": _kanji,
        "ideographTraditional": lambda k: "甲乙丙丁戊己庚辛壬癸"[(k - 1) % 10],
        "lowerLetter": _letter,
        "upperLetter": lambda k: _letter(k).upper(),
        "lowerRoman": _roman,
        "upperRoman": lambda k: _roman(k).upper(),
        "none": lambda k: "",
    }
    return formatters.get(fmt, str)(n)


def _val(el, tag: str, default: str | None = None) -> str | None:
    child = el.find(qn(tag)) if el is not None else None
    return child.get(qn("w:val")) if child is not None else default


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level


@dataclass
class NumberingState:
    """Counters over one document, advanced paragraph by paragraph in reading order."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    num_to_abstract: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> start
    style_numpr: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def from_document(cls, doc) -> NumberingState:  # doc: docx.Document
        state = cls()
        try:
            numbering = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            for an in numbering.findall(qn("w:abstractNum")):
                levels = {}
                for lvl in an.findall(qn("w:lvl")):
                    restart = _val(lvl, "w:lvlRestart")
                    levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
                        start=int(_val(lvl, "w:start", "1") or 1),
                        fmt=_val(lvl, "w:numFmt", "decimal") or "decimal",
                        text=_val(lvl, "w:lvlText", "") or "",
                        restart=int(restart) if restart is not None else None,
                    )
                state.abstract[an.get(qn("w:abstractNumId"))] = levels
            for num in numbering.findall(qn("w:num")):
                num_id = num.get(qn("w:numId"))
                state.num_to_abstract[num_id] = _val(num, "w:abstractNumId") or ""
                for ov in num.findall(qn("w:lvlOverride")):
                    start = _val(ov, "w:startOverride")
                    if start is not None:
                        state.overrides.setdefault(num_id, {})[int(ov.get(qn("w:ilvl"), "0"))] = int(start)
        styles = doc.styles.element
        based_on: dict[str, str | None] = {}
        own: dict[str, tuple[str | None, int | None]] = {}
        for st in styles.findall(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            based_on[sid] = _val(st, "w:basedOn")
            numpr = st.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if numpr is not None:
                ilvl = _val(numpr, "w:ilvl")
                own[sid] = (_val(numpr, "w:numId"), int(ilvl) if ilvl is not None else None)
        for sid in based_on:
            seen, cur = set(), sid
            while cur and cur not in own and cur not in seen:
                seen.add(cur)
                cur = based_on.get(cur)
            if cur in own:
                state.style_numpr[sid] = own[cur]
        return state

    def label(self, p_el) -> str | None:
        """Advance the counters for paragraph element ``p_el`` and return its label, if numbered."""
        ppr = p_el.find(qn("w:pPr"))
        num_id, ilvl = None, None
        if ppr is not None:
            style_id = _val(ppr, "w:pStyle")
            if style_id in self.style_numpr:
                num_id, ilvl = self.style_numpr[style_id]
            numpr = ppr.find(qn("w:numPr"))
            if numpr is not None:
                num_id = _val(numpr, "w:numId", num_id)
                lv = _val(numpr, "w:ilvl")
                ilvl = int(lv) if lv is not None else ilvl
        if not num_id or num_id == "0" or num_id not in self.num_to_abstract:
            return None
        ilvl = ilvl or 0
        abstract_id = self.num_to_abstract[num_id]
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels:
            return None
        # Word continues a list across numbering instances of one abstract definition unless an
        # instance overrides its start, which is how "restart numbering" is stored.
        key = f"num:{num_id}" if num_id in self.overrides else f"abs:{abstract_id}"
        counters = self.counters.setdefault(key, {})
        if ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = self.overrides.get(num_id, {}).get(ilvl, levels[ilvl].start)
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, _Level()).restart
            if restart is None or 0 < restart and ilvl < restart:  # 0 = never restart
                del counters[deeper]
        text = levels[ilvl].text
        for lv in range(ilvl + 1):
            if f"%{lv + 1}" in text:
                level = levels.get(lv, _Level())
                n = counters.get(lv, self.overrides.get(num_id, {}).get(lv, level.start))
                text = text.replace(f"%{lv + 1}", format_number(n, level.fmt))
        if levels[ilvl].fmt == "bullet":
            return None  # bullets carry no number a reference could point to
        return text.strip() or None
