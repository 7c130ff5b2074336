"""Is a page's text usable? (cid:N) garbage, GBK-read-as-Latin-1 mojibake, pages with no text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.cjk import is_han
from schemas.errors import DocumentRejected
from schemas.layout import NO_BOX, Box, Document, PageQuality

VERSION = "1.0"

CID_RE = re.compile(r"\(cid:\d+\)")
GARBLED_RATIO = 0.3
MIN_PAGE_CHARS = 20


def cid_ratio(text: str) -> float:
    """Share of the non-space text taken up by (cid:N) tokens."""
    ink = len("".join(text.split()))
    if not ink:
        return 0.0
    return sum(len(m.group()) for m in CID_RE.finditer(text)) / ink


def junk_ratio(text: str) -> float:
    """Share of non-space chars that are (cid:N), U+FFFD, private-use or control characters."""
    chars = [c for c in CID_RE.sub("\ufffd", text) if not c.isspace()]
    if not chars:
        return 0.0
    bad = sum(1 for c in chars if c == "\ufffd" or "\ue000" <= c <= "\uf8ff" or ord(c) < 32)
    return bad / len(chars)


def looks_mojibake(text: str) -> bool:
    """Mostly Latin-1 high letters (Ö, Ð, ¹, ú) and no Chinese: GBK bytes decoded as Latin-1."""
    ink = [c for c in text if not c.isspace()]
    if len(ink) < 4 or any(is_han(c) for c in ink):
        return False
    high = sum(1 for c in ink if "\u00a1" <= c <= "\u00ff")
    return high / len(ink) >= 0.4


def mojibake_to_text(text: str, boxes: Sequence[Box]) -> tuple[str, list[Box]] | None:
    """Re-decode Latin-1 text as GBK, keeping a box per output char; None when it is not Chinese."""
    out: list[str] = []
    out_boxes: list[Box] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ord(ch) > 0xFF:
            return None
        if ord(ch) >= 0x81 and i + 1 < len(text) and ord(text[i + 1]) <= 0xFF:
            try:
                dec = bytes([ord(ch), ord(text[i + 1])]).decode("gbk")
            except UnicodeDecodeError:
                dec = ""
            if dec:
                out.append(dec)
                out_boxes.append(_union_box(boxes[i], boxes[i + 1]))
                i += 2
                continue
        out.append(ch)
        out_boxes.append(boxes[i])
        i += 1
    result = "".join(out)
    han = sum(1 for c in result if is_han(c))
    return (result, out_boxes) if han * 2 >= len(result.split()) and han else None


def _union_box(a: Box, b: Box) -> Box:
    if a == NO_BOX:
        return b
    if b == NO_BOX:
        return a
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def page_quality(text: str, n_images: int = 0, recovered: bool = False) -> PageQuality:
    """'garbled' for mostly (cid:N)/junk text, 'no_text' for an empty page, 'recovered' after a fix."""
    if junk_ratio(text) > GARBLED_RATIO or looks_mojibake(text):
        return "garbled"
    if not "".join(text.split()):
        return "no_text"
    return "recovered" if recovered else "ok"


def check_document(doc: Document) -> None:
    """Raise DocumentRejected when no page has usable text, or when most of the text is garbage."""
    usable = sum(len("".join(p.text.split())) for p in doc.pages if p.quality in ("ok", "recovered"))
    garbled = sum(len("".join(p.text.split())) for p in doc.pages if p.quality == "garbled")
    images = sum(p.n_images for p in doc.pages)
    if usable + garbled == 0:
        hint = f" ({images} images: scanned? run OCR first)" if images else ""
        raise DocumentRejected("no_text_layer", f"no page of {doc.file_name} has a text layer{hint}")
    if garbled > usable or usable < MIN_PAGE_CHARS and garbled:
        raise DocumentRejected(
            "garbled_text", f"{doc.file_name}: {garbled} of {usable + garbled} characters are "
            "unreadable (cid:N glyphs or mojibake): the PDF's fonts lack a Unicode map")
    if usable < MIN_PAGE_CHARS:
        raise DocumentRejected("no_text_layer",
                               f"{doc.file_name} has only {usable} characters of text: scanned?")
