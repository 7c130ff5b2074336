"""Map a span of Page.text back to its boxes: the one way every fact gets its page and box."""

from __future__ import annotations

from typing import Any

from schemas.layout import NO_BOX, Box, Document, Page


def span_to_line_boxes(page: Page, start: int, end: int) -> list[Box]:
    """Union boxes of the inked chars in [start, end), one per visual line (a new line starts a box)."""
    boxes: list[Box] = []
    cur: list[float] | None = None
    for i in range(max(start, 0), min(end, len(page.char_boxes))):
        b = page.char_boxes[i]
        if b == NO_BOX:
            continue
        if cur is not None and _same_line(cur, b):
            cur[0], cur[1] = min(cur[0], b[0]), min(cur[1], b[1])
            cur[2], cur[3] = max(cur[2], b[2]), max(cur[3], b[3])
        else:
            if cur is not None:
                boxes.append((cur[0], cur[1], cur[2], cur[3]))
            cur = list(b)
    if cur is not None:
        boxes.append((cur[0], cur[1], cur[2], cur[3]))
    return boxes


def _same_line(cur: list[float], b: Box) -> bool:
    """A char continues the current line box if it overlaps it vertically and is not far left of it."""
    mid = (b[1] + b[3]) / 2
    return cur[1] - 1 <= mid <= cur[3] + 1 and b[0] >= cur[0] - 2


def union_box(boxes: list[Box]) -> Box:
    if not boxes:
        return NO_BOX
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def evidence(doc: Document, page_no: int, start: int, end: int, *, extractor: str, rule_id: str,
             version: str, ordinal: int = 0, lang: str | None = None) -> dict[str, Any]:
    """The provenance fields of a fact payload for the span [start, end) of page `page_no`."""
    page = doc.pages[page_no - 1]
    line_boxes = span_to_line_boxes(page, start, end)
    x0, top, x1, bottom = union_box(line_boxes)
    quote = page.text[start:end]
    return {
        "doc_id": doc.doc_id, "page_no": page_no, "char_start": start, "char_end": end,
        "quote": quote, "x0": x0, "top": top, "x1": x1, "bottom": bottom,
        "lang": lang or text_lang(quote, doc.lang), "extractor": extractor, "rule_id": rule_id,
        "extractor_version": version, "ordinal": ordinal,
        "boxes": [{"page_no": page_no, "x0": b[0], "top": b[1], "x1": b[2], "bottom": b[3]}
                  for b in line_boxes],
    }


def text_lang(text: str, default: str = "en") -> str:
    """'zh' when CJK ideographs are at least a fifth of the letters, else 'en'."""
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    if cjk + latin == 0:
        return default
    return "zh" if cjk * 5 >= (cjk + latin) else "en"
