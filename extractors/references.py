"""The reference list ([12] …) and citing footnotes (⑤ …(2021-07-21)[2022-03-29]. https://…) as DocReferences."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from schemas.facts import DocReference
from schemas.layout import Document

VERSION = "1.0"
_HEADING = re.compile(r"^\s*(?:参考文献|References|Bibliography|REFERENCES)\s*$", re.M)
_ENTRY = re.compile(r"^\s*(?:-\s*)?(\[\d{1,3}\]|[①-⑳㉑-㉟]|\d{1,3}(?=[\s.、]))[\s.、]*", re.M)
_CIRCLED = re.compile(r"^\s*([①-⑳㉑-㉟])\s*")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\]）)]*[^\s<>\]）).,;。，]")
_ACCESSED = re.compile(r"\[\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*\]")
_PUB_DATE = re.compile(r"[(（]\s*(\d{4})-\d{1,2}-\d{1,2}\s*[)）]")
_YEAR = re.compile(r"(?<![\d\-/])((?:19|20)\d{2})(?![\d\-/])")
_SPLIT = re.compile(r"(?<=[^A-Z\s][.。])\s+(?=\S)|(?<=[。])")
_CITATION_CUE = re.compile(r"https?://|www\.|\[\s*\d{4}-\d{1,2}-\d{1,2}\s*\]|[(（]\d{4}-\d{1,2}-\d{1,2}[)）]"
                           r"|,\s*(?:19|20)\d{2}\s*[,，]")


def parse_entry(text: str) -> dict[str, object]:
    """Authors, title, year, url and access date of one reference text (marker removed)."""
    body = " ".join(text.split())
    url_m = _URL.search(body)
    acc = _ACCESSED.search(body)
    accessed = None
    if acc:
        try:
            accessed = date(int(acc.group(1)), int(acc.group(2)), int(acc.group(3)))
        except ValueError:
            accessed = None
    head = body[:url_m.start()] if url_m else body
    pub = _PUB_DATE.search(head)
    years = [int(y) for y in _YEAR.findall(_ACCESSED.sub("", head))]
    year = int(pub.group(1)) if pub else (years[0] if years else None)
    parts = [p.strip(" .。") for p in _SPLIT.split(_PUB_DATE.split(head)[0]) if p.strip(" .。")]
    authors = parts[0] if len(parts) > 1 else None
    title = parts[1] if len(parts) > 1 else (parts[0] if parts else None)
    return {"authors": authors, "title": title or None, "year": year if year and 1000 <= year <= 2200
            else None, "url": url_m.group(0) if url_m else None, "accessed": accessed}


def _split_entries(text: str) -> Iterator[tuple[str, str]]:
    """(marker, entry text) for each entry of a reference-list text; continuation lines join the entry."""
    starts = list(_ENTRY.finditer(text))
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        marker = m.group(1)
        yield (f"[{marker}]" if marker.isascii() and marker.isdigit() else marker), text[m.end():end]


def _reference_texts(doc: Document) -> Iterator[tuple[int, str]]:
    """(page_no, text) of the reference list: 'reference' blocks, else the text after a 参考文献 heading."""
    blocks = [(p.page_no, b.text) for p in doc.pages for b in p.blocks if b.kind == "reference"]
    if blocks:
        yield from blocks
        return
    for p in doc.pages:
        m = _HEADING.search(p.text)
        if m:
            yield p.page_no, p.text[m.end():]
            return


def _footnotes(doc: Document) -> Iterator[tuple[int, str, str]]:
    """(page_no, marker, text) of citing footnotes: circled-number footnotes with a URL or dates."""
    for p in doc.pages:
        for b in p.blocks:
            if b.kind != "footnote":
                continue
            for marker, text in _split_entries(b.text):
                if _CIRCLED.match(marker) and _CITATION_CUE.search(text):
                    yield p.page_no, marker, text


def extract(doc: Document) -> list[DocReference]:
    """Reference-list entries then citing footnotes, in document order of each; ordinal is the position."""
    found: list[tuple[int, str, str]] = []
    for page_no, text in _reference_texts(doc):
        for marker, entry in _split_entries(text):
            if entry.strip():
                found.append((page_no, marker, entry))
    found.extend(_footnotes(doc))
    out: list[DocReference] = []
    for i, (page_no, marker, entry) in enumerate(found):
        fields = parse_entry(entry)
        out.append(DocReference(doc_id=doc.doc_id, ref=marker, ordinal=i, page_no=page_no,
                                text=" ".join(entry.split()), **fields))  # type: ignore[arg-type]
    return out
