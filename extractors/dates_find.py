"""Find date expressions in zh/en text with the rules of rules/{zh,en}/dates.yaml; stdlib + yaml only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.dates_resolve import resolve
from extractors.fastre import may_match, required_chars

RULE_DIR = Path(__file__).parent / "rules"
LANGS = ("zh", "en")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|doi\.org/\S+|10\.\d{4,}/\S+")
_BLOCKING = frozenset({"zh_ymd", "zh_cn_ymd", "iso_day", "en_dmy", "en_mdy"})
_D0 = date(2000, 1, 1)
_STICKY = "\u3000-\u9fff\uff00-\uffef—–～~“”‘’"
_SPACE_EDITS = re.compile(rf"\s{{2,}}|[^\S ]|(?<=[{_STICKY}]) | (?=[{_STICKY}])|\A | \Z")
"""Whitespace runs compact() changes: all but a lone space between two chars that are not _sticky."""
_JOIN = re.compile(r"^(?:—{1,2}|–|－|-|~|～|〜|至|到|\s+to\s+|\s+until\s+|\s*[-–—]\s*)$")


@dataclass(frozen=True)
class DateMatch:
    """One date expression: offsets into the text searched, its surface and its resolved span."""

    start: int
    end: int
    surface: str
    iso: str
    date_start: date
    date_end: date
    precision: str
    rule_id: str
    modifier: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    lang: str
    pattern: re.Pattern[str]
    fixed: list[int] | None
    example: str
    expect: str
    description: str
    ref_year: int | None = None


@dataclass(frozen=True)
class _Cand:
    start: int
    end: int
    priority: int
    rule_id: str
    iso: str
    date_start: date
    date_end: date
    precision: str


def load_rule_file(lang: str) -> dict:
    """The parsed rules/<lang>/dates.yaml."""
    return yaml.safe_load((RULE_DIR / lang / "dates.yaml").read_text(encoding="utf-8"))


def build_pattern(template: str, fragments: dict[str, str]) -> re.Pattern[str]:
    """Expand {fragment} references (not regex quantifiers like {4} or {1,2}) and compile."""
    expanded = re.sub(r"\{([a-z_][a-z0-9_]*)\}", lambda m: f"(?:{fragments[m.group(1)]})", template)
    return re.compile(expanded)


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """Every date rule, zh first then en, in file order (earlier wins a tie of equal length)."""
    rules: list[Rule] = []
    for lang in LANGS:
        data = load_rule_file(lang)
        for r in data["rules"]:
            rules.append(Rule(r["id"], lang, build_pattern(r["pattern"], data["fragments"]),
                              r.get("fixed"), r["example"], str(r["expect"]), r["description"],
                              r.get("ref_year")))
    return tuple(rules)


@lru_cache(maxsize=1)
def load_modifiers() -> tuple[list[tuple[re.Pattern[str], str]], list[tuple[re.Pattern[str], str]]]:
    """(prefix, suffix) cue patterns, longest cue first, each paired with its modifier name."""
    prefix: list[tuple[str, str, str]] = []
    suffix: list[tuple[str, str, str]] = []
    for lang in LANGS:
        mods = load_rule_file(lang).get("modifiers", {})
        for name, cues in mods.get("prefix", {}).items():
            prefix += [(cue, name, lang) for cue in cues]
        for name, cues in mods.get("suffix", {}).items():
            suffix += [(cue, name, lang) for cue in cues]
    pre = [(re.compile((r"(?<![A-Za-z])" + re.escape(c).replace(r"\ ", r"\s+") + r"\s+$")
                       if lang == "en" else re.escape(c) + "$", re.I if lang == "en" else 0), n)
           for c, n, lang in sorted(prefix, key=lambda t: -len(t[0]))]
    suf = [(re.compile((r"^\s+" + re.escape(c).replace(r"\ ", r"\s+") + r"(?![A-Za-z])")
                       if lang == "en" else "^" + re.escape(c)), n)
           for c, n, lang in sorted(suffix, key=lambda t: -len(t[0]))]
    return pre, suf


def _sticky(c: str) -> bool:
    """Characters next to which whitespace is layout noise: CJK, full-width forms, range dashes."""
    o = ord(c)
    return (0x3000 <= o <= 0x9FFF or 0xFF00 <= o <= 0xFFEF or c in "—–～~“”‘’")


def compact(text: str) -> tuple[str, list[int]]:
    """Text without whitespace that touches a sticky character, and compact index -> original index."""
    out: list[str] = []
    index: list[int] = []
    pos, n = 0, len(text)
    for m in _SPACE_EDITS.finditer(text):  # a lone space between two non-sticky chars stays as it is
        i, j = m.span()
        out.append(text[pos:i])
        index.extend(range(pos, i))
        if i and j < n and not _sticky(text[i - 1]) and not _sticky(text[j]):
            out.append(" ")  # one space between two non-sticky chars; none at either end
            index.append(i)
        pos = j
    out.append(text[pos:])
    index.extend(range(pos, n))
    return "".join(out), index


@lru_cache(maxsize=1)
def _rule_prefilters() -> tuple[frozenset[str] | None, ...]:
    """Per rule, the chars one of which its every match holds (most need a digit): a cheap skip test."""
    return tuple(required_chars(rule.pattern) for rule in load_rules())


def _candidates(ctext: str, ref_year: int | None) -> list[_Cand]:
    """Every resolvable match of every rule, outside URLs and e-mail addresses."""
    blocked = [(m.start(), m.end()) for m in _URL.finditer(ctext)]
    found: list[_Cand] = []
    chars = set(ctext)
    for prio, (rule, needs) in enumerate(zip(load_rules(), _rule_prefilters(), strict=True)):
        if not may_match(needs, chars):
            continue
        for m in rule.pattern.finditer(ctext):
            if m.end() == m.start() or any(a < m.end() and m.start() < b for a, b in blocked):
                continue
            res = resolve(m.groupdict(), rule.fixed, ref_year)
            if res is not None:
                found.append(_Cand(m.start(), m.end(), prio, rule.id, *res))
            elif rule.id in _BLOCKING:
                found.append(_Cand(m.start(), m.end(), prio, rule.id, "", _D0, _D0, ""))
    return found


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest match wins, then the earlier rule; overlapping shorter matches are dropped.

    An impossible full date (2021年2月30日) also wins its span, then is dropped with what it covers."""
    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.priority, c.start)):
        if all(c.end <= k.start or k.end <= c.start for k in chosen):
            chosen.append(c)
    return sorted((c for c in chosen if c.iso), key=lambda c: c.start)


def _join_ranges(ctext: str, cands: list[_Cand]) -> list[_Cand]:
    """'2020年3月至2021年6月', 'from 2025 to 2030': two adjacent dates joined by a dash become one range."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if (prev is not None and prev.precision != "range" and c.precision != "range"
                and _JOIN.match(ctext[prev.end:c.start]) and prev.date_end < c.date_end
                and prev.date_start < c.date_start):
            iso = f"{prev.iso}/{c.iso}"
            out[-1] = _Cand(prev.start, c.end, prev.priority, "range_join", iso,
                            prev.date_start, c.date_end, "range")
        else:
            out.append(c)
    return out


def _modifier(ctext: str, c: _Cand, lo: int, hi: int) -> tuple[int, int, str | None]:
    """Widen the span over a cue before or after it (a suffix wins); lo/hi bound the neighbours."""
    pre, suf = load_modifiers()
    start, end, name = c.start, c.end, None
    head = ctext[max(lo, c.start - 24):c.start]
    for pat, mod in pre:
        m = pat.search(head)
        if m:
            start, name = c.start - (len(head) - m.start()), mod
            break
    tail = ctext[c.end:min(hi, c.end + 24)]
    for pat, mod in suf:
        m = pat.match(tail)
        if m:
            end, name = c.end + m.end(), mod
            break
    return start, end, name


def find_dates(text: str, ref_year: int | None = None) -> list[DateMatch]:
    """Every date expression in `text`, left to right; never raises, never yields an impossible date."""
    return list(_find_dates(text, ref_year)) if text else []


@lru_cache(maxsize=4096, typed=True)
def _find_dates(text: str, ref_year: int | None) -> tuple[DateMatch, ...]:
    """find_dates, kept for the sentences that policies and targets read again after dates."""
    ctext, index = compact(text)
    cands = _join_ranges(ctext, _select(_candidates(ctext, ref_year)))
    out: list[DateMatch] = []
    for k, c in enumerate(cands):
        lo = cands[k - 1].end if k else 0
        hi = cands[k + 1].start if k + 1 < len(cands) else len(ctext)
        cs, ce, mod = _modifier(ctext, c, lo, hi)
        start, end = index[cs], index[ce - 1] + 1
        out.append(DateMatch(start, end, text[start:end], c.iso, c.date_start, c.date_end,
                             c.precision, c.rule_id, mod))
    return tuple(out)
