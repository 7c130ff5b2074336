"""Figures drawn as boxed text groups: a group name over items 'name (近-中)', read by geometry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from extractors.fastre import may_match, required_chars
from extractors.nlp import load_rules
from extractors.technologies_lines import Line, document_lines, page_lines
from schemas.layout import Document, Page


@dataclass(frozen=True)
class FigureItem:
    """One item of a figure group, with offsets into its page's text."""

    page_no: int
    start: int
    end: int
    name: str
    horizon: str
    horizon_surface: str
    group_name: str | None


@cache
def _rule(rule_id: str) -> re.Pattern[str]:
    rule = next(r for r in load_rules("technologies", "zh")["patterns"] if r["id"] == rule_id)
    return re.compile(rule["pattern"], re.M)


@cache
def _required(pattern: re.Pattern[str]) -> frozenset[str] | None:
    return required_chars(pattern)


@lru_cache(maxsize=1)
def horizon_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, contract code) per horizon label, longest labels first."""
    return tuple((re.compile(r["pattern"]), r["code"]) for r in load_rules("technologies", "zh")["horizons"])


def horizon_code(label: str) -> str | None:
    """近 -> near, 近-中 -> near_medium, 中 -> medium, 中-远 -> medium_long, 远 -> long."""
    label = re.sub(r"\s+", "", label)
    return next((code for pat, code in horizon_rules() if pat.match(label)), None)


_BULLET = re.compile(r"^[\s\-–•·▪●◆■□◇*>]+")


def line_items(line: Line) -> list[tuple[int, int, str, str]] | None:
    """(start, end, name, horizon label) of each item if the whole line is items, else None."""
    item = _rule("tech.figure.item")
    if not may_match(_required(item), line.text):
        return None  # most lines lack the char every item needs (its bracket): skip the slow regex
    out, pos = [], 0
    for m in item.finditer(line.text):
        if line.text[pos:m.start()].strip():
            return None
        name = m.group("name")
        bullet = _BULLET.match(name)
        lead = len(bullet.group()) if bullet else 0
        name = name[lead:].rstrip()
        if len(name) < 2:
            return None
        a = line.start + m.start("name") + lead
        out.append((a, a + len(name), name, m.group("horizon")))
        pos = m.end()
    if not out or line.text[pos:].strip():
        return None
    return out


def _is_heading(line: Line) -> bool:
    text = line.text.strip()
    if not 3 <= len(text) <= 60 or "。" in text or _rule("tech.figure.heading_noise").match(text):
        return False
    return bool(re.search(r"[\u4e00-\u9fffA-Za-z]", text))


def _overlaps(a: Line, b: Line) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1


def _group_above(item: Line, headings: list[Line]) -> str | None:
    """The heading nearest above an item line in its column, with the heading lines stacked over it."""
    above = [h for h in headings if h.bottom <= item.top + 1 and _overlaps(h, item)]
    if not above:
        return None
    best = max(above, key=lambda h: h.bottom)
    stack = [best]
    for h in sorted(above, key=lambda h: -h.bottom):
        gap = stack[-1].top - h.bottom
        if h is not best and 0 <= gap <= 0.8 * (h.bottom - h.top) and _overlaps(h, stack[-1]):
            stack.append(h)
    return "".join(h.text.strip() for h in reversed(stack))


def split_heading(name: str) -> tuple[str | None, str]:
    """'组名条目' glued by the layout -> ('组名', '条目') when a known technology ends the name."""
    from extractors.technologies_taxonomy import normalise, surface_index

    if len(name) < 12 or normalise(name) in surface_index():
        return None, name
    for cut in range(4, len(name) - 2):
        if normalise(name[cut:]) in surface_index():
            return name[:cut], name[cut:]
    return None, name


def _stacked(lines: list[Line]) -> bool:
    """All lines of a block in one column: reading order then says which heading is whose."""
    return all(_overlaps(ln, lines[0]) for ln in lines)


def _block_of(page: Page, pos: int) -> int:
    return next((i for i, b in enumerate(page.blocks) if b.char_start <= pos < b.char_end), -1)


def _text_order_groups(page: Page, parsed: list[tuple[Line, list | None]]) -> dict[int, str]:
    """Group per item line (by start offset) from the heading lines before it in a one-column block."""
    by_block: dict[int, list[tuple[Line, list | None]]] = {}
    for ln, its in parsed:
        by_block.setdefault(_block_of(page, ln.start), []).append((ln, its))
    out: dict[int, str] = {}
    for block, rows in by_block.items():
        if block < 0 or not _stacked([ln for ln, _ in rows]):
            continue
        pending: list[str] = []
        current: str | None = None
        for ln, its in rows:
            if not its:
                pending = pending + [ln.text.strip()] if _is_heading(ln) else []
                continue
            if pending:
                current, pending = "".join(pending), []
            head, _ = split_heading(its[0][2])
            current = head or current
            if current:
                out[ln.start] = current
    return out


def page_items(page: Page, carry: str | None,
               lines: list[Line] | None = None) -> tuple[list[FigureItem], str | None]:
    """The figure items of one page (its visual lines if known); a group with no heading continues the last."""
    parsed = [(ln, line_items(ln)) for ln in (page_lines(page) if lines is None else lines)]
    if not any(its for _, its in parsed):
        return [], None
    margins = [(b.char_start, b.char_end) for b in page.blocks if b.kind in ("header", "footer")]
    headings = [ln for ln, its in parsed if not its and _is_heading(ln)
                and not any(a <= ln.start < b for a, b in margins)]
    ordered = _text_order_groups(page, parsed)
    out: list[FigureItem] = []
    for ln, its in parsed:
        if not its:
            continue
        group = ordered.get(ln.start) or _group_above(ln, headings) or carry
        for a, b, name, label in its:
            head, item = split_heading(name)
            if head:
                group, a = head, a + len(head)
            code = horizon_code(label)
            if code:
                out.append(FigureItem(page.page_no, a, b, item, code, re.sub(r"\s+", "", label), group))
        carry = group
    return out, carry


def document_items(doc: Document) -> list[FigureItem]:
    """Every figure item of the document in page order."""
    out: list[FigureItem] = []
    carry: str | None = None
    for page, lines in zip(doc.pages, document_lines(doc), strict=True):
        items, carry = page_items(page, carry, lines)
        out.extend(items)
    return out
