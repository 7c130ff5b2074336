"""What a document says about itself: title, document number, issuer, dates, DOI, journal."""

from __future__ import annotations

import re
import statistics
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from extractors.cjk import is_han
from schemas.layout import NO_BOX, Block, Document, DocumentMeta, Page

VERSION = "1.0"

RULES_DIR = Path(__file__).parent / "rules"
MONTHS = {m: i for i, m in enumerate(
    ("January February March April May June July August September October November December").split(),
    start=1)}
CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}
DATE_ONLY_RE = re.compile(r"^\s*(?:\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?|[〇○零一二三四五六七八九]{4}年.*日)\s*$")


@cache
def load_rules(lang: str) -> tuple[dict[str, Any], ...]:
    """Rules of one language from rules/<lang>/metadata.yaml, patterns compiled."""
    data = yaml.safe_load((RULES_DIR / lang / "metadata.yaml").read_text(encoding="utf-8"))
    return tuple({**r, "regex": re.compile(r["pattern"])} for r in data["rules"])


@cache
def load_journals() -> tuple[dict[str, str], ...]:
    data = yaml.safe_load((RULES_DIR / "zh" / "metadata.yaml").read_text(encoding="utf-8"))
    return tuple(data.get("journals", ()))


def document_to_meta(doc: Document) -> DocumentMeta:
    """Apply the metadata rules (both languages) to the first pages; first match per field wins."""
    found: dict[str, Any] = {}
    spans: dict[str, tuple[int, int, int]] = {}
    for lang in ("zh", "en"):
        for rule in load_rules(lang):
            if rule["field"] in found:
                continue
            hit = _first_match(doc, rule)
            if hit is not None:
                page_no, m = hit
                value = _rule_value(rule, m)
                if value is not None:
                    found[rule["field"]] = value
                    spans[rule["field"]] = (page_no, m.start(), m.end())
                    if "issue" in m.groupdict() and m.group("issue"):
                        found.setdefault("issue", m.group("issue"))
    found.setdefault("title_zh", None)
    titles = largest_titles(doc, found.get("doc_number"))
    found["title_zh"] = found["title_zh"] or titles.get("zh")
    found["title_en"] = titles.get("en")
    found["journal"] = journal_of(doc)
    dated = spans.get("issued_date") or spans.get("published_date")
    if dated:
        found["issuer"] = issuer_before(doc.pages[dated[0] - 1], dated[1], found["title_zh"])
    return DocumentMeta(**{k: v for k, v in found.items() if k in DocumentMeta.model_fields})


def _first_match(doc: Document, rule: dict[str, Any]) -> tuple[int, re.Match[str]] | None:
    for page_no in rule.get("pages", [1, 2, 3]):
        if page_no <= len(doc.pages):
            m = rule["regex"].search(doc.pages[page_no - 1].text)
            if m:
                return page_no, m
    return None


def _rule_value(rule: dict[str, Any], m: re.Match[str]) -> Any:
    """A match -> the field's value: a date for date fields, else the `v` group (with prefix)."""
    g = m.groupdict()
    try:
        if "cy" in g:
            return date(int("".join(str(CN_DIGITS[c]) for c in g["cy"])), cn_number(g["cm"]),
                        cn_number(g["cd"]))
        if "y" in g:
            month = MONTHS[g["mon"]] if g.get("mon") else int(g["m"])
            return date(int(g["y"]), month, int(g["d"]) if g.get("d") else 1)
    except (ValueError, KeyError):
        return None
    return rule.get("prefix", "") + g["v"].strip()


def cn_number(s: str) -> int:
    """一 .. 三十一 -> 1 .. 31."""
    if "十" not in s:
        return CN_DIGITS[s]
    tens, _, ones = s.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def block_font_size(page: Page, block: Block) -> float:
    """Median height of the block's inked character boxes: its font size, near enough."""
    hs = [b[3] - b[1] for b in page.char_boxes[block.char_start:block.char_end] if b != NO_BOX]
    return statistics.median(hs) if hs else 0.0


def largest_titles(doc: Document, doc_number: str | None = None) -> dict[str, str]:
    """The largest-font text block on pages 1-2, per language, as the title."""
    best: dict[str, tuple[float, str]] = {}
    for page in doc.pages[:2]:
        if best:
            break
        for b in page.blocks:
            t = b.text.strip()
            if b.kind in ("header", "footer", "table", "footnote", "caption") or not 4 <= len(t) <= 150 \
                    or (doc_number and doc_number in t) \
                    or DATE_ONLY_RE.match(t) or not re.search(r"[A-Za-z\u4e00-\u9fff]{2}", t):
                continue
            han = sum(map(is_han, t))
            latin = sum(1 for c in t if c.isascii() and c.isalpha())
            lang = "zh" if han * 5 >= len(t) else "en" if latin >= 8 and not han else ""
            if not lang:
                continue
            size = block_font_size(page, b) - (0.01 * b.top / page.height)
            if size > best.get(lang, (0.0, ""))[0] + 0.5:
                best[lang] = (size, t)
    return {k: v[1] for k, v in best.items()}


def journal_of(doc: Document) -> str | None:
    """A known journal named on the first two pages, in the document's language."""
    text = "\n".join(p.text for p in doc.pages[:2])
    for j in load_journals():
        if j["zh"] in text or j["en"] in text:
            return j["zh"] if doc.lang == "zh" else j["en"]
    return None


def issuer_before(page: Page, offset: int, title: str | None = None) -> str | None:
    """The issuing body: the short line(s) just above a date line, split where the print leaves
    wide gaps or breaks the line (one body per line), joined by spaces."""
    idx = next((i for i, b in enumerate(page.blocks) if b.char_start <= offset < b.char_end + 1), None)
    if idx is None or not DATE_ONLY_RE.match(page.blocks[idx].text):
        return None
    names: list[str] = []
    for b in reversed(page.blocks[:idx]):
        t = b.text.strip()
        if len(t) > 60 or t.endswith(("。", "：", ":", ".", "；")) or b.kind in ("header", "footer") \
                or t.startswith("（") or DATE_ONLY_RE.match(t) \
                or (title and (t in title or title in t)):
            break
        names[:0] = gap_split(page, b)
        if len(names) >= 12:
            break
    return " ".join(names) or None


def gap_split(page: Page, block: Block) -> list[str]:
    """Split a block's text where consecutive characters are more than one char width apart."""
    parts: list[str] = [""]
    prev = None
    for i in range(block.char_start, block.char_end):
        box, ch = page.char_boxes[i], page.text[i]
        if ch.isspace():
            continue
        if prev is not None and box != NO_BOX and (
                box[0] - prev[2] > (prev[3] - prev[1]) * 1.0 or box[1] > prev[3]):
            parts.append("")
        parts[-1] += ch
        prev = box if box != NO_BOX else prev
    return [p for p in parts if p]
