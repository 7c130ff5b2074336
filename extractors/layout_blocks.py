"""Ordered lines -> blocks (paragraph breaks by gap, indent, size, numbering) -> Page text and boxes."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.cjk import is_cjk, join_lines_offsets, squeeze_cjk_spaces
from extractors.layout_kinds import CAPTION_RE, HEADING_NUM_RE, LIST_RE
from extractors.layout_lines import Line
from extractors.layout_order import Item
from schemas.facts import DocTable
from schemas.layout import NO_BOX, Box

DATE_LINE_RE = re.compile(r"^\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?$|^[〇○零一二三四五六七八九]{4}年[^，。]{2,6}日$")


@dataclass
class RawBlock:
    """A block before it is frozen: its lines (or table), text, boxes and removed markers."""

    lines: list[Line] = field(default_factory=list)
    table: DocTable | None = None
    kind: str = ""
    text: str = ""
    boxes: list[Box] = field(default_factory=list)
    markers: list[tuple[int, str, Box]] = field(default_factory=list)
    column: int = 0
    box: Box = NO_BOX
    size: float = 0.0
    bold: bool = False


@dataclass
class ColumnGeometry:
    """Typical left edge, right edge and line gap of the lines of one column on one page."""

    left: float
    right: float
    gap: float


def column_geometry(items: Sequence[Item]) -> dict[tuple[int, bool], ColumnGeometry]:
    """Median left/right edges and median line gap per (column, spanning) group."""
    groups: dict[tuple[int, bool], list[Line]] = {}
    for it in items:
        if it.line is not None:
            groups.setdefault((it.column, it.spanning), []).append(it.line)
    out: dict[tuple[int, bool], ColumnGeometry] = {}
    for key, lines in groups.items():
        ls = sorted(lines, key=lambda ln: ln.top)
        gaps = [b.top - a.bottom for a, b in zip(ls, ls[1:], strict=False) if 0 <= b.top - a.bottom < 3 * a.size]
        x0s = sorted(ln.x0 for ln in ls)
        x1s = sorted(ln.x1 for ln in ls)
        out[key] = ColumnGeometry(x0s[len(x0s) // 4], x1s[(len(x1s) * 3) // 4],
                                  statistics.median(gaps) if gaps else 0.5 * ls[0].size)
    return out


def starts_new_block(first: Line, prev: Line, cur: Line, geo: ColumnGeometry) -> bool:
    """A paragraph break: a wide gap, a change of font, a first-line indent, or a new numbered item."""
    gap = cur.top - prev.bottom
    size = max(prev.size, cur.size, 1.0)
    if gap > max(geo.gap * 1.6, geo.gap + 0.4 * size) or gap < -0.5 * size:
        return True
    if abs(cur.size - prev.size) > 0.08 * size or cur.bold != prev.bold:
        return True
    hanging = bool(LIST_RE.match(first.text.lstrip()))
    centred = abs((cur.x0 + cur.x1) - (prev.x0 + prev.x1)) < 2 * size
    if cur.x0 > geo.left + 0.8 * size and cur.x0 > prev.x0 + 0.8 * size and not hanging \
            and not centred:
        return True
    end = prev.text.rstrip()[-1:]
    if prev.x1 < geo.right - 2.5 * size and cur.x0 < prev.x1 and (
            end in "。.!?！？：:；;" or is_cjk(end) and cur.x0 <= prev.x0 + 0.5 * size):
        return True
    t = cur.text.lstrip()
    return bool(HEADING_NUM_RE.match(t) or CAPTION_RE.match(t) or DATE_LINE_RE.match(t) or
                (LIST_RE.match(t) and not prev.text.rstrip().endswith(("-", ","))))


def items_to_blocks(items: Sequence[Item], tables: Sequence[DocTable]) -> list[RawBlock]:
    """Group ordered items into blocks: each table is one block, lines merge into paragraphs."""
    geo = column_geometry(items)
    blocks: list[RawBlock] = []
    prev_item: Item | None = None
    for it in items:
        if it.table >= 0:
            blocks.append(table_block(tables[it.table], it))
            prev_item = None
            continue
        assert it.line is not None
        same = (prev_item is not None and prev_item.column == it.column
                and prev_item.spanning == it.spanning and prev_item.line is not None)
        if same and prev_item is not None and prev_item.line is not None \
                and not starts_new_block(blocks[-1].lines[0], prev_item.line, it.line,
                                         geo[(it.column, it.spanning)]):
            blocks[-1].lines.append(it.line)
        else:
            blocks.append(RawBlock(lines=[it.line], column=it.column))
        prev_item = it
    for b in blocks:
        if b.table is None:
            finish_text_block(b)
    return blocks


def finish_text_block(b: RawBlock) -> None:
    """Join the block's lines into text and boxes; carry the line markers to block offsets."""
    text, boxes, starts = join_lines_offsets([(ln.text, ln.boxes) for ln in b.lines])
    b.text, b.boxes = text, boxes
    b.markers = [(min(starts[i] + off, len(text)), m, box)
                 for i, ln in enumerate(b.lines) for off, m, box in ln.markers]
    b.box = (min(ln.x0 for ln in b.lines), min(ln.top for ln in b.lines),
             max(ln.x1 for ln in b.lines), max(ln.bottom for ln in b.lines))
    sizes = [ln.size for ln in b.lines]
    b.size = statistics.median(sizes)
    b.bold = sum(ln.bold for ln in b.lines) * 2 > len(b.lines)


def table_block(t: DocTable, it: Item) -> RawBlock:
    """A table as one block: cells row by row, tab between cells, newline between rows."""
    rows: dict[int, list] = {}
    for c in t.cells:
        rows.setdefault(c.row_no, []).append(c)
    text: list[str] = []
    boxes: list[Box] = []
    for r in sorted(rows):
        if text:
            text.append("\n")
            boxes.append(NO_BOX)
        first = True
        for c in sorted(rows[r], key=lambda c: c.col_no):
            cell = squeeze_cjk_spaces(" ".join(c.text.split()))
            if not cell:
                continue
            if not first:
                text.append("\t")
                boxes.append(NO_BOX)
            first = False
            text.extend(cell)
            boxes.extend([(c.x0, c.top, c.x1, c.bottom)] * len(cell))
    return RawBlock(table=t, kind="table", text="".join(text), boxes=boxes, column=it.column,
                    box=(t.x0, t.top, t.x1, t.bottom))
