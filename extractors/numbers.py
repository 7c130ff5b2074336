"""Numbers as printed in policy text: Arabic, full-width, Chinese numerals, 万/亿 magnitudes, '1 800'."""

from __future__ import annotations

import re

FULLWIDTH = str.maketrans("０１２３４５６７８９．，％－", "0123456789.,%-")
"""Full-width digits and signs to ASCII, one char for one char (offsets survive)."""

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
              "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
              "九": 9, "玖": 9}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
MAGNITUDES_ZH = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "亿": 10**8, "千万": 10**7,
                 "百万": 10**6, "万": 10**4, "千": 10**3, "百": 10**2}
MAGNITUDES_EN = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
                 "trillion": 1e12, "tn": 1e12}

ARABIC = r"\d{1,3}(?:[ ,]\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
"""An Arabic number with optional thousands groups ('1 800', '500 000', '1,200') and decimals."""

_ARABIC_RE = re.compile(rf"^(?:{ARABIC})$")
_FRACTION_RE = re.compile(r"^(\d+)\s*/\s*(\d+)$")
_MAG_RE = re.compile(r"(万亿|千亿|百亿|千万|百万|亿|万|千|百)")
_CN_NUMERAL_RE = re.compile(r"^[零〇○一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿点]+$")


def arabic_to_float(text: str) -> float | None:
    """'1 800' -> 1800.0, '500 000' -> 500000.0, '1,200.5' -> 1200.5; None if not a plain number."""
    t = text.strip().translate(FULLWIDTH)
    if not _ARABIC_RE.match(t):
        return None
    return float(re.sub(r"[ ,]", "", t))


def chinese_to_float(text: str) -> float | None:
    """二〇三〇 -> 2030, 一千二百 -> 1200, 十四 -> 14, 三点五 -> 3.5, 两万 -> 20000; None if not one."""
    t = text.strip()
    if not t or not _CN_NUMERAL_RE.match(t):
        return None
    if "点" in t:
        whole, _, frac = t.partition("点")
        w = chinese_to_float(whole) if whole else 0.0
        digits = [_CN_DIGITS.get(c) for c in frac]
        if w is None or not digits or None in digits:
            return None
        return w + float("0." + "".join(str(d) for d in digits))
    if all(c in _CN_DIGITS for c in t):  # digit by digit: 二〇三〇
        return float("".join(str(_CN_DIGITS[c]) for c in t))
    return _chinese_positional(t)


def _chinese_positional(t: str) -> float | None:
    """Positional Chinese numerals with 十/百/千 inside 万/亿 sections."""
    total, section, digit = 0, 0, None
    for c in t:
        if c in _CN_DIGITS:
            if digit is not None and digit != 0:
                return None
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
        elif c in _CN_BIG:
            section += digit or 0
            total = (total + section) * _CN_BIG[c] if c == "亿" else total + section * _CN_BIG[c]
            section, digit = 0, None
        else:
            return None
    return float(total + section + (digit or 0))


def magnitude_of(text: str) -> tuple[float, bool]:
    """The product of the magnitudes in '万多亿' (1e12) and whether 多/余 said 'more than'."""
    t = text.strip()
    more = "多" in t or "余" in t
    t = t.replace("多", "").replace("余", "")
    factor = 1.0
    for m in _MAG_RE.findall(t):
        factor *= MAGNITUDES_ZH[m]
    for w in re.findall(r"[A-Za-z]+", t):
        factor *= MAGNITUDES_EN.get(w.lower(), 1.0)
    return factor, more


def parse_number(text: str) -> float | None:
    """Any printed number to a float: '46亿' 4.6e9, '2万多亿' 2e12, '1 800' 1800, '十四' 14, '1/3'; else None."""
    try:
        return _parse(text)
    except (ValueError, OverflowError, ZeroDivisionError):
        return None


def _parse(text: str) -> float | None:
    t = text.strip().translate(FULLWIDTH)
    if not t:
        return None
    frac = _FRACTION_RE.match(t)
    if frac:
        den = float(frac.group(2))
        return float(frac.group(1)) / den if den else None
    m = re.match(rf"^({ARABIC})\s*(.*)$", t)
    if m:
        base = arabic_to_float(m.group(1))
        rest = m.group(2)
        if base is None:
            return None
        if not rest:
            return base
        if not re.fullmatch(r"(?:[多余]?(?:万亿|千亿|百亿|千万|百万|亿|万|千|百)[多余]?)+"
                            r"|(?:thousand|million|billion|trillion|bn|mn|tn)", rest, re.I):
            return None
        return base * magnitude_of(rest)[0]
    return chinese_to_float(t)
