"""Block kinds: running headers/footers by repetition and position, headings, captions, lists, notes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from extractors.layout_lines import Line

HEADER_ZONE = 0.12
FOOTER_ZONE = 0.86

PAGE_NUMBER_RE = re.compile(
    r"^[\s—–\-－·•]*(?:第\s*)?(?:\d{1,4}|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})(?:\s*页)?"
    r"(?:\s*(?:/|of)\s*\d{1,4})?[\s—–\-－·•]*$")
PAGE_WORD_RE = re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.I)
CAPTION_RE = re.compile(
    r"^(?:(?:表|图|附表|附图)\s*[\d一二三四五六七八九十]+|专栏\s*[\d一二三四五六七八九十]+"
    r"|(?:Table|Figure|Fig\.|Box|Chart|Exhibit)\s*[A-Z]?\d+(?:[.\-]\d+)*[a-z]?\b)")
HEADING_NUM_RE = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+[章节篇部分]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）"
    r"|\([一二三四五六七八九十]+\)|\d{1,2}(?:\.\d+){0,3}[.．、]?\s*(?![年月日号万亿千百个项倍])[\u4e00-\u9fff]|\d+(?:\.\d+){1,3}\.?\s+[A-Z]"
    r"|[IVX]+\.\s+[A-Z]|[A-H]\.\s+[A-Z])")
LIST_RE = re.compile(
    r"^(?:[•·●▪■◆◇○►\-–—]{1,2}\s*\S|（\d+）|\(\d+\)|\d+[)）]|[a-z][).]\s|\([a-z]\)\s|[①-⑳]"
    r"|\d{1,2}\.\s+\S|——)")
FOOTNOTE_START_RE = re.compile(r"^(?:[①-⑳*†‡]|\d{1,3}(?!\d)(?![.\d]*\s*[年%])|注[：:]|Note[s]?:|Source:)")
REFERENCE_RE = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}\.\s+[A-Z\u4e00-\u9fff][^。]{0,60}[.,，]\s)")
TOC_RE = re.compile(r"(?:\.{5,}|…{3,}|·{5,})\s*\d+$")
REF_HEADING_RE = re.compile(r"^(?:参考文献|References|Bibliography|注释|Notes)\s*$", re.I)


def zone_key(text: str) -> str:
    """Repetition key of a header/footer line: digits normalised, spaces dropped."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def is_page_number(text: str) -> bool:
    t = text.strip()
    return bool(t) and (bool(PAGE_NUMBER_RE.match(t)) or bool(PAGE_WORD_RE.match(t)))


def zone_lines(lines: Sequence[Line], height: float) -> list[tuple[str, Line]]:
    """The first and last few lines of a page when they sit in its top or bottom margin zone."""
    ordered = sorted(lines, key=lambda ln: ln.top)
    out = [("header", ln) for ln in ordered[:3] if ln.bottom <= HEADER_ZONE * height]
    out += [("footer", ln) for ln in ordered[-3:] if ln.top >= FOOTER_ZONE * height
            and not any(ln is o for _, o in out)]
    return out


def _key(zone: str, line: Line) -> tuple[str, str, int]:
    """Running headers and footers repeat their text and their height on the page."""
    return zone, zone_key(line.text), round(line.top / 8)


def repeated_keys(pages_zones: Sequence[Sequence[tuple[str, Line]]]) -> set[tuple[str, str, int]]:
    """(zone, key, y) triples that repeat on enough pages to be running headers or footers."""
    counts: Counter[tuple[str, str, int]] = Counter()
    for zones in pages_zones:
        counts.update({_key(z, ln) for z, ln in zones if ln.text.strip()})
    n = len(pages_zones)
    need = max(2, min(3, n // 3 + 1)) if n > 1 else 99
    return {k for k, c in counts.items() if c >= need}


def margin_kind(zone: str, line: Line, repeated: set[tuple[str, str, int]]) -> str | None:
    """'header'/'footer' for a margin line that repeats or is a bare page number."""
    if _key(zone, line) in repeated or is_page_number(line.text):
        return zone
    return None


def block_kind(text: str, size: float, body_size: float, bold: bool, top: float, height: float,
               n_lines: int, in_refs: bool, centered: bool = False) -> str:
    """Classify one body block by its text pattern, font size, boldness and position."""
    t = text.strip()
    if not t:
        return "paragraph"
    if CAPTION_RE.match(t) and len(t) < 200:
        return "caption"
    small = body_size > 0 and size < 0.93 * body_size
    if small and top > 0.55 * height and FOOTNOTE_START_RE.match(t):
        return "footnote"
    if in_refs or REFERENCE_RE.match(t) and t.startswith("["):
        return "reference"
    if _is_heading(t, size, body_size, bold, n_lines) or centered and _centered_title(t, n_lines):
        return "heading"
    if TOC_RE.search(t):
        return "list"
    if LIST_RE.match(t):
        return "list"
    return "paragraph"


def _is_heading(t: str, size: float, body_size: float, bold: bool, n_lines: int) -> bool:
    """Numbered short lines, larger fonts and short bold lines are headings."""
    short = len(t) <= 60 and n_lines <= 3 and not t.endswith(("。", "；", ";", ",", "，"))
    if REF_HEADING_RE.match(t):
        return True
    if HEADING_NUM_RE.match(t) and short and not re.match(r"^\d+(\.\d+)?\s*[%年万亿]", t) \
            and (not body_size or size >= 0.95 * body_size):
        return True
    if body_size and size >= 1.1 * body_size and len(t) <= 120 and n_lines <= 4:
        return True
    return bold and short and len(t) <= 40 and not t.endswith(".")


def _centered_title(t: str, n_lines: int) -> bool:
    """A short centred line ("目 录", "前 言", a title) that is not a date or a number."""
    return (n_lines <= 2 and len(t) <= 30 and not t.endswith(("。", "；", ".", "，"))
            and not re.search(r"\d{4}\s*年|\d{1,2}\s*月|^\W*\d+\W*$", t))


def is_ref_heading(text: str) -> bool:
    return bool(REF_HEADING_RE.match(text.strip()))
