"""What a line of a Japanese contract can be: article and section headings, paragraph and item
numbers, pledge clauses, commentary marks, the closing and signature, 別紙, title and preamble cues.

Shared by the layout (which blocks are what) and the heading schemes (how articles are marked).
"""

from __future__ import annotations

import re

from ndalint.structure.numerals import KANJI_NUMBER

_NUM = rf"[0-9０-９]+|[{KANJI_NUMBER}]+"
# 第1条, 第1条（目的）, 第3条の2 — and in 規程-style terms 「第1　目的」, a number and a short title alone
# on the line (a title, not a sentence: no 。 or 、)
ARTICLE_START = re.compile(
    rf"^第\s*(?P<num>{_NUM})(?:\s*条(?:\s*の\s*(?P<sub>{_NUM}))?"
    r"(?:\s*[（(](?P<title>[^）)\n]{1,40})[）)])?(?=[\s\u3000【［\[]|$|[^ぁ-ゖ及並又若、。・，,])"
    r"|[ \t\u3000]+(?P<bare>[^。、\s\u3000（）()]{1,24}(?:[（(][^）)\n]{1,20}[）)])?)\s*$)"
)
# A heading that names an article without its text: "1条（秘密情報の定義）" (METI Markdown/Word)
ARTICLE_HEADING = re.compile(rf"^第?\s*(?P<num>{_NUM})\s*条\s*[（(](?P<title>[^）)\n]{{1,40}})[）)]\s*$")
# 「（目的）」「【禁止事項】」「◆◆ 禁止事項 ◆◆」: a title on its own line (decorations on both sides; a bullet is no title)
TITLE_ONLY = re.compile(r"^(?:\{[^{}\n]{0,10}\}|第\s*[〇○●◯＿_×△]+\s*条)?\s*(?:[（(【]|[◆◇■□★☆▼▽◎]+[\s\u3000]*)"
                        r"(?P<title>[^】◆◇■□★☆▼▽◎\n]{1,30}?)[\s\u3000]*(?:[）)】]|[◆◇■□★☆▼▽◎]+)\s*$")
PARAGRAPH_START = re.compile(r"^(?P<num>[0-9０-９]{1,2})(?:[\s\u3000]+|[.．](?![0-9０-９]))")
ITEM_START = re.compile(
    r"^(?:"
    r"[(（]\s*(?P<paren>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}|[a-zａ-ｚ]|[ア-ン])\s*[)）]"
    r"|(?P<circled>[①-⑳])"
    r"|(?P<kanji>[一二三四五六七八九十]{1,3})[\s\u3000、．.]"
    r"|(?P<kana>[ア-ン])[\s\u3000.．、]"
    r"|(?P<latin>[a-z])[.．)]"
    r")"
)
# 「1. 新人期間について」: a short numbered heading with no sentence end, its text on the next lines
NUMBERED_SECTION = re.compile(r"^(?P<num>[0-9０-９]{1,2})[.．、]\s*(?P<title>[^。．\n]{1,30})$")
# 「1. …」「1 （秘密保持）…」 and 「1（秘密保持）」 with the title straight after the number
PLEDGE_CLAUSE = re.compile(r"^(?P<num>[0-9０-９]{1,2})(?:[.．、\s\u3000]\s*|(?=[（(][^）)\n]{1,30}[）)]))(?:[（(](?P<title>[^）)\n]{1,30})[）)])?")
COMMENTARY_MARK = re.compile(r"^[＜<【〈［\[]\s*(ポイント|解説|コメント|注記?|補足|留意点|趣旨|解説文|Point)\s*[＞>】〉］\]]")
CLOSING = r"本契約(の)?締結の証として|本契約の成立を証するため|以上を証するため|上記(の内容)?を(誓約|確認|承諾|同意)"
SIGNATURE_START = re.compile(
    rf"^({CLOSING}|"
    r"以上$|以\s*上$|(令和|平成|西暦)\s*[0-9０-９元〇一二三四五六七八九十●○〇]*\s*年|"
    r"(住\s*所|氏\s*名|署\s*名|所在地|代表者|記名押印)\s*[:：　 ]|"
    r"[（(]?(甲|乙)[）)]?\s*[:：]|20[0-9０-９]{2}\s*年)"
)
APPENDIX_START = re.compile(r"^[【［\[]?\s*別\s*紙\s*(?P<num>[0-9０-９一二三四五六七八九十]*)\s*[】］\]]?(?P<title>.*)$")
TITLE_WORDS = re.compile(r"(契約書?|誓約書|規約|同意書|覚書|合意書|約款|確認書|承諾書|規程|会則)")
TITLE_AT_END = re.compile(r"(契約書?|誓約書|規約|同意書|覚書|合意書|約款|確認書|承諾書|規程|会則)\s*([（(][^）)]*[）)])?$")
PREAMBLE_CUES = re.compile(
    r"(以下[、,]?[「『][^」』]+[」』]|締結する|締結します|(?:誓約|同意|確約|遵守)(?:いた|致)?します|誓約する|合意する|"
    r"(?:^|[\s\u3000。])(?:私|わたくし)(?:は|、))"
)
