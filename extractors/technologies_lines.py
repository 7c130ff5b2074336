"""Visual lines of a page from its char boxes, so list and figure rules see the lines the reader sees."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.memo import per_document
from schemas.layout import NO_BOX, Document, Page


@dataclass(frozen=True)
class Line:
    """A run of Page.text on one visual line (split at newlines, line jumps and wide column gaps)."""

    page_no: int
    start: int
    end: int
    x0: float
    top: float
    x1: float
    bottom: float
    text: str


def page_lines(page: Page, start: int = 0, end: int | None = None) -> list[Line]:
    """The visual lines of page.text[start:end], trimmed, with their union boxes."""
    end = len(page.text) if end is None else end
    text, char_boxes = page.text, page.char_boxes
    n_boxes = len(char_boxes)
    cuts: list[tuple[int, int]] = []
    seg_start, prev = start, None
    for i in range(start, end):
        if text[i] == "\n":
            cuts.append((seg_start, i))
            seg_start, prev = i + 1, None
            continue
        if i >= n_boxes:
            continue
        box = char_boxes[i]
        if box == NO_BOX:
            continue
        if prev is not None:  # a new visual line: the char sits below the previous one or far to its side
            x0, top, _, bottom = box
            height = max(prev[3] - prev[1], bottom - top, 1.0)
            mid = (top + bottom) / 2
            if (not prev[1] - 0.2 * height <= mid <= prev[3] + 0.2 * height
                    or x0 < prev[0] - height or x0 - prev[2] > 2.5 * height):
                cuts.append((seg_start, i))
                seg_start = i
        prev = box
    cuts.append((seg_start, end))
    return [line for a, b in cuts if (line := _make_line(page, a, b, len(cuts))) is not None]


@per_document
def document_lines(doc: Document) -> tuple[list[Line], ...]:
    """page_lines of every page, once per document: figures and catalogues both read them."""
    return tuple(page_lines(page) for page in doc.pages)


def _make_line(page: Page, a: int, b: int, _n: int) -> Line | None:
    while a < b and page.text[a].isspace():
        a += 1
    while b > a and page.text[b - 1].isspace():
        b -= 1
    if a >= b:
        return None
    boxes = [box for box in page.char_boxes[a:min(b, len(page.char_boxes))] if box != NO_BOX]
    if boxes:
        xs0, tops, xs1, bottoms = zip(*boxes, strict=True)
        x0, top, x1, bottom = min(xs0), min(tops), max(xs1), max(bottoms)
    else:  # no ink known (hand-built text): order lines by offset
        x0, top, x1, bottom = 0.0, float(a), 1.0, float(a) + 0.5
    return Line(page.page_no, a, b, x0, top, x1, bottom, page.text[a:b])
