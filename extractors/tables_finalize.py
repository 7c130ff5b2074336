"""Document-level table work: stitch page-break continuations, attach captions, indicator rows, evaluation."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from extractors.tables_boxes import pattern
from extractors.tables_grid import cfg
from schemas.facts import DocTable, TableCell
from schemas.layout import NO_BOX, Document, Page

YEAR = re.compile(r"^((?:19|20)\d\d)\s*年?$")


def finalize(doc: Document, tables: list[DocTable]) -> list[DocTable]:
    """Stitch tables continued on the next page, attach captions, drop unclaimed fragments."""
    ordered = sorted(tables, key=lambda t: (t.page_no, t.top))
    stitched: list[DocTable] = []
    for t in ordered:
        prev = stitched[-1] if stitched else None
        if prev is not None and continues(doc, prev, t):
            stitched[-1] = stitch(prev, t)
        else:
            stitched.append(t)
    out = []
    for t in stitched:
        if "fragment" in t.flags:
            continue
        out.append(attach_caption(doc, t))
    return out


def _page(doc: Document, page_no: int) -> Page | None:
    return doc.pages[page_no - 1] if 0 < page_no <= len(doc.pages) else None


def continues(doc: Document, a: DocTable, b: DocTable) -> bool:
    """b continues a: next page, a ends low, b starts high, same width and columns, b has no label."""
    pa, pb = _page(doc, a.pages[-1]), _page(doc, b.page_no)
    if pa is None or pb is None or b.page_no != a.pages[-1] + 1 or b.label:
        return False
    last_bottom = max(c.bottom for c in a.cells if c.page_no == a.pages[-1]) if a.cells else a.bottom
    low = max(last_bottom, a.bottom if a.pages[-1] == a.page_no else 0) > (1 - cfg("stitch_bottom_margin")) * pa.height
    high = b.top < cfg("stitch_top_margin") * pb.height
    same = abs(a.x0 - b.x0) < 15 and abs(a.x1 - b.x1) < 15
    cols = a.n_cols == b.n_cols or ("list" in a.flags and b.n_cols == 1) \
        or (abs(a.x0 - b.x0) < 5 and abs(a.x1 - b.x1) < 5 and "box" not in a.flags + b.flags)
    return low and high and same and cols


def stitch(a: DocTable, b: DocTable) -> DocTable:
    """One table over two pages: b's rows follow a's (a repeated header is dropped), cells keep their page."""
    head_a = [c.text for c in a.cells if c.is_header]
    head_b = [c.text for c in b.cells if c.is_header]
    skip = max((c.row_no + c.row_span for c in b.cells if c.is_header), default=0) \
        if head_b and head_b == head_a else 0
    cells = list(a.cells) + [c.model_copy(update={"row_no": c.row_no - skip + a.n_rows, "is_header": False})
                             for c in b.cells if c.row_no >= skip]
    flags = tuple(dict.fromkeys([f for f in a.flags if f != "fragment"] + ["stitched"]))
    return a.model_copy(update={"pages": tuple(a.pages) + (b.page_no,), "cells": tuple(cells),
                                "n_rows": a.n_rows + b.n_rows - skip, "flags": flags})


def page_lines(page: Page) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Page.text split into lines with each line's inked box."""
    out, start = [], 0
    for line in page.text.split("\n"):
        bxs = [b for b in page.char_boxes[start:start + len(line)] if b != NO_BOX]
        if line.strip() and bxs:
            out.append((line.strip(), (min(b[0] for b in bxs), min(b[1] for b in bxs),
                                       max(b[2] for b in bxs), max(b[3] for b in bxs))))
        start += len(line) + 1
    return out


def attach_caption(doc: Document, t: DocTable) -> DocTable:
    """Nearest 表N / Table N caption lines above (or else below) the table, in both languages."""
    page = _page(doc, t.page_no)
    if page is None:
        return t
    dist = cfg("caption_distance")
    lines = page_lines(page)
    near = [(i, ln, b) for i, (ln, b) in enumerate(lines)
            if (t.top - dist <= b[3] <= t.top + 2 or t.bottom - 2 <= b[1] <= t.bottom + dist)
            and b[0] < t.x1 and b[2] > t.x0]
    update: dict[str, Any] = {}
    for rule, field in (("caption_zh_table", "caption_zh"), ("caption_en_table", "caption_en")):
        hits = [(abs(b[3] - t.top) if b[3] <= t.top + 2 else abs(b[1] - t.bottom) + dist, i, m)
                for i, ln, b in near if (m := pattern(rule).match(ln)) and _caption_title(m.group(2))]
        if hits:
            _, i, m = min(hits, key=lambda h: h[0])
            if not t.label or t.label.startswith(("表", "Table")):
                update.setdefault("label", re.sub(r"\s+", "" if rule.endswith("zh_table") else " ", m.group(1)))
            if field == "caption_zh" and t.caption_zh:
                continue
            title = m.group(2).strip()
            if not title and i + 1 < len(lines) and not any(pattern(r).match(lines[i + 1][0]) for r in
                                                            ("caption_zh_table", "caption_en_table")):
                title = lines[i + 1][0]
            update[field] = title or None
    return t.model_copy(update=update) if update else t


def _caption_title(title: str) -> bool:
    """A caption's title: not the hidden repeated label ('Table 1.11:Table 1.11'), not running text."""
    t = title.strip()
    return not t.startswith("Table") and not (t[:1].islower() and t[:1].isascii())


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


def _cols(table: DocTable) -> dict[str, list[int]]:
    """Column roles from the header cells: indicator, unit, attribute and year columns."""
    roles: dict[str, list[int]] = {"indicator": [], "unit": [], "attribute": [], "years": [], "category": []}
    for c in sorted((c for c in table.cells if c.is_header), key=lambda c: (c.row_no, c.col_no)):
        t = _norm(c.text)
        key = ("indicator" if t in ("指标", "指标名称", "名称") else "unit" if t.startswith("单位")
               else "attribute" if t.startswith("属性") else "category" if t in ("类别", "项目", "领域") else "")
        if key:
            roles[key].append(c.col_no)
        if YEAR.match(t) and c.col_span == 1:
            roles["years"].append(c.col_no)
    return roles


def _cell_at(table: DocTable, row: int, col: int) -> TableCell | None:
    for c in table.cells:
        if c.row_no <= row < c.row_no + c.row_span and c.col_no <= col < c.col_no + c.col_span:
            return c
    return None


def table_to_targets_rows(table: DocTable) -> list[dict[str, Any]]:
    """An indicator table (指标 / 单位 / 2020年 / 2025年 / 属性) -> one dict per indicator row."""
    roles = _cols(table)
    years = {c.col_no: int(YEAR.match(_norm(c.text)).group(1))  # type: ignore[union-attr]
             for c in table.cells if c.is_header and c.col_span == 1 and YEAR.match(_norm(c.text))}
    if not years:
        return []
    ind_col = (roles["indicator"] or roles["category"] or [0])[0]
    tcol = max(years, key=lambda k: (years[k], k))
    bcols = [k for k in years if years[k] < years[tcol]]
    bcol = min(bcols, key=lambda k: years[k]) if bcols else None
    if bcol is not None and len(bcols) > 1:
        bcol = max(bcols, key=lambda k: years[k])
    n_head = max((c.row_no + c.row_span for c in table.cells if c.is_header), default=0)
    rows = []
    for r in range(n_head, table.n_rows):
        tcell, ind = _cell_at(table, r, tcol), _cell_at(table, r, ind_col)
        if tcell is None or not tcell.text or ind is None or not ind.text or tcell.row_no != r:
            continue
        unit = _cell_at(table, r, roles["unit"][0]) if roles["unit"] else None
        attr = _cell_at(table, r, roles["attribute"][0]) if roles["attribute"] else None
        base = _cell_at(table, r, bcol) if bcol is not None else None
        rows.append({"indicator": ind.text, "unit": unit.text if unit and unit.text else _paren_unit(ind.text),
                     "base_year": years[bcol] if bcol is not None else None,
                     "base_value": base.text if base and base.text else None,
                     "target_year": years[tcol], "target_value": tcell.text,
                     "attribute": attr.text if attr and attr.text else None, "cell": tcell})
    return rows


def _paren_unit(text: str) -> str | None:
    """'能源消费总量（亿吨标准煤）' -> '亿吨标准煤' when there is no unit column."""
    m = re.search(r"[（(]([^（）()]+)[）)]\s*$", text)
    return m.group(1) if m else None


def _cells_of(t: Any) -> list[tuple[int, int, str]]:
    if isinstance(t, DocTable):
        return [(c.row_no, c.col_no, _norm(c.text)) for c in t.cells]
    return [(int(r), int(c), _norm(x)) for r, c, x in t["cells"]]


def _key(t: Any) -> tuple[Any, int]:
    return (t.label, t.page_no) if isinstance(t, DocTable) else (t.get("label"), int(t["page_no"]))


def evaluate_cells(gold_tables: dict[str, list[Any]], found_tables: dict[str, list[Any]]) -> dict[str, Any]:
    """Cell-level precision/recall per document: a cell matches when row, col and normalised text agree."""
    report: dict[str, Any] = {}
    tot = {"tp": 0, "n_gold": 0, "n_found": 0}
    for doc_id in sorted(set(gold_tables) | set(found_tables)):
        gold, found = gold_tables.get(doc_id, []), list(found_tables.get(doc_id, []))
        tp = 0
        for g in gold:
            gcells, best = set(_cells_of(g)), None
            for f in found:
                score = len(gcells & set(_cells_of(f)))
                same_label = _key(g)[0] and _key(f)[0] == _key(g)[0]
                if best is None or (same_label, score) > best[0]:
                    best = ((bool(same_label), score), f)
            if best is not None and (best[0][0] or best[0][1] > 0):
                tp += best[0][1]
                found.remove(best[1])
        n_gold = sum(len(_cells_of(g)) for g in gold)
        n_found = sum(len(_cells_of(f)) for f in found_tables.get(doc_id, []))
        report[doc_id] = {"tp": tp, "n_gold": n_gold, "n_found": n_found,
                          "precision": tp / n_found if n_found else (1.0 if not n_gold else 0.0),
                          "recall": tp / n_gold if n_gold else 1.0}
        for k in tot:
            tot[k] += report[doc_id][k]
    report["_all"] = dict(tot, precision=tot["tp"] / tot["n_found"] if tot["n_found"] else 1.0,
                          recall=tot["tp"] / tot["n_gold"] if tot["n_gold"] else 1.0)
    return report
