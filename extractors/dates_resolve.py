"""Resolve the named groups of a date match to (iso, date_start, date_end, precision); None if impossible."""

from __future__ import annotations

import calendar
from datetime import date

Resolved = tuple[str, date, date, str]

YEAR_MIN, YEAR_MAX = 1000, 2200
CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
          "sep": 9, "oct": 10, "nov": 11, "dec": 12}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
            "fourteenth": 14, "fifteenth": 15}
SEASONS = {"春": "spring", "夏": "summer", "秋": "autumn", "冬": "winter", "fall": "autumn"}
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 14)}


def cn_int(s: str) -> int:
    """A Chinese numeral up to 99 (十四, 二十四, 三十) or digit by digit (二〇二一) to int."""
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return int("".join(str(CN_DIGITS[c]) for c in s))
    tens, _, units = s.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)


def month_of(name: str) -> int:
    """An English month name or abbreviation (Dec., Sept) to its number."""
    return MONTHS[name.strip(".").lower()[:3]]


def ordinal_of(s: str) -> int:
    """'14th' or 'fourteenth' to 14."""
    low = s.lower()
    return ORDINALS[low] if low in ORDINALS else int(low[:-2])


def last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def check_years(*years: int) -> bool:
    return all(YEAR_MIN <= y <= YEAR_MAX for y in years)


def year_span(y1: int, y2: int) -> Resolved | None:
    if not check_years(y1, y2) or y2 <= y1:
        return None
    return f"{y1}/{y2}", date(y1, 1, 1), date(y2, 12, 31), "range"


def fyp_span(n: int) -> Resolved | None:
    """The n-th Chinese five-year plan: 1st 1953-57, 2nd 1958-62, then 1966-70 onwards (14th 2021-25)."""
    if not 1 <= n <= 30:
        return None
    start = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
    return year_span(start, start + 4)


def ymd(y: int, m: int | None, d: int | None) -> Resolved | None:
    """Day, month or year precision from whichever parts are present."""
    if not check_years(y):
        return None
    if m is None:
        return str(y), date(y, 1, 1), date(y, 12, 31), "year"
    if d is None:
        return f"{y}-{m:02d}", date(y, m, 1), last_day(y, m), "month"
    day = date(y, m, d)
    return day.isoformat(), day, day, "day"


def _year(g: dict[str, str], ref_year: int | None) -> int | None:
    for key in ("year", "year_b", "year_c"):
        if key in g:
            return int(g[key])
    if "cn_year" in g:
        return cn_int(g["cn_year"])
    return ref_year


def _month(g: dict[str, str]) -> int | None:
    if "month" in g:
        return int(g["month"])
    if "cn_month" in g:
        return cn_int(g["cn_month"])
    if "month_name" in g:
        return month_of(g["month_name"])
    return None


def _day(g: dict[str, str]) -> int | None:
    if "day" in g:
        return int(g["day"])
    if "cn_day" in g:
        return cn_int(g["cn_day"])
    return None


def _special(g: dict[str, str], y: int | None) -> Resolved | None:
    """Decades, quarters, seasons, half years and five-year plans; None when the groups are plain."""
    if "fyp" in g:
        return fyp_span(cn_int(g["fyp"]))
    if "fyp_ordinal" in g:
        return fyp_span(ordinal_of(g["fyp_ordinal"]))
    if "decade_year" in g or "decade" in g:
        start = int(g["decade_year"]) if "decade_year" in g else \
            (cn_int(g["century"]) - 1) * 100 + cn_int(g["decade"])
        return (f"{start}s", date(start, 1, 1), date(start + 9, 12, 31), "decade") \
            if check_years(start) and start % 10 == 0 else None
    if y is None:
        return None
    q = g.get("quarter") or g.get("quarter_b") or g.get("quarter_word")
    if q:
        n = ORDINALS.get(q.lower()) or "一二三四".find(q) + 1 or int(q)
        return f"{y}-Q{n}", date(y, 3 * n - 2, 1), last_day(y, 3 * n), "quarter"
    season = g.get("season") or g.get("season_en")
    if season:
        name = SEASONS.get(season.lower(), season.lower())
        m1, m2 = SEASON_MONTHS[name]
        return f"{y}-{name}", date(y, m1, 1), last_day(y + (m2 > 12), (m2 - 1) % 12 + 1), "season"
    if "half" in g:
        m1 = 1 if g["half"] == "上" else 7
        return f"{y}-{m1:02d}/{y}-{m1 + 5:02d}", date(y, m1, 1), last_day(y, m1 + 5), "range"
    return None


def _two_point(g: dict[str, str], y: int) -> Resolved | None:
    """Ranges written with two end points: years, months of one year, days."""
    if "year2" in g:
        return year_span(y, int(g["year2"]))
    if "short_year2" in g:
        end = y // 100 * 100 + int(g["short_year2"])
        return year_span(y, end) if end > y else None
    if "month2" in g:
        m1, m2 = int(g["month"]), int(g["month2"])
        if m2 <= m1:
            return None
        return f"{y}-{m1:02d}/{y}-{m2:02d}", date(y, m1, 1), last_day(y, m2), "range"
    if "day2" in g:
        first = _month(g)
        second = month_of(g["month_name2"]) if "month_name2" in g else first
        if first is None or second is None:
            return None
        y1 = int(g.get("year_a") or y)
        d1, d2 = date(y1, first, int(g["day"])), date(y, second, int(g["day2"]))
        if d2 <= d1:
            return None
        return f"{d1.isoformat()}/{d2.isoformat()}", d1, d2, "range"
    return None


def resolve(groups: dict[str, str | None], fixed: list[int] | None = None,
            ref_year: int | None = None) -> Resolved | None:
    """The date a rule's match denotes, or None for an impossible one (Feb 30, month 13, year 3045)."""
    g = {k: v for k, v in groups.items() if v}
    try:
        if fixed:
            return year_span(fixed[0], fixed[1])
        y = _year(g, ref_year)
        special = _special(g, y)
        if special is not None or y is None:
            return special
        if any(k in g for k in ("quarter", "quarter_b", "quarter_word", "season", "season_en", "half")):
            return None
        two = _two_point(g, y)
        if two is not None or any(k in g for k in ("year2", "short_year2", "month2", "day2")):
            return two
        return ymd(y, _month(g), _day(g))
    except (ValueError, KeyError, OverflowError, IndexError):
        return None
