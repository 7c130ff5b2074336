"""Tables: real tables per page (ruled, open-sided, three-line, borderless, 专栏 boxes), stitched and captioned."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from extractors.tables_boxes import box_items, box_label, frames_page, pattern, reject_reason
from extractors.tables_finalize import evaluate_cells, finalize, table_to_targets_rows
from extractors.tables_grid import Grid, cfg, find_grids
from extractors.tables_text import Char, cell_text, chars_in, main_size, ruleless_grid, untrusted
from extractors.tables_whitespace import caption_to_grids, overlaps
from schemas.facts import DocTable, TableCell

VERSION = "1.0"

__all__ = ["VERSION", "page_to_tables", "finalize", "table_to_targets_rows", "evaluate_cells",
           "page_to_tables_debug"]


def page_to_tables(page: Any, doc_id: str) -> list[DocTable]:
    """The real tables on one pdfplumber page, each with its box and cells."""
    return [t for t, _ in page_to_tables_debug(page, doc_id) if t is not None]


def page_to_tables_debug(page: Any, doc_id: str) -> list[tuple[DocTable | None, str | None]]:
    """Every grid found on the page with the table made of it, or None and the reason it was rejected."""
    chars = list(page.chars)
    captions = caption_lines(chars)
    if not page.horizontal_edges and not captions:
        return []
    grids = find_grids(page, [min(c["top"] for c in ln) for ln in captions])
    out: list[tuple[DocTable | None, str | None]] = []
    kept: list[Grid] = []
    for grid in sorted(grids, key=lambda g: -(g.bbox[2] - g.bbox[0]) * (g.bbox[3] - g.bbox[1])):
        if any(_inside(grid.bbox, k.bbox) for k in kept):
            out.append((None, "nested"))
            continue
        table, reason = grid_to_table(grid, chars, page, doc_id)
        out.append((table, reason))
        if table is not None:
            kept.append(grid)
    out += borderless_tables(page, chars, captions, [k.bbox for k in kept], doc_id)
    out.sort(key=lambda tr: (tr[0].top, tr[0].x0) if tr[0] else (1e9, 0))
    return out


def caption_lines(chars: list[Char]) -> list[list[Char]]:
    """Lines that open with a table caption (表N, Table N, 专栏N): the caption's chars, left to right."""
    lines: dict[int, list[Char]] = {}
    for c in chars:
        lines.setdefault(round(c["top"]), []).append(c)
    out = []
    for cs in lines.values():
        cs.sort(key=lambda c: c["x0"])
        for i, c in enumerate(cs):
            if c["text"] in "表T专" and (i == 0 or c["x0"] - cs[i - 1]["x1"] > 3):
                line = "".join(x["text"] for x in cs[i:i + 12])
                if any(pattern(r).match(line) for r in ("caption_zh_table", "caption_en_table", "caption_zh_box")):
                    out.append(_caption_run(cs, i))
                    break
    return sorted(out, key=lambda ln: ln[0]["top"])


def _caption_run(cs: list[Char], start: int) -> list[Char]:
    """The caption's chars: from its first char to the next wide gap (a column gutter) or the line end."""
    out = [cs[start]]
    for c in (c for c in cs[start + 1:] if c["text"].strip()):
        if c["x0"] - out[-1]["x1"] > 1.5 * float(c.get("size", 10)):
            break
        out.append(c)
    return out


def borderless_tables(page: Any, chars: list[Char], captions: list[list[Char]], kept: list[tuple[float, ...]],
                      doc_id: str) -> list[tuple[DocTable | None, str | None]]:
    """Tables with no rule at all, under 表N / Table N captions that no ruled table has claimed."""
    out: list[tuple[DocTable | None, str | None]] = []
    boxes = [_box(cap) for cap in captions]
    for cap in captions:
        if cap[0]["text"] == "专" or claimed(_box(cap), kept, boxes):
            continue
        first: tuple[DocTable | None, str | None] | None = None
        for grid in caption_to_grids(chars, cap, float(page.width)):  # under the caption, then over it
            if any(overlaps(grid.bbox, k) for k in kept):
                continue
            result = borderless_table(grid, chars, page, doc_id)
            first = first if first is not None and result[0] is None else result
            if result[0] is not None:
                kept.append(grid.bbox)
                break
        if first is not None:
            out.append(first)
    return out


def _box(chars: list[Char]) -> tuple[float, float, float, float]:
    return (min(c["x0"] for c in chars), min(c["top"] for c in chars),
            max(c["x1"] for c in chars), max(c["bottom"] for c in chars))


def claimed(cap: tuple[float, ...], kept: Sequence[tuple[float, ...]], captions: Sequence[tuple[float, ...]]) -> bool:
    """A caption belongs to a kept table: inside it, just over it, or just under one with no caption over it."""
    dist = cfg("caption_distance")

    def level(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return min(a[2], b[2]) > max(a[0], b[0])

    def captioned(k: tuple[float, ...]) -> bool:
        return any(level(o, k) and 0 <= k[1] - o[3] <= dist for o in captions if o != cap)
    for k in kept:
        if _inside(cap, k) or (level(cap, k) and 0 <= k[1] - cap[3] <= dist):
            return True
        if level(cap, k) and 0 <= cap[1] - k[3] <= dist and not captioned(k):
            return True
    return False


def _inside(a: tuple[float, ...], b: tuple[float, ...], tol: float = 2.0) -> bool:
    return a[0] >= b[0] - tol and a[1] >= b[1] - tol and a[2] <= b[2] + tol and a[3] <= b[3] + tol


def grid_to_table(grid: Grid, chars: list[Char], page: Any, doc_id: str) -> tuple[DocTable | None, str | None]:
    """One grid -> a DocTable (a 专栏 box, a three-line table or a ruled grid) or the reason it is none."""
    inside = chars_in(chars, grid.bbox)
    size = main_size(inside)
    cells = grid_cells(grid, chars, size)
    first = [c["text"] for c in cells if c["row_no"] == 0 and c["text"]]
    label = box_label(first[0]) if first else None
    if label is not None:
        return box_to_table(grid, cells, chars, size, label, page, doc_id), None
    titled = title_row(cells)
    if titled is not None:
        cells, caption = titled
    else:
        caption = None
    if grid.n_cols == 1 and grid.inner_verticals == 0:
        split = ruleless_grid(grid, chars)
        if split is not None:
            grid, cells = split, grid_cells(split, chars, size)
    reason = reject_reason(cells, grid, page, chars, size)
    wide = grid.bbox[2] - grid.bbox[0] >= 0.5 * page.width
    if reason == "one_column" and wide and grid.bbox[1] < cfg("stitch_top_margin") * page.height:
        frag = fragment_table(grid, chars, size, page, doc_id)
        if frag is not None and frames_page(inside, chars):  # a 专栏 filling the page, or the page's border:
            frag = frag.model_copy(update={"flags": (*frag.flags, FRAMES_PAGE)})  # layout tells them apart
        if frag is not None:
            return frag, None
    if reason:
        return None, reason
    flags = ("untrusted_text",) if untrusted(inside) else ()
    table = make_table(doc_id, page, grid.bbox, cells, header_rows(cells), flags)
    if caption is not None:
        zh = caption[0].startswith("表")
        table = table.model_copy(update={"label": caption[0], ("caption_zh" if zh else "caption_en"): caption[1] or None})
    return table, None


def borderless_table(grid: Grid, chars: list[Char], page: Any, doc_id: str) -> tuple[DocTable | None, str | None]:
    """A grid cut from white space -> a table flagged `whitespace`, or why it is none (also: running text)."""
    widths = [b - a for a, b in zip(grid.xs, grid.xs[1:], strict=False)]
    if grid.n_cols == 2 and min(widths) >= cfg("ws_text_column_share") * float(page.width):
        return None, "column_text"  # two columns of running text under a caption, not a table
    table, reason = grid_to_table(grid, chars, page, doc_id)
    if table is None:
        return None, reason
    return table.model_copy(update={"flags": tuple(table.flags) + ("whitespace",)}), None


def title_row(cells: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], tuple[str, str]] | None:
    """Caption rows inside the grid (Table B3.2 / 表1, maybe its title on the next row): taken out."""
    def lone(r: int) -> str | None:
        texts = [c["text"] for c in cells if c["row_no"] == r and c["text"]]
        return texts[0] if len(texts) == 1 else None
    for r in range(3):
        text = lone(r)
        label = None
        for rule in ("caption_zh_table", "caption_en_table"):
            label = label or (box_label(text, rule) if text else None)
        if label is None or label[1].startswith("Table"):
            continue
        drop = r + 1
        if not label[1] and lone(drop):
            label, drop = (label[0], lone(drop) or ""), drop + 1
        rest = [dict(c, row_no=c["row_no"] - drop) for c in cells if c["row_no"] >= drop]
        return rest, label
    return None


def grid_cells(grid: Grid, chars: list[Char], size: float) -> list[dict[str, Any]]:
    """Text, refs and box for each grid cell."""
    out = []
    for gc in grid.cells:
        text, refs = cell_text(chars_in(chars, gc.bbox), size)
        out.append({"row_no": gc.row, "col_no": gc.col, "row_span": gc.row_span, "col_span": gc.col_span,
                    "text": text, "refs": refs, "bbox": gc.bbox})
    return out


def header_rows(cells: list[dict[str, Any]]) -> int:
    """Header rows: row 0, extended down by row-spanned header cells (two-level headers)."""
    first = [c for c in cells if c["row_no"] == 0]
    return max((c["row_span"] for c in first), default=1)


def box_to_table(grid: Grid, cells: list[dict[str, Any]], chars: list[Char], size: float,
                 label: tuple[str, str], page: Any, doc_id: str) -> DocTable:
    """A 专栏 box: a real grid (several filled columns) stays a table, a boxed list becomes one cell per item."""
    rest = [dict(c, row_no=c["row_no"] - 1) for c in cells if c["row_no"] > 0]
    multi = {c["col_no"] for c in rest if c["text"]}
    if len(multi) >= 3 and sum(1 for c in rest if c["text"]) >= 2 * len({c["row_no"] for c in rest}):
        table = make_table(doc_id, page, grid.bbox, rest, 1, ("box",))
    else:
        title_bottom = min(gc.bbox[3] for gc in grid.cells if gc.row == 0)
        body = (grid.bbox[0], title_bottom, grid.bbox[2], grid.bbox[3])
        items = [{"row_no": i, "col_no": 0, "row_span": 1, "col_span": 1, "text": t, "refs": r, "bbox": b}
                 for i, (t, r, b) in enumerate(box_items(chars, body, size))]
        table = make_table(doc_id, page, grid.bbox, items, 0, ("box", "list"))
    return table.model_copy(update={"label": label[0], "caption_zh": label[1] or None})


def make_table(doc_id: str, page: Any, bbox: tuple[float, ...], cells: list[dict[str, Any]],
               n_header: int, flags: tuple[str, ...]) -> DocTable:
    """Build the DocTable (stable id from doc, page and position)."""
    pno = page.page_number
    tcells = tuple(TableCell(row_no=c["row_no"], col_no=c["col_no"], row_span=c["row_span"],
                             col_span=c["col_span"], text=c["text"], is_header=c["row_no"] < n_header,
                             page_no=pno, x0=c["bbox"][0], top=c["bbox"][1], x1=c["bbox"][2],
                             bottom=c["bbox"][3], refs=tuple(c["refs"]))
                   for c in sorted(cells, key=lambda c: (c["row_no"], c["col_no"])))
    if "untrusted_text" in flags:
        tcells = tuple(c.model_copy(update={"text": ""}) for c in tcells)
    n_rows = max((c.row_no + c.row_span for c in tcells), default=0)
    n_cols = max((c.col_no + c.col_span for c in tcells), default=0)
    x0, top, x1, bottom = bbox
    tid = hashlib.sha256(f"{doc_id}|{pno}|{x0:.1f}|{top:.1f}".encode()).hexdigest()[:16]
    return DocTable(doc_id=doc_id, table_id=tid, page_no=pno, pages=(pno,), n_rows=n_rows, n_cols=n_cols,
                    flags=flags, x0=x0, top=top, x1=x1, bottom=bottom, cells=tcells)


FRAMES_PAGE = "frames_page"
"""Flag of a page-top fragment that holds (nearly) all the page's text (extractors.layout.drop_page_frames)."""


def fragment_table(grid: Grid, chars: list[Char], size: float, page: Any, doc_id: str) -> DocTable | None:
    """An untitled Chinese one-column box at the page top: a fragment that finalize may stitch to a 专栏."""
    items = [{"row_no": i, "col_no": 0, "row_span": 1, "col_span": 1, "text": t, "refs": r, "bbox": b}
             for i, (t, r, b) in enumerate(box_items(chars, grid.bbox, size))]
    text = "".join(str(i["text"]) for i in items)
    if not text or sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") < 0.5 * len(text):
        return None
    return make_table(doc_id, page, grid.bbox, items, 0, ("box", "list", "fragment"))
