"""Word auto-numbering: rebuild the labels (①, (1), 一, ア …) that exist only in numbering.xml.

Contracts drafted in Word number their items (号) and often their paragraphs (項) with list
numbering, so the text of ``第1条第2項`` has no ``①`` in it; without the labels, item structure
and references such as 「前項第3号」 cannot be resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from docx.oxml.ns import qn as _qn

qn = cache(_qn)  # the same few tag names are looked up for every level and paragraph

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
    if n > 3999:  # Roman numerals stop at MMMCMXCIX; a huge hand-edited start would take quadratic time
        return str(n)
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


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:  # hand-edited files carry "1.0" or ""; Word ignores what it cannot read
        return default


#: What Word puts between the label and the text (w:suff). A tab is a layout position, not a
#: character the rules should see, so tab and space both become one full-width space.
_SEPARATOR = {"tab": "\u3000", "space": "\u3000", "nothing": ""}


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level
    legal: bool = False  # w:isLgl: every number in the label rendered as decimal ("1.2", not "一.2")
    suffix: str = "tab"  # w:suff
    style: str | None = None  # w:pStyle: paragraphs of this style sit at this level


def _parse_level(lvl) -> _Level:
    # one pass over the children: find() per property is the slow part on list-heavy templates
    vals = {child.tag: child.get(_VAL, "") for child in lvl.iterchildren()}
    return _Level(
        start=_int(vals.get(_START), 1) or 0,
        fmt=vals.get(_NUM_FMT) or "decimal",
        text=(vals.get(_LVL_TEXT) or "")[:_MAX_LVL_TEXT],
        restart=_int(vals.get(_RESTART)),
        legal=_IS_LGL in vals and vals[_IS_LGL] not in ("0", "false", "off"),
        suffix=vals.get(_SUFF) or "tab",
        style=vals.get(_PSTYLE) or None,
    )


#: Word lets a level's text be a few dozen characters; a longer one is repeated on every numbered
#: paragraph, so a hostile numbering.xml could multiply the text (the character limit stops it too).
_MAX_LVL_TEXT = 255

_VAL, _START, _NUM_FMT, _LVL_TEXT, _RESTART, _IS_LGL, _SUFF, _PSTYLE = (qn(t) for t in (
    "w:val", "w:start", "w:numFmt", "w:lvlText", "w:lvlRestart", "w:isLgl", "w:suff", "w:pStyle"))


def _levels(parent) -> dict[int, _Level]:
    return {_int(lvl.get(qn("w:ilvl")), 0) or 0: _parse_level(lvl) for lvl in parent.iterchildren(qn("w:lvl"))}


@dataclass
class NumberingState:
    """Counters over one document, advanced paragraph by paragraph in reading order."""

    abstract: dict[str, object] = field(default_factory=dict)  # abstractNumId -> w:abstractNum
    num_to_abstract: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> start
    level_overrides: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl -> w:lvl
    style_numpr: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    _levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> its parsed levels
    _parsed: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId -> levels

    @classmethod
    def from_document(cls, doc) -> NumberingState:  # doc: docx.Document
        try:
            numbering = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        try:
            styles = doc.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            styles = None
        return cls.from_parts(numbering, styles)

    @classmethod
    def from_parts(cls, numbering, styles) -> NumberingState:
        """Build from the root elements of numbering.xml and styles.xml (either may be None)."""
        state = cls()
        links: dict[str, str] = {}  # abstractNumId -> numbering style it borrows its levels from
        if numbering is not None:
            for an in numbering.findall(qn("w:abstractNum")):
                aid = an.get(qn("w:abstractNumId"))
                state.abstract[aid] = an  # parsed on first use: templates define dozens of unused lists
                link = _val(an, "w:numStyleLink")
                if link:
                    links[aid] = link
            for num in numbering.findall(qn("w:num")):
                state._read_num(num)
        if styles is not None:
            state._read_styles(styles)
        state._resolve_style_links(links)
        return state

    def _read_num(self, num) -> None:
        num_id = num.get(qn("w:numId"))
        self.num_to_abstract[num_id] = _val(num, "w:abstractNumId") or ""
        for ov in num.findall(qn("w:lvlOverride")):
            ilvl = _int(ov.get(qn("w:ilvl")), 0) or 0
            lvl = ov.find(qn("w:lvl"))
            if lvl is not None:
                self.level_overrides.setdefault(num_id, {})[ilvl] = _parse_level(lvl)
            start = _int(_val(ov, "w:startOverride"))
            if start is not None:
                self.overrides.setdefault(num_id, {})[ilvl] = start

    def _read_styles(self, styles) -> None:
        # numId and ilvl inherit separately through basedOn: a child style often sets only ilvl.
        based_on: dict[str, str | None] = {}
        own: dict[str, tuple[str | None, int | None]] = {}
        for st in styles.findall(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            based_on[sid] = _val(st, "w:basedOn")
            numpr = st.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if numpr is not None:
                own[sid] = (_val(numpr, "w:numId"), _int(_val(numpr, "w:ilvl")))
        for sid in based_on:
            num_id, ilvl, seen, cur = None, None, set(), sid
            while cur and cur not in seen and (num_id is None or ilvl is None):
                seen.add(cur)
                own_id, own_lvl = own.get(cur, (None, None))
                num_id = num_id if num_id is not None else own_id
                ilvl = ilvl if ilvl is not None else own_lvl
                cur = based_on.get(cur)
            if num_id is not None:
                self.style_numpr[sid] = (num_id, ilvl)

    def _resolve_style_links(self, links: dict[str, str]) -> None:
        # w:numStyleLink: the abstractNum is an alias of the list a numbering style points at
        for aid, style_id in links.items():
            num_id = self.style_numpr.get(style_id, (None, None))[0]
            target = self.num_to_abstract.get(num_id or "")
            if target and target != aid and target in self.abstract:
                self.abstract[aid] = self.abstract[target]
                for num_id, abstract_id in self.num_to_abstract.items():
                    if abstract_id == aid:
                        self.num_to_abstract[num_id] = target  # one list, one set of counters

    def _numpr(self, ppr) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, styleId) of a paragraph: its own numPr over its style's."""
        if ppr is None:
            return None, None, None
        style_id = _val(ppr, "w:pStyle")
        num_id, ilvl = self.style_numpr.get(style_id or "", (None, None))
        numpr = ppr.find(qn("w:numPr"))
        if numpr is not None:
            num_id = _val(numpr, "w:numId", num_id)
            ilvl = _int(_val(numpr, "w:ilvl"), ilvl)
        return num_id, ilvl, style_id

    def number(self, ppr) -> tuple[str, str] | None:
        """Advance the counters for a paragraph with properties ``ppr`` (a ``w:pPr`` or None).

        Returns (label, separator) as Word displays them, or None when the paragraph has no
        number (no numbering, numId 0, a bullet, an empty label).
        """
        num_id, ilvl, style_id = self._numpr(ppr)
        if not num_id or num_id == "0" or num_id not in self.num_to_abstract:
            return None  # numId 0 is how a paragraph switches off its style's numbering
        abstract_id = self.num_to_abstract[num_id]
        levels = self._levels_of(num_id, abstract_id)
        if ilvl is None:
            # a style-numbered paragraph sits at the level that names its style (w:lvl/w:pStyle)
            ilvl = next((k for k, lv in levels.items() if style_id and lv.style == style_id), 0)
        if ilvl not in levels:
            return None
        counters = self._advance(num_id, abstract_id, ilvl, levels)
        level = levels[ilvl]
        if level.fmt == "bullet":
            return None  # bullets carry no number a reference could point to
        text = level.text
        for lv in range(ilvl + 1):
            if f"%{lv + 1}" in text:
                shown = levels.get(lv, _Level())
                n = counters.get(lv, self.overrides.get(num_id, {}).get(lv, shown.start))
                fmt = "decimal" if level.legal and shown.fmt != "none" else shown.fmt
                text = text.replace(f"%{lv + 1}", format_number(n, fmt))
        text = text.strip()
        return (text, _SEPARATOR.get(level.suffix, "\u3000")) if text else None

    def _levels_of(self, num_id: str, abstract_id: str) -> dict[int, _Level]:
        if num_id not in self._levels:
            if abstract_id not in self._parsed:
                an = self.abstract.get(abstract_id)
                self._parsed[abstract_id] = _levels(an) if an is not None else {}
            self._levels[num_id] = {**self._parsed[abstract_id], **self.level_overrides.get(num_id, {})}
        return self._levels[num_id]

    def _advance(self, num_id: str, abstract_id: str, ilvl: int, levels: dict[int, _Level]) -> dict[int, int]:
        # Word continues a list across numbering instances of one abstract definition unless an
        # instance overrides its levels, which is how "restart numbering" is stored.
        overridden = num_id in self.overrides or num_id in self.level_overrides
        key = f"num:{num_id}" if overridden else f"abs:{abstract_id}"
        counters = self.counters.setdefault(key, {})
        if ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = self.overrides.get(num_id, {}).get(ilvl, levels[ilvl].start)
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, _Level()).restart
            if restart is None or 0 < restart and ilvl < restart:  # 0 = never restart
                del counters[deeper]
        return counters
