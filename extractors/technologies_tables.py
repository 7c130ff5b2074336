"""Technology lists in table cells: split each cell on 、，； into items and find each item on its page."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from extractors.actors import actor_of, find_actors
from extractors.nlp import load_rules
from schemas.facts import DocTable, TableCell
from schemas.layout import NO_BOX, Document, Page


@dataclass(frozen=True)
class TableItem:
    """One list item of a table cell, located in its page's text (start == end == -1 if not found)."""

    page_no: int
    start: int
    end: int
    name: str
    actor: str | None
    table_id: str


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    return {r["id"]: re.compile(r["pattern"]) for r in load_rules("technologies", "zh")["patterns"]}


def is_item(text: str) -> bool:
    """A technology name, not a number, unit or sentence: two CJK characters or a word of 3 letters."""
    if len(text) > 60 or re.match(r"^[\d.,%~\-–—～\s]", text):
        return False
    return bool(re.search(r"[\u4e00-\u9fff].*[\u4e00-\u9fff]|[A-Za-z]{3}", text))


def split_items(text: str) -> list[str]:
    """'A、B、C等' -> ['A', 'B', 'C']: list separators, a trailing 等 dropped, line breaks joined."""
    text = re.sub(r"(?<=[^\x00-\x7f])\s*\n\s*|\s*\n\s*(?=[^\x00-\x7f])", "", text.strip())
    text = _patterns()["tech.table.trailing_etc"].sub("", re.sub(r"\s*\n\s*", " ", text))
    return [p.strip() for p in _patterns()["tech.table.split"].split(text) if is_item(p.strip())]


def _is_header(table: DocTable, cell: TableCell) -> bool:
    return cell.is_header or (cell.row_no == 0 and not any(c.is_header for c in table.cells))


def tech_columns(table: DocTable) -> set[int]:
    """Columns whose short header names technologies; empty if the table is not a technology list."""
    if "box" in table.flags or (table.label or "").startswith("专栏"):
        return set()
    filled = {c.col_no for c in table.cells if c.text.strip()}
    if len(filled) < 2:
        return set()
    marker = _patterns()["tech.table.header"]
    heads = [c for c in table.cells if _is_header(table, c)]
    cols = {c.col_no for c in heads if marker.search(c.text) and len(c.text.strip()) <= 20}
    if cols or not marker.search(f"{table.caption_zh or ''} {table.caption_en or ''}"):
        return cols
    return {c for c in range(table.n_cols) if c > 0} or {0}


def _row_actor(cells: list[TableCell], cols: set[int]) -> str | None:
    for c in sorted(cells, key=lambda c: c.col_no):
        if c.col_no in cols:
            continue
        text = c.text.strip()
        found = actor_of(text) or next((m.actor for m in find_actors(text)), None)
        if found:
            return found
    return None


def _item_regex(item: str) -> re.Pattern[str]:
    """The item's characters with optional whitespace between them (wrapped cells, joining spaces)."""
    chars = [re.escape(c) for c in item if not c.isspace()]
    return re.compile(r"\s*".join(chars))


def _inside(page: Page, pos: int, cell: TableCell) -> bool:
    box = page.char_boxes[pos] if pos < len(page.char_boxes) else NO_BOX
    if box == NO_BOX:
        return False
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cell.x0 - 2 <= cx <= cell.x1 + 2 and cell.top - 2 <= cy <= cell.bottom + 2


def table_region(page: Page, table: DocTable) -> tuple[int, int]:
    """Offsets of the page's table blocks that overlap the table's box (the whole page if none)."""
    spans = [(b.char_start, b.char_end) for b in page.blocks if b.kind == "table"
             and b.x0 < table.x1 and table.x0 < b.x1 and b.top < table.bottom and table.top < b.bottom]
    if not spans:
        return 0, len(page.text)
    return min(a for a, _ in spans), max(b for _, b in spans)


def locate(page: Page, item: str, cell: TableCell, cursor: int, region: tuple[int, int]) -> tuple[int, int]:
    """The span of `item` inside the cell's box, else the first in the table after `cursor`, else anywhere."""
    hits = [(m.start(), m.end()) for m in _item_regex(item).finditer(page.text)]
    if not hits:
        return -1, -1
    inside = [h for h in hits if _inside(page, h[0], cell)]
    in_table = [h for h in hits if region[0] <= h[0] < region[1]]
    after = [h for h in in_table if h[0] >= cursor]
    return (inside or after or in_table or hits)[0]


def table_items(doc: Document, table: DocTable) -> list[TableItem]:
    """Every list item of the technology columns of one table, row by row, with the row's actor."""
    cols = tech_columns(table)
    if not cols:
        return []
    rows: dict[int, list[TableCell]] = defaultdict(list)
    for c in table.cells:
        if not _is_header(table, c):
            rows[c.row_no].append(c)
    out: list[TableItem] = []
    regions = {p: table_region(doc.pages[p - 1], table) for p in {c.page_no for c in table.cells}}
    cursor = {p: r[0] for p, r in regions.items()}
    for row_no in sorted(rows):
        actor = _row_actor(rows[row_no], cols) if cols != {0} else None
        for cell in sorted(rows[row_no], key=lambda c: c.col_no):
            if cell.col_no not in cols:
                continue
            page = doc.pages[cell.page_no - 1]
            for item in split_items(cell.text):
                start, end = locate(page, item, cell, cursor[cell.page_no], regions[cell.page_no])
                if start >= 0:
                    cursor[cell.page_no] = end
                out.append(TableItem(cell.page_no, start, end, item, actor, table.table_id))
    return out
