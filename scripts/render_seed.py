"""Render the seed paper transcript into a deterministic two-column journal PDF.

The transcript (``carbon-neutrality-strategies-2022.md``, a markdown-ish copy of a
2022 *Bulletin of Chinese Academy of Sciences* paper) becomes
``raw/seed_cas_bulletin_2022.pdf``:

* page 1: full-width Chinese title, authors, affiliations, 摘要/关键词/DOI block;
* body in two columns with a running header and page numbers, footnotes at the
  foot of the column that cites them, real super-/subscripts;
* tables 1-2 as full-width three-line tables and figure 3 as a grid of boxes,
  both floated to the top of the next page; figures 1-2 as captioned frames;
* references in the columns, then the journal's English abstract page with the
  author bios, and last the repository cover (English title, authors, abstract).

Usage: ``python scripts/render_seed.py [--seed PATH] [--out PATH]``; the seed path
defaults to ``$POLICY_SEED_PATH`` or the committed ``corpus/seed/...`` (flows/corpus.py).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import deque
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import seed_layout as sl  # noqa: E402
from seed_layout import COL_W, FULL_W, Block, Style, para  # noqa: E402

from flows.corpus import seed_transcript  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "raw" / "seed_cas_bulletin_2022.pdf"

HEADER_LEFT = "中国科学院院刊  Bulletin of Chinese Academy of Sciences"
HEADER_RIGHT = "2022年第37卷第4期"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
SECTION_NO = re.compile(r"^\d+(\.\d+)?\s")

BODY = Style(9.0, 14.6, indent=18.0)
H1 = Style(11.0, 20.0, align="left", bold=True)
H2 = Style(9.5, 15.0, align="left", bold=True)
NOTE = Style(7.0, 10.0)
REF = Style(7.0, 10.0, hang=9.0)
ACK = Style(8.0, 12.5, indent=16.0)
CAP_ZH = Style(8.5, 13.0, align="center", bold=True)
CAP_EN = Style(8.0, 11.5, align="center", western=True)
FIG_NOTE = Style(7.0, 10.0, align="center")
TABLE = Style(7.5, 10.5)
TITLE_ZH = Style(18.0, 27.0, align="center", bold=True)
AUTHORS = Style(10.0, 15.0, align="center")
AFFIL = Style(7.5, 11.0, align="center")
ABSTRACT = Style(8.5, 13.5)
SMALL = Style(7.0, 10.0, align="left")
TITLE_EN = Style(13.0, 17.0, align="center", bold=True, western=True)
EN_TEXT = Style(9.0, 13.5, western=True)
BIO = Style(7.5, 10.3)


# ---------------------------------------------------------------- transcript model
@dataclass
class Item:
    kind: str  # heading1, heading2, para, ack, figure, table
    text: str = ""
    caption: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    groups: list[tuple[str, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Paper:
    cover: dict[str, str]  # repository cover page + its English title/abstract/keywords/authors
    zh_title: str
    zh_authors: str
    zh_affils: list[str]
    zh_front: list[str]  # 摘要, 关键词, DOI, 通信作者, 资助项目, 修改稿收到日期
    body: list[Item]
    footnotes: list[str]
    refs: list[str]
    en: list[str]  # journal English abstract block: title, authors, affiliations, abstract...
    bios: list[str]


def split_blocks(text: str) -> list[list[str]]:
    blocks, cur = [], []
    for line in text.splitlines():
        if line.strip():
            cur.append(line)
        elif cur:
            blocks, cur = blocks + [cur], []
    return blocks + [cur] if cur else blocks


def block_text(block: list[str]) -> str:
    """Join a block's lines: markdown hard breaks (two trailing spaces) become newlines."""
    out = ""
    for i, line in enumerate(block):
        out += line.strip() + ("" if i == len(block) - 1 else "\n" if line.endswith("  ") else " ")
    return out


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def is_ascii_text(text: str) -> bool:
    return sum(ord(ch) < 128 for ch in text) > 0.8 * len(text)


def is_footnote(text: str) -> bool:
    """A footnote text: a circled number (maybe as a superscript) and a space open it."""
    text = re.sub(r"^<sup>(.)</sup>", r"\1", text)
    return text[:1] in CIRCLED and text[1:2] == " "


def split_sections(blocks: list[list[str]]) -> list[list[list[str]]]:
    heads = [block[0] for block in blocks]

    def find(pred, start: int) -> int:
        return next(i for i in range(start, len(heads)) if pred(heads[i]))

    en = find(lambda h: h.startswith("# "), 0)
    zh = find(lambda h: h.startswith("# ") and has_cjk(h), en)
    body = find(lambda h: re.match(r"#+\s+1\s", h), zh)
    refs = find(lambda h: re.match(r"#+\s+参考文献", h), body)
    tail = find(lambda h: h.startswith("#") and not has_cjk(h), refs)
    bios = find(lambda h: h.startswith("\\*Corresponding"), tail) + 1
    cuts = [0, en, zh, body, refs, tail, bios, len(blocks)]
    return [blocks[a:b] for a, b in pairwise(cuts)]


def parse_cover(blocks: list[list[str]]) -> dict[str, str]:
    """Keyed texts of the repository cover: title, Abstract, Keywords, Authors, citation, DOI."""
    out: dict[str, str] = {}
    key = None
    for block in blocks:
        text = block_text(block)
        if m := HEADING.match(text):
            key = m.group(2).strip()
            if len(m.group(1)) == 1:
                out["title"] = key
        elif text.startswith(("DOI:", "Available at:")):
            out[text.split(":")[0]] = text
        elif key:
            out.setdefault(key, text)
            key = None
    return out


def parse_refs(blocks: list[list[str]]) -> list[str]:
    """Numbered references; translations and page-break leftovers join the previous one."""
    refs: list[str] = []
    for line in (line.strip() for block in blocks for line in block):
        item = line[2:].strip() if line.startswith("- ") else None
        if item is not None and (re.match(r"\d+\s", item) or not refs):
            refs.append(item)
        else:
            refs[-1] += "\n" + (line if item is None else item)
    return refs


class BodyParser:
    """Body blocks -> flow items (headings, paragraphs, floats) and footnote texts."""

    def __init__(self, blocks: list[list[str]]):
        self.raw, self.texts, self.i = blocks, [block_text(b) for b in blocks], 0
        self.items: list[Item] = []
        self.footnotes: list[str] = []
        self.groups: list[tuple[str, list[str]]] = []
        self.lead = ""

    def peek(self, k: int = 0) -> str:
        return self.texts[self.i + k] if self.i + k < len(self.texts) else ""

    def take(self) -> str:
        self.i += 1
        return self.texts[self.i - 1]

    def plain(self, text: str) -> bool:
        return bool(text) and not (
            HEADING.match(text) or is_footnote(text) or re.match(r"(图|表|Figure|Table)\s*\d|- ", text)
        )

    def run(self) -> tuple[list[Item], list[str]]:
        while self.i < len(self.texts):
            self.step(self.take())
        return join_split_paragraphs(self.items), self.footnotes

    def step(self, text: str) -> None:
        if m := HEADING.match(text):
            title = m.group(2).strip()
            if m2 := SECTION_NO.match(title):
                self.items.append(Item("heading2" if m2.group(1) else "heading1", title))
            else:  # a mis-marked bold paragraph lead such as "(5) 新型电力系统…。"
                self.lead = f"**{title}**"
        elif is_footnote(text):
            self.footnotes.append(re.sub(r"^<sup>(.)</sup>", r"\1", text))
        elif re.match(r"表\s*\d", text):
            self.table(text)
        elif re.match(r"图\s*\d", text):
            self.figure(text)
        elif re.fullmatch(r"\*\*[^*]+\*\*", text) and self.peek().startswith("- "):
            items = [line[2:].strip() for line in self.raw[self.i] if line.startswith("- ")]
            self.groups.append((text.strip("*"), items))
            self.i += 1
        else:
            self.items.append(Item("ack" if text.startswith("致谢") else "para", self.lead + text))
            self.lead = ""

    def table(self, caption: str) -> None:
        english = self.take() if self.peek().startswith("Table") else ""
        rows = [line.split("\t") for line in self.raw[self.i]]
        self.i += 1
        self.items.append(Item("table", caption=[caption, english], rows=rows))

    def figure(self, caption: str) -> None:
        zh, _, english = caption.partition("\n")
        if not english and self.peek().startswith("Figure"):
            english = self.take()
        notes: list[str] = []
        if self.plain(self.peek()) and self.plain(self.peek(1)) and is_ascii_text(self.peek(1)):
            notes = [self.take(), self.take()]
        elif self.plain(self.peek()) and is_ascii_text(self.peek()):
            notes = [self.take()]
        self.items.append(Item("figure", caption=[zh, english], groups=self.groups, notes=notes))
        self.groups = []


def ends_sentence(text: str) -> bool:
    text = re.sub(r"(\*\*|<sup>.*?</sup>|\s)+$", "", text)
    return text[-1:] in "。！？；：.!?"


def join_split_paragraphs(items: list[Item]) -> list[Item]:
    """Re-join paragraphs the transcript cut at page breaks; floats met meanwhile follow."""
    out: list[Item] = []
    held: list[Item] = []
    open_para: Item | None = None
    for it in items:
        if open_para and it.kind in ("figure", "table"):
            held.append(it)
            continue
        if open_para and it.kind == "para":
            open_para.text += it.text
        else:
            out, held = out + held + [it], []
            open_para = it if it.kind == "para" else None
        if open_para is None or ends_sentence(open_para.text):
            out, held, open_para = out + held, [], None
    return out + held


def parse_paper(text: str) -> Paper:
    cover, en_cover, zh, body, refs, en, bios = split_sections(split_blocks(text))
    zh_texts = [block_text(b) for b in zh]
    items, footnotes = BodyParser(body).run()
    return Paper(
        cover={**parse_cover(cover), **parse_cover(en_cover)},
        zh_title=HEADING.match(zh_texts[0]).group(2).strip(),
        zh_authors=zh_texts[1],
        zh_affils=[t for t in zh_texts[2:] if re.match(r"\d\s", t)],
        zh_front=[t for t in zh_texts[2:] if not re.match(r"\d\s", t)],
        body=items,
        footnotes=footnotes,
        refs=parse_refs(refs[1:]),
        en=[block_text(b) for b in en],
        bios=[block_text(b) for b in bios],
    )


# ---------------------------------------------------------------- composition
def note_refs(line: sl.Line) -> int:
    """Circled-number superscripts (footnote calls) on a line."""
    return sum(ch in CIRCLED for a in line.atoms for text, f in a.pieces if f.rise > 0 for ch in text)


class Composer:
    def __init__(self, paper: Paper, table_rules: bool = True):
        self.paper = paper
        self.table_rules = table_rules
        self.layout = sl.Layout()
        self.notes = deque(para(n, NOTE, COL_W) for n in paper.footnotes)

    def compose(self) -> sl.Layout:
        self.front_page()
        for item in self.paper.body:
            getattr(self, "item_" + item.kind)(item)
        self.references()
        self.english_abstract_page()
        self.cover_page()
        return self.layout

    def band_text(self, text: str, style: Style, inset: float = 0.0) -> None:
        for block in band_lines(text, style, inset):
            self.layout.band(block)

    def flow(self, text: str, style: Style, width: float = COL_W) -> None:
        p = para(text, style, width)
        for i, line in enumerate(p.lines):
            notes = [self.notes.popleft() for _ in range(note_refs(line)) if self.notes]
            self.layout.column(p.line_block(i), notes)

    def front_page(self) -> None:
        p = self.paper
        self.band_text(p.zh_title.replace(" ", "\n"), TITLE_ZH)
        self.layout.band(sl.spacer(8))
        self.band_text(p.zh_authors, AUTHORS)
        self.layout.band(sl.spacer(4))
        for affil in p.zh_affils:
            self.band_text(affil, AFFIL)
        self.layout.band(sl.spacer(8))
        main = [t for t in p.zh_front if t.startswith(("**摘要", "**关键词", "DOI"))]
        for text in main:
            self.band_text(text, ABSTRACT, inset=12.0)
        self.layout.band(sl.hrule(FULL_W, 0.4, pad=4))
        for text in (t for t in p.zh_front if t not in main):
            self.band_text(text, SMALL)
        self.layout.band(sl.hrule(FULL_W, 0.8, pad=3))

    def heading(self, text: str, style: Style, before: float) -> None:
        self.layout.space(before)
        self.layout.keep(para(text, style, COL_W).height + 2 * BODY.leading)
        self.flow(text, style)

    def item_heading1(self, item: Item) -> None:
        self.heading(item.text, H1, 8.0)

    def item_heading2(self, item: Item) -> None:
        self.heading(item.text, H2, 4.0)

    def item_para(self, item: Item) -> None:
        self.flow(item.text, BODY)

    def item_ack(self, item: Item) -> None:
        self.layout.space(8.0)
        self.flow(re.sub(r"^致谢", "**致谢**", item.text), ACK)

    def captions(self, caption: list[str], width: float) -> list[Block]:
        zh, en = caption
        return [para(zh, CAP_ZH, width).block()] + ([para(en, CAP_EN, width).block()] if en else [])

    def item_table(self, item: Item) -> None:
        ncol = len(item.rows[0])
        widths = [40.0, 100.0, 40.0, 110.0] if ncol == 5 else [56.0]
        widths = widths + [FULL_W - sum(widths)]
        aligns = ["center", "left", "center", "justify", "justify"] if ncol == 5 else ["center", "justify"]
        rows = [[cell.strip() for cell in row] for row in item.rows]
        if ncol == 5:  # one line per phase in the "主要路径" cells
            rows = [
                r[:4] + [re.sub(r" (?=(\d{4}(—\d{4})?年(以后)?|近期和中期|中远期)：)", "\n", r[4])]
                for r in rows
            ]
        table = sl.table_block(rows, widths, TABLE, aligns, rules=self.table_rules)
        self.layout.float_(
            sl.stack([*self.captions(item.caption, FULL_W), sl.spacer(4), table, sl.spacer(14)])
        )

    def item_figure(self, item: Item) -> None:
        if not item.groups:  # artwork not transcribed: an empty frame in the column
            self.layout.space(4.0)
            self.layout.column(sl.stack([sl.empty_frame(COL_W, 70.0), *self.captions(item.caption, COL_W)]))
            self.layout.space(6.0)
            return
        notes = [para(n, replace(FIG_NOTE, western=is_ascii_text(n)), FULL_W).block() for n in item.notes]
        grid = sl.box_grid(item.groups, FULL_W)
        self.layout.float_(
            sl.stack([grid, sl.spacer(6), *self.captions(item.caption, FULL_W), *notes, sl.spacer(14)])
        )

    def references(self) -> None:
        self.heading("参考文献", H1, 10.0)
        for ref in self.paper.refs:
            self.flow(ref, REF)
            self.layout.space(1.5)

    def english_abstract_page(self) -> None:
        """The journal's English title/authors/affiliations/abstract under the references, then the bios."""
        title, authors, *rest = self.paper.en
        blocks = [
            sl.hrule(FULL_W, 0.8, pad=8),
            *band_lines(HEADING.match(title).group(2), TITLE_EN),
            sl.spacer(6),
        ]
        blocks += band_lines(authors, replace(AUTHORS, size=9.0, leading=13.0, western=True))
        for text in rest:
            affil = re.match(r"\(?\s*\d\s", text)
            style = replace(AFFIL, western=True) if affil else replace(EN_TEXT, size=8.5, leading=13.0)
            blocks += [sl.spacer(0 if affil else 5), *band_lines(text, style, inset=0 if affil else 12.0)]
        blocks.append(sl.hrule(FULL_W, 0.8, pad=4))
        self.band_together(blocks)
        for bio in self.paper.bios:
            style = (
                replace(BIO, align="right")
                if bio.startswith("■")
                else replace(BIO, western=is_ascii_text(bio))
            )
            self.flow(bio, style)
            self.layout.space(3.0)

    def cover_page(self) -> None:
        """The repository cover's English part (title, authors, abstract, keywords, citation), last."""
        cover = self.paper.cover
        blocks = [sl.hrule(FULL_W, 0.8, pad=10), *band_lines(cover["title"], TITLE_EN), sl.spacer(6)]
        blocks += band_lines(cover.get("Authors", ""), replace(AUTHORS, size=9.5, western=True))
        for label in ("Abstract", "Keywords", "Recommended Citation"):
            if label in cover:
                blocks += [
                    sl.spacer(8),
                    *band_lines(f"**{label}**", replace(EN_TEXT, bold=True, align="left")),
                ]
                blocks += band_lines(cover[label], EN_TEXT)
        for label in ("DOI", "Available at"):
            if label in cover:
                blocks += band_lines(cover[label], replace(EN_TEXT, align="left"))
        self.band_together(blocks)

    def band_together(self, blocks: list[Block]) -> None:
        """Full-width blocks under the balanced columns if they all fit, else on a fresh page."""
        self.layout.close_columns()
        if self.layout.pending or self.layout.page.band_y - sum(b.height for b in blocks) < sl.BOTTOM:
            self.layout.fresh_page()
            blocks = blocks[1:]  # the leading rule is not wanted at the top of a page
        for block in blocks:
            self.layout.band(block)


def band_lines(text: str, style: Style, inset: float = 0.0) -> list[Block]:
    """One full-width block per line, so that long band paragraphs may run onto the next page."""
    p = para(text, style, FULL_W - 2 * inset)
    return [sl.shifted(p.line_block(i), inset) for i in range(len(p.lines))]


def decorate(c, number: int) -> None:
    """Running header (pages after the first) and page number."""
    if number > 1:
        header = Style(7.5, 10.0, align="left")
        y = sl.TOP + 30
        para(HEADER_LEFT, header, FULL_W).block().draw(c, sl.MARGIN_X, y)
        para(HEADER_RIGHT, replace(header, align="right"), FULL_W).block().draw(c, sl.MARGIN_X, y)
        c.setLineWidth(0.5)
        c.line(sl.MARGIN_X, y - 12, sl.MARGIN_X + FULL_W, y - 12)
    para(str(number), Style(8.0, 10.0, align="center"), FULL_W).block().draw(c, sl.MARGIN_X, sl.BOTTOM - 22)


def render(seed: Path, out: Path, table_rules: bool = True) -> int:
    """Render ``seed`` to ``out``; returns the page count. table_rules=False: borderless tables."""
    sl.register_fonts()
    paper = parse_paper(seed.read_text(encoding="utf-8"))
    layout = Composer(paper, table_rules).compose()
    out.parent.mkdir(parents=True, exist_ok=True)
    info = {
        "title": paper.zh_title.replace(" ", ""),
        "author": "曲建升, 陈伟, 曾静静, 等",
        "subject": "中国科学院院刊 2022, 37(4)",
        "creator": "policy-extract scripts/render_seed.py",
    }
    layout.save(str(out), info, decorate)
    return len(layout.pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=Path, default=seed_transcript())
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--table-rules", choices=("three-line", "none"), default="three-line",
                    help="draw tables as three-line tables (the journal's style) or with no rules at all")
    args = ap.parse_args(argv)
    pages = render(args.seed, args.out, table_rules=args.table_rules == "three-line")
    print(f"wrote {args.out} ({pages} pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
