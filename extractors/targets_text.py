"""Finding for targets: squeeze a sentence (offset map kept), then find year mentions and value mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.numbers import ARABIC, parse_number
from extractors.units import normalise, unit_class, unit_surfaces

_WIDE = "０１２３４５６７８９．％₂－"
_TRANS = str.maketrans(_WIDE, "0123456789.%2-")
_HAS_WIDE = re.compile(f"[{re.escape(_WIDE)}]")
MASK = "□"


@dataclass(frozen=True)
class Squeezed:
    """A sentence with spaces next to CJK removed; index[i] is the original offset of text[i]."""

    text: str
    masked: str
    index: tuple[int, ...]

    def to_orig(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the squeezed span [start, end)."""
        if end <= start:
            o = self.index[start] if start < len(self.index) else (self.index[-1] + 1 if self.index else 0)
            return o, o
        return self.index[start], self.index[end - 1] + 1


_MARKER_RE = re.compile(r"\n(?:\[\d+(?:[,，–-]\d+)*\]|[①-⑳])(?=\n)")
"""A citation marker the layout set on its own line inside a sentence ('需\n[1]\n在2030年前减半')."""


def squeeze(text: str) -> Squeezed:
    """Drop whitespace unless it sits between two ASCII chars; full-width digits to ASCII; mask 《titles》."""
    t = text.translate(_TRANS) if _HAS_WIDE.search(text) else text  # translate is slow; most have none
    out: list[str] = []
    idx: list[int] = []
    last = ""  # the last char written
    for lo, hi in _unmarked(t):  # run by run: copy the text between the runs squeeze changes as slices
        pos = lo
        for m in _SPACE_EDITS.finditer(t, lo, hi):
            a = m.start()
            if a > pos:
                out.append(t[pos:a])
                idx.extend(range(pos, a))
                last = t[a - 1]
            j = m.end() if m.end() < hi else _next_ink(t, m.end())  # a run cut by a marker goes on into it
            if last and last != " " and j < len(t) and last.isascii() and t[j].isascii():
                out.append(" ")
                idx.append(a)
                last = " "
            pos = m.end()
        if hi > pos:
            out.append(t[pos:hi])
            idx.extend(range(pos, hi))
            last = t[hi - 1]
    s = "".join(out)
    return Squeezed(s, mask_titles(s), tuple(idx))


_INK_ASCII = r"[^\s\x80-\U0010ffff]"
_SPACE_EDITS = re.compile(rf"\s(?:\s+|(?<=[^\S ])|(?<!{_INK_ASCII}\s)|(?!{_INK_ASCII}))")
"""Whitespace runs squeeze changes: all but a lone space between two ASCII non-space chars, which it keeps
(a run of two or more, one that is not ' ', or a space with no ASCII ink before or after it)."""


def _next_ink(t: str, i: int) -> int:
    """The offset of the first non-space char of `t` from `i` (len(t) if none)."""
    while i < len(t) and t[i].isspace():
        i += 1
    return i


def _unmarked(t: str) -> list[tuple[int, int]]:
    """The [lo, hi) stretches of `t` outside citation markers, which squeeze drops."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _MARKER_RE.finditer(t):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(t)))
    return spans


def mask_titles(s: str) -> str:
    """Hide the insides of 《policy titles》 so their years and numbers are never read as targets."""
    return re.sub(r"《[^《》]{0,80}》", lambda m: "《" + MASK * (len(m.group()) - 2) + "》", s)


# ---------------------------------------------------------------- years

@dataclass(frozen=True)
class YearMention:
    """A year in squeezed text with its role: deadline, baseline, event, since, as_of."""

    start: int
    end: int
    year: int
    start_year: int | None
    role: str
    deadline: str | None


_YEAR = r"(?:19|20|21)\d{2}"
_YEAR_RE = re.compile(
    rf"(?P<pre>截至|截止|到|至|于|在|从|自|比|较|by the end of|relative to|compared (?:to|with)|by|in|before|"
    rf"after|from|since|until|for|around|beyond|than|below|above|of)?\s?"
    rf"(?<![\d.])(?P<y1>{_YEAR})(?:\s?年?\s?[—–\-~～至到]\s?(?P<y2>{_YEAR}|\d{{2}})(?![\d%]))?(?!\d)"
    rf"(?P<nian>\s?年)?(?P<md>\d{{1,2}}月(?:\d{{1,2}}日)?)?"
    rf"(?P<suf>底|末|以前|之前|前|左右|以后|之后|后|以来|起|的水平|水平|-levels?|(?: emissions?)? levels?| at the latest| on(?:wards)?\b)?",
    re.I)
_BY = {"到": "by", "至": "by", "by": "by", "until": "by", "by the end of": "by", "before": "before",
       "around": "around", "after": "after", "beyond": "after", "in": "in", "for": "in", "在": "in", "于": "in"}
_SUF = {"以前": "before", "之前": "before", "前": "before", "左右": "around", "以后": "after",
        "之后": "after", "后": "after", "底": "by", "末": "by", " at the latest": "by"}
_BASE_PRE = {"比", "较", "relative to", "compared to", "compared with", "than", "below", "above"}


_PLAN_RE = re.compile(r"[“\"]?十([一二三四五六])五[”\"]?")
_PLAN_NO = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15, "六": 16}
_MIDCENTURY_RE = re.compile(r"(?:21|二十一)\s?世纪中叶|本世纪中叶|mid-century|the middle of the century", re.I)
_MIDCENTURY_WORD = re.compile(r"中叶|century", re.I)
"""A word every _MIDCENTURY_RE match holds: a quick test before the slower full pattern."""
_YEAR_ONLY = re.compile(_YEAR)
"""The year every _YEAR_RE match holds: most sentences have none, and _YEAR_RE is slow to scan."""


def _special_years(s: str) -> list[YearMention]:
    """十四五 (2021/2025, a phase) and 21世纪中叶 (about 2050) as year mentions."""
    out = []
    for m in _PLAN_RE.finditer(s) if "五" in s else ():
        end = 1955 + 5 * _PLAN_NO[m.group(1)]
        out.append(YearMention(m.start(), m.end(), end, end - 4, "deadline", "in"))
    for m in _MIDCENTURY_RE.finditer(s) if _MIDCENTURY_WORD.search(s) else ():
        out.append(YearMention(m.start(), m.end(), 2050, None, "deadline", "around"))
    return out


def find_years(sq: Squeezed) -> list[YearMention]:
    """Every year expression of the squeezed sentence, with the role a target reading gives it."""
    s = sq.masked
    out: list[YearMention] = _special_years(s)
    for m in _YEAR_RE.finditer(s) if _YEAR_ONLY.search(s) else ():
        nxt = s[m.end():m.end() + 1]
        if not m.group("nian") and nxt and not nxt.isascii() and nxt not in "，。；、）)：:—年":
            continue  # 2000家, 2300亿: a number, not a year
        out.append(_year_mention(m, s))
    return sorted(out, key=lambda y: y.start)


def _year_mention(m: re.Match, s: str) -> YearMention:
    pre = (m.group("pre") or "").lower()
    suf = (m.group("suf") or "").lower()
    y1 = int(m.group("y1"))
    y2 = m.group("y2")
    end_year = (int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)) if y2 else None
    strong = _SUF.get(suf) if suf not in ("底", "末") else None
    role, deadline = "deadline", strong or _BY.get(pre) or _SUF.get(suf) or "in"
    if pre in _BASE_PRE or suf.endswith(("水平", "level", "levels")):
        role = "baseline"
    elif pre == "from":
        role = "since" if suf.startswith(" on") else "baseline"
    elif pre == "of":
        role = "event"  # "Renewable Energy Law of 2017"
    elif pre in {"截至", "截止"}:
        role = "as_of"
    elif pre in {"since", "自", "从"} or suf in {"以来", "起"}:
        role = "since"
    elif m.group("md") and deadline not in {"by", "before"}:
        role = "event"
    elif not pre and not suf and not y2 and _starts_clause(s, m.start()) and s[m.end():m.end() + 1] in "，,":
        role = "event"  # "2015 年，195 个国家达成…": a dateline, not a deadline
    if end_year is not None and end_year >= y1:
        return YearMention(m.start(), m.end(), end_year, y1, role, "in" if deadline == "in" else deadline)
    return YearMention(m.start(), m.end(), y1, None, role, deadline)


def _starts_clause(s: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and s[j] == " ":
        j -= 1
    return j < 0 or s[j] in "。；;：:.!?！？\n"


# ---------------------------------------------------------------- values

@dataclass(frozen=True)
class ValueMention:
    """A quantity in squeezed text: value/value_max converted, unit, its surface and a qualifier."""

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str | None
    unit_surface: str | None
    unit_class: str | None
    qualifier: str | None


_MAG = r"(?:[多余]?(?:万亿|千亿|百亿|千万|百万|亿|万|千(?![瓦米克吨])|百(?!分))[多余]?)+|[多余](?=个|项|家|座|辆)|\s?(?:thousand|million|billion|trillion|bn)\b"
_CUR = r"[£$€¥]"
_POST_Q = {"左右": "approx", "以上": "at_least", "及以上": "at_least", "以下": "at_most", "以内": "at_most",
           "多": "more_than", "余": "more_than"}


@lru_cache(maxsize=1)
def _value_re() -> re.Pattern[str]:
    units = "|".join(re.escape(u) + (r"(?![A-Za-z])" if u[-1:].isalpha() and u.isascii() else "")
                     for u in unit_surfaces() if u != "°")
    unit = rf"(?:{units}|°(?=C))"
    num = rf"(?<![\d.,/])(?:{ARABIC})"
    return re.compile(
        rf"(?P<cur>{_CUR})?(?P<n1>{num})(?P<m1>{_MAG})?"
        rf"(?:\s?\((?P<r1>{ARABIC})\s?[–\-—]\s?(?P<r2>{ARABIC})\))?"
        rf"(?:\s?(?P<u1>{unit}))?"
        rf"(?:\s?(?P<dash>[-—–~～至到]|to)\s?{_CUR}?(?P<n2>{ARABIC})(?P<m2>{_MAG})?)?"
        rf"(?:\s?(?:(?:yearly|annual|new|additional)\s)?(?P<unit>{unit}))?(?P<per>/(?:日|天|年|小时|d|yr|year|day))?(?P<post>及以上|左右|以上|以下|以内)?", re.I)


_DIGIT = re.compile(r"\d")
_HALF_RE = re.compile(r"减半|halve[ds]?|by half")
_FRACTION_RE = re.compile(
    r"(?<![\d/.])(?P<n>[1-9])/(?P<d>[2-9]|10)(?![\d/])"
    r"|\b(?P<w>(?:a|one)[ -](?:third|quarter|fifth|tenth)|two[ -]thirds|three[ -]quarters)"
    r"(?=\s(?:of|to)\b)", re.I)
_WORD_FRACTION = {"third": (1, 3), "quarter": (1, 4), "fifth": (1, 5), "tenth": (1, 10), "thirds": (2, 3),
                  "quarters": (3, 4)}


def find_values(sq: Squeezed) -> list[ValueMention]:
    """Every number with a unit or magnitude in the squeezed sentence, resolved and converted."""
    out: list[ValueMention] = []
    for m in _value_re().finditer(sq.masked) if _DIGIT.search(sq.masked) else ():  # every value has a digit
        v = _value_mention(m)
        if v is not None and v.value_max is not None and (m.group("dash") or "").lower() == "to" \
                and sq.masked[:m.start()].lower().endswith("from "):
            v = ValueMention(m.start("n2"), v.end, v.value_max, None, v.unit, v.unit_surface,
                             v.unit_class, v.qualifier)  # "from 5 to 10 GW": the target is 10
        if v is not None:
            out.append(v)
    for m in _HALF_RE.finditer(sq.masked):
        out.append(ValueMention(m.start(), m.end(), 50.0, None, "%", m.group(), "percent", None))
    out.extend(fractions(sq.masked))
    return sorted(out, key=lambda v: v.start)


def fractions(s: str) -> list[ValueMention]:
    """'1/3 of heavy vehicles', 'a third of', 'two-thirds of': a share, as a percent rounded to 0.01."""
    out: list[ValueMention] = []
    for m in _FRACTION_RE.finditer(s):
        if m.group("w"):
            n, d = _WORD_FRACTION[re.split(r"[ -]", m.group("w").lower())[1]]
        else:
            if not s[m.end():].startswith(" of"):
                continue  # '1/3' alone may be a date or a ratio; a share reads '1/3 of'
            n, d = int(m.group("n")), int(m.group("d"))
        out.append(ValueMention(m.start(), m.end(), round(100 * n / d, 2), None, "%", m.group(), "percent", None))
    return out


def _value_mention(m: re.Match) -> ValueMention | None:
    cur = m.group("cur") or ""
    unit_s = m.group("unit") or m.group("u1") or ""
    mag1, mag2 = (m.group("m1") or ""), (m.group("m2") or "")
    if not unit_s and not mag1 and not cur and not (m.group("n2") and mag2):
        return None
    if m.group("n2") and not (unit_s or mag2) and not m.group("u1"):
        return None
    surface = (mag2 or mag1).strip() + unit_s if m.group("n2") else mag1.strip() + unit_s
    surface = (surface + " " + cur).strip() if cur else surface
    surface += m.group("per") or ""
    n1 = parse_number(m.group("n1"))
    if n1 is None:
        return None
    if m.group("r1"):
        lo, hi = parse_number(m.group("r1")), parse_number(m.group("r2"))
        n1, n2 = (lo, hi) if lo is not None and hi is not None else (n1, None)
    else:
        n2 = parse_number(m.group("n2")) if m.group("n2") else None
    value, unit = normalise(n1, surface)
    vmax = normalise(n2, surface)[0] if n2 is not None else None
    qual = _POST_Q.get(m.group("post") or "") or ("more_than" if "多" in mag1 + mag2 or "余" in mag1 else None)
    cls = unit_class(surface) if unit else "count"  # '15 million' alone counts things
    return ValueMention(m.start(), m.end(), value, vmax, unit, surface or None, cls, qual)


_PRE_Q = [(re.compile(p + r"\s?$", re.I), q) for p, q in [
    (r"(?:不低于|不少于|至少|at least|a minimum of)", "at_least"),
    (r"(?:不超过|不高于|no more than|up to|at most)", "at_most"),
    (r"(?:超过|高于|多于|more than|over|above|in excess of)", "more_than"),
    (r"(?:低于|少于|below|less than|under|well below)", "below"),
    (r"(?:约|大约|近|about|around|approximately|roughly|nearly|almost|some)", "approx"),
]]


def pre_qualifier(text_before: str) -> str | None:
    """The qualifier written just before a number (至少, about, 低于 ...)."""
    tail = text_before[-14:]
    for rx, q in _PRE_Q:
        if rx.search(tail):
            return q
    return None
