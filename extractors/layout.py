"""PDF -> Document[Page[Block]] with reading order, columns, headers/footers, notes and char boxes.

Page.text holds the body blocks in reading order, one block after another separated by "\\n";
running headers and footers (kinds header/footer) come LAST in Page.text, after the body, so that
provenance can still point at them (e.g. a document number printed in a running header) while a
sentence in the body never runs into them. Spaces next to CJK characters are dropped (see cjk.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from extractors import text_quality
from extractors.cjk import Char, is_han
from extractors.layout_blocks import RawBlock, finish_text_block, items_to_blocks
from extractors.layout_kinds import (
    block_kind,
    is_ref_heading,
    margin_kind,
    repeated_keys,
    zone_lines,
)
from extractors.layout_lines import (
    Line,
    chars_to_line,
    chars_to_rows,
    flow_chars,
    pieces_to_lines,
    row_to_pieces,
)
from extractors.layout_order import Item, box_contains, find_gutters, order_items
from schemas.base import BlockKind, Lang
from schemas.facts import DocTable
from schemas.layout import NO_BOX, Block, Box, CitationMarker, Document, Page

VERSION = "1.0"

TableFinder = Callable[[Any, str], Sequence[DocTable]]


@dataclass
class RawPage:
    """What the first pass keeps of a pdfplumber page: lines, tables, gutters, drawn boxes."""

    page_no: int
    width: float
    height: float
    lines: list[Line]
    tables: list[DocTable]
    gutters: list[float]
    rects: list[Box] = field(default_factory=list)
    n_images: int = 0
    zones: list[tuple[str, Line]] = field(default_factory=list)


def page_to_raw(page: Any, doc_id: str, find_tables: TableFinder | None = None) -> RawPage:
    """Chars outside tables -> rows -> pieces -> column gutters -> lines."""
    w, h = float(page.width), float(page.height)
    if find_tables is None:
        from extractors import tables as tables_mod
        find_tables = tables_mod.page_to_tables
    found = list(find_tables(page, doc_id))
    boxes = [(t.x0, t.top, t.x1, t.bottom) for t in found]
    chars = _outside(flow_chars(page.chars, w, h), boxes)
    rows = [row_to_pieces(r) for r in chars_to_rows(chars)]
    rows = [r for r in rows if r]
    gutters = find_gutters(rows, w)
    lines = [chars_to_line(seg) for r in rows for seg in pieces_to_lines(r, gutters)]
    lines = [ln for ln in lines if ln.text.strip()]
    raw = RawPage(page.page_number, w, h, lines, found, gutters, _frame_rects(page, w, h, boxes, chars),
                  len(page.images))
    raw.zones = zone_lines(lines, h)
    return raw


def _outside(chars: list[Char], boxes: Sequence[Box]) -> list[Char]:
    """Chars whose centre lies outside every table box (table text lives in the table block)."""
    for x0, top, x1, bottom in boxes:
        chars = [c for c in chars if not (x0 - 1 <= (c["x0"] + c["x1"]) / 2 <= x1 + 1
                                          and top - 1 <= (c["top"] + c["bottom"]) / 2 <= bottom + 1)]
    return chars


def _frame_rects(page: Any, w: float, h: float, tables: Sequence[Box], chars: list[Char]) -> list[Box]:
    """Drawn boxes that may frame figure text: not tiny, not the page border, not a table."""
    from extractors.tables_boxes import frames_page
    from extractors.tables_text import chars_in

    out: list[Box] = []
    for r in page.rects:
        bw, bh = r["x1"] - r["x0"], r["bottom"] - r["top"]
        if bw < 30 or bh < 12 or bw * bh > 0.6 * w * h:
            continue
        box = (r["x0"], r["top"], r["x1"], r["bottom"])
        if not any(box_contains(t, *box, pad=2) for t in tables):
            out.append(box)
    framed = list({id(c): c for box in out for c in chars_in(chars, box)}.values())
    return [] if frames_page(framed, chars) else out  # boxes around all the text: a border style


def pdf_to_document(pdf: Any, doc_id: str, file_name: str, *,
                    find_tables: TableFinder | None = None) -> tuple[Document, list[DocTable]]:
    """Lay out every page of an open pdfplumber PDF; returns the Document and the tables found.

    find_tables defaults to extractors.tables.page_to_tables (looked up at call time)."""
    raws = [page_to_raw(p, doc_id, find_tables) for p in pdf.pages]
    for i, raw in enumerate(raws):
        if frames_the_page(raw, raws[i - 1] if i else None):
            raws[i] = page_to_raw(pdf.pages[i], doc_id, _without_fragments(find_tables))
    repeated = repeated_keys([r.zones for r in raws])
    body_size = _body_size(raws)
    lang = _doc_lang(raws)
    pages: list[Page] = []
    in_refs = False
    for raw in raws:
        page, in_refs = raw_to_page(raw, repeated, body_size, lang, in_refs)
        pages.append(page)
    doc = Document(doc_id=doc_id, file_name=file_name, lang=cast(Lang, lang), page_count=len(pages),
                   pages=tuple(pages))
    return doc, [t for r in raws for t in r.tables]


def frames_the_page(raw: RawPage, before: RawPage | None) -> bool:
    """The page's text all sits in one untitled box at the top that cannot go on from the page before
    (that page, already laid out, has no table reaching its foot): the box is the page's border."""
    from extractors.tables import FRAMES_PAGE
    from extractors.tables_grid import cfg

    if not any(FRAMES_PAGE in t.flags for t in raw.tables):
        return False
    return before is None or not any(t.bottom > (1 - cfg("stitch_bottom_margin")) * before.height
                                     for t in before.tables)


def _without_fragments(find_tables: TableFinder | None) -> TableFinder:
    """The table finder minus its page-top fragments (for a page whose fragment is its border)."""
    from extractors import tables as tables_mod

    finder = find_tables or tables_mod.page_to_tables

    def find(page: Any, doc_id: str) -> list[DocTable]:
        return [t for t in finder(page, doc_id) if "fragment" not in t.flags]
    return find


def _body_size(raws: Sequence[RawPage]) -> float:
    """The document's body font size: the size carrying the most characters."""
    sizes: Counter[float] = Counter()
    for r in raws:
        for ln in r.lines:
            sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _doc_lang(raws: Sequence[RawPage]) -> str:
    """'zh' when Chinese ideographs are at least a fifth of the letters of the whole document, the text
    inside tables included (a page drawn inside a frame is read as one boxed table)."""
    han = latin = 0
    for r in raws:
        for text in [*(ln.text for ln in r.lines), *(c.text for t in r.tables for c in t.cells)]:
            han += sum(1 for c in text if is_han(c))
            latin += sum(1 for c in text if c.isascii() and c.isalpha())
    return "zh" if han * 5 >= han + latin and han else "en"


def raw_to_page(raw: RawPage, repeated: set[tuple[str, str, int]], body_size: float, lang: str,
                in_refs: bool) -> tuple[Page, bool]:
    """Order the page, build and classify blocks, then assemble Page.text and char boxes."""
    margin = {id(ln): kind for z, ln in raw.zones if (kind := margin_kind(z, ln, repeated))}
    items = [Item(ln.top, ln.bottom, ln.x0, ln.x1, line=ln) for ln in raw.lines
             if id(ln) not in margin]
    items += [Item(t.top, t.bottom, t.x0, t.x1, table=i) for i, t in enumerate(raw.tables)]
    body = items_to_blocks(order_items(items, raw.gutters), raw.tables)
    in_refs = classify_blocks(body, raw, body_size, in_refs)
    tail: list[RawBlock] = []
    for ln in sorted((ln for ln in raw.lines if id(ln) in margin), key=lambda ln: ln.top):
        b = RawBlock(lines=[ln], kind=margin[id(ln)])
        finish_text_block(b)
        tail.append(b)
    return assemble_page(raw, body + tail, lang), in_refs


def classify_blocks(blocks: Sequence[RawBlock], raw: RawPage, body_size: float,
                    in_refs: bool) -> bool:
    """Give each body block its kind; footnotes run on to the page end once they start."""
    in_notes = False
    for b in blocks:
        if b.table is not None:
            continue
        centered = abs((b.box[0] + b.box[2]) / 2 - raw.width / 2) < 0.05 * raw.width \
            and b.box[0] > 0.2 * raw.width
        kind = block_kind(b.text, b.size, body_size, b.bold, b.box[1], raw.height,
                          len(b.lines), in_refs, centered)
        if kind == "heading":
            in_refs = is_ref_heading(b.text)
        if in_notes and b.size < 0.93 * body_size and kind != "heading":
            kind = "footnote"
        elif kind in ("paragraph", "list") and any(box_contains(r, *b.box, pad=2) for r in raw.rects):
            kind = "figure_text"
        in_notes = in_notes or kind == "footnote"
        b.kind = kind
    return in_refs


def assemble_page(raw: RawPage, blocks: Sequence[RawBlock], lang: str) -> Page:
    """Join block texts with newlines; record offsets, char boxes, markers and page quality."""
    from extractors.provenance import text_lang

    recovered = _recover_mojibake(blocks)
    parts: list[str] = []
    char_boxes: list[Box] = []
    out_blocks: list[Block] = []
    markers: list[CitationMarker] = []
    pos = 0
    for b in (b for b in blocks if b.text):
        if parts:
            parts.append("\n")
            char_boxes.append(NO_BOX)
            pos += 1
        start = pos
        parts.append(b.text)
        char_boxes.extend(b.boxes)
        pos += len(b.text)
        out_blocks.append(Block(page_no=raw.page_no, block_no=len(out_blocks), kind=cast(BlockKind, b.kind),
                                lang=cast(Lang, text_lang(b.text, lang)), text=b.text, char_start=start,
                                char_end=pos, x0=b.box[0], top=b.box[1], x1=b.box[2],
                                bottom=b.box[3], column=b.column))
        markers += [CitationMarker(page_no=raw.page_no, marker=m, char_offset=start + off,
                                   x0=box[0], top=box[1], x1=box[2], bottom=box[3])
                    for off, m, box in b.markers]
    text = "".join(parts)
    quality = text_quality.page_quality(text, raw.n_images, recovered)
    return Page(page_no=raw.page_no, width=raw.width, height=raw.height, text=text,
                quality=quality, blocks=tuple(out_blocks), char_boxes=tuple(char_boxes),
                markers=tuple(markers), n_images=raw.n_images)


def _recover_mojibake(blocks: Sequence[RawBlock]) -> bool:
    """Re-decode GBK-as-Latin-1 blocks in place when the page as a whole reads as mojibake."""
    joined = "\n".join(b.text for b in blocks)
    if not text_quality.looks_mojibake(joined):
        return False
    done = False
    for b in blocks:
        fixed = text_quality.mojibake_to_text(b.text, b.boxes)
        if fixed is not None:
            b.text, b.boxes = fixed
            b.markers = [(min(off, len(b.text)), m, box) for off, m, box in b.markers]
            done = True
    return done
