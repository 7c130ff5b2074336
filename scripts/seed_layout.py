"""Layout primitives for ``scripts/render_seed.py``: a tiny deterministic typesetter.

* inline markup (``**bold**``, ``<sup>``, ``<sub>``, links, escapes) -> ``Run`` lists;
* runs -> measured ``Atom`` s (one per CJK character, one per Latin word, with
  kinsoku gluing of punctuation and superscripts), broken into lines greedily by
  ``pdfmetrics.stringWidth``;
* ``Layout``: A4 pages with a full-width top band, two columns under it,
  footnotes at the foot of the column that cites them and top-of-page floats;
* ``Block`` builders for Chinese three-line tables and boxed-text figure grids.

Everything is placed explicitly on the reportlab canvas (no platypus), and the
canvas is ``invariant``, so the same transcript always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

CJK_FONT = "STSong-Light"
CJK_EXTRA_FONT = "HeiseiMin-W3"  # has the circled numbers 11-20 that Adobe-GB1 lacks
LATIN_FONT, LATIN_BOLD = "Times-Roman", "Times-Bold"

PAGE_W, PAGE_H = A4
MARGIN_X, TOP, BOTTOM, GUTTER = 54.0, PAGE_H - 66.0, 58.0, 16.0
FULL_W = PAGE_W - 2 * MARGIN_X
COL_W = (FULL_W - GUTTER) / 2
COL_X = (MARGIN_X, MARGIN_X + COL_W + GUTTER)
FN_SEP = 9.0  # short rule plus white space above a column's footnotes
BAND_GAP = 14.0  # between the full-width band and the columns

NO_START = set("，。、；：！？）》」』”’】〕…%,.;:!?)]}")  # never begins a line
NO_END = set("（《「『“‘【〔([{")  # never ends a line
WESTERN_PUNCT = set("‘’“”–—…")  # set in Times inside English blocks
CIRCLED_EXTRA = range(0x246A, 0x2474)  # ⑪ .. ⑳
BREAK_AFTER = set("/-._?&=,;:")  # preferred cut points inside over-long URLs

INLINE = re.compile(
    r"<sup>(?P<sup>.*?)</sup>|<sub>(?P<sub>.*?)</sub>|(?P<bold>\*\*)"
    r"|\[(?P<ltext>[^\]]*)\]\((?P<lurl>[^)]*)\)|<(?P<url>(?:https?://|www\.)[^>]*)>"
    r"|\\+(?P<esc>[_*\[\]<>#`])|(?<![\w*])\*(?P<ital>[^*\s][^*]*?)\*(?![\w*])"
)


def register_fonts() -> None:
    for name in (CJK_FONT, CJK_EXTRA_FONT):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))


# ---------------------------------------------------------------- inline runs
@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    script: str = ""  # "", "sup" or "sub"


def unescape(text: str) -> str:
    return re.sub(r"\\+([_*\[\]<>#`])", r"\1", text)


def parse_inline(text: str, bold: bool = False) -> list[Run]:
    """Markdown-ish inline text -> runs; markup is dropped, link texts are kept."""
    text = re.sub(r"[ \t]+(?=<sup>)", "", text)  # superscripts hug the preceding word
    runs, pos = [], 0
    for m in INLINE.finditer(text):
        runs.append(Run(text[pos : m.start()], bold))
        pos = m.end()
        if m["bold"]:
            bold = not bold
        elif m["sup"] is not None or m["sub"] is not None:
            script = "sup" if m["sup"] is not None else "sub"
            runs.append(Run(unescape(m["sup"] or m["sub"] or ""), bold, script))
        else:
            plain = m["ltext"] if m["lurl"] is not None else m["url"] or m["esc"] or m["ital"]
            runs.append(Run(unescape(plain or ""), bold))
    runs.append(Run(text[pos:], bold))
    return [r for r in runs if r.text]


# ---------------------------------------------------------------- atoms and lines
@dataclass(frozen=True)
class Fmt:
    font: str
    size: float
    rise: float = 0.0
    fake_bold: bool = False  # CJK bold: fill + stroke (render mode 2)


def is_latin(ch: str, western: bool) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return ord(ch) < 0x2000 or (western and ch in WESTERN_PUNCT)


def char_fmt(ch: str, run: Run, size: float, western: bool) -> Fmt:
    # sub/sup sizes keep pdfplumber's line clustering (y_tolerance=3) on one line
    size, rise = {"sup": (size * 0.6, size * 0.38), "sub": (size * 0.75, -size * 0.11)}.get(
        run.script, (size, 0.0)
    )
    if ord(ch) in CIRCLED_EXTRA:
        font = CJK_EXTRA_FONT
    elif is_latin(ch, western):
        font = LATIN_BOLD if run.bold else LATIN_FONT
    else:
        font = CJK_FONT
    return Fmt(font, size, rise, run.bold and font != LATIN_BOLD)


@dataclass
class Atom:
    """An unbreakable piece of a line: one CJK char or one Latin word (+ glued marks)."""

    pieces: list[tuple[str, Fmt]] = field(default_factory=list)
    width: float = 0.0
    space: bool = False
    newline: bool = False

    def add(self, ch: str, fmt: Fmt) -> None:
        if self.pieces and self.pieces[-1][1] == fmt:
            self.pieces[-1] = (self.pieces[-1][0] + ch, fmt)
        else:
            self.pieces.append((ch, fmt))
        self.width += pdfmetrics.stringWidth(ch, fmt.font, fmt.size)


def make_atoms(runs: Sequence[Run], size: float, western: bool = False) -> list[Atom]:
    atoms: list[Atom] = []
    glue = in_word = False  # previous char forbids a break after it / was inside a Latin word
    for run in runs:
        for ch in run.text:
            if ch == "\n":
                atoms.append(Atom(newline=True))
                glue = in_word = False
                continue
            fmt = char_fmt(ch, run, size, western)
            if ch == " " and not run.script:
                atoms.append(Atom(space=True))
                atoms[-1].add(ch, fmt)
                glue = in_word = False
                continue
            latin = is_latin(ch, western)
            prev_ok = bool(atoms) and not (atoms[-1].space or atoms[-1].newline)
            if not (prev_ok and (run.script or glue or ch in NO_START or (latin and in_word))):
                atoms.append(Atom())
            atoms[-1].add(ch, fmt)
            glue, in_word = ch in NO_END, latin
    return atoms


def split_atom(atom: Atom, max_w: float) -> tuple[Atom, Atom]:
    """Cut an over-long word (a URL) so that the head fits ``max_w``."""
    chars = [(ch, fmt) for text, fmt in atom.pieces for ch in text]
    widths = [pdfmetrics.stringWidth(ch, f.font, f.size) for ch, f in chars]
    n, total = 0, 0.0
    while n < len(chars) and total + widths[n] <= max_w:
        total += widths[n]
        n += 1
    n = max(n, 1)
    soft = [i + 1 for i in range(n) if chars[i][0] in BREAK_AFTER and sum(widths[: i + 1]) >= 0.6 * max_w]
    if soft and n < len(chars):
        n = soft[-1]
    head, tail = Atom(), Atom()
    for k, (ch, fmt) in enumerate(chars):
        (head if k < n else tail).add(ch, fmt)
    return head, tail


@dataclass
class Line:
    atoms: list[Atom]
    width: float  # natural width
    avail: float  # width available to this line
    offset: float  # x offset of the line inside its block (indent / hanging indent)
    last: bool  # ends a paragraph or a hard break: never justified


class _Breaker:
    """Greedy line breaking: CJK may break anywhere, Latin only at spaces."""

    def __init__(self, width: float, first: float, rest: float):
        self.width, self.first, self.rest = width, first, rest
        self.lines: list[Line] = []
        self.cur: list[Atom] = []

    def room(self) -> float:
        return self.width - (self.rest if self.lines else self.first)

    def used(self) -> float:
        return sum(a.width for a in self.cur)

    def flush(self, last: bool) -> None:
        while self.cur and self.cur[-1].space:
            self.cur.pop()
        offset = self.rest if self.lines else self.first
        self.lines.append(Line(self.cur, self.used(), self.room(), offset, last))
        self.cur = []

    def run(self, atoms: Sequence[Atom]) -> list[Line]:
        queue = list(reversed(atoms))
        while queue:
            a = queue.pop()
            free = self.room() - self.used()
            if a.newline or (a.space and not self.cur):
                if a.newline:
                    self.flush(True)
            elif a.width <= free + 1e-6:
                self.cur.append(a)
            elif a.space:
                self.flush(False)
            elif not self.cur or (a.width > 0.4 * self.width and free > 0.25 * self.room()):
                head, tail = split_atom(a, free)
                self.cur.append(head)
                queue.append(tail)
                self.flush(False)
            else:
                queue.append(a)
                self.flush(False)
        if self.cur:
            self.flush(True)
        return self.lines


def break_lines(atoms: Sequence[Atom], width: float, first: float = 0.0, rest: float = 0.0) -> list[Line]:
    return _Breaker(width, first, rest).run(atoms)


def _spacing(line: Line, align: str) -> tuple[float, float]:
    """Extra room after (spaces, other atoms) to justify a line.

    Gaps between non-space atoms stay below pdfplumber's x_tolerance (3 pt) so
    that justified CJK text is still extracted without spurious spaces."""
    slack, n = line.avail - line.width, len(line.atoms)
    if align != "justify" or line.last or n < 2 or slack <= 0:
        return 0.0, 0.0
    if slack / (n - 1) <= 2.0:
        return slack / (n - 1), slack / (n - 1)
    spaces = sum(1 for a in line.atoms[:-1] if a.space)
    if spaces and slack / spaces <= 4.0:
        return slack / spaces, 0.0
    return 0.0, 0.0


def draw_text(c: Canvas, text: str, fmt: Fmt, x: float, baseline: float) -> None:
    t = c.beginText(x, baseline + fmt.rise)
    t.setFont(fmt.font, fmt.size)
    if fmt.fake_bold:
        c.setLineWidth(fmt.size * 0.035)
        t.setTextRenderMode(2)
    t.textOut(text)
    t.setTextRenderMode(0)  # Tr outlives ET; reportlab only emits a change within the object
    c.drawText(t)


def draw_line(c: Canvas, line: Line, x: float, baseline: float, align: str) -> None:
    after_space, after_atom = _spacing(line, align)
    x += line.offset + {"center": (line.avail - line.width) / 2, "right": line.avail - line.width}.get(
        align, 0
    )
    for atom in line.atoms:
        for text, fmt in atom.pieces:
            draw_text(c, text, fmt, x, baseline)
            x += pdfmetrics.stringWidth(text, fmt.font, fmt.size)
        x += after_space if atom.space else after_atom


# ---------------------------------------------------------------- blocks and paragraphs
@dataclass
class Block:
    """Something of a fixed height drawn by ``draw(canvas, x_left, y_top)``."""

    height: float
    draw: Callable[[Canvas, float, float], None]
    space: bool = False  # vertical white space: dropped at the top of a column


def spacer(height: float) -> Block:
    return Block(height, lambda c, x, y: None, space=True)


def shifted(block: Block, dx: float) -> Block:
    return Block(block.height, lambda c, x, y: block.draw(c, x + dx, y))


def stack(blocks: Sequence[Block], gap: float = 0.0) -> Block:
    def draw(c: Canvas, x: float, y: float) -> None:
        for b in blocks:
            b.draw(c, x, y)
            y -= b.height + gap

    return Block(sum(b.height for b in blocks) + gap * max(len(blocks) - 1, 0), draw)


def hrule(width: float, lw: float, pad: float = 3.0) -> Block:
    def draw(c: Canvas, x: float, y: float) -> None:
        c.setLineWidth(lw)
        c.line(x, y - pad, x + width, y - pad)

    return Block(2 * pad, draw)


@dataclass(frozen=True)
class Style:
    size: float
    leading: float
    align: str = "justify"
    indent: float = 0.0  # first-line indent
    hang: float = 0.0  # indent of the following lines
    western: bool = False  # English block: typographic quotes/dashes set in Times
    bold: bool = False


@dataclass
class Para:
    lines: list[Line]
    style: Style

    @property
    def height(self) -> float:
        return self.style.leading * len(self.lines)

    def draw_line(self, c: Canvas, i: int, x: float, y_top: float) -> None:
        baseline = y_top - self.style.leading / 2 - self.style.size * 0.33
        draw_line(c, self.lines[i], x, baseline, self.style.align)

    def line_block(self, i: int) -> Block:
        return Block(self.style.leading, lambda c, x, y: self.draw_line(c, i, x, y))

    def block(self) -> Block:
        return stack([self.line_block(i) for i in range(len(self.lines))])


def para(text: str | Sequence[Run], style: Style, width: float) -> Para:
    runs = parse_inline(text, style.bold) if isinstance(text, str) else text
    atoms = make_atoms(runs, style.size, style.western)
    return Para(break_lines(atoms, width, style.indent, style.hang), style)


# ---------------------------------------------------------------- pages
class Page:
    def __init__(self, number: int):
        self.number = number
        self.ops: list[Callable[[Canvas], None]] = []
        self.band_y = TOP  # top of the next full-width band block
        self.col = 0
        self.col_top = TOP
        self.col_y = [TOP, TOP]
        self.items: list[tuple[Block, Sequence[Para]]] = []  # column content, committed later
        self.slots: list[tuple[int, float]] = []  # (column, y_top) of each item
        self.notes: tuple[list[Para], list[Para]] = ([], [])
        self.note_h = [0.0, 0.0]
        self.started = False  # the columns hold something: no more band blocks here

    def blank(self) -> bool:
        return not (self.ops or self.items)

    def place(self, block: Block, x: float, y: float) -> None:
        self.ops.append(lambda c: block.draw(c, x, y))

    def commit(self, floor: float) -> None:
        """Turn the column items and footnotes (resting on ``floor``) into drawing ops."""
        for (block, _), (col, y) in zip(self.items, self.slots, strict=True):
            self.place(block, COL_X[col], y)
        for col in (0, 1):
            if self.notes[col]:
                top = floor + self.note_h[col]
                self.place(hrule(COL_W * 0.3, 0.5), COL_X[col], top)
                self.place(stack([n.block() for n in self.notes[col]]), COL_X[col], top - FN_SEP)
        self.items, self.slots, self.notes, self.note_h = [], [], ([], []), [0.0, 0.0]


def _note_extra(notes: Sequence[Para], column_has_notes: bool) -> float:
    return sum(n.height for n in notes) + (FN_SEP if notes and not column_has_notes else 0.0)


def pack(
    items: Sequence[tuple[Block, Sequence[Para]]], top: float, height: float
) -> list[tuple[int, float]] | None:
    """Slots for ``items`` in two columns of ``height`` below ``top``, or None if they overflow."""
    col, used, note_h, slots = 0, 0.0, [0.0, 0.0], []
    for block, notes in items:
        extra = _note_extra(notes, note_h[col] > 0)
        fits = used + block.height + note_h[col] + extra <= height + 0.01
        if block.space and (used == 0 or not fits):  # white space is dropped at a column break
            slots.append((col, top - used))
            continue
        if not fits:
            col, used = col + 1, 0.0
            extra = _note_extra(notes, note_h[col] > 0) if col < 2 else 0.0
            if col == 2 or block.height + note_h[col] + extra > height + 0.01:
                return None
        slots.append((col, top - used))
        used += block.height
        note_h[col] += extra
    return slots


class Layout:
    """Top band + two columns per page, column footnotes, top-of-page floats."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.pending: list[Block] = []
        self.new_page()

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(Page(len(self.pages) + 1))
        while self.pending and (self.page.band_y - self.pending[0].height >= BOTTOM or self.page.blank()):
            self._band(self.pending.pop(0))

    def fresh_page(self) -> None:
        """Flush pending floats, then make sure the current page is blank."""
        while self.pending or not self.page.blank():
            self.new_page()

    def _band(self, block: Block) -> None:
        p = self.page
        p.place(block, MARGIN_X, p.band_y)
        p.band_y -= block.height
        p.col_top = p.band_y - BAND_GAP
        p.col_y = [p.col_top, p.col_top]

    def band(self, block: Block) -> None:
        if self.page.started or self.page.band_y - block.height < BOTTOM:
            self.new_page()
        self._band(block)

    def float_(self, block: Block) -> None:
        p = self.page
        if not p.started and not self.pending and p.band_y - block.height >= BOTTOM:
            self._band(block)
        else:
            self.pending.append(block)

    def room(self) -> float:
        p = self.page
        return p.col_y[p.col] - BOTTOM - p.note_h[p.col]

    def next_column(self) -> None:
        if self.page.col == 0:
            self.page.col = 1
        else:
            self.new_page()

    def keep(self, height: float) -> None:
        if self.room() < height:
            self.next_column()

    def space(self, height: float) -> None:
        p = self.page
        if p.col_y[p.col] < p.col_top:
            self.column(spacer(min(height, max(self.room(), 0.0))))

    def column(self, block: Block, notes: Sequence[Para] = ()) -> None:
        """Place ``block`` in the current column; reserve its footnotes below."""
        for _ in range(200):
            p = self.page
            if block.height + _note_extra(notes, bool(p.notes[p.col])) <= self.room() + 0.01:
                break
            self.next_column()
        else:
            raise RuntimeError("block taller than a column")
        p.items.append((block, notes))
        p.slots.append((p.col, p.col_y[p.col]))
        p.col_y[p.col] -= block.height
        p.started = True
        p.note_h[p.col] += _note_extra(notes, bool(p.notes[p.col]))
        p.notes[p.col].extend(notes)

    def close_columns(self) -> None:
        """Balance the current page's two columns so that band blocks can follow below them."""
        p = self.page
        if not p.items:
            return
        lo, hi = 0.0, p.col_top - BOTTOM  # bisect the smallest column height that holds everything
        while hi - lo > 0.5:
            mid = (lo + hi) / 2
            if pack(p.items, p.col_top, mid) is None:
                lo = mid
            else:
                hi = mid
        p.slots = pack(p.items, p.col_top, hi) or p.slots
        p.notes, p.note_h = ([], []), [0.0, 0.0]
        for (_, notes), (col, _) in zip(p.items, p.slots, strict=True):
            p.note_h[col] += _note_extra(notes, bool(p.notes[col]))
            p.notes[col].extend(notes)
        p.commit(p.col_top - hi)
        p.band_y = p.col_top = p.col_top - hi - 4.0
        p.col_y, p.col, p.started = [p.col_top, p.col_top], 0, False

    def save(self, path: str, info: dict[str, str], decorate: Callable[[Canvas, int], None]) -> None:
        c = Canvas(path, pagesize=A4, invariant=1, pageCompression=1)
        c.setTitle(info.get("title", ""))
        c.setAuthor(info.get("author", ""))
        c.setSubject(info.get("subject", ""))
        c.setCreator(info.get("creator", ""))
        for p in self.pages:
            p.commit(BOTTOM)
            decorate(c, p.number)
            for op in p.ops:
                op(c)
            c.showPage()
        c.save()


# ---------------------------------------------------------------- tables and figures
def table_block(
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    body: Style,
    aligns: Sequence[str],
    pad: float = 3.0,
    rules: bool = True,
) -> Block:
    """Chinese three-line table: thick top and bottom rules, thin rule under the header.

    rules=False draws the same table with no rule at all (a borderless table aligned by white space)."""
    head = replace(body, align="center", bold=True)
    grid = [
        [
            para(cell, head if r == 0 else replace(body, align=aligns[k]), w - 2 * pad)
            for k, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        for r, row in enumerate(rows)
    ]
    heights = [max(p.height for p in row) + 2 * pad for row in grid]
    total_w = sum(widths)

    def draw(c: Canvas, x: float, y: float) -> None:
        c.setLineWidth(1.0)
        if rules:
            c.line(x, y, x + total_w, y)
        for r, row in enumerate(grid):
            cx = x
            for cell, w in zip(row, widths, strict=True):
                cell.block().draw(c, cx + pad, y - (heights[r] - cell.height) / 2)
                cx += w
            y -= heights[r]
            if r == 0 and rules:
                c.setLineWidth(0.5)
                c.line(x, y, x + total_w, y)
        c.setLineWidth(1.0)
        if rules:
            c.line(x, y, x + total_w, y)

    return Block(sum(heights), draw)


def _box(title: str, items: Sequence[str], width: float, pad: float = 4.0):
    """One figure box: shaded title band, then bullet items. Returns (height, draw(c, x, y, h))."""
    head = para(title, Style(7.5, 10.0, align="center", bold=True), width - 2 * pad)
    rows = [para(it, Style(7.0, 9.6, align="left", indent=7.0, hang=7.0), width - 2 * pad) for it in items]
    head_h = head.height + 2 * pad
    height = head_h + pad + sum(r.height for r in rows) + pad

    def draw(c: Canvas, x: float, y: float, h: float) -> None:
        c.setFillGray(0.9)
        c.rect(x, y - head_h, width, head_h, stroke=0, fill=1)
        c.setFillGray(0)
        c.setLineWidth(0.6)
        c.rect(x, y - h, width, h, stroke=1, fill=0)
        c.line(x, y - head_h, x + width, y - head_h)
        head.block().draw(c, x + pad, y - pad)
        yy = y - head_h - pad
        for r in rows:
            c.circle(x + pad + 2.2, yy - r.style.leading / 2 + 0.3, 1.1, stroke=0, fill=1)
            r.block().draw(c, x + pad, yy)
            yy -= r.height

    return height, draw


def box_grid(
    groups: Sequence[tuple[str, Sequence[str]]], width: float, cols: int = 3, gap: float = 8.0
) -> Block:
    """Boxed-text figure: one titled rectangle per group, laid out row by row."""
    bw = (width - gap * (cols - 1)) / cols
    boxes = [_box(title, items, bw) for title, items in groups]
    rows = [boxes[i : i + cols] for i in range(0, len(boxes), cols)]
    heights = [max(h for h, _ in row) for row in rows]

    def draw(c: Canvas, x: float, y: float) -> None:
        for row, h in zip(rows, heights, strict=True):
            x0 = x + (cols - len(row)) * (bw + gap) / 2  # a short last row is centred
            for k, (_, draw_box) in enumerate(row):
                draw_box(c, x0 + k * (bw + gap), y, h)
            y -= h + gap

    return Block(sum(heights) + gap * (len(rows) - 1), draw)


def empty_frame(width: float, height: float, inset: float = 12.0) -> Block:
    """Placeholder for a figure whose artwork is not in the transcript."""

    def draw(c: Canvas, x: float, y: float) -> None:
        c.setStrokeGray(0.6)
        c.setLineWidth(0.5)
        c.setDash(2, 2)
        c.rect(x + inset, y - height + 4, width - 2 * inset, height - 8, stroke=1, fill=0)
        c.setDash()
        c.setStrokeGray(0)

    return Block(height, draw)
