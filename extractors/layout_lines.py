"""pdfplumber chars -> rows -> pieces -> lines: the cheap geometric first step of the layout."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from extractors.cjk import Char, char_box, chars_to_text
from schemas.layout import Box

MARKER_RE = re.compile(r"^[\[\(（]?[\d,，\-–—~、①-⑳*†‡§]+[\]\)）]?$")
BOLD_RE = re.compile(r"bold|black|heavy|hei|ht[kj]?-|黑|simhei|fzhtk|fzxbsk|xbs", re.I)


@dataclass
class Line:
    """One visual line inside one column: its chars, text, per-char boxes and removed markers."""

    chars: list[Char]
    text: str = ""
    boxes: list[Box] = field(default_factory=list)
    markers: list[tuple[int, str, Box]] = field(default_factory=list)
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    bold: bool = False
    column: int = 0
    spanning: bool = False


def mode_size(chars: Iterable[Char]) -> float:
    """The most common font size (rounded to 0.5pt): the size of the line's body text."""
    sizes = Counter(c["size"] for c in chars if c["text"] != " ")
    return round(float(sizes.most_common(1)[0][0]) * 2) / 2 if sizes else 0.0


_BOLD_CACHE: dict[str, bool] = {}


def is_bold_font(name: str) -> bool:
    """Bold or black (黑体) font names; cached since a page repeats a handful of fonts."""
    hit = _BOLD_CACHE.get(name)
    if hit is None:
        hit = _BOLD_CACHE[name] = bool(BOLD_RE.search(name))
    return hit


def flow_chars(chars: Sequence[Char], width: float, height: float) -> list[Char]:
    """Upright, visible, on-page chars; rotated chart labels and overprinted duplicates dropped."""
    out: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    for c in chars:
        if not c.get("upright", True) or not c["text"]:
            continue
        if c["x1"] < 0 or c["x0"] > width or c["bottom"] < 0 or c["top"] > height:
            continue
        key = (c["text"], int(c["x0"]), int(c["top"]))
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def chars_to_rows(chars: Sequence[Char]) -> list[list[Char]]:
    """Cluster chars by baseline; small sub/superscript rows are folded into the row they touch."""
    rows: list[list[Char]] = []
    ref_bottom = -1e9
    ref_tol = 0.0
    for c in sorted(chars, key=lambda c: c["bottom"]):
        if rows and c["bottom"] - ref_bottom <= ref_tol:
            rows[-1].append(c)
            continue
        rows.append([c])
        ref_bottom, ref_tol = c["bottom"], max(0.3 * float(c["size"]), 1.5)
    return _fold_small_rows(rows)


def _row_span(row: Sequence[Char]) -> tuple[float, float, float]:
    return (min(c["top"] for c in row), max(c["bottom"] for c in row), max(c["size"] for c in row))


def _fold_small_rows(rows: list[list[Char]]) -> list[list[Char]]:
    """Small chars that overlap a bigger neighbouring row vertically are its sub/superscripts;
    char by char, since a marker can fall into the other column's row of the same baseline."""
    spans = [_row_span(r) for r in rows]
    for i, row in enumerate(rows):
        small_row = any(spans[i][2] < 0.8 * spans[j][2] for j in range(max(i - 6, 0), i + 7)
                        if j < len(rows))
        strays = [c for c in row if (small_row or float(c["size"]) < 0.8 * spans[i][2])
                  and _stray(c, row, spans[i][2])]
        if not strays:
            continue
        moved: set[int] = set()
        for c in strays:
            for j in sorted(range(i - 6, i + 7), key=lambda j: abs(j - i)):
                if j == i or not 0 <= j < len(rows) or float(c["size"]) >= 0.8 * spans[j][2]:
                    continue
                if _hugs(c, rows[j]):
                    rows[j].append(c)
                    moved.add(id(c))
                    break
        row[:] = [c for c in row if id(c) not in moved]
    return [r for r in rows if r]


def _hugs(c: Char, row: Sequence[Char]) -> bool:
    """A bigger char of the row sits beside c (within an em) and overlaps it vertically."""
    size, h = float(c["size"]), c["bottom"] - c["top"]
    return any(float(o["size"]) >= 1.25 * size and _near_x(c, [o])
               and min(c["bottom"], o["bottom"]) - max(c["top"], o["top"]) > 0.25 * h for o in row)


def _stray(c: Char, row: Sequence[Char], row_size: float) -> bool:
    """A char that may belong to another row: every char of a row of small chars, or a small
    char with no big char of its own row next to it."""
    if float(c["size"]) >= 0.8 * row_size:
        return True
    return not any(float(o["size"]) >= 0.8 * row_size and _near_x(c, [o]) for o in row)


def _near_x(s: Char, big: Sequence[Char]) -> bool:
    """The small char sits within about one em of some char of the big row."""
    return any(c["x0"] - c["size"] <= s["x0"] <= c["x1"] + c["size"] for c in big)


def row_to_pieces(row: list[Char]) -> list[list[Char]]:
    """Split a row where the gap exceeds one em: pieces are the candidates for column text."""
    row.sort(key=lambda c: c["x0"])
    pieces: list[list[Char]] = [[row[0]]]
    for c in row[1:]:
        last = pieces[-1][-1]
        if c["x0"] - last["x1"] > max(float(c["size"]), float(last["size"])) * 1.2:
            pieces.append([c])
        else:
            pieces[-1].append(c)
    return [p for p in pieces if any(not c["text"].isspace() for c in p)]


def pieces_to_lines(pieces: list[list[Char]], gutters: Sequence[float]) -> list[list[Char]]:
    """Re-join the pieces of one row unless a column gutter lies in the gap between them."""
    if not pieces:
        return []
    out = [list(pieces[0])]
    for p in pieces[1:]:
        gap_lo, gap_hi = out[-1][-1]["x1"], p[0]["x0"]
        if any(gap_lo <= g <= gap_hi for g in gutters):
            out.append(list(p))
        else:
            out[-1].extend(p)
    return out


def chars_to_line(chars: list[Char]) -> Line:
    """Build a Line: text without superscript citation markers, which are recorded apart."""
    chars = [c for c in chars if c["text"]]
    biggest = max(float(c["size"]) for c in chars)
    size = mode_size(c for c in chars if float(c["size"]) >= 0.8 * biggest)
    body = [c for c in chars if abs(float(c["size"]) - size) < 0.6] or chars
    top = min(c["top"] for c in body)
    bottom = max(c["bottom"] for c in body)
    sup = [_is_superscript(c, size, top, bottom) for c in chars]
    first_body = next((i for i, s in enumerate(sup) if not s), len(chars))
    keep: list[Char] = []
    markers: list[tuple[int, list[Char]]] = []
    i = 0
    while i < len(chars):
        if sup[i] and i > first_body:
            j = i
            while j < len(chars) and sup[j]:
                j += 1
            run = chars[i:j]
            if MARKER_RE.match("".join(c["text"] for c in run).strip()):
                markers.append((len(keep), run))
                i = j
                continue
            keep.extend(run)
            i = j
            continue
        keep.append(chars[i])
        i += 1
    text, boxes, starts = chars_to_text(keep)
    line = Line(chars=keep, text=text, boxes=boxes, size=size)
    line.markers = [(_marker_offset(starts, k, text), "".join(c["text"] for c in run).strip(),
                     _union([char_box(c) for c in run])) for k, run in markers]
    inked = [b for b in boxes if b[2] > b[0] or b[3] > b[1]] or [char_box(c) for c in chars]
    line.x0, line.top = min(b[0] for b in inked), min(b[1] for b in inked)
    line.x1, line.bottom = max(b[2] for b in inked), max(b[3] for b in inked)
    names = [c.get("fontname", "") for c in keep if not c["text"].isspace()]
    line.bold = bool(names) and sum(1 for n in names if is_bold_font(n)) * 2 > len(names)
    return line


def _marker_offset(starts: list[int], k: int, text: str) -> int:
    return starts[k] if k < len(starts) else len(text)


def _is_superscript(c: Char, size: float, top: float, bottom: float) -> bool:
    """Smaller than the line's text and hugging its top rather than its baseline."""
    s = float(c["size"])
    if s >= 0.85 * size or c["text"].isspace():
        return False
    return (c["top"] - top) < (bottom - c["bottom"]) - 0.05 * size


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))
