"""Visual lines of a page from its char boxes, so list and figure rules see the lines the reader sees."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.layout import NO_BOX, Page


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


def _new_line(prev: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    """A char starts a new visual line when it sits below the previous one or far to its side."""
    height = max(prev[3] - prev[1], box[3] - box[1], 1.0)
    mid = (box[1] + box[3]) / 2
    if not prev[1] - 0.2 * height <= mid <= prev[3] + 0.2 * height:
        return True
    return box[0] < prev[0] - height or box[0] - prev[2] > 2.5 * height


def page_lines(page: Page, start: int = 0, end: int | None = None) -> list[Line]:
    """The visual lines of page.text[start:end], trimmed, with their union boxes."""
    end = len(page.text) if end is None else end
    cuts: list[tuple[int, int]] = []
    seg_start, prev = start, None
    for i in range(start, end):
        ch = page.text[i]
        if ch == "\n":
            cuts.append((seg_start, i))
            seg_start, prev = i + 1, None
            continue
        box = page.char_boxes[i] if i < len(page.char_boxes) else NO_BOX
        if box == NO_BOX:
            continue
        if prev is not None and _new_line(prev, box):
            cuts.append((seg_start, i))
            seg_start = i
        prev = box
    cuts.append((seg_start, end))
    return [line for a, b in cuts if (line := _make_line(page, a, b, len(cuts))) is not None]


def _make_line(page: Page, a: int, b: int, _n: int) -> Line | None:
    while a < b and page.text[a].isspace():
        a += 1
    while b > a and page.text[b - 1].isspace():
        b -= 1
    if a >= b:
        return None
    boxes = [page.char_boxes[i] for i in range(a, min(b, len(page.char_boxes)))
             if page.char_boxes[i] != NO_BOX]
    if boxes:
        x0, top = min(x[0] for x in boxes), min(x[1] for x in boxes)
        x1, bottom = max(x[2] for x in boxes), max(x[3] for x in boxes)
    else:  # no ink known (hand-built text): order lines by offset
        x0, top, x1, bottom = 0.0, float(a), 1.0, float(a) + 0.5
    return Line(page.page_no, a, b, x0, top, x1, bottom, page.text[a:b])
