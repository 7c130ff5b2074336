"""Split page text into sentences with offsets, skipping headers, footers and reference blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from extractors.memo import per_document
from schemas.layout import Block, Document

BODY_KINDS = frozenset({"paragraph", "heading", "list", "caption", "figure_text", "footnote"})
_END = re.compile(r"(?<=[。！？；!?])|(?<=[.;])(?=\s+[A-Z(\"“])|\n(?=\s*(?:[（(]?\d+[)）]|[①-⑳]|[一二三四五六七八九十]+、))")


@dataclass(frozen=True)
class Sentence:
    """A sentence of one page: text equals page.text[start:end]."""

    page_no: int
    start: int
    end: int
    text: str
    block_kind: str


def block_sentences(page_text: str, block: Block) -> Iterator[Sentence]:
    """Sentences of one block, offsets in page text; whitespace-only pieces dropped."""
    text = page_text[block.char_start:block.char_end]
    pos = 0
    for m in _END.finditer(text):
        if m.start() > pos:
            yield from _piece(page_text, block, pos, m.start())
            pos = m.start()
    if pos < len(text):
        yield from _piece(page_text, block, pos, len(text))


def _piece(page_text: str, block: Block, a: int, b: int) -> Iterator[Sentence]:
    start, end = block.char_start + a, block.char_start + b
    while start < end and page_text[start].isspace():
        start += 1
    while end > start and page_text[end - 1].isspace():
        end -= 1
    if end > start:
        yield Sentence(block.page_no, start, end, page_text[start:end], block.kind)


def document_sentences(doc: Document, kinds: frozenset[str] = BODY_KINDS) -> Iterator[Sentence]:
    """Every sentence of the body blocks of the document, page by page, in reading order."""
    for kind, sentences in _split_blocks(doc):
        if kind in kinds:
            yield from sentences


@per_document
def _split_blocks(doc: Document) -> tuple[tuple[str, tuple[Sentence, ...]], ...]:
    """(kind, sentences) of every block in reading order, split once per document for all extractors."""
    return tuple((block.kind, tuple(block_sentences(page.text, block))) for page in doc.pages
                 for block in page.blocks)
