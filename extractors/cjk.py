"""Join pdfplumber chars into text: no spaces between CJK characters, word spaces kept for Latin."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from schemas.layout import NO_BOX, Box

Char = dict[str, Any]


def is_cjk(ch: str) -> bool:
    """CJK ideographs, CJK punctuation and full-width forms: joined without spaces."""
    if not ch:
        return False
    o = ord(ch[0])
    return (0x3000 <= o <= 0x303F or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0xFF00 <= o <= 0xFFEF or 0x2E80 <= o <= 0x2FDF or 0x2460 <= o <= 0x24FF
            or o in (0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x00B7, 0x300A, 0x300B))


def char_box(c: Char) -> Box:
    return (float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]))


def needs_space(prev: Char, cur: Char, gap_ratio: float = 0.25) -> bool:
    """A space goes between two chars on one line when the gap is wide and neither side is CJK."""
    a, b = prev["text"], cur["text"]
    if a.isspace() or b.isspace():
        return False
    gap = float(cur["x0"]) - float(prev["x1"])
    size = max(float(prev.get("size", 10)), float(cur.get("size", 10)), 1.0)
    if is_cjk(a[-1]) or is_cjk(b[0]):
        return False
    return gap > gap_ratio * size


def line_to_text(chars: Sequence[Char]) -> tuple[str, list[Box]]:
    """One visual line of chars (left to right) -> its text and one box per text character."""
    text: list[str] = []
    boxes: list[Box] = []
    prev: Char | None = None
    for c in chars:
        t = unicodedata.normalize("NFKC", c["text"]) if c["text"] in "\u00a0\u3000" else c["text"]
        if t.isspace():
            prev = c
            continue
        if prev is not None and not prev["text"].isspace() and needs_space(prev, c):
            text.append(" ")
            boxes.append(NO_BOX)
        elif prev is not None and prev["text"].isspace() and text and not is_cjk(text[-1][-1]) \
                and not is_cjk(t[0]):
            text.append(" ")
            boxes.append(NO_BOX)
        for ch in t:
            text.append(ch)
            boxes.append(char_box(c))
        prev = c
    return "".join(text), boxes


def join_lines(lines: Sequence[tuple[str, list[Box]]]) -> tuple[str, list[Box]]:
    """Join wrapped lines of one paragraph: CJK joins directly, English with a space, hyphens healed."""
    out = ""
    boxes: list[Box] = []
    for text, bxs in lines:
        if not text:
            continue
        if out:
            if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and text[:1].islower():
                out, boxes = out[:-1], boxes[:-1]
            elif not (is_cjk(out[-1]) or is_cjk(text[0])):
                out += " "
                boxes.append(NO_BOX)
        out += text
        boxes.extend(bxs)
    return out, boxes
