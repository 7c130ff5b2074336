"""Join pdfplumber chars into text: no spaces next to CJK characters, word spaces kept for Latin.

Spacing policy (documented once, relied on downstream): a space is never kept or inserted next to a
CJK character, so "到 2025 年" reads "到2025年" and "单位 GDP 能耗" reads "单位GDP能耗"; between two
non-CJK characters a printed space, or a gap wider than a quarter of the font size, becomes one space.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from schemas.layout import NO_BOX, Box

Char = dict[str, Any]

_EXTRA_CJK = frozenset((0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x00B7, 0x300A, 0x300B))


def is_cjk(ch: str) -> bool:
    """CJK ideographs, CJK punctuation and full-width forms: joined without spaces."""
    if not ch:
        return False
    o = ord(ch[0])
    return (0x3000 <= o <= 0x303F or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0xFF00 <= o <= 0xFFEF or 0x2E80 <= o <= 0x2FDF or 0x2460 <= o <= 0x24FF
            or o in _EXTRA_CJK)


def is_han(ch: str) -> bool:
    """A Chinese ideograph (used for script ratios, not for spacing)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def char_box(c: Char) -> Box:
    return (float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]))


def needs_space(prev: Char, cur: Char, gap_ratio: float = 0.25) -> bool:
    """A space goes between two chars on one line when the gap is wide and neither side is CJK."""
    a, b = prev["text"], cur["text"]
    if not a or not b or a.isspace() or b.isspace():
        return False
    if is_cjk(a[-1]) or is_cjk(b[0]):
        return False
    gap = float(cur["x0"]) - float(prev["x1"])
    size = max(float(prev.get("size", 10)), float(cur.get("size", 10)), 1.0)
    return gap > gap_ratio * size


def _clean(t: str) -> str:
    """No-break and ideographic spaces are spaces; ligatures (ﬁ) are split back into letters."""
    if t in ("\u00a0", "\u3000", "\u2002", "\u2003", "\u2009"):
        return " "
    if len(t) == 1 and 0xFB00 <= ord(t) <= 0xFB06:
        return unicodedata.normalize("NFKC", t)
    return t


def chars_to_text(chars: Sequence[Char]) -> tuple[str, list[Box], list[int]]:
    """Chars of one visual line (left to right) -> text, one box per text char, start offset per char."""
    out: list[str] = []
    boxes: list[Box] = []
    starts: list[int] = []
    prev: Char | None = None
    pending_space = False
    for c in chars:
        t = _clean(c["text"])
        starts.append(len(out))
        if not t or t.isspace():
            pending_space = pending_space or bool(out)
            continue
        if out and not is_cjk(out[-1]) and not is_cjk(t[0]) and out[-1] != " " and (
                pending_space or (prev is not None and needs_space(prev, c))):
            out.append(" ")
            boxes.append(NO_BOX)
            starts[-1] = len(out)
        box = char_box(c)
        out.extend(t)
        boxes.extend([box] * len(t))
        prev, pending_space = c, False
    return "".join(out), boxes, starts


def line_to_text(chars: Sequence[Char]) -> tuple[str, list[Box]]:
    """One visual line of chars (left to right) -> its text and one box per text character."""
    text, boxes, _ = chars_to_text(chars)
    return text, boxes


def join_lines_offsets(lines: Sequence[tuple[str, list[Box]]]) -> tuple[str, list[Box], list[int]]:
    """Join wrapped lines: CJK directly, English with a space, hyphens healed; start offset per line."""
    out: list[str] = []
    boxes: list[Box] = []
    starts: list[int] = []
    for text, bxs in lines:
        if not text:
            starts.append(len(out))
            continue
        if out:
            last = out[-1]
            if last == "-" and len(out) > 1 and out[-2].isalpha() and text[:1].islower():
                out.pop()
                boxes.pop()
            elif not (is_cjk(last) or is_cjk(text[0])) and last != " " and text[0] != " ":
                out.append(" ")
                boxes.append(NO_BOX)
        starts.append(len(out))
        out.extend(text)
        boxes.extend(bxs)
    return "".join(out), boxes, starts


def join_lines(lines: Sequence[tuple[str, list[Box]]]) -> tuple[str, list[Box]]:
    """Join wrapped lines of one paragraph: CJK joins directly, English with a space, hyphens healed."""
    text, boxes, _ = join_lines_offsets(lines)
    return text, boxes


def squeeze_cjk_spaces(text: str) -> str:
    """Drop spaces that sit next to a CJK character (for text that did not come from chars)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == " " and ((out and is_cjk(out[-1])) or (i + 1 < len(text) and is_cjk(text[i + 1]))):
            continue
        out.append(ch)
    return "".join(out)
